"""The records of one load as the pandas DataFrame the Great Expectations suites check.

One row per record, ``record_index`` = the record's position among them (the column GX
reports failing rows by). Each field value is a column of its name. Rules that need a
computation (dates that exist, what a personal ID says about its owner, a parent's age)
get a derived column, named ``<field>__<check>``; the suites in ``schemas/expectations``
only compare columns with constants, so the rules stay data.

Rules about the register book (its year, its numbering) read the book's metadata and the
registration numbers the book already holds, when the caller gives them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import pandas as pd

from ocr.checks import parse_date
from ocr.personal_id import birth_year_of, decode_personal_id
from ocr.units import legacy_province_codes
from sohoa.load.book import named_year
from sohoa.load.values import registration_number

DATE_FIELDS = (
    "date_of_birth",
    "registration_date",
    "date_of_death",
    "husband_date_of_birth",
    "wife_date_of_birth",
    "result_date",
    "mother_date_of_birth",
    "father_date_of_birth",
)
# personal ID field -> (its owner's date-of-birth field, sex field or fixed sex)
ID_OWNERS = {
    "personal_id": ("date_of_birth", "sex"),
    "husband_personal_id": ("husband_date_of_birth", "=male"),
    "wife_personal_id": ("wife_date_of_birth", "=female"),
    "applicant_personal_id": (None, None),
}
ETHNIC_FIELDS = (
    "ethnicity",
    "mother_ethnicity",
    "father_ethnicity",
    "husband_ethnicity",
    "wife_ethnicity",
)
_LEADING_NUMBER = re.compile(r"^\s*(\d+)")


@lru_cache(maxsize=1)
def _ethnic_check():
    from ocr.lexicon import is_ethnic_group

    return is_ethnic_group


def build_frame(
    records: Sequence[dict[str, Any]],
    doc_type: str,
    columns: Iterable[str] = (),
    book: Any = None,
    book_numbers: Iterable[str] = (),
) -> pd.DataFrame:
    """The frame for ``records`` (all of ``doc_type``); ``columns`` the suite needs exist.

    ``book`` (an :class:`ocr.book.Book`) and ``book_numbers`` (the registration
    numbers already loaded in it) place each record in its book: its year, its numbering.
    """
    rows = [_row(i, rec, doc_type) for i, rec in enumerate(records)]
    _add_gaps(rows, book_numbers)
    if book is not None:
        for row in rows:
            row.update(_book_checks(row, book))
    frame = pd.DataFrame(rows)
    for col in columns:
        if col not in frame.columns:
            frame[col] = None
    for col in frame.columns:
        if col.endswith("__dt"):
            frame[col] = pd.to_datetime(frame[col])
    return frame


def _row(index: int, rec: dict[str, Any], doc_type: str) -> dict[str, Any]:
    fields = rec.get("fields", {})
    values = {k: f.get("value") for k, f in fields.items()}
    row: dict[str, Any] = {
        "record_index": index,
        **values,
        "sha256": rec["source"]["sha256"],
        "page": rec["source"]["page"],
        "registration_number": registration_number(values, doc_type),
    }
    for name in DATE_FIELDS:
        if name in values:
            parsed = parse_date(values[name])
            row[name + "__dt"] = parsed
            row[name + "__real"] = parsed is not None
    for name, (dob_field, sex_field) in ID_OWNERS.items():
        if values.get(name) is not None:
            row.update(_id_checks(name, str(values[name]), values, dob_field, sex_field))
    for name in ETHNIC_FIELDS:
        if values.get(name) is not None:
            row[name + "__known"] = bool(_ethnic_check()(str(values[name])))
    if doc_type == "dossier_result":
        # A result's dossier comes from its page (QR, "Mã hồ sơ") or from the upload.
        given = values.get("dossier_code") or (rec.get("upload") or {}).get("dossier_code")
        row["dossier_code__given"] = bool(given)
    child = parse_date(values.get("date_of_birth"))
    for parent in ("mother", "father"):
        year = values.get(parent + "_birth_year")
        if child is not None and isinstance(year, int | float) and not isinstance(year, bool):
            row[parent + "_age_at_birth"] = child.year - int(year)
        full = parse_date(values.get(parent + "_date_of_birth"))
        if full is not None and isinstance(year, int | float) and not isinstance(year, bool):
            row[parent + "_date_of_birth__year"] = full.year == int(year)
    confidences = [
        (f.get("confidence"), k)
        for k, f in fields.items()
        if isinstance(f.get("confidence"), int | float)
    ]
    if confidences:
        row["min_confidence"], row["low_confidence_field"] = min(confidences)
    return row


def _id_checks(
    name: str, pid: str, values: dict[str, Any], dob_field: str | None, sex_field: str | None
) -> dict[str, bool | None]:
    decoded = decode_personal_id(pid)
    if decoded is None:  # the id_format rule reports it; nothing more to compare
        return {}
    dob = parse_date(values.get(dob_field)) if dob_field else None
    sex = (
        sex_field[1:]
        if sex_field and sex_field.startswith("=")
        else values.get(sex_field)
        if sex_field
        else None
    )
    return {
        name + "__province": decoded.province_code in legacy_province_codes(),
        name + "__birth_year": None if dob is None else birth_year_of(decoded) == dob.year,
        name + "__sex": None if sex not in ("male", "female") else decoded.sex == sex,
    }


def _book_checks(row: dict[str, Any], book: Any) -> dict[str, Any]:
    """Whether the record's registration date, and the year its book number names
    ("03/1987"), fall in the book's year (``None`` when the record does not say)."""
    registered = row.get("registration_date__dt")
    named = named_year(row.get("book_number"))
    declared = getattr(book, "declared_entries", None)
    number = _LEADING_NUMBER.match(str(row.get("registration_number") or ""))
    return {
        "registration_date__in_book_year": (
            None if registered is None else registered.year == int(book.year)
        ),
        "book_number__in_book_year": None if named is None else named == int(book.year),
        "registration_number__declared": (
            None if declared is None or number is None else int(number[1]) <= int(declared)
        ),
    }


def _add_gaps(rows: list[dict[str, Any]], book_numbers: Iterable[str] = ()) -> None:
    """``gap_before``: how many numbers are missing just before this one, in the load and
    the numbers its book already holds (``book_numbers``)."""
    numbers: dict[int, int] = {}
    for row in rows:
        m = _LEADING_NUMBER.match(str(row.get("registration_number") or ""))
        if m:
            numbers[row["record_index"]] = int(m.group(1))
    held = {int(m.group(1)) for n in book_numbers if (m := _LEADING_NUMBER.match(str(n)))}
    ordered = sorted(set(numbers.values()) | held)
    previous = dict(zip(ordered[1:], ordered[:-1], strict=True))
    for row in rows:
        n = numbers.get(row["record_index"])
        row["gap_before"] = None if n is None else n - previous.get(n, n - 1) - 1
