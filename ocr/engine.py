"""Tesseract behind one small interface: words with boxes and confidences.

Two backends give the same :class:`Word` list:

* ``tesserocr`` (default): keeps one Tesseract instance per process, so the Vietnamese
  model is loaded once instead of once per page. This is what makes ``sohoa extract``
  faster than the plain ``tesseract`` command (BENCHMARKS.md has the figures).
* ``pytesseract``: starts the ``tesseract`` program for every call; kept as a fallback
  for machines where tesserocr's wheel cannot load.

Choose with ``SOHOA_OCR_BACKEND=tesserocr|pytesseract``.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from ocr.errors import MissingDependencyError

LANG = "vie"
MODELS = (LANG, "eng")
_TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
# Scans are dark text on light paper: skip Tesseract's second pass over every doubtful
# line as white-on-black, which costs time and never helps here.
TESSERACT_VARIABLES = {"tessedit_do_invert": "0"}
_INSTALL_HINT = (
    "install it with: sudo apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng"
)


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..1
    x: int
    y: int
    w: int
    h: int
    block: int
    line: int  # Tesseract's (block, paragraph, line) flattened to one number

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h


@lru_cache(maxsize=1)
def tessdata_dir() -> str:
    """Where the models live (``vie`` for text, ``eng`` for digits); a clear error when a
    language pack is missing."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *_TESSDATA_CANDIDATES]
    for cand in candidates:
        if cand and all(Path(cand, f"{m}.traineddata").is_file() for m in MODELS):
            return cand
    raise MissingDependencyError(
        f"Tesseract's language data ({', '.join(m + '.traineddata' for m in MODELS)}) was "
        f"not found; {_INSTALL_HINT}"
    )


def parse_tsv(tsv: str, scale: float = 1.0) -> list[Word]:
    """Words from Tesseract's TSV output (level 5 rows), boxes divided by ``scale``."""
    words: list[Word] = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        if len(row) < 12 or row[0] != "5":
            continue
        text = row[11].strip()
        conf = float(row[10])
        if not text or conf < 0:
            continue
        block, par, line = int(row[2]), int(row[3]), int(row[4])
        left, top, width, height = (int(v) for v in row[6:10])
        words.append(
            Word(
                text=text,
                confidence=conf / 100.0,
                x=round(left / scale),
                y=round(top / scale),
                w=max(1, round(width / scale)),
                h=max(1, round(height / scale)),
                block=block,
                line=block * 10_000 + par * 100 + line,
            )
        )
    return words


class _TesserocrBackend:
    """One ``PyTessBaseAPI`` per thread, created on first use and reused."""

    def __init__(self) -> None:
        import tesserocr  # fail early if the wheel cannot load

        # Leptonica prints clipping notices for crops at the page edge on stderr, which
        # a clerk would take for errors; Tesseract's own errors still raise.
        tesserocr.set_leptonica_log_level(tesserocr.LeptLogLevel.NONE)
        self._local = threading.local()

    def _api(self, psm: int, lang: str):
        import tesserocr

        apis = self._local.__dict__.setdefault("apis", {})
        if (psm, lang) not in apis:
            api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=lang, psm=psm)
            for name, value in TESSERACT_VARIABLES.items():
                api.SetVariable(name, value)
            apis[psm, lang] = api
        return apis[psm, lang]

    def words(self, image: np.ndarray, psm: int, dpi: int, lang: str) -> list[Word]:
        api = self._api(psm, lang)
        api.SetImage(Image.fromarray(image))
        api.SetSourceResolution(dpi)
        api.Recognize()
        return parse_tsv(api.GetTSVText(0))


class _PytesseractBackend:
    def __init__(self) -> None:
        if shutil.which("tesseract") is None:
            raise MissingDependencyError(
                f"the 'tesseract' program is not installed; {_INSTALL_HINT}"
            )

    def words(self, image: np.ndarray, psm: int, dpi: int, lang: str) -> list[Word]:
        import pytesseract

        config = f"--psm {psm} --dpi {dpi} --tessdata-dir {tessdata_dir()} " + " ".join(
            f"-c {name}={value}" for name, value in TESSERACT_VARIABLES.items()
        )
        tsv = pytesseract.image_to_data(Image.fromarray(image), lang=lang, config=config)
        return parse_tsv(tsv)


@lru_cache(maxsize=1)
def _backend() -> _TesserocrBackend | _PytesseractBackend:
    name = os.environ.get("SOHOA_OCR_BACKEND", "tesserocr")
    if name == "pytesseract":
        return _PytesseractBackend()
    try:
        return _TesserocrBackend()
    except ImportError:
        return _PytesseractBackend()


def read_words(image: np.ndarray, *, psm: int = 3, dpi: int = 300, lang: str = LANG) -> list[Word]:
    """OCR a grayscale page; boxes are in the pixels of ``image``.

    ``lang="eng"`` is for digits only: the English model reads typewriter digits (slashed
    zeros, flagged ones) that the Vietnamese model turns into 9s and 4s.
    """
    return _backend().words(image, psm, dpi, lang)
