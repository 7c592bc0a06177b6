"""The gate's rules for a parent's full date and a result's dossier code (issue 18)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ocr.book import Book
from sohoa.gate.validate import run_gate
from sohoa.load.synthetic import make_book

TODAY = date(2026, 11, 23)


def _set(rec, name, value):
    rec["fields"][name] = {"value": value, "confidence": 0.95, "bbox": [1, 2, 3, 4]}


def _result(n: int, code: str | None, upload: str | None) -> dict:
    values = {
        "document_title": "QUYẾT ĐỊNH",
        "issuing_authority": "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
        "result_number": f"{n}/QĐ-UBND",
        "result_date": "2025-01-17",
    }
    if code:
        values["dossier_code"] = code
    rec = {
        "source": {"uri": f"landing/results/{n}.png", "page": 1, "sha256": f"{n:064x}"},
        "doc_type": "dossier_result",
        "fields": {k: {"value": v, "confidence": 0.95} for k, v in values.items()},
        "quality": {"rotation": 0, "skew_deg": 0.0, "sharpness": 1.0, "readable": True},
        "status": "auto_accepted",
        "issues": [],
    }
    if upload:
        rec["upload"] = {"dossier_code": upload}
    return rec


def _rules(result, index):
    return {(i["field"], i["rule"]) for i in result.failures.get(index, [])}


@pytest.fixture(scope="module")
def births(tmp_path_factory):
    records = make_book("birth", 2018, "01", 4, seed=31)
    mother_year = records[1]["fields"]["mother_birth_year"]["value"]
    _set(records[1], "mother_date_of_birth", f"{mother_year}-07-19")  # agrees
    _set(records[2], "mother_date_of_birth", f"{mother_year + 1}-07-19")  # another year
    _set(records[3], "father_date_of_birth", "1990-02-30")  # no such day
    out = tmp_path_factory.mktemp("validation")
    return run_gate(records, Book("25920", "birth", 2018, "01"), out_dir=out, today=TODAY)


def test_a_parents_full_date_must_be_real_and_of_the_printed_year(births):
    assert 1 not in births.failures
    assert ("mother_birth_year", "parent_date_year") in _rules(births, 2)
    assert ("father_date_of_birth", "date_invalid") in _rules(births, 3)


def test_a_results_dossier_comes_from_its_page_or_its_upload(tmp_path):
    code = "000.00.20.H40-250110-0001"
    records = [_result(1, code, None), _result(2, None, code), _result(3, None, None)]
    result = run_gate(
        records, Book("25920", "dossier_result", 2025, "01"), out_dir=tmp_path, today=TODAY
    )
    assert 0 not in result.failures and 1 not in result.failures
    assert _rules(result, 2) == {("dossier_code", "dossier_code_missing")}
    json.dumps(result.failures)  # plain data, for the review queue
