"""What every recognizer gives back, and the one interface the pipeline reads through.

A recognizer reads an image in one of two ways:

* :meth:`Recognizer.read_words`: the words of a page (or of a block or one line of it)
  with their boxes, the line each belongs to and a confidence per word. Only an engine
  that finds text by itself can do this (``reads_pages``).
* :meth:`Recognizer.read_line`: the text of a crop that holds one line, with one
  confidence per character. Every engine can do this; it is what a second, independent
  reading of a value is made of.

``script="digits"`` asks for the engine's best reading of digits (an engine may use
another model for them); the pipeline never knows how.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import numpy as np

Layout = Literal["page", "block", "line"]
Script = Literal["text", "digits"]


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..1
    x: int
    y: int
    w: int
    h: int
    block: int
    line: int  # the engine's (block, paragraph, line) flattened to one number

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h


@dataclass(frozen=True)
class LineReading:
    """One line's text and one confidence (0..1) per character of it, spaces included."""

    text: str
    char_confidences: tuple[float, ...]
    engine: str

    def __post_init__(self) -> None:
        if len(self.text) != len(self.char_confidences):
            raise ValueError("a line reading needs one confidence per character")

    @property
    def confidence(self) -> float:
        """The weakest character's: one doubtful mark makes the whole value doubtful."""
        return min(self.char_confidences, default=0.0)

    def token_confidences(self) -> list[tuple[str, float]]:
        """(token, weakest character's confidence) for each space-separated token."""
        out: list[tuple[str, float]] = []
        start = None
        for i, char in enumerate(self.text + " "):
            if char != " " and start is None:
                start = i
            elif char == " " and start is not None:
                out.append((self.text[start:i], min(self.char_confidences[start:i])))
                start = None
        return out


@runtime_checkable
class Recognizer(Protocol):
    """An OCR engine as the pipeline sees it; registered under ``sohoa.recognizers``."""

    name: str
    reads_pages: bool  # whether read_words can find the text of a page by itself

    def read_words(
        self, image: np.ndarray, *, dpi: int, layout: Layout = "page", script: Script = "text"
    ) -> list[Word]:
        """Words with boxes in the pixels of ``image`` (grayscale or RGB)."""
        ...

    def read_line(self, image: np.ndarray, *, dpi: int, script: Script = "text") -> LineReading:
        """The text of a crop holding one line, one confidence per character."""
        ...
