"""Review: correct, confirm, type in, reject; every change audited; confirmed = loaded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ocr.book import Book
from sohoa.db.tables import civil_record, review_action, scan
from sohoa.load.synthetic import make_book, needs_review, rejected
from sohoa.load.transaction import load_records
from sohoa.review.queue import (
    ReviewError,
    canonical_value,
    confirm,
    correct_field,
    enter_record,
    list_pending,
    open_duplicates,
    reject_page,
    resolve_duplicate,
    show,
)
from tests.sohoa.review.overrides import AS_PRINTED

BOOK = Book("25920", "birth", 2019, "02")
NOW = datetime(2026, 5, 1, tzinfo=UTC)
# The generated records name their registration authority by its commune alone (not in
# the unit lists without its district and province) and leave the mother's residence
# blank: two warnings a person answers with a reason when confirming them.


@pytest.fixture
def queued(db_engine):
    """Three pages in review: a misread ID, an unreadable page, and a duplicate number."""
    records = make_book("birth", 2019, "02", 4, seed=31)
    records[0] = needs_review(records[0], "personal_id", "id_birth_year", "year disagrees")
    records[1] = {**rejected(records[1], "handwritten"), "status": "needs_review"}
    records[2]["fields"]["registration_number"]["value"] = "4"  # clashes with records[3]
    load_records(db_engine, records, BOOK, gate=None, now=NOW)
    items = {i.sha256: i for i in list_pending(db_engine)}
    return db_engine, records, [items[r["source"]["sha256"]] for r in records[:3]]


def _actions(engine, item_id):
    with engine.connect() as conn:
        return conn.execute(
            select(
                review_action.c.actor,
                review_action.c.action,
                review_action.c.field,
                review_action.c.old_value,
                review_action.c.new_value,
            )
            .where(review_action.c.review_item_id == item_id)
            .order_by(review_action.c.id)
        ).all()


def test_pending_items_show_their_reasons_and_fields(queued):
    engine, records, (misread, unreadable, clash) = queued
    assert len(list_pending(engine)) == 4  # both records numbered 4 wait for a person
    item = show(engine, misread.id)
    assert item.reasons[0]["rule"] == "id_birth_year"
    assert item.fields["full_name"]["value"] == records[0]["fields"]["full_name"]["value"]
    assert item.fields["full_name"]["bbox"] == records[0]["fields"]["full_name"]["bbox"]
    assert unreadable.doc_type == "unknown" and not unreadable.fields
    assert {r["rule"] for r in clash.reasons} == {"duplicate_registration_number"}


def test_correct_then_confirm_loads_through_the_loader_with_lineage(queued):
    engine, records, (misread, _, _) = queued
    old_name = records[0]["fields"]["full_name"]["value"]
    correct_field(engine, misread.id, "full_name", "  nguyễn   văn  an ", actor="lan")
    record_id = confirm(engine, misread.id, actor="minh", overrides=AS_PRINTED)
    with engine.connect() as conn:
        rec = conn.execute(select(civil_record).where(civil_record.c.id == record_id)).one()
        status = conn.execute(select(scan.c.status).where(scan.c.id == rec.scan_id)).scalar()
        linked = rec.person_id
    assert (rec.origin, rec.reviewed_by, status) == ("reviewed", "minh", "loaded")
    assert rec.full_name == "NGUYỄN VĂN AN" and linked is not None
    name = rec.fields["full_name"]
    assert (name["origin"], name["by"]) == ("corrected", "lan")
    assert name["bbox"] == records[0]["fields"]["full_name"]["bbox"] and "confidence" not in name
    sex = rec.fields["sex"]
    assert (sex["origin"], sex["by"]) == ("confirmed", "minh") and "confidence" in sex
    place = records[0]["fields"]["registration_place"]["value"]
    assert _actions(engine, misread.id) == [
        ("lan", "correct", "full_name", old_name, "NGUYỄN VĂN AN"),
        ("minh", "override", "registration_place", None, place),
        ("minh", "override", "mother_residence", None, None),
        ("minh", "confirm", None, None, None),
    ]
    with pytest.raises(ReviewError, match="already confirmed"):
        confirm(engine, misread.id, actor="minh")


def test_a_handwritten_page_is_typed_in_and_loaded_as_typed(queued):
    engine, _, (_, unreadable, _) = queued
    values = {
        "full_name": "Trần Thị Bích",
        "date_of_birth": "2019-03-04",
        "sex": "female",
        "place_of_birth": "Xã Khánh Thiện, Huyện Yên Khánh, Tỉnh Ninh Bình",
        "registration_place": "Ủy ban nhân dân Xã Khánh Thiện, Huyện Yên Khánh, Tỉnh Ninh Bình",
        "registration_date": "2019-03-10",
        "registration_number": "99",
        "mother_name": "Phạm Thị Hoa",
        "mother_birth_year": "1990",
        "mother_ethnicity": "Kinh",
        "mother_nationality": "Việt Nam",
        "mother_residence": "Thôn 3, Xã Khánh Thiện, Huyện Yên Khánh, Tỉnh Ninh Bình",
    }
    record_id = enter_record(engine, unreadable.id, "birth", values, actor="hoa")
    with engine.connect() as conn:
        rec = conn.execute(select(civil_record).where(civil_record.c.id == record_id)).one()
    assert rec.origin == "typed" and rec.fields["mother_birth_year"]["value"] == 1990
    assert all(f["origin"] == "typed" and f["by"] == "hoa" for f in rec.fields.values())
    entered = [a for a in _actions(engine, unreadable.id) if a.action == "enter"]
    assert {a.field for a in entered} == set(values)
    assert all(a.old_value is None for a in entered)


def test_a_taken_number_cannot_be_confirmed_and_a_page_can_be_rejected(queued):
    engine, records, (_, _, clash) = queued
    twin = next(i for i in list_pending(engine) if i.sha256 == records[3]["source"]["sha256"])
    confirm(engine, twin.id, actor="lan", overrides=AS_PRINTED)
    with pytest.raises(ReviewError, match="already loaded"):
        confirm(engine, clash.id, actor="lan", overrides=AS_PRINTED)
    with pytest.raises(ReviewError, match="reason"):
        reject_page(engine, clash.id, "  ", actor="lan")
    reject_page(engine, clash.id, "second copy of entry 4", actor="lan")
    with engine.connect() as conn:
        row = conn.execute(
            select(scan.c.status, scan.c.reject_reason).where(scan.c.id == clash.scan_id)
        ).one()
    assert tuple(row) == ("rejected", "second copy of entry 4")
    assert show(engine, clash.id).state == "rejected"
    assert _actions(engine, clash.id)[-1].action == "reject"


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("full_name", "  lê  văn tám ", "LÊ VĂN TÁM"),
        ("mother_birth_year", " 1987", 1987),
        ("registration_date", "2019-02-28", "2019-02-28"),
    ],
)
def test_values_are_stored_in_canonical_form(name, raw, expected):
    assert canonical_value(name, raw) == expected


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("registration_date", "2019-02-30"),
        ("sex", "Nam"),
        ("personal_id", "12345"),
        ("mother_birth_year", "87"),
        ("full_name", "   "),
    ],
)
def test_impossible_values_are_refused(name, raw):
    with pytest.raises(ReviewError):
        canonical_value(name, raw)


def test_only_fields_of_the_doc_type_can_be_set(queued):
    engine, _, (misread, unreadable, _) = queued
    with pytest.raises(ReviewError, match="no field shoe_size"):
        correct_field(engine, misread.id, "shoe_size", "42", actor="lan")
    with pytest.raises(ReviewError, match="no field husband_full_name"):
        enter_record(engine, unreadable.id, "birth", {"husband_full_name": "A"}, actor="lan")
    assert _actions(engine, misread.id) == []


def test_duplicate_person_flags_are_resolved_by_a_person_and_audited(db_engine):
    first = make_book("birth", 2019, "02", 1, seed=32)
    twin = make_book("birth", 2019, "03", 1, seed=33)
    for name in ("full_name", "date_of_birth", "sex"):
        twin[0]["fields"][name] = dict(first[0]["fields"][name])
    twin[0]["fields"].pop("personal_id", None)
    first[0]["fields"].pop("personal_id", None)
    twin[0]["fields"]["place_of_birth"]["value"] = "Somewhere else entirely"
    load_records(db_engine, first, BOOK, gate=None, now=NOW)
    load_records(db_engine, twin, Book("25920", "birth", 2019, "03"), gate=None, now=NOW)
    (flag,) = open_duplicates(db_engine)
    assert flag["reason"] == "name_dob" and flag["name"] == flag["candidate_name"]
    resolve_duplicate(db_engine, flag["id"], same_person=False, actor="lan")
    assert open_duplicates(db_engine) == []
    with pytest.raises(ReviewError):
        resolve_duplicate(db_engine, flag["id"], same_person=True, actor="lan")
    with db_engine.connect() as conn:
        audit = conn.execute(
            select(review_action.c.actor, review_action.c.new_value).where(
                review_action.c.flag_id == flag["id"]
            )
        ).all()
    assert audit == [("lan", "different")]
