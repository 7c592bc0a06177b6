"""Write accepted records: ``civil_record`` with the lineage of every value, and people.

The one code path for every record that enters the population tables, whether it was
auto-accepted by the pipeline or confirmed/typed in review (docs/review.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from sohoa.db.tables import civil_record
from sohoa.load.bulk import allocate_ids, insert_tuples
from sohoa.load.values import TYPED_COLUMNS, typed_values
from sohoa.people.link import LinkStats, link_people, subjects_of


def field_origin(field: dict[str, Any]) -> str:
    """How a stored value got there; no "origin" key means machine-read and auto-accepted."""
    return field.get("origin", "auto_accepted")


@dataclass
class Accepted:
    """A record cleared for the population tables, with its values' lineage.

    ``fields`` has the record's shape (docs/record.md) {name: {"value", "confidence",
    "bbox"}}; values set by a person add "origin" (confirmed / corrected / typed) and "by".
    """

    scan_id: int
    doc_type: str
    fields: dict[str, dict[str, Any]]
    origin: str = "auto_accepted"  # record origin: auto_accepted | reviewed | typed
    reviewed_by: str | None = None

    @property
    def values(self) -> dict[str, Any]:
        return {name: f["value"] for name, f in self.fields.items()}


def store_records(
    conn: Connection,
    book_id: int,
    items: list[Accepted],
    now: datetime,
    *,
    lock_people_first: bool = False,
) -> tuple[list[int], LinkStats]:
    """Insert ``items`` (already checked; their natural keys are free) with their people.

    The people are linked first (``sohoa.people.link``), so that each record is written
    once, with its ``person_id`` and ``spouse_person_id``. The auto-accepted path stores
    the extracted "fields" object as it is: no per-value work in Python, one JSON
    document per record. ``lock_people_first``: see :func:`sohoa.people.link.link_people`.
    """
    ids = allocate_ids(conn, civil_record, len(items))
    subjects = []
    typed = []
    for rid, item in zip(ids, items, strict=True):
        values = item.values
        typed.append(typed_values(item.doc_type, values))
        subjects += [(rid, role, ident) for role, ident in subjects_of(item.doc_type, values)]
    links = link_people(conn, subjects, now, lock_first=lock_people_first)
    people_of = links.people_of
    nobody = (None, None)
    rows: list[tuple[Any, ...]] = []
    for rid, item, typed_row in zip(ids, items, typed, strict=True):
        rows.append(
            (
                rid,
                book_id,
                item.doc_type,
                item.scan_id,
                *typed_row,
                item.fields,
                item.origin,
                item.reviewed_by,
                now,
                *people_of.get(rid, nobody),  # person_id, spouse_person_id
            )
        )
    insert_tuples(conn, civil_record, _COLUMNS, rows)
    links.finish(conn)
    return ids, links.stats


_COLUMNS = (
    "id",
    "book_id",
    "doc_type",
    "scan_id",
    *TYPED_COLUMNS,
    "fields",
    "origin",
    "reviewed_by",
    "created_at",
    "person_id",
    "spouse_person_id",
)
