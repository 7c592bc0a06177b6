"""The register book of the pages a load brings: its row, and the numbers it holds."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from ocr.book import Book
from sohoa.db.tables import civil_record, register_book, unit

_NAMED_YEAR = re.compile(r"/\s*(\d{4})\s*$")


def named_year(book_number: object) -> int | None:
    """The year a page's book number names ("05/2020": 2020), to hold against its book's
    (the gate's suite and the checks of a typed record read it alike); None for none."""
    found = _NAMED_YEAR.search(str(book_number or ""))
    return int(found[1]) if found else None


def ensure_book(conn: Connection, meta: Book, now: datetime) -> int:
    """Id of the book (unit, type, year, volume), creating unit and book on first sight.

    A later upload may declare the entry count when the first did not; an already
    declared count is only replaced by a different declared one (so reruns change nothing).
    """
    meta.complete()
    unit_id = conn.execute(select(unit.c.id).where(unit.c.code == meta.unit)).scalar()
    if unit_id is None:
        unit_id = conn.execute(
            insert(unit).values(code=meta.unit).returning(unit.c.id)
        ).scalar_one()
    key = (
        (register_book.c.unit_id == unit_id)
        & (register_book.c.book_type == meta.book_type)
        & (register_book.c.year == meta.year)
        & (register_book.c.volume == meta.volume)
    )
    row = conn.execute(
        select(register_book.c.id, register_book.c.declared_entries).where(key)
    ).first()
    if row is None:
        return conn.execute(
            insert(register_book)
            .values(
                unit_id=unit_id,
                book_type=meta.book_type,
                year=meta.year,
                volume=meta.volume,
                declared_entries=meta.declared_entries,
                created_by=meta.uploader,
                created_at=now,
            )
            .returning(register_book.c.id)
        ).scalar_one()
    if meta.declared_entries is not None and row.declared_entries != meta.declared_entries:
        conn.execute(
            update(register_book)
            .where(register_book.c.id == row.id)
            .values(declared_entries=meta.declared_entries)
        )
    return row.id


def book_numbers(conn: Connection, meta: Book) -> list[str]:
    """The registration numbers already loaded in the book (none for a new book): the
    gate checks a load's numbering against the whole book's."""
    return list(
        conn.execute(
            select(civil_record.c.registration_number)
            .join(register_book, register_book.c.id == civil_record.c.book_id)
            .join(unit, unit.c.id == register_book.c.unit_id)
            .where(
                (unit.c.code == meta.unit)
                & (register_book.c.book_type == meta.book_type)
                & (register_book.c.year == meta.year)
                & (register_book.c.volume == meta.volume)
            )
        ).scalars()
    )
