"""AsterOCR's neural line reader on onnxruntime: the second, independent reader.

AsterOCR (``asterocr`` on PyPI, MIT) is a CNN-BiLSTM CTC recognizer for printed
Vietnamese whose ONNX weights and vocabulary ship inside its wheel. sohoa loads those two
files itself and never imports the ``asterocr`` package: its package module pulls in the
high-level class with a model-download fallback, and its other modules bring torch,
training, notebook and Kaggle helpers. The files are found through the package's resource
reader without executing it, and nothing here opens a network connection.

A reading, as in the package's own ONNX pipeline: the crop as RGB, scaled to 32 pixels
high keeping its aspect (at least 32 wide, a multiple of 4), values mapped to [-1, 1];
the network gives CTC log-probabilities over the vocabulary for every 4 pixels of width;
greedy decoding keeps the best class of each step, merges repeats and drops blanks. A
character's confidence is its posterior where the network was surest of it, lowered when
a blank step beside it gave real weight to some other character (a mark or a letter that
may have been lost there).

Tight crops cut the first or last letter ("GUYỄN" for NGUYỄN), so every crop gets a
margin of its own paper colour before it is read. One onnxruntime session per process,
one thread each: sohoa already runs one worker per core.
"""

from __future__ import annotations

import importlib.util
import json
from contextlib import ExitStack
from functools import cache
from importlib.resources import as_file
from importlib.resources.abc import Traversable
from typing import Any

import numpy as np
from PIL import Image

from ocr.engines.base import Layout, LineReading, Script, Word
from ocr.errors import ConfigurationError, MissingDependencyError

HEIGHT = 32
_MODEL = ("assets", "asternet.onnx")
_VOCAB = ("assets", "vocab.json")
_MARGIN = 0.3  # of the crop's height, each side: paper added around a crop before reading
_INSTALL_HINT = "install sohoa's pinned dependencies (asterocr, onnxruntime) with scripts/setup.sh"


def _asset(*parts: str) -> Traversable:
    """A file bundled in the asterocr wheel, found without importing the package."""
    spec = importlib.util.find_spec("asterocr")
    if spec is None or spec.loader is None:
        raise MissingDependencyError(f"the AsterOCR model is not installed; {_INSTALL_HINT}")
    root = spec.loader.get_resource_reader(spec.name).files()  # type: ignore[union-attr]
    found = root.joinpath(*parts)
    if not found.is_file():
        raise MissingDependencyError(
            f"the AsterOCR package has no {'/'.join(parts)}; {_INSTALL_HINT}"
        )
    return found


@cache
def _vocabulary() -> tuple[str, ...]:
    chars = json.loads(_asset(*_VOCAB).read_text(encoding="utf-8"))["chars"]
    if chars[0] != "<blank>":
        raise MissingDependencyError("the AsterOCR vocabulary does not start with the blank")
    return tuple(chars)


@cache
def _session() -> Any:
    """The process's one onnxruntime session, single-threaded."""
    try:
        import onnxruntime as ort
    except ImportError as exc:
        raise MissingDependencyError(f"onnxruntime cannot be imported; {_INSTALL_HINT}") from exc
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # warnings about unused initializers are not a clerk's
    with ExitStack() as stack:
        path = stack.enter_context(as_file(_asset(*_MODEL)))
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    classes = session.get_outputs()[0].shape[-1]
    if classes != len(_vocabulary()):
        raise MissingDependencyError(
            f"the AsterOCR model has {classes} classes but its vocabulary {len(_vocabulary())}"
        )
    return session


def _rgb(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return np.repeat(image[..., None], 3, axis=2)
    return image[..., :3]


def padded(image: np.ndarray, margin: float = _MARGIN) -> np.ndarray:
    """The crop with a margin of its own paper colour (the median of its border): above
    and below ``margin`` of its height, left and right half that (every column costs a
    fourth of a network step)."""
    rgb = _rgb(image)
    h = rgb.shape[0]
    border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
    paper = np.median(border, axis=0).astype(np.uint8)
    pad = max(2, round(h * margin / 2))
    out = np.empty((h + 2 * pad, rgb.shape[1] + 2 * pad, 3), np.uint8)
    out[:] = paper
    out[pad : pad + h, pad : pad + rgb.shape[1]] = rgb
    return out


def tensor(image: np.ndarray) -> np.ndarray:
    """(1, 3, 32, W) float32 in [-1, 1], as the package's ONNX pipeline prepares a crop."""
    h, w = image.shape[:2]
    width = max(HEIGHT, int(w * HEIGHT / h))
    width = (width + 3) // 4 * 4
    resized = Image.fromarray(_rgb(image)).resize((width, HEIGHT), Image.Resampling.BILINEAR)
    arr = np.asarray(resized, dtype=np.float32) / 255.0
    return ((arr - 0.5) / 0.5).transpose(2, 0, 1)[None]


def decode(log_probs: np.ndarray, vocabulary: tuple[str, ...]) -> tuple[str, tuple[float, ...]]:
    """Greedy CTC decoding of (T, C) log-probabilities, with a confidence per character."""
    probs = np.exp(log_probs)
    best = probs.argmax(axis=1)
    text: list[str] = []
    confs: list[float] = []
    gap: list[int] = []  # blank steps since the last character
    prev = last = 0  # the previous step's class; the last character's class
    for t, k in enumerate(best):
        if k == 0:
            gap.append(t)
            prev = 0
            continue
        if k == prev:
            confs[-1] = max(confs[-1], float(probs[t, k]))
            continue
        conf = float(probs[t, k])
        if gap and text:
            # A blank step between two characters that gave weight to neither of them nor
            # to the blank: something may have been dropped there.
            kept = probs[gap, 0] + probs[gap, k] + probs[gap, last]
            doubt = float(kept.min())
            conf = min(conf, doubt)
        text.append(vocabulary[k])
        confs.append(conf)
        gap = []
        prev = last = k
    return "".join(text), tuple(confs)


class AsterRecognizer:
    """Reads line crops; finding the lines of a page is left to a page reader."""

    name = "aster"
    reads_pages = False

    def __init__(self) -> None:
        self._session = _session()
        self._input = self._session.get_inputs()[0].name
        self._vocabulary = _vocabulary()

    def read_line(
        self, image: np.ndarray, *, dpi: int = 300, script: Script = "text"
    ) -> LineReading:
        del dpi, script  # the network sees 32 pixels of height and one vocabulary
        if image.size == 0 or min(image.shape[:2]) < 4:
            return LineReading("", (), self.name)
        out = self._session.run(None, {self._input: tensor(padded(image))})[0]
        steps = out[:, 0, :] if out.shape[1] == 1 else out[0]
        text, confs = decode(steps, self._vocabulary)
        # The edges of a line are blank paper: spaces there are no part of the value.
        start = len(text) - len(text.lstrip(" "))
        end = len(text.rstrip(" "))
        return LineReading(text[start:end], confs[start:end], self.name)

    def read_words(
        self, image: np.ndarray, *, dpi: int, layout: Layout = "page", script: Script = "text"
    ) -> list[Word]:
        raise ConfigurationError(
            "the aster recognizer reads line crops only; a page needs a page reader such as "
            "tesseract first in SOHOA_RECOGNIZERS"
        )
