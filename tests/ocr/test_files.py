"""One file to its records: a bad or missing file is a record, never an exception."""

from __future__ import annotations

from ocr.files import read_file
from tests.ocr import badfiles


def test_a_missing_file_is_one_rejected_record(tmp_path):
    records, error = read_file(tmp_path / "gone.png")
    assert error == "gone.png: no such file. Check the name and folder."
    [record] = records
    assert record["status"] == "rejected" and record["source"]["sha256"] == ""
    assert record["issues"][0]["rule"] == "unreadable_file"


def test_a_damaged_file_keeps_its_hash(tmp_path):
    path = badfiles.corrupt_pdf(tmp_path)
    records, error = read_file(path)
    assert "the PDF is damaged" in error
    assert len(records[0]["source"]["sha256"]) == 64
