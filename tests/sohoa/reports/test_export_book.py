"""``export_book``: a PDF and a spreadsheet row per record, zipped (docs/export.md)."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pypdfium2
import pytest
from openpyxl import load_workbook
from PIL import Image

from ocr.book import Book
from ocr.errors import ConfigurationError
from sohoa.load.transaction import load_records
from sohoa.reports.export_book import COLUMNS, export_book


def _birth(uri: str, number: str, name: str) -> dict:
    values = {
        "full_name": name,
        "date_of_birth": "1987-03-02",
        "sex": "female",
        "registration_number": number,
        "registration_date": "1987-03-10",
    }
    return {
        "source": {"uri": uri, "page": 1, "sha256": hashlib.sha256(uri.encode()).hexdigest()},
        "doc_type": "birth",
        "fields": {
            k: {"value": v, "confidence": 0.9, "bbox": [0, 0, 1, 1]} for k, v in values.items()
        },
        "status": "auto_accepted",
        "issues": [],
    }


def test_a_pdf_and_a_row_per_record(sqlite_engine, tmp_path):
    scan_path = tmp_path / "p1.png"
    Image.new("RGB", (400, 560), (240, 240, 230)).save(scan_path)
    records = [
        _birth(str(scan_path), "10", "LÊ THỊ HOA"),
        _birth(str(tmp_path / "gone.png"), "9", "PHẠM THỊ LAN"),  # scan no longer there
    ]
    load_records(sqlite_engine, records, Book("25920", "birth", 1987, "01"), gate=None)
    out = tmp_path / "book.zip"
    summary = export_book(
        sqlite_engine, unit_code="25920", book_type="birth", year=1987, volume="01", out=out
    )
    assert (summary.records, summary.scans_embedded, summary.value_sheets) == (2, 1, 1)
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
        assert names == [
            "25920_birth_1987_01/25920.birth.1987.01.10.pdf",
            "25920_birth_1987_01/25920.birth.1987.01.9.pdf",
            "25920_birth_1987_01/25920_birth_1987_01.xlsx",
        ]
        for name in names[:2]:
            pdf = pypdfium2.PdfDocument(zf.read(name))
            assert len(pdf) == 1
        embedded = pypdfium2.PdfDocument(zf.read(names[0]))[0].render().to_pil()
        assert embedded.getpixel((50, 50))[:3] == pytest.approx((240, 240, 230), abs=3)
        wb = load_workbook(io.BytesIO(zf.read(names[2])))
    rows = list(wb.active.values)
    assert rows[0][:3] == ("stt", "registration_number", *COLUMNS["birth"][:1])
    assert [r[1] for r in rows[1:]] == ["9", "10"]  # numeric order
    assert rows[1][2] == "PHẠM THỊ LAN" and rows[1][-2].endswith(".9.pdf")


def test_unknown_book(sqlite_engine, tmp_path):
    with pytest.raises(ConfigurationError, match="no register book"):
        export_book(
            sqlite_engine,
            unit_code="1",
            book_type="birth",
            year=1987,
            volume="01",
            out=tmp_path / "x.zip",
        )
