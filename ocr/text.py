"""Small text helpers shared by extraction, correction and checks."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    """ASCII-fold Vietnamese: 'Nguyễn Đức' -> 'Nguyen Duc' (đ/Đ handled explicitly)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def fold(text: str) -> str:
    """Key for diacritic-, case- and spacing-insensitive comparison."""
    return squash_spaces(strip_diacritics(nfc(text)).lower())
