"""A field's canonical value and how sure it is, from the text read for it.

Normalization and lexicon correction come from :mod:`ocr.normalize`; on top of them, two
kinds of evidence that Tesseract's word confidence does not see: a name whose every token
the lexicon knows in exactly that spelling, and a value of a closed vocabulary.
"""

from __future__ import annotations

from typing import Any

from ocr import lexicon, normalize
from ocr.fields import RawField
from ocr.record import AUTO_ACCEPT_CONFIDENCE

LEXICON_CONFIRMED = AUTO_ACCEPT_CONFIDENCE + 0.05  # every token a unique lexicon entry...
LEXICON_FLOOR = 0.4  # ...and no word read with less confidence than this
CLOSED_VOCABULARY = {"sex": ("male", "female"), "nationality": ("Việt Nam",)}


def value_of(doc_type: str, name: str, rf: RawField) -> tuple[Any, float]:
    """(canonical value or None, confidence) of one field's raw reading."""
    kind = normalize.field_kind(name)
    per_token = token_confidences(rf) if kind == "name" else None
    corrected = normalize.correct_field(doc_type, name, rf.text, rf.confidence, per_token)
    if corrected is None:
        return None, rf.confidence
    value, confidence = corrected
    if (
        kind == "name"
        and confidence < LEXICON_CONFIRMED
        and rf.confidence >= LEXICON_FLOOR
        and value == lexicon.clean_name(rf.text)
        and lexicon.name_is_confirmed(value)
    ):
        confidence = LEXICON_CONFIRMED
    if value in CLOSED_VOCABULARY.get(name.split("_")[-1], ()) or (
        name == "document_title" and lexicon.is_result_title(value)
    ):
        # A value of a closed vocabulary, read exactly, is as sure as the vocabulary.
        confidence = max(confidence, AUTO_ACCEPT_CONFIDENCE + 0.05)
    return value, confidence


def token_confidences(rf: RawField) -> list[float]:
    """One OCR confidence per cleaned name token, from the word each token came from."""
    return [w.confidence for w in rf.words for _ in lexicon.clean_name(w.text).split()]
