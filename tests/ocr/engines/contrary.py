"""A recognizer that always reads something else: registered by the tests through a real
``sohoa.recognizers`` entry point, to show that one reader alone can accept nothing."""

from __future__ import annotations

from pathlib import Path

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


ENTRY_POINTS = """\
[sohoa.recognizers]
contrary = tests.ocr.engines.contrary:ContraryRecognizer
"""


def install_contrary(root: Path) -> Path:
    """A real entry point for the engine: a ``.dist-info`` folder under ``root``, as an
    installed plugin package would have; returns the folder to put on ``sys.path``."""
    info = root / "sohoa_contrary-1.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sohoa-contrary\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return root
