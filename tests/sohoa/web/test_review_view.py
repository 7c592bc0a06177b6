"""The review view model: fields in form order with value, confidence, failed rules and
box; Vietnamese labels; typed input turned into what the queue takes (the queue's errors
in Vietnamese: test_error_texts.py)."""

from __future__ import annotations

import re

import pytest

from ocr.checks import REQUIRED
from ocr.record import AUTO_ACCEPT_CONFIDENCE
from sohoa.review import queue
from sohoa.review.entry_layout import field_order
from sohoa.web import review_view as view
from tests.sohoa.web.review_fixtures import WRONG_NAME, stage


@pytest.fixture
def staged(sqlite_engine, tmp_path):
    st = stage(sqlite_engine, tmp_path, "25920")
    return sqlite_engine, st, queue.show(sqlite_engine, st.item_id)


def test_every_field_of_the_type_in_form_order_with_its_reading(staged):
    _, st, item = staged
    shown = view.item_view(item)
    assert [f.name for f in shown.fields] == view.field_names("birth")
    by_name = {f.name: f for f in shown.fields}
    for name, read in st.record["fields"].items():
        f = by_name[name]
        assert f.value == view.shown_value(name, read["value"])
        assert f.bbox == tuple(st.truth["boxes"][name])
    assert by_name["full_name"].value == WRONG_NAME
    name = by_name["full_name"]
    assert name.confidence == pytest.approx(0.41) and name.low and name.flagged
    assert name.confidence_text == "41%"
    assert [(r.rule, r.label) for r in name.reasons] == [("low_confidence", "Đọc chưa chắc chắn")]
    assert not by_name["date_of_birth"].flagged
    assert by_name["date_of_birth"].confidence >= AUTO_ACCEPT_CONFIDENCE
    absent = [f for f in shown.fields if f.name not in st.record["fields"]]
    assert "hometown" in {f.name for f in absent}
    assert all(f.value == "" and f.bbox is None and not f.reasons for f in absent)
    assert {f.name for f in shown.fields if f.required} == set(REQUIRED["birth"])
    assert [f.name for f in shown.boxes] == [
        n for n in view.field_names("birth") if n in st.record["fields"]
    ]
    assert shown.page_reasons == [] and shown.unit_code == "25920" and shown.pending


def test_the_list_row_names_rules_and_fields_but_no_values(staged):
    _, st, item = staged
    row = view.list_row(item)
    assert row.summary == "Đọc chưa chắc chắn: Họ, chữ đệm, tên"
    assert WRONG_NAME not in row.summary and st.truth["fields"]["full_name"] not in row.summary
    assert (row.id, row.unit_code, row.page) == (st.item_id, "25920", 1)
    assert row.book_label.startswith("Khai sinh ")


def test_a_page_reason_without_field_stays_with_the_page(staged):
    _, _, item = staged
    item.reasons = [*item.reasons, {"field": None, "rule": "no_text", "message": "no text"}]
    item.reasons.append({"field": "shoe_size", "rule": "odd", "message": "?"})
    item.reasons.append({"field": "full_name", "rule": "low_confidence", "message": "again"})
    shown = view.item_view(item)
    name = next(f for f in shown.fields if f.name == "full_name")
    assert [r.rule for r in name.reasons] == ["low_confidence"]  # once, though said twice
    assert [(r.rule, r.label) for r in shown.page_reasons] == [
        ("no_text", "Không đọc được chữ (có thể viết tay)"),
        ("odd", "Cần kiểm tra"),  # an unknown rule stays, without showing its code
    ]


def test_an_item_stored_with_one_fault_under_two_names_shows_it_once(staged):
    """Items loaded before the loader merged the stages' names kept both: a missing
    number as ``required_missing`` and ``required``, an unknown type three ways."""
    _, _, item = staged
    item.reasons = [
        {"field": "registration_number", "rule": "required_missing", "message": "missing"},
        {"field": "registration_number", "rule": "required", "message": "number missing"},
        {"field": None, "rule": "unknown_type", "message": "type?"},
        {"field": None, "rule": "unknown_doc_type", "message": "type it in"},
        {"field": None, "rule": "doc_type_not_book_type", "message": "a death record"},
        {"field": None, "rule": "doc_type_mismatch", "message": "a death page"},
    ]
    shown = view.item_view(item)
    number = next(f for f in shown.fields if f.name == "registration_number")
    assert [r.rule for r in number.reasons] == ["required_missing"]
    assert [r.rule for r in shown.page_reasons] == ["unknown_type", "doc_type_not_book_type"]


def test_a_corrected_value_shows_who_corrected_it(staged):
    engine, st, _ = staged
    queue.correct_field(engine, st.item_id, "sex", "female", actor="lan")
    sex = {f.name: f for f in view.item_view(queue.show(engine, st.item_id)).fields}["sex"]
    assert (sex.value, sex.origin_label, sex.by) == ("Nữ", "đã sửa", "lan")
    assert sex.bbox == tuple(st.truth["boxes"]["sex"])  # the machine's box is kept
    queue.correct_field(
        engine, st.item_id, "full_name", st.truth["fields"]["full_name"], actor="lan"
    )
    name = {f.name: f for f in view.item_view(queue.show(engine, st.item_id)).fields}["full_name"]
    assert name.settled and not name.flagged  # answered: the reason stays, as history
    assert [r.rule for r in name.reasons] == ["low_confidence"]


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("full_name", "Họ, chữ đệm, tên"),
        ("mother_birth_year", "Năm sinh (mẹ)"),
        ("father_name", "Họ, chữ đệm, tên (cha)"),
        ("wife_personal_id", "Số định danh cá nhân (vợ)"),
        ("applicant_name", "Họ, chữ đệm, tên (người nộp hồ sơ)"),
        ("time_of_death", "Giờ chết"),
    ],
)
def test_field_labels_are_vietnamese_and_say_whose(name, label):
    assert view.field_label(name) == label


def test_every_field_of_every_type_has_a_vietnamese_label():
    for doc_type in ("birth", "death", "marriage", "dossier_result"):
        for name in view.field_names(doc_type):
            assert view.field_label(name) != name, name


@pytest.mark.parametrize(
    ("name", "typed", "taken"),
    [
        ("sex", "Nữ", "female"),
        ("sex", " nam ", "male"),
        ("date_of_birth", "4/3/2019", "2019-03-04"),
        ("registration_date", "27.05.2016", "2016-05-27"),
        ("registration_date", "2016-05-27", "2016-05-27"),
        ("date_of_birth", "29052000", "2000-05-29"),  # the digits alone, day first
        ("date_of_birth", "29-05-2000", "2000-05-29"),
        ("date_of_birth", "29/5/2000", "2000-05-29"),
        ("full_name", "  trần thị bích ", "trần thị bích"),  # the queue upper-cases it
        ("registration_number", "12/3", "12/3"),  # not a date field: left alone
    ],
)
def test_typed_input_becomes_what_the_queue_takes(name, typed, taken):
    assert view.from_input(name, typed) == taken
    queue.canonical_value(name, view.from_input(name, typed))  # and the queue accepts it


def test_manual_form_has_one_input_per_field_and_marks_the_required(staged):
    _, st, item = staged
    form = view.manual_form("death", {"full_name": "A"})
    assert [n for n, _, _ in form.fields] == field_order("death", "new", view.field_names("death"))
    assert {n for n, _, req in form.fields if req} == set(REQUIRED["death"])
    assert form.values == {"full_name": "A"} and form.errors == {}
    start = view.typed_values(item)
    assert start["full_name"] == WRONG_NAME
    assert start["sex"] == view.SEX_OUT[st.truth["fields"]["sex"]]
    assert set(start) == set(st.record["fields"])
    assert start["date_of_birth"] == view.shown_date(st.truth["fields"]["date_of_birth"])
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", start["date_of_birth"])  # as clerks write it


def test_the_books_defaults_fill_empty_inputs_and_leave_an_absent_parent_empty():
    defaults = {"ethnicity": "Kinh", "father_ethnicity": "Kinh", "mother_ethnicity": "Kinh"}
    form = view.manual_form(
        "birth", {"ethnicity": "Tày"}, generation="old", defaults=defaults, fill=True
    )
    assert form.values["ethnicity"] == "Tày"  # typed or read: kept
    assert form.values["father_ethnicity"] == "Kinh"
    assert [i.name for i in form.inputs].index("father_name") < [i.name for i in form.inputs].index(
        "mother_name"
    )
    typed = {"mother_name": "A", "mother_ethnicity": "Kinh", "father_ethnicity": "Kinh"}
    assert form.unused_defaults(typed) == {"father_ethnicity"}  # no father on the page
    assert form.unused_defaults({**typed, "father_ethnicity": "Tày"}) == set()  # typed
    assert form.copy_source("father_residence") == "mother_residence"
