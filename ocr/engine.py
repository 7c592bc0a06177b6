"""The word every recognizer gives, under the import path the layout modules use.

The recognizers themselves and their interface live in :mod:`ocr.engines`.
"""

from ocr.engines.base import Word

__all__ = ["Word"]
