"""What forms print in short, read in full: "UBND" is "Ủy ban nhân dân", "./." closes.

Registration places and issuing authorities are often printed "UBND xã Hữu Liên, huyện
Hữu Lũng": the record keeps the committee's name in full, as a clerk types it. An
official text ends its last entry with "./." (nothing follows); that mark is not part of
the value. Both are applied to the final values, after every reading, so that two
readings of the same print are compared as read.
"""

from __future__ import annotations

import re

from ocr import normalize
from ocr.record import FieldValue

COMMITTEE = "Ủy ban nhân dân"
_UBND = re.compile(r"(?<![\w])UBND(?![\w])", re.IGNORECASE)
# "./." and what OCR makes of it ("./", "/."), at the end of a word.
_CLOSING = re.compile(r"(?:\.\s*/\s*\.?|/\s*\.)\s*$")
_EXPANDED = ("registration_place", "issuing_authority")


def expand_committee(text: str) -> str:
    """'UBND xã A' -> 'Ủy ban nhân dân xã A'; in capitals when the rest is in capitals."""

    def whole(match: re.Match[str]) -> str:
        rest = _UBND.sub("", text)
        letters = [c for c in rest if c.isalpha()]
        upper = bool(letters) and all(c.isupper() for c in letters)
        return COMMITTEE.upper() if upper else COMMITTEE

    return _UBND.sub(whole, text)


def strip_closing(text: str) -> str:
    """'tỉnh Lạng Sơn./.' -> 'tỉnh Lạng Sơn'; text without the mark is returned as is."""
    return _CLOSING.sub("", text).rstrip()


def closes(text: str) -> bool:
    """Whether ``text`` ends in the closing mark "./." (or what OCR makes of it)."""
    return bool(_CLOSING.search(text))


def expands(name: str) -> bool:
    """Whether a field names an authority, whose "UBND" is read in full."""
    return name in _EXPANDED or normalize.field_kind(name) == "place"


def finish_values(doc_type: str, fields: dict[str, FieldValue]) -> None:
    """Read "UBND" in full in authorities and places, and corrected again as such: the
    unit lists vouch for "Ủy ban nhân dân xã A" as they do when it is printed so."""
    for name, f in fields.items():
        if not isinstance(f.value, str) or not expands(name) or not _UBND.search(f.value):
            continue
        corrected = normalize.correct_field(doc_type, name, expand_committee(f.value), f.confidence)
        if corrected is not None:
            f.value, f.confidence = corrected
