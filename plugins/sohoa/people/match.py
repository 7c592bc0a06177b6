"""Is this the same person? The documented match rule of docs/database.md.

Keys are diacritic-, case- and spacing-insensitive (:func:`ocr.text.fold`), because scans
of older books lose the stacked Vietnamese accents and typists leave them out.

Decision, in order:

1. Both sides carry a ``personal_id``: equal means the same person, different means not.
2. ``same``: folded name, date of birth and folded place of birth all equal (both places
   present) and the sexes do not conflict. This is the only automatic link without an ID.
3. ``possible`` (a duplicate flag for a person to decide; never merged automatically):
   - ``name_dob``: name and date of birth equal, but a place is missing or differs,
     or the sexes conflict;
   - ``near_date``: name equal and the dates agree on two of year/month/day, or have day
     and month swapped (a misread digit, a transposed entry);
   - ``similar_name``: date of birth equal and the names differ in one word only, by at
     most two letters (an OCR or typing slip).
4. Anything else: different people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from ocr.text import edit_distance, fold

_PUNCT = re.compile(r"[^\w\s]")
_PLACE_WORDS = re.compile(
    r"\b(tinh|thanh pho|tp|quan|huyen|thi xa|thi tran|phuong|xa|ap|thon|to)\b"
)


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    return fold(_PUNCT.sub(" ", name))


@lru_cache(maxsize=65536)
def place_key(place: str | None) -> str | None:
    """Folded place without unit-type words: 'Xã Đông Dư, Huyện Gia Lâm' -> 'dong du gia lam'."""
    if not place:
        return None
    key = fold(_PLACE_WORDS.sub(" ", fold(_PUNCT.sub(" ", place))))
    return key or None


@dataclass(slots=True)
class Identity:
    """What a record says about one person; match keys are computed once, on creation.

    Not frozen, though nothing changes one: a frozen dataclass is built through
    ``object.__setattr__``, five times the cost, and a load builds one per person read
    or named (measured 3.5 against 0.7 µs)."""

    full_name: str
    date_of_birth: date | None
    sex: str | None = None
    place: str | None = None
    personal_id: str | None = None
    name_key: str = field(default="", compare=False)  # derived when not given
    place_key: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.name_key:
            self.name_key = name_key(self.full_name)
        if self.place_key is None:
            self.place_key = place_key(self.place)


@dataclass(frozen=True)
class Decision:
    kind: str  # "same" | "possible" | "different"
    reason: str
    score: float


DIFFERENT = Decision("different", "", 0.0)


def compare(a: Identity, b: Identity) -> Decision:
    if a.personal_id and b.personal_id:
        if a.personal_id == b.personal_id:
            return Decision("same", "personal_id", 1.0)
        return DIFFERENT
    if a.date_of_birth is None or b.date_of_birth is None:
        return DIFFERENT
    same_name = a.name_key == b.name_key
    if same_name and a.date_of_birth == b.date_of_birth:
        sex_ok = not (a.sex and b.sex and a.sex != b.sex)
        if sex_ok and a.place_key and a.place_key == b.place_key:
            return Decision("same", "name_dob_place", 1.0)
        return Decision("possible", "name_dob", 0.9)
    if same_name and near_date(a.date_of_birth, b.date_of_birth):
        return Decision("possible", "near_date", 0.8)
    if (
        a.date_of_birth == b.date_of_birth
        and abs(len(a.name_key) - len(b.name_key)) <= 2  # cheap test before the real one
        and similar_names(a.name_key, b.name_key)
    ):
        return Decision("possible", "similar_name", 0.8)
    return DIFFERENT


def near_date(a: date, b: date) -> bool:
    agree = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    swapped = a.year == b.year and a.month == b.day and a.day == b.month
    return agree == 2 or swapped


def similar_names(a: str, b: str) -> bool:
    """Same words but one, and that one within two edits (one if it is short)."""
    ta, tb = a.split(), b.split()
    if len(ta) != len(tb):
        return False
    diffs = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
    if len(diffs) != 1:
        return False
    x, y = diffs[0]
    limit = 1 if min(len(x), len(y)) <= 3 else 2
    return edit_distance(x, y, limit) <= limit
