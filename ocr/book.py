"""The register book: the one type of it, from the upload to the load, and its rules.

The uploader gives the book (``sohoa upload``/``sohoa load``/``sohoa extract`` flags, the
web upload form, and after it the landing zone's ``meta.json`` and a run's batch plan).
:class:`Book` is that book everywhere; :func:`book_problems` is its one set of rules,
which each caller words in its own language (the web form in Vietnamese). What the book
tells the reader of a page is :mod:`ocr.book_reading`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from ocr import doctypes
from ocr.errors import ConfigurationError

CIVIL_TYPES = doctypes.civil_names()
BOOK_TYPES = doctypes.names()
IDENTITY = ("unit", "book_type", "year", "volume")  # what names a register book
# The database's bounds (sohoa.db.tables): what passes here can be loaded.
FIRST_YEAR, LAST_YEAR = 1900, 2199
MAX_VOLUME = 32
MAX_DECLARED = 100_000
_DOSSIER_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
_LABELS = {
    "unit": "unit code",
    "book_type": "book type",
    "year": "book year",
    "volume": "volume",
    "declared_entries": "declared entries",
    "dossier_code": "dossier code",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a book: the part at fault, the rule it breaks (so a caller
    can say it in its own language) and the rule in English."""

    part: str
    rule: str  # missing | empty | choice | range | form | not_dossier_book | unknown
    message: str


class BookError(ConfigurationError):
    """A book that breaks :func:`book_problems`; ``problems`` lists every fault."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in problems))


def whole(value: Any) -> int | None:
    """A whole number given as an int or as digits (a form's or a sidecar's text)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{1,9}", value.strip()):
        return int(value)
    return None


def _names_a_unit(code: str) -> bool:
    from ocr.units import communes_of_code  # the map's lists: only when asked (a CLI starts fast)

    return bool(communes_of_code(code))


def _or(number: int | None, default: int) -> int:
    return default if number is None else number


def book_problems(
    parts: Mapping[str, Any],
    *,
    required: tuple[str, ...] = (),
    last_year: int = LAST_YEAR,
    known_unit: bool = False,
    new: bool = False,
) -> list[Problem]:
    """Everything wrong with the parts of a book (:class:`Book`'s fields), in field order.

    A part that is ``None`` is not given: wrong only when ``required``. ``last_year``
    lowers the year's bound (a form: no book of a year to come); ``known_unit`` also
    asks that the unit code name a unit on either map (``sohoa extract``). ``new``: a
    book being declared (the form, the commands) is also held to the rules a book read
    back from a sidecar or a plan was not always held to (the volume's form, the declared
    count's bound, the dossier code), so that what was uploaded before still reads.
    """
    out: list[Problem] = []

    def fault(part: str, rule: str, message: str) -> None:
        out.append(Problem(part, rule, message))

    for part in required:
        if parts.get(part) is None:
            fault(part, "missing", f"the {_LABELS[part]} is missing")
    unit, book_type = parts.get("unit"), parts.get("book_type")
    if unit is not None and not str(unit).strip():
        fault("unit", "empty", "the unit code is empty")
    elif unit is not None and known_unit and not _names_a_unit(str(unit).strip()):
        fault(
            "unit",
            "unknown",
            f"unit code {unit!r} names no commune, district or province; "
            "check it (e.g. 25920 for a commune, 79 for a province)",
        )
    if book_type is not None and book_type not in BOOK_TYPES:
        fault(
            "book_type",
            "choice",
            f"book type must be one of {', '.join(BOOK_TYPES)}, got {book_type!r}",
        )
    year = parts.get("year")
    if year is not None and not FIRST_YEAR <= _or(whole(year), -1) <= last_year:
        fault(
            "year",
            "range",
            f"book year out of range: {year!r} (a year from {FIRST_YEAR} to {last_year})",
        )
    volume = parts.get("volume")
    if volume is not None and not str(volume).strip():
        fault("volume", "empty", "the volume is empty")
    elif (
        volume is not None
        and new
        and (len(str(volume)) > MAX_VOLUME or not re.search(r"[0-9A-Za-z-]", str(volume)))
    ):
        fault(
            "volume",
            "form",
            f"the volume must have a letter or digit and at most {MAX_VOLUME} characters, "
            f"got {volume!r}",
        )
    declared = parts.get("declared_entries")
    most = MAX_DECLARED if new else 1 << 62
    if declared is not None and not 0 <= _or(whole(declared), -1) <= most:
        fault(
            "declared_entries",
            "range",
            f"declared entries must be a whole number from 0 to {MAX_DECLARED}, got {declared!r}",
        )
    dossier = parts.get("dossier_code")
    given = new and dossier is not None
    if given and book_type and book_type != "dossier_result":
        fault(
            "dossier_code",
            "not_dossier_book",
            f"a dossier code is only for a dossier_result book, not a {book_type} one",
        )
    elif given and not _DOSSIER_CODE.fullmatch(str(dossier)):
        fault(
            "dossier_code",
            "form",
            "a dossier code has letters, digits, dots and hyphens only "
            f"(e.g. 000.00.20.H40-240605-0001), got {dossier!r}",
        )
    return out


@dataclass(frozen=True)
class Book:
    """A register book as the uploader declares it; every part optional.

    ``unit`` is the code of the unit that keeps the book (a commune, or a district or
    province), on either map: codes of the map before 1 July 2025 and of today's both work.
    ``unit``, ``book_type``, ``year`` and ``volume`` name the book (:attr:`key`); the
    loader and the landing zone need all four (:meth:`complete`), the reader of a page
    uses what it is given. ``declared_entries`` is the entry count the book declares,
    ``uploader`` who declared it, ``dossier_code`` the dossier a dossier result's scans
    answer. Every part is checked by :func:`book_problems` when the book is made, and a
    book being declared once more by :meth:`check` with ``new=True``.
    """

    unit: str | None = None
    book_type: str | None = None
    year: int | None = None
    volume: str | None = None
    declared_entries: int | None = None
    uploader: str | None = None
    dossier_code: str | None = None

    def __post_init__(self) -> None:
        problems = book_problems(self.to_json())
        if problems:
            raise BookError(problems)
        for name in ("year", "declared_entries"):  # "2018" from a form or a flag
            if getattr(self, name) is not None:
                object.__setattr__(self, name, whole(getattr(self, name)))

    @property
    def key(self) -> tuple[str | None, str | None, int | None, str | None]:
        """What names the book: unit, type, year and volume."""
        return (self.unit, self.book_type, self.year, self.volume)

    def check(
        self, *, required: tuple[str, ...] = (), new: bool = False, known_unit: bool = False
    ) -> Book:
        """This book, once it passes :func:`book_problems` asked so (raises :class:`BookError`)."""
        problems = book_problems(self.to_json(), required=required, new=new, known_unit=known_unit)
        if problems:
            raise BookError(problems)
        return self

    def complete(self) -> Book:
        """This book, once all four parts that name it are known to be given."""
        return self.check(required=IDENTITY)

    def check_unit(self) -> Book:
        """This book, once its unit code is known to name a unit (either map)."""
        return self.check(known_unit=True)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any] | None) -> Book | None:
        """The book of an upload's metadata (a sidecar, a batch plan: the keys of the
        fields, others ignored; missing or empty ones are left out); ``None`` when it
        says nothing of one."""
        if not meta:
            return None
        given = {k: meta.get(k) for k in _FIELDS if meta.get(k) not in (None, "")}
        if "unit" in given:
            given["unit"] = str(given["unit"]).strip()
        if "volume" in given:
            given["volume"] = str(given["volume"])
        book = cls(**given)
        return None if book == cls() else book


_FIELDS = tuple(f.name for f in fields(Book))
