"""Tesseract as a recognizer: words with boxes for pages, blocks and lines.

Two backends give the same :class:`~ocr.engines.base.Word` list:

* ``tesserocr`` (default): keeps one Tesseract instance per process and model, so the
  Vietnamese model is loaded once instead of once per page. This is what makes
  ``sohoa extract`` faster than the plain ``tesseract`` command (BENCHMARKS.md).
* ``pytesseract``: starts the ``tesseract`` program for every call; kept as a fallback
  for machines where tesserocr's wheel cannot load.

Choose with ``SOHOA_OCR_BACKEND=tesserocr|pytesseract``.

``script="digits"`` reads with Tesseract's English model: it reads typewriter digits
(slashed zeros, flagged ones) that the Vietnamese model turns into 9s and 4s.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from ocr.engines.base import Layout, LineReading, Script, Word
from ocr.errors import MissingDependencyError
from ocr.settings import ocr_settings

LANG = "vie"
DIGITS_LANG = "eng"
MODELS = (LANG, DIGITS_LANG)
_PSM = {"page": 3, "block": 6, "line": 7}  # automatic layout keeps two columns apart
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
    """One ``PyTessBaseAPI`` per thread and model, created on first use and reused for
    every layout (the page segmentation mode is set per reading: a model costs a fifth of
    a second of CPU to load, and each API loads its own)."""

    def __init__(self) -> None:
        import tesserocr  # fail early if the wheel cannot load

        # Leptonica prints clipping notices for crops at the page edge on stderr, which
        # a clerk would take for errors; Tesseract's own errors still raise.
        tesserocr.set_leptonica_log_level(tesserocr.LeptLogLevel.NONE)
        self._local = threading.local()

    def _api(self, psm: int, lang: str):
        import tesserocr

        apis = self._local.__dict__.setdefault("apis", {})
        if lang not in apis:
            api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=lang, psm=psm)
            for name, value in TESSERACT_VARIABLES.items():
                api.SetVariable(name, value)
            apis[lang] = api
        api = apis[lang]
        api.SetPageSegMode(psm)
        return api

    def words(self, image: np.ndarray, psm: int, dpi: int, lang: str) -> list[Word]:
        api = self._api(psm, lang)
        if image.dtype == np.uint8 and (image.ndim == 2 or image.shape[2] == 3):
            # The pixels as they are: ``SetImage`` would encode a PIL image to BMP and
            # Leptonica decode it again, for every page and every crop.
            pixels = np.ascontiguousarray(image).tobytes()  # kept alive until the TSV
            depth = 1 if image.ndim == 2 else 3
            height, width = image.shape[:2]
            api.SetImageBytes(pixels, width, height, depth, width * depth)
        else:
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
    if ocr_settings().ocr_backend == "pytesseract":
        return _PytesseractBackend()
    try:
        return _TesserocrBackend()
    except ImportError:
        return _PytesseractBackend()


def line_of(words: list[Word], engine: str) -> LineReading:
    """Words read as one line: each character carries its word's confidence, a space the
    weaker of the words it separates (Tesseract gives no finer figure per character)."""
    text, confs = "", []
    for i, w in enumerate(words):
        if i:
            text += " "
            confs.append(min(w.confidence, words[i - 1].confidence))
        text += w.text
        confs += [w.confidence] * len(w.text)
    return LineReading(text, tuple(confs), engine)


class TesseractRecognizer:
    """Tesseract 4/5 (LSTM) with the Vietnamese model, and the English one for digits."""

    name = "tesseract"
    reads_pages = True

    def __init__(self) -> None:
        tessdata_dir()  # a missing language pack is reported before any page is read
        self._backend = _backend()

    def read_words(
        self, image: np.ndarray, *, dpi: int, layout: Layout = "page", script: Script = "text"
    ) -> list[Word]:
        lang = DIGITS_LANG if script == "digits" else LANG
        return self._backend.words(image, _PSM[layout], dpi, lang)

    def read_line(self, image: np.ndarray, *, dpi: int, script: Script = "text") -> LineReading:
        return line_of(self.read_words(image, dpi=dpi, layout="line", script=script), self.name)
