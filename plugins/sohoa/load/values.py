"""From record field values (docs/record.md) to database values.

Typed columns of ``civil_record`` hold the fields every search uses; every field, typed
or not, is kept with its lineage in ``civil_record.fields`` (JSON).
"""

from __future__ import annotations

from datetime import date
from typing import Any

# Where the typed subject columns come from, per doc type. A marriage has two subjects
# (``civil_record.person_id`` and ``spouse_person_id``), so its subject columns stay empty.
SUBJECT_FIELDS = {
    "birth": ("full_name", "date_of_birth", "sex", "personal_id"),
    "death": ("full_name", "date_of_birth", "sex", "personal_id"),
    "dossier_result": ("applicant_name", None, None, "applicant_personal_id"),
}


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
    key = "result_number" if doc_type == "dossier_result" else "registration_number"
    return number_text(fields.get(key))


def number_text(value: Any) -> str | None:
    """A register number as stored: its canonical text, None when blank."""
    return None if value in (None, "") else value_text(value)


TYPED_COLUMNS = (
    "registration_number",
    "registration_date",
    "registration_place",
    "full_name",
    "date_of_birth",
    "sex",
    "personal_id",
)


def typed_columns(doc_type: str, values: dict[str, Any]) -> dict[str, Any]:
    """Columns of ``civil_record`` filled from a record's canonical values."""
    return dict(zip(TYPED_COLUMNS, typed_values(doc_type, values), strict=True))


def typed_values(doc_type: str, values: dict[str, Any]) -> tuple[Any, ...]:
    """The values of :data:`TYPED_COLUMNS`, in that order (the loader's positional rows)."""
    dossier = doc_type == "dossier_result"
    name, dob, sex, pid = SUBJECT_FIELDS.get(doc_type, (None, None, None, None))
    return (
        registration_number(values, doc_type),
        to_date(values.get("result_date" if dossier else "registration_date")),
        values.get("issuing_authority" if dossier else "registration_place"),
        values.get(name) if name else None,
        to_date(values.get(dob)) if dob else None,
        values.get(sex) if sex else None,
        values.get(pid) if pid else None,
    )
