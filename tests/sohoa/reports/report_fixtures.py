"""A KPI report with something in every chart: the hand-computed dossiers of the KPI
tests (2024-Q2) and one loaded birth book that declares its entry count."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ocr.book import Book
from sohoa.dossiers.importer import import_file
from sohoa.kpi.report import build_report
from sohoa.load.transaction import load_records

DOSSIERS = Path(__file__).resolve().parents[1] / "kpi" / "dossiers_q2.jsonl"
PERIOD = "2024-Q2"
# The sheets of the Vietnamese workbook, in order.
SHEETS_VI = [
    "Chỉ tiêu",
    "Diễn biến theo tháng",
    "Tiến độ số hóa sổ",
    "Chất lượng dữ liệu",
    "Cách tính",
    "Thông tin báo cáo",
]


def load_one_birth_record(engine: Engine) -> None:
    """One auto-accepted record of a birth book that declares 4 entries (25 % progress)."""
    record = {
        "source": {"uri": "landing/1.png", "page": 1, "sha256": "a" * 64},
        "doc_type": "birth",
        "fields": {
            "full_name": {"value": "LÊ HOA", "confidence": 0.9},
            "registration_number": {"value": "1", "confidence": 0.9},
        },
        "status": "auto_accepted",
    }
    book = Book("25920", "birth", 1987, "01", declared_entries=4)
    loaded_at = datetime(2024, 5, 1, tzinfo=UTC)  # progress counts what was loaded by then
    assert load_records(engine, [record], book, gate=None, now=loaded_at).loaded == 1


def report_with_charts(engine: Engine) -> dict[str, Any]:
    import_file(engine, DOSSIERS)
    load_one_birth_record(engine)
    return build_report(engine, PERIOD)
