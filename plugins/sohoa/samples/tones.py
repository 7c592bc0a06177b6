"""Where a page puts the tone mark on "oa", "oe" and "uy" at the end of a syllable.

Two placements are in use on real records: HÒA, THỦY, KHỎE, Hòa Bình (the mark on the
first vowel, as the generator writes by default) and HOÀ, THUỶ, KHOẺ, Hoà Bình (the mark
on the second vowel, the older typesetting habit that issue 18 calls the *old* placement).
A page uses one placement throughout, and its truth keeps the value as printed: a name
printed HOÀ is HOÀ in the truth.

Only open syllables move: "hoàng", "thuyền" and "khoét" carry the mark on the second
vowel in both placements.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}  # grave, acute, hook, tilde, dot


def _pairs() -> dict[str, str]:
    """'òa' -> 'oà', 'ÙY' -> 'UỲ', 'Ủy' -> 'Uỷ', ... for every tone and case."""
    out = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            for a in (first, first.upper()):
                for b in (second, second.upper()):
                    new = unicodedata.normalize("NFC", a + tone + b)
                    out[new] = unicodedata.normalize("NFC", a + b + tone)
    return out


_NEW_TO_OLD = _pairs()
_OLD_TO_NEW = {v: k for k, v in _NEW_TO_OLD.items()}
# A pair at the end of a word (no final consonant after it), not after "q" ("quý" is one
# vowel after the consonant "qu").
_NEW_RE = re.compile(
    r"(?<![qQ])(" + "|".join(map(re.escape, sorted(_NEW_TO_OLD, key=len))) + r")(?!\w)"
)
_OLD_RE = re.compile(
    r"(?<![qQ])(" + "|".join(map(re.escape, sorted(_OLD_TO_NEW, key=len))) + r")(?!\w)"
)


def to_old(text: str) -> str:
    """HÒA -> HOÀ, Thủy -> Thuỷ, Ủy ban -> Uỷ ban; everything else unchanged."""
    text = unicodedata.normalize("NFC", text)
    return _NEW_RE.sub(lambda m: _NEW_TO_OLD[m.group(1)], text)


def to_new(text: str) -> str:
    """HOÀ -> HÒA, the inverse of :func:`to_old`."""
    text = unicodedata.normalize("NFC", text)
    return _OLD_RE.sub(lambda m: _OLD_TO_NEW[m.group(1)], text)


def placement_free(text: str) -> str:
    """One spelling for both placements, to compare names and lists regardless of it."""
    return to_new(text)


def restyle(value: object) -> object:
    """:func:`to_old` on strings, other values (dates, years, codes) unchanged."""
    return to_old(value) if isinstance(value, str) else value
