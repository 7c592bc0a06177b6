"""The recognizers sohoa reads with, behind one interface (:mod:`ocr.engines.base`).

Engines are found by name through the ``sohoa.recognizers`` entry-point group
(:mod:`ocr.engines.registry`); the pipeline, the re-readings and the number line ask the
registry for a page reader or a second reader and never name an engine. Importing this
package loads no model.
"""

from ocr.engines.base import Layout, LineReading, Recognizer, Script, Word
from ocr.engines.registry import check, chosen, engine, page_reader, second_readers

__all__ = [
    "Layout",
    "LineReading",
    "Recognizer",
    "Script",
    "Word",
    "check",
    "chosen",
    "engine",
    "page_reader",
    "second_readers",
]
