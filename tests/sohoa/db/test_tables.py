"""Constraints make bad states impossible, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from sohoa.db.tables import civil_record, person, register_book, scan, unit

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _scan(**over):
    row = {
        "sha256": "a" * 64,
        "page": 1,
        "uri": "landing/x.tif",
        "doc_type": "birth",
        "status": "loaded",
        "created_at": NOW,
        "updated_at": NOW,
    }
    row.update(over)
    return row


def _book(conn, book_type="birth") -> int:
    uid = conn.execute(insert(unit).values(code="25920").returning(unit.c.id)).scalar_one()
    return conn.execute(
        insert(register_book)
        .values(
            unit_id=uid,
            book_type=book_type,
            year=1987,
            volume="01",
            created_at=NOW,
        )
        .returning(register_book.c.id)
    ).scalar_one()


def _fails(engine, table, row) -> bool:
    try:
        with engine.begin() as conn:
            conn.execute(insert(table).values(**row))
    except IntegrityError:
        return True
    return False


def test_a_page_is_stored_once(db_engine):
    with db_engine.begin() as conn:
        conn.execute(insert(scan).values(**_scan()))
    assert _fails(db_engine, scan, _scan(uri="landing/other.tif"))
    assert not _fails(db_engine, scan, _scan(page=2))


@pytest.mark.parametrize(
    "bad",
    [
        {"status": "lost"},
        {"status": "rejected"},  # a rejection needs a reason
        {"doc_type": "passport"},
        {"page": 0},
        {"sha256": "abc"},
    ],
)
def test_scan_checks(db_engine, bad):
    assert _fails(db_engine, scan, _scan(**bad))


def test_a_scan_carries_its_books_type(db_engine):
    with db_engine.begin() as conn:
        book_id = _book(conn)
    in_book = {"book_id": book_id, "book_type": "birth"}
    assert _fails(db_engine, scan, _scan(book_id=book_id, book_type="death"))
    assert _fails(db_engine, scan, _scan(book_id=book_id))  # the type is not optional
    assert _fails(db_engine, scan, _scan(book_type="birth"))  # nor without a book
    assert not _fails(db_engine, scan, _scan(**in_book, doc_type="death"))  # a stray page


def test_record_type_must_match_its_book_and_numbers_are_unique_per_book(db_engine):
    with db_engine.begin() as conn:
        book_id = _book(conn)
        in_book = {"book_id": book_id, "book_type": "birth"}
        s1, s2, s3 = (
            conn.execute(
                insert(scan).values(**_scan(page=p, **in_book)).returning(scan.c.id)
            ).scalar_one()
            for p in (1, 2, 3)
        )
        other = conn.execute(
            insert(register_book)
            .values(
                unit_id=select(unit.c.id).scalar_subquery(),
                book_type="birth",
                year=1988,
                volume="01",
                created_at=NOW,
            )
            .returning(register_book.c.id)
        ).scalar_one()
    base = {
        "book_id": book_id,
        "doc_type": "birth",
        "registration_number": "45",
        "scan_id": s1,
        "fields": {},
        "origin": "auto_accepted",
        "created_at": NOW,
    }
    assert _fails(db_engine, civil_record, {**base, "doc_type": "death"})
    assert _fails(db_engine, civil_record, {**base, "book_id": other})  # not the scan's book
    assert _fails(db_engine, civil_record, {**base, "scan_id": s3 + 1})  # no such scan
    assert _fails(db_engine, civil_record, {**base, "origin": "reviewed"})  # who reviewed?
    assert _fails(db_engine, civil_record, {**base, "sex": "m"})
    assert not _fails(db_engine, civil_record, base)
    assert _fails(db_engine, civil_record, {**base, "scan_id": s2})  # number 45 taken


def test_one_person_per_personal_id_and_any_number_without_one(db_engine):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    row = {"full_name": "A", "name_key": "a", "created_at": now}
    with db_engine.begin() as conn:
        conn.execute(insert(person), [{**row, "personal_id": None}] * 2)
        conn.execute(insert(person).values(**row, personal_id="001190000001"))
    with pytest.raises(IntegrityError), db_engine.begin() as conn:
        conn.execute(insert(person).values(**row, personal_id="001190000001"))
