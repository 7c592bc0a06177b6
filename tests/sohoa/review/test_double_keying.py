"""Double keying: two independent keyings per page, agreeing fields accepted, differing
fields settled by a reviewer who keyed neither; all of it in the audit trail, and the
agreement rates per book and per clerk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ocr.book import Book
from sohoa.db.tables import civil_record, review_action
from sohoa.load.synthetic import make_book, rejected
from sohoa.load.transaction import load_records
from sohoa.review import books, double_keying, queue
from sohoa.review.queue import ReviewError
from sohoa.web.review_view import from_input
from tests.sohoa.web.entry_fixtures import TYPED

NOW = datetime(2026, 5, 1, tzinfo=UTC)
BOOK = Book("25920", "birth", 2020, "09")
# A page as two clerks type it (the web form's day-first dates and "Nữ", as the queue
# takes them).
PAGE = {**{k: from_input(k, v) for k, v in TYPED.items()}, "registration_number": "7"}


@pytest.fixture
def pages(db_engine):
    """Three handwritten pages of a book typed twice."""
    records = [
        {**rejected(r, "handwritten"), "status": "needs_review"}
        for r in make_book("birth", 2020, "09", 3, seed=61)
    ]
    load_records(db_engine, records, BOOK, gate=None, now=NOW)
    items = queue.list_pending(db_engine)
    book_id = queue.show(db_engine, items[0].id).book_id
    books.set_double_entry(db_engine, book_id, True, actor="chief")
    return db_engine, [i.id for i in items]


def _actions(engine, item_id):
    with engine.connect() as conn:
        return conn.execute(
            select(
                review_action.c.actor,
                review_action.c.action,
                review_action.c.field,
                review_action.c.new_value,
                review_action.c.note,
            )
            .where(review_action.c.review_item_id == item_id)
            .order_by(review_action.c.id)
        ).all()


def _record(engine, item_id):
    record_id = queue.show(engine, item_id).record_id
    with engine.connect() as conn:
        return conn.execute(select(civil_record).where(civil_record.c.id == record_id)).one()


def test_two_agreeing_keyings_load_the_record(pages):
    engine, (item, *_) = pages
    first = double_keying.key_record(engine, item, "birth", PAGE, actor="lan")
    assert first == double_keying.Outcome("second")
    assert queue.show(engine, item).state == "pending" and queue.show(engine, item).fields == {}
    second = double_keying.key_record(
        engine, item, "birth", {**PAGE, "full_name": "TRẦN THỊ BÍCH"}, actor="hoa"
    )
    assert second.stage == "loaded" and second.record_id is not None
    rec = _record(engine, item)
    assert (rec.origin, rec.full_name) == ("typed", "TRẦN THỊ BÍCH")
    keyed = [a for a in _actions(engine, item) if a.action == "key"]
    assert {(a.actor, a.note) for a in keyed} == {("lan", "keying 1"), ("hoa", "keying 2")}
    assert len(keyed) == 2 * len(PAGE)
    assert _actions(engine, item)[-1].action == "confirm"


def test_each_person_keys_a_page_once_and_a_page_twice_at_most(pages):
    engine, (item, *_) = pages
    double_keying.key_record(engine, item, "birth", PAGE, actor="lan")
    with pytest.raises(ReviewError, match="already"):
        double_keying.key_record(engine, item, "birth", PAGE, actor="lan")
    # Nor may the page be corrected, confirmed or typed in once, by anyone.
    for attempt in (
        lambda: queue.enter_record(engine, item, "birth", PAGE, actor="minh"),
        lambda: queue.confirm(engine, item, actor="minh"),
    ):
        with pytest.raises(ReviewError) as refused:
            attempt()
        assert refused.value.code == "double_entry_book"


def test_differing_fields_go_to_a_reviewer_who_keyed_neither(pages):
    engine, (item, *_) = pages
    double_keying.key_record(engine, item, "birth", PAGE, actor="lan")
    other = {**PAGE, "full_name": "Trần Thị Bich", "mother_birth_year": "1980"}
    outcome = double_keying.key_record(engine, item, "birth", other, actor="hoa")
    assert outcome.stage == "arbitrate" and outcome.record_id is None
    both = double_keying.progress(engine, item)
    assert both.differences() == {
        "full_name": ("TRẦN THỊ BÍCH", "TRẦN THỊ BICH"),
        "mother_birth_year": (1990, 1980),
    }
    with pytest.raises(ReviewError) as refused:
        double_keying.arbitrate(engine, item, {"full_name": "TRẦN THỊ BÍCH"}, actor="hoa")
    assert refused.value.code == "arbiter_keyed"
    with pytest.raises(ReviewError) as refused:
        double_keying.arbitrate(engine, item, {"full_name": "TRẦN THỊ BÍCH"}, actor="minh")
    assert refused.value.code == "choice_missing"
    record_id = double_keying.arbitrate(
        engine, item, {"full_name": "TRẦN THỊ BÍCH", "mother_birth_year": 1990}, actor="minh"
    )
    rec = _record(engine, item)
    assert rec.id == record_id and rec.full_name == "TRẦN THỊ BÍCH"
    assert rec.fields["mother_birth_year"]["value"] == 1990
    decided = [a for a in _actions(engine, item) if a.action == "arbitrate"]
    assert [(a.actor, a.field, a.new_value, a.note) for a in decided] == [
        ("minh", "full_name", "TRẦN THỊ BÍCH", "1: TRẦN THỊ BÍCH | 2: TRẦN THỊ BICH"),
        ("minh", "mother_birth_year", "1990", "1: 1990 | 2: 1980"),
    ]


def test_an_agreed_record_the_checks_refuse_waits_for_the_arbitrator(pages):
    engine, (item, *_) = pages
    wrong = {**PAGE, "date_of_birth": "2030-03-04"}  # both misread the year alike
    double_keying.key_record(engine, item, "birth", wrong, actor="lan")
    outcome = double_keying.key_record(engine, item, "birth", wrong, actor="hoa")
    assert outcome.stage == "arbitrate" and outcome.refusal.code == "checks_failed"
    assert queue.show(engine, item).state == "pending"
    double_keying.arbitrate(engine, item, {"date_of_birth": "2020-03-04"}, actor="minh")
    assert _record(engine, item).date_of_birth.isoformat() == "2020-03-04"
    (fixed,) = [a for a in _actions(engine, item) if a.action == "arbitrate"]
    assert (fixed.field, fixed.note) == ("date_of_birth", "1: 2030-03-04 | 2: 2030-03-04")


def test_agreement_per_book_and_disagreement_per_clerk(pages):
    engine, (a, b, c) = pages
    double_keying.key_record(engine, a, "birth", PAGE, actor="lan")
    double_keying.key_record(engine, a, "birth", PAGE, actor="hoa")  # loaded: all agree
    second = {**PAGE, "registration_number": "8"}
    double_keying.key_record(engine, b, "birth", second, actor="lan")
    double_keying.key_record(engine, b, "birth", {**second, "sex": "male"}, actor="hoa")
    double_keying.arbitrate(engine, b, {"sex": "female"}, actor="minh")
    double_keying.key_record(engine, c, "birth", PAGE, actor="lan")  # keyed once only
    by_book, by_clerk = double_keying.agreement(engine, lambda code: code == "25920")
    (book,) = by_book
    assert (book.pages, book.fields, book.agreed) == (2, 2 * len(PAGE), 2 * len(PAGE) - 1)
    rates = {r.actor: (r.fields, r.differing) for r in by_clerk}
    assert rates == {"lan": (2 * len(PAGE), 0), "hoa": (2 * len(PAGE), 1)}
    assert double_keying.agreement(engine, lambda code: False) == ([], [])
