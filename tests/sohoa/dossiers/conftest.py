"""Shared by the dossier tests: records (docs/record.md) loaded with the real loader
(``records``)."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest

from ocr.book import Book
from sohoa.load.transaction import load_records


def record(doc_type: str, uri: str, values: dict, page: int = 1) -> dict:
    return {
        "source": {"uri": uri, "page": page, "sha256": hashlib.sha256(uri.encode()).hexdigest()},
        "doc_type": doc_type,
        "fields": {
            k: {"value": v, "confidence": 0.95, "bbox": [1, 2, 3, 4]} for k, v in values.items()
        },
        "quality": {"rotation": 0, "skew_deg": 0.0, "sharpness": 0.9, "readable": True},
        "status": "auto_accepted",
        "issues": [],
    }


def load(
    engine,
    book_type: str,
    records: list[dict],
    unit: str = "25920",
    year: int = 2024,
    volume: str = "01",
):
    book = Book(unit, book_type, year, volume, declared_entries=10)
    return load_records(engine, records, book, gate=None)


@pytest.fixture
def records():
    """``records.record(doc_type, uri, values)`` and ``records.load(engine, book_type, recs)``."""
    return SimpleNamespace(record=record, load=load)
