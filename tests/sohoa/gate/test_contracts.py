"""The JSON Schemas accept records (docs/record.md) and name what is wrong with others."""

from __future__ import annotations

import copy

import pytest

from ocr.record import Issue, PageRecord, Source
from sohoa.gate.contracts import record_errors
from sohoa.load.synthetic import make_book, rejected


@pytest.mark.parametrize("doc_type", ["birth", "death", "marriage"])
def test_generated_records_fit_their_schema(doc_type):
    for record in make_book(doc_type, 2018, "01", 20, seed=13):
        assert record_errors(record) == []


def test_a_rejected_page_fits_the_unknown_schema():
    page = PageRecord(
        Source("landing/x.tif", 2, "a" * 64),
        status="rejected",
        issues=[Issue("blank_page", "the page is blank")],
    )
    assert record_errors(page.to_json()) == []
    assert record_errors(rejected(make_book("birth", 2018, "01", 1)[0], "blank")) == []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda r: r["fields"].update(shoe_size={"value": 42, "confidence": 0.9}), "fields"),
        (lambda r: r["fields"]["sex"].update(value="Nam"), "fields/sex/value"),
        (lambda r: r["fields"]["date_of_birth"].update(value="4/5/2018"), "fields/date_of_birth"),
        (lambda r: r["fields"]["full_name"].update(confidence=1.5), "fields/full_name/confidence"),
        (lambda r: r["fields"]["full_name"].update(bbox=[1, 2, 3]), "fields/full_name/bbox"),
        (lambda r: r["source"].update(sha256="xyz"), "source/sha256"),
        (lambda r: r.update(status="ok"), "status"),
        (lambda r: r["fields"]["sex"].update(status="maybe", reason=""), "fields/sex/status"),
        (lambda r: r["fields"]["sex"].update(status="sure", reason="luck"), "fields/sex/reason"),
        # An accepted record cannot carry a field a person must still check.
        (lambda r: r["fields"]["sex"].update(status="check", reason="one_reading"), "fields/sex"),
    ],
)
def test_a_broken_record_is_named_where_it_breaks(change, where):
    record = copy.deepcopy(make_book("birth", 2018, "01", 1, seed=5)[0])
    change(record)
    errors = record_errors(record)
    assert errors and any(e.startswith(where) for e in errors), errors


def test_an_unknown_doc_type_is_an_error():
    assert record_errors({"doc_type": "passport"})
