"""Real ``sohoa extract`` output through the contract, the gate and the loader.

Runs Tesseract on a few generated pages (marked slow): the JSON Schemas must accept what
the extractor prints, and every page must end loaded, in review or rejected.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select

from ocr.book import Book
from sohoa.db.tables import review_item, scan
from sohoa.gate.contracts import record_errors
from sohoa.load.jsonl import read_records
from sohoa.load.transaction import load_records


def _sohoa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sohoa.cli", *args], capture_output=True, text=True, timeout=600
    )


@pytest.mark.slow
def test_extracted_pages_fit_the_schemas_and_each_page_ends_somewhere(
    sqlite_engine, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOHOA_VALIDATION_DIR", str(tmp_path / "validation"))
    scans = tmp_path / "scans"
    made = _sohoa(
        "samples",
        "--out",
        str(scans),
        "--count",
        "3",
        "--seed",
        "5",
        "--profile",
        "clean",
        "--types",
        "birth",
        "--rejects",
        "1",
    )
    assert made.returncode == 0, made.stderr
    out = tmp_path / "records.jsonl"
    extracted = _sohoa("extract", "-j", "1", str(scans))
    assert extracted.returncode == 0, extracted.stderr
    out.write_text(extracted.stdout)
    records, _ = read_records(out)
    assert len(records) >= 2  # a record page and the reject page(s)
    for record in records:
        assert record_errors(record) == [], record["source"]["uri"]

    summary = load_records(sqlite_engine, records, Book("25920", "birth", 2000, "01"))
    assert summary.loaded + summary.in_review + summary.rejected == len(records)
    assert summary.rejected >= 1  # the page the quality gate must refuse
    with sqlite_engine.connect() as conn:
        pages = conn.execute(select(func.count()).select_from(scan)).scalar_one()
        waiting = conn.execute(select(func.count()).select_from(review_item)).scalar_one()
    assert (pages, waiting) == (len(records), summary.in_review)
