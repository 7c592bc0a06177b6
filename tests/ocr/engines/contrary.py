"""A recognizer that always reads something else: registered by the tests through a real
``sohoa.recognizers`` entry point, to show that one reader alone can accept nothing."""

from __future__ import annotations

import numpy as np

from ocr.engines.base import Layout, LineReading, Script, Word


class ContraryRecognizer:
    name = "contrary"
    reads_pages = False

    def read_line(self, image: np.ndarray, *, dpi: int, script: Script = "text") -> LineReading:
        # Sure of itself, and always a different reading of the same crop: one "9"
        # per ten pixels of width.
        text = "9" * max(1, image.shape[1] // 10)
        return LineReading(text, (0.99,) * len(text), self.name)

    def read_words(
        self, image: np.ndarray, *, dpi: int, layout: Layout = "page", script: Script = "text"
    ) -> list[Word]:
        raise NotImplementedError("reads line crops only")
