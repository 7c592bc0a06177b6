"""The place picker of manual entry: the official units, found by a few letters.

A clerk types a few letters without diacritics ("uyen hung", "tan hiep tan uyen") and
picks the unit, printed with its parents as the lists print them ("Phường Uyên Hưng,
Thành phố Tân Uyên, Tỉnh Bình Dương"). The units are those :mod:`ocr.units` loads from
the maintained ``vietnamadminunits`` package: three levels (province, district, commune)
before 1 July 2025, two (province, commune) after it. A record names its places as they
were when it was registered, so the era follows the registration date.

Text before the last comma is kept as typed ("Khu phố 3, tan hiep" suggests "Khu phố 3,
Phường Tân Hiệp, ..."): the lists know no hamlets, houses or hospitals, and free text
stays possible for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ocr.text import fold
from ocr.units import Tree, Unit, current_tree, legacy_tree

LEGACY, CURRENT = "legacy", "current"
ERAS = (LEGACY, CURRENT)
REFORM = date(2025, 7, 1)  # two levels of local government from this day
LIMIT = 10
_LEVELS = {LEGACY: ("province", "district", "commune"), CURRENT: ("province", "commune")}


@dataclass(frozen=True)
class Place:
    """One unit with its parents, as a suggestion."""

    text: str  # "Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương"
    code: str
    level: str  # province | district | commune
    era: str
    path: tuple[str, ...]  # codes from the province down to this unit

    def as_json(self) -> dict[str, str]:
        return {"text": self.text, "code": self.code, "level": self.level, "era": self.era}


@dataclass(frozen=True)
class _Entry:
    place: Place
    own: tuple[str, ...]  # the unit's own name, folded, in words
    chain: tuple[str, ...]  # every word of the unit and its parents


def era_of(registered: date | None, book_year: int | None) -> tuple[str, ...]:
    """The unit lists a record's places are read against: its registration date decides;
    without one, the book's year (both lists in 2025, the year of the change)."""
    if registered is not None:
        return (LEGACY,) if registered < REFORM else (CURRENT,)
    if book_year is None or book_year == REFORM.year:
        return ERAS
    return (LEGACY,) if book_year < REFORM.year else (CURRENT,)


def suggest(
    typed: str, eras: tuple[str, ...] = ERAS, *, near: str | None = None, limit: int = LIMIT
) -> list[Place]:
    """Units whose names (with their parents') start with the typed words, best first;
    a text before the last comma is kept in front of each. ``near``: a unit code (the
    register book's) whose province and district come first."""
    prefix, _, query = typed.rpartition(",")
    words = tuple(fold(query).replace("-", " ").split())
    if not words:
        return []
    home = {era: _path_of(near, era) for era in eras} if near else {}
    found = []
    for era in eras:
        for entry in _index(era):
            score = _score(entry, words, home.get(era, ()))
            if score is not None:
                found.append((score, entry.place))
    found.sort(key=lambda pair: pair[0])
    lead = f"{prefix.strip()}, " if prefix.strip() else ""
    out, seen = [], set()
    for _, place in found:
        if place.text in seen:
            continue
        seen.add(place.text)
        out.append(Place(lead + place.text, place.code, place.level, place.era, place.path))
        if len(out) == limit:
            break
    return out


def authority_of(unit_code: str, eras: tuple[str, ...] = ERAS) -> str | None:
    """The registering authority of a commune as the registers print it ("Ủy ban nhân dân
    Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương"); ``None`` for an unknown code."""
    for era in eras:
        place = _by_code(era).get(unit_code)
        if place is not None and place.level == "commune":
            return f"Ủy ban nhân dân {place.text}"
    return None


# --- internals ---------------------------------------------------------------------------


def _score(entry: _Entry, words: tuple[str, ...], home: tuple[str, ...]):
    """Sort key of an entry for the typed ``words``, or None when a word matches nothing.

    Every typed word must start a word of the unit or of its parents. Best first: more
    words found in the unit's own name, its whole name typed, the book's own district and
    province, the higher level (a province before its communes), the shorter name."""
    if not all(any(w.startswith(t) for w in entry.chain) for t in words):
        return None
    own = sum(1 for t in words if any(w.startswith(t) for w in entry.own))
    if own == 0:
        return None  # "tan uyen" alone: the district itself, not each of its communes
    whole = own == len(words) and len(entry.own) == own
    shared = 0
    for a, b in zip(entry.place.path, home, strict=False):
        if a != b:
            break
        shared += 1
    level = ("province", "district", "commune").index(entry.place.level)
    return (-own, not whole, -shared, level, len(entry.place.text))


def _path_of(code: str | None, era: str) -> tuple[str, ...]:
    place = _by_code(era).get(code or "")
    return place.path if place else ()


@lru_cache(maxsize=2)
def _index(era: str) -> tuple[_Entry, ...]:
    tree: Tree = legacy_tree() if era == LEGACY else current_tree()
    levels = _LEVELS[era]
    out: list[_Entry] = []

    def walk(unit: Unit, parents: tuple[Unit, ...], depth: int) -> None:
        line = (unit, *reversed(parents))
        place = Place(
            ", ".join(u.name for u in line),
            unit.code,
            levels[depth],
            era,
            tuple(u.code for u in (*parents, unit)),
        )
        own = tuple(fold(unit.short).replace("-", " ").split())
        chain = tuple(w for u in line for w in fold(u.name).replace("-", " ").split())
        out.append(_Entry(place, own, chain))
        for child in unit.child_list:
            walk(child, (*parents, unit), depth + 1)

    for province in tree.province_list:
        walk(province, (), 0)
    return tuple(out)


@lru_cache(maxsize=2)
def _by_code(era: str) -> dict[str, Place]:
    return {e.place.code: e.place for e in _index(era)}
