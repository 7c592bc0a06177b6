"""Per-book defaults of manual entry: Kinh, Việt Nam and the book's own authority until a
clerk sets others; kept per book."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from sohoa.db.tables import register_book, unit
from sohoa.review import books
from sohoa.review.queue import ReviewError

NOW = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.fixture
def book_id(db_engine):
    with db_engine.begin() as conn:
        unit_id = conn.execute(insert(unit).values(code="25920").returning(unit.c.id)).scalar()
        return conn.execute(
            insert(register_book)
            .values(unit_id=unit_id, book_type="birth", year=2020, volume="05", created_at=NOW)
            .returning(register_book.c.id)
        ).scalar()


def test_a_book_starts_with_kinh_viet_nam_and_its_own_authority(db_engine, book_id):
    entry = books.settings(db_engine, book_id)
    assert entry.defaults == {
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
        "registration_place": (
            "Ủy ban nhân dân Phường Tân Hiệp, Thành phố Tân Uyên, Tỉnh Bình Dương"
        ),
    }
    assert not entry.double_entry
    assert books.field_defaults(entry, ["ethnicity", "mother_ethnicity", "full_name"]) == {
        "ethnicity": "Kinh",
        "mother_ethnicity": "Kinh",
    }


def test_a_clerk_sets_the_books_defaults_and_may_remove_one(db_engine, book_id):
    books.set_defaults(db_engine, book_id, {"ethnicity": "Tày"}, actor="lan")
    entry = books.settings(db_engine, book_id)
    assert entry.defaults["ethnicity"] == "Tày" and entry.set_by == "lan"
    assert entry.defaults["nationality"] == "Việt Nam"  # untouched
    books.set_defaults(db_engine, book_id, {"nationality": ""}, actor="lan")
    entry = books.settings(db_engine, book_id)
    assert books.field_defaults(entry, ["nationality", "ethnicity"]) == {"ethnicity": "Tày"}


def test_an_ethnic_group_outside_the_list_cannot_be_a_default(db_engine, book_id):
    with pytest.raises(ReviewError) as refused:
        books.set_defaults(db_engine, book_id, {"ethnicity": "Kihn"}, actor="lan")
    assert refused.value.code == "default_invalid"
    assert books.settings(db_engine, book_id).defaults["ethnicity"] == "Kinh"
