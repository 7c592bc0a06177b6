"""The Great Expectations gate finds planted faults, names record and field, fails loudly.

GX is slow to start, so one module-scoped run checks a batch with every planted fault.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from ocr.book import Book
from ocr.personal_id import make_personal_id
from ocr.rules import fact_of
from sohoa.gate.suites import SuiteError, load_suite, suites_dir
from sohoa.gate.validate import GateError, run_gate
from sohoa.load.synthetic import make_book

BOOK = Book("25920", "birth", 2018, "01")
TODAY = date(2026, 11, 23)


def _set(rec, name, value, confidence=0.95):
    rec["fields"][name] = {"value": value, "confidence": confidence, "bbox": [1, 2, 3, 4]}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    records = make_book("birth", 2018, "01", 30, seed=21)
    _set(records[1], "date_of_birth", "2018-02-30")  # not a real date
    _set(records[2], "registration_date", "2030-01-01")  # in the future
    _set(records[3], "registration_date", "2017-01-01")  # before the birth
    pid = records[4]["fields"]["personal_id"]["value"]
    _set(records[4], "personal_id", "099" + pid[3:])  # no such province
    sex5 = records[5]["fields"]["sex"]["value"]
    _set(records[5], "personal_id", make_personal_id("01", 1990, sex5, 5))  # wrong year
    pid6 = records[6]["fields"]["personal_id"]["value"]  # odd digit 4: female
    records[6]["fields"]["sex"]["value"] = "male" if int(pid6[3]) % 2 else "female"
    _set(records[7], "mother_birth_year", 2010)  # a mother aged 8
    _set(records[8], "ethnicity", "Martian")
    del records[9]["fields"]["full_name"]
    _set(records[10], "registration_number", "12")  # the same number as records[11]
    records[12]["fields"]["place_of_birth"]["confidence"] = 0.41
    records[13] = json.loads(json.dumps(records[14]))  # the same page twice
    _set(records[15], "registration_date", "2019-03-04")  # registered after the book's year
    _set(records[16], "book_number", "01/1974")  # a page of another year's book
    del records[20]  # a gap in the numbering: 21 is missing
    out = tmp_path_factory.mktemp("validation")
    return records, run_gate(records, BOOK, out_dir=out, today=TODAY), out


def _rules(result, index):
    return {(i["field"], i["rule"]) for i in result.failures.get(index, [])}


def test_each_planted_fault_names_its_record_field_and_rule(planted):
    records, result, _ = planted
    assert _rules(result, 1) == {("date_of_birth", "date_invalid")}
    assert ("registration_date", "date_in_future") in _rules(result, 2)
    assert _rules(result, 3) == {("registration_date", "registration_before_birth")}
    assert _rules(result, 4) == {("personal_id", "id_province")}
    assert _rules(result, 5) == {("personal_id", "id_birth_year")}
    assert ("personal_id", "id_sex") in _rules(result, 6)
    assert _rules(result, 7) == {("mother_birth_year", "parent_age")}
    assert _rules(result, 8) == {("ethnicity", "ethnicity_unknown")}
    assert _rules(result, 9) == {("full_name", "required_missing")}
    assert _rules(result, 12) == {("place_of_birth", "low_confidence")}
    # The book's year is a warning: a late entry may stand in the next year's book.
    book_year = {
        (w["index"], w["field"], w["rule"])
        for w in result.warnings
        if w["rule"].endswith("_outside_book")
    }
    assert book_year == {
        (2, "registration_date", "registration_year_outside_book"),  # in the future
        (3, "registration_date", "registration_year_outside_book"),  # 2017 in a 2018 book
        (15, "registration_date", "registration_year_outside_book"),
        (16, "book_number", "book_number_outside_book"),
    }
    # A number or a page twice in the book is the loader's to find (the database's keys):
    # records 10 and 11, 13 and 14 pass the gate.
    clean = set(range(len(records))) - {1, 2, 3, 4, 5, 6, 7, 8, 9, 12}
    assert not clean & set(result.failures)


def test_gaps_are_reported_but_do_not_block(planted):
    records, result, _ = planted
    gap_rows = {w["index"] for w in result.warnings if w["rule"] == "numbering_gap"}
    # 11 (renumbered 12), 14 (replaced by a copy of 15) and 21 (removed) are missing
    assert gap_rows == {10, 11, 13, 14, 20}
    assert 20 not in result.failures


def test_numbers_are_checked_against_the_whole_book(tmp_path):
    # The book holds 1-28 already; this batch brings 31-33 of 32 declared entries.
    records = make_book("birth", 2018, "01", 3, seed=23, start=31)
    book = Book("25920", "birth", 2018, "01", declared_entries=32)
    held = [str(n) for n in range(1, 29)]
    result = run_gate(records, book, out_dir=tmp_path, today=TODAY, book_numbers=held)
    warned = {(w["index"], w["rule"]) for w in result.warnings}
    assert warned == {(0, "numbering_gap"), (2, "number_beyond_declared_entries")}
    assert not result.failures  # reported, never blocking
    alone = run_gate(records, book, out_dir=tmp_path, today=TODAY)
    assert {(w["index"], w["rule"]) for w in alone.warnings} == {
        (2, "number_beyond_declared_entries")
    }


def test_each_run_keeps_its_results_and_data_docs(planted):
    _, result, out = planted
    document = json.loads(Path(result.result_path).read_text())
    assert document["book"]["unit_code"] == "25920"
    assert document["validations"][0]["success"] is False
    page = Path(result.report_path)
    assert page.is_file() and page.is_relative_to(out / "data_docs")
    assert "sohoa_birth" in page.read_text()
    assert (out / "data_docs" / "index.html").is_file()


def test_a_suite_that_cannot_run_fails_loudly(tmp_path):
    broken = tmp_path / "suites"
    shutil.copytree(suites_dir(), broken)
    suite = json.loads((broken / "birth.json").read_text())
    suite["expectations"].append(
        {
            "type": "expect_column_values_to_match_regex",
            "kwargs": {"column": "full_name", "regex": "(unclosed"},
            "meta": {"rule": "name_format"},
        }
    )
    (broken / "birth.json").write_text(json.dumps(suite))
    records = make_book("birth", 2018, "01", 3, seed=22)
    with pytest.raises(GateError, match="could not run"):
        run_gate(records, BOOK, out_dir=tmp_path / "v", suites_dir=broken, today=TODAY)


def test_a_missing_or_malformed_suite_is_an_error(tmp_path):
    with pytest.raises(SuiteError):
        load_suite("birth", tmp_path)
    (tmp_path / "birth.json").write_text('{"expectations": [{"type": 1}]}')
    (tmp_path / "batch.json").write_text("{not json")
    with pytest.raises(SuiteError):
        load_suite("birth", tmp_path)


def test_a_suite_naming_a_rule_that_is_not_a_value_rule_is_an_error(tmp_path):
    broken = tmp_path / "suites"
    shutil.copytree(suites_dir(), broken)
    suite = json.loads((broken / "birth.json").read_text())
    suite["expectations"][0]["meta"]["rule"] = "registration_number_taken"  # the loader's
    (broken / "birth.json").write_text(json.dumps(suite))
    with pytest.raises(SuiteError, match="not a rule on values"):
        load_suite("birth", broken)


def test_suites_require_what_the_extractor_requires():
    from ocr.checks import REQUIRED

    for doc_type, fields in REQUIRED.items():
        suite = load_suite(doc_type)
        required = {
            e["kwargs"]["column"]
            for e in suite.expectations
            if e["meta"]["rule"] == "required_missing"
        }
        assert required == set(fields), doc_type


def test_the_reader_names_each_fault_the_gate_finds_as_the_gate_does(planted, tmp_path):
    """The reader applies the suites' value rules too (for its own verdict); a fault both
    find is then one reason of the review item only if both give it the same name."""
    from ocr.checks import check_record

    records, result, _ = planted
    more = make_book("birth", 2018, "01", 2, seed=22)
    _set(more[0], "date_of_birth", "1087-05-01")  # 1987 misread: before any record
    _set(more[1], "date_of_birth", "15/03/2018")  # no date: its shape (reader) or not real
    gated = run_gate(more, BOOK, out_dir=tmp_path, today=TODAY)
    assert ("date_of_birth", "date_too_old") in _rules(gated, 0)
    assert ("date_of_birth", "date_invalid") in _rules(gated, 1)
    pairs = [(more[i], gated.failures[i]) for i in (0, 1)]
    for rec, found in [*pairs, *((records[i], f) for i, f in result.failures.items())]:
        values = {name: f["value"] for name, f in rec["fields"].items()}
        read: dict[str | None, set[str]] = {}
        for i in check_record("birth", values, today=TODAY):
            read.setdefault(i.field, set()).add(fact_of(i.rule))
        for issue in found:
            if issue["field"] in read:  # both find a fault in the field: the same one
                assert fact_of(issue["rule"]) in read[issue["field"]], (issue, read)
