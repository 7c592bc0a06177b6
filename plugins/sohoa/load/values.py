"""From record field values (docs/record.md) to database values.

Typed columns of ``civil_record`` hold the fields every search uses; every field, typed
or not, is kept with its lineage in ``civil_record.fields`` (JSON).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ocr import doctypes


def to_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def value_text(value: Any) -> str:
    """The canonical text of a value: ISO dates, integers without decimals, NFC text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def registration_number(fields: dict[str, Any], doc_type: str) -> str | None:
    """The record's number in its book (``result_number`` for a dossier result)."""
    return number_text(fields.get(doctypes.number_field(doc_type)))


def number_text(value: Any) -> str | None:
    """A register number as stored: its canonical text, None when blank."""
    return None if value in (None, "") else value_text(value)


TYPED_COLUMNS = doctypes.TYPED_COLUMNS
_DATES = frozenset({"registration_date", "date_of_birth"})


def typed_columns(doc_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """Columns of ``civil_record`` filled from a record's canonical values."""
    return dict(zip(TYPED_COLUMNS, typed_values(doc_type, values), strict=True))


def typed_values(doc_type: str, values: dict[str, Any]) -> tuple[Any, ...]:
    """The values of :data:`TYPED_COLUMNS`, in that order (the loader's positional rows).

    Which field fills which column is the type's (:mod:`ocr.doctypes`): a marriage has two
    subjects (``person_id`` and ``spouse_person_id``), so its subject columns stay empty."""
    source = doctypes.typed_fields(doc_type)
    out: list[Any] = []
    for column in TYPED_COLUMNS:
        name = source.get(column)
        value = values.get(name) if name else None
        if column == "registration_number":
            value = number_text(value)
        elif column in _DATES:
            value = to_date(value)
        out.append(value)
    return tuple(out)
