"""Document type from the printed title (docs/documents.md).

A dossier result may be any kind of paper (even a reissued certificate), so the
"Mã hồ sơ" marker outranks the title. Matching is fuzzy and accent-blind because titles
are printed large and bold, where Tesseract tends to lose the stacked diacritics.
"""

from __future__ import annotations

import difflib

from ocr.engine import Word
from ocr.labels import DOSSIER_MARKERS, TITLES
from ocr.layout import segments
from ocr.text import fold

_MIN_SCORE = 0.8


def _score(text: str, title: str) -> float:
    if title in text:
        return 1.0
    if not text:
        return 0.0
    matcher = difflib.SequenceMatcher(None, text, title)
    block = matcher.find_longest_match(0, len(text), 0, len(title))
    start = max(0, block.a - block.b)
    window = text[start : start + len(title)]
    return difflib.SequenceMatcher(None, window, title).ratio()


def classify(words: list[Word]) -> tuple[str, float]:
    """(doc_type, score in 0..1); ``unknown`` when no title is recognised."""
    texts = [fold(s.text) for s in segments(words)]
    for marker in DOSSIER_MARKERS:
        key = fold(marker)
        if any(_score(t, key) >= 0.9 for t in texts):
            return "dossier_result", 1.0
    best, best_score = "unknown", 0.0
    for doc_type, titles in TITLES.items():
        for title in titles:
            key = fold(title)
            score = max((_score(t, key) for t in texts), default=0.0)
            if score > best_score:
                best, best_score = doc_type, score
    return (best, best_score) if best_score >= _MIN_SCORE else ("unknown", best_score)
