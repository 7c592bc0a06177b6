"""The checks of a typed or corrected record: the machine's rules (``ocr.checks``, the
Great Expectations gate, the unit lists), sorted into errors and warnings."""

from __future__ import annotations

from datetime import date

import pytest

from ocr.book import Book
from sohoa.review.checks import (
    ERROR,
    WARNING,
    check_entry,
    errors,
    field_errors,
    unanswered,
    warnings,
)

TODAY = date(2026, 5, 1)
BOOK = Book("25920", "birth", 2019, "02")
PLACE = "Xã Khánh Thiện, Huyện Yên Khánh, Tỉnh Ninh Bình"
GOOD = {
    "full_name": "TRẦN THỊ BÍCH",
    "date_of_birth": "2019-03-04",
    "sex": "female",
    "ethnicity": "Kinh",
    "nationality": "Việt Nam",
    "place_of_birth": PLACE,
    "mother_name": "PHẠM THỊ HOA",
    "mother_birth_year": 1990,
    "mother_ethnicity": "Kinh",
    "mother_nationality": "Việt Nam",
    "mother_residence": PLACE,
    "registration_place": f"Ủy ban nhân dân {PLACE}",
    "registration_date": "2019-03-10",
    "registration_number": "99",
}


def _by_field(findings) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for f in findings:
        out.setdefault(f.field, set()).add((f.rule, f.severity))
    return out


def test_a_good_record_passes_every_check_gate_included():
    assert check_entry("birth", GOOD, BOOK, today=TODAY) == []


def test_the_impossible_record_of_issue_15_fails_with_errors_on_each_field():
    impossible = {
        **GOOD,
        "date_of_birth": "2030-01-01",
        "mother_birth_year": 2030,
        "ethnicity": "Kihn",
        "mother_ethnicity": "Mong",
        "place_of_birth": "Xã Không Có, Huyện Ảo, Tỉnh Mơ",
    }
    found = _by_field(check_entry("birth", impossible, BOOK, today=TODAY))
    assert ("date_in_future", ERROR) in found["date_of_birth"]
    assert ("year_format", ERROR) in found["mother_birth_year"]
    assert found["ethnicity"] == {("ethnicity_unknown", ERROR)}
    assert found["mother_ethnicity"] == {("ethnicity_unknown", ERROR)}
    assert found["place_of_birth"] == {("place_unresolved", WARNING)}


def test_the_gate_reports_what_it_checks_and_the_record_checks_too():
    # A malformed personal ID: the same rule from both, reported once.
    record = {**GOOD, "personal_id": "12345"}
    found = check_entry("birth", record, BOOK, today=TODAY)
    assert [(f.field, f.rule, f.severity) for f in found] == [("personal_id", "id_format", ERROR)]
    # Without the gate (as a clerk types) the record checks alone say the same.
    assert check_entry("birth", record, BOOK, today=TODAY, gate=False) == found


@pytest.mark.parametrize(
    ("mother_year", "severity"),
    [(2010, ERROR), (2019, ERROR), (2025, ERROR), (1940, WARNING)],
    ids=["aged-9", "aged-0", "born-after-the-child", "aged-79"],
)
def test_a_parent_younger_than_12_is_an_error_and_an_old_one_a_warning(mother_year, severity):
    record = {**GOOD, "mother_birth_year": mother_year}
    found = check_entry("birth", record, BOOK, today=TODAY, gate=False)
    ages = [f for f in found if f.rule == "parent_age"]
    assert ages and {f.severity for f in ages} == {severity}


def test_a_foreign_parents_ethnic_group_is_a_warning_a_vietnamese_ones_an_error():
    foreign = {**GOOD, "mother_ethnicity": "Pháp", "mother_nationality": "Pháp"}
    (found,) = check_entry("birth", foreign, BOOK, today=TODAY, gate=False)
    assert (found.field, found.rule, found.severity) == (
        "mother_ethnicity",
        "ethnicity_unknown",
        WARNING,
    )
    misspelt = {**GOOD, "mother_ethnicity": "Pháp"}
    assert errors(check_entry("birth", misspelt, BOOK, today=TODAY, gate=False))


def test_the_books_type_is_an_error_and_its_year_a_warning():
    found = check_entry("birth", {**GOOD, "registration_date": "2020-01-05"}, BOOK, today=TODAY)
    assert [(f.field, f.rule, f.severity) for f in found] == [
        ("registration_date", "registration_year_outside_book", WARNING)
    ]
    death_book = Book("25920", "death", 2019, "02")
    found = check_entry("birth", GOOD, death_book, today=TODAY, gate=False)
    assert [(f.rule, f.severity) for f in found] == [("doc_type_mismatch", ERROR)]


def test_dates_out_of_order_and_required_fields_are_errors():
    late = {**GOOD, "registration_date": "2019-03-01"}  # before the birth
    assert [f.rule for f in errors(check_entry("birth", late, BOOK, today=TODAY, gate=False))] == [
        "registration_before_birth"
    ]
    nameless = {k: v for k, v in GOOD.items() if k != "full_name"}
    assert {
        (f.field, f.rule) for f in errors(check_entry("birth", nameless, BOOK, today=TODAY))
    } == {("full_name", "required_missing")}


def test_errors_come_first_and_only_warnings_can_be_answered():
    record = {**GOOD, "date_of_birth": "2019-02-30", "place_of_birth": "Bệnh viện Từ Dũ"}
    found = check_entry("birth", record, BOOK, today=TODAY, gate=False)
    assert [f.severity for f in found] == [ERROR, WARNING]
    assert unanswered(found, {}) == warnings(found)
    assert unanswered(found, {"place_of_birth": "  "}) == warnings(found)  # a blank reason
    assert unanswered(found, {"place_of_birth": "a hospital", "date_of_birth": "x"}) == []
    assert errors(found)  # still there: no reason answers an error


def test_a_correction_is_refused_only_for_what_is_wrong_with_the_value_itself():
    record = {**GOOD, "date_of_birth": "2019-12-01"}  # wrong, and not corrected yet
    # The right registration date is before that wrong birth date: not refused for it.
    assert field_errors("birth", "registration_date", "2019-03-10", record) == []
    (wrong,) = field_errors("birth", "registration_date", "2019-02-30", record)
    assert (wrong.field, wrong.rule) == ("registration_date", "date_invalid")
    assert [f.rule for f in field_errors("birth", "ethnicity", "Kihn", record)] == [
        "ethnicity_unknown"
    ]
    # Warnings never refuse a correction: they are answered when the record loads.
    assert field_errors("birth", "place_of_birth", "Bệnh viện Từ Dũ", record) == []


def test_a_check_runs_the_gate_without_writing_a_validation_run(tmp_path, monkeypatch):
    """A record being typed is a question to the gate, not a run of it: nothing is kept
    (no result file, no Data Docs page holding its values)."""
    monkeypatch.setenv("SOHOA_VALIDATION_DIR", str(tmp_path / "validation"))
    bad = {**GOOD, "registration_date": "2019-02-30"}
    findings = check_entry("birth", bad, BOOK, today=TODAY)
    assert ("registration_date", "date_invalid") in {(f.field, f.rule) for f in findings}
    assert not (tmp_path / "validation").exists() or not any((tmp_path / "validation").rglob("*"))


def test_a_book_number_of_another_year_is_a_warning_shown_as_a_person_types():
    record = {**GOOD, "book_number": f"01/{BOOK.year + 1}"}
    found = check_entry("birth", record, BOOK, today=TODAY, gate=False)
    assert [(f.field, f.rule, f.severity) for f in found] == [
        ("book_number", "book_number_outside_book", WARNING)
    ]
