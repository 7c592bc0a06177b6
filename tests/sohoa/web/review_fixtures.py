"""Review items made of real parts for the review tests: a generated scan written to disk
(``sohoa.samples``), its record (docs/record.md) with the generator's values and boxes, one
check failing, loaded by the real loader (``sohoa.load.load_batch``) so it lands in review.

The record is built from the sample's truth rather than by running OCR: the review pages
only need a real page, real boxes and a real review item, and OCR would cost seconds per
page. (``test_review.py`` also runs the real extractor once.)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ocr.loading import sha256_of

NOW = datetime(2026, 5, 1, tzinfo=UTC)
DPI = 100  # small pages: fast to render, still a real scan


@dataclass
class Staged:
    item_id: int
    record: dict[str, Any]
    truth: dict[str, Any]
    path: Path


@lru_cache(maxsize=8)
def _page(doc_type: str, seed: int):
    from sohoa.samples import generate_page

    return generate_page(doc_type, seed, "clean", dpi=DPI)


def write_scan(folder: Path, doc_type: str = "birth", seed: int = 11, fmt: str = "png"):
    """A generated page saved as ``fmt``; returns (path, truth)."""
    from sohoa.samples.files import save_pages

    image, truth = _page(doc_type, seed)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{doc_type}-{seed}.{fmt}"
    save_pages(path, [image], DPI)
    return path, copy.deepcopy(truth)


def record_of(path: Path, truth: dict[str, Any], uri: str | None = None) -> dict[str, Any]:
    """The record the extractor would write for the page, every value read right."""
    fields = {
        name: {"value": value, "confidence": 0.97, "bbox": truth["boxes"][name]}
        for name, value in truth["fields"].items()
        if name in truth["boxes"]
    }
    return {
        "source": {"uri": uri or str(path), "page": 1, "sha256": sha256_of(path)},
        "doc_type": truth["doc_type"],
        "fields": fields,
        "quality": {"rotation": 0, "skew_deg": 0.0, "sharpness": 0.9, "readable": True},
        "status": "auto_accepted",
        "issues": [],
    }


def misread(record: dict[str, Any], name: str, wrong: Any, rule: str, message: str) -> dict:
    """The record with ``name`` read as ``wrong`` and the check that caught it."""
    out = copy.deepcopy(record)
    out["fields"][name]["value"] = wrong
    out["fields"][name]["confidence"] = 0.41
    out["status"] = "needs_review"
    out["issues"] = [{"field": name, "rule": rule, "message": message}]
    return out


def load_into_review(engine, record: dict[str, Any], unit_code: str, volume: str = "01") -> int:
    """Load ``record`` with the real loader; returns the id of its review item."""
    from sqlalchemy import select

    from ocr.book import Book
    from sohoa.db.tables import review_item, scan
    from sohoa.load.transaction import load_records

    year = int(str(record["fields"].get("registration_date", {}).get("value", "2020"))[:4])
    book = Book(
        unit_code, record["doc_type"] if record["doc_type"] != "unknown" else "birth", year, volume
    )
    summary = load_records(engine, [record], book, gate=None, now=NOW)
    assert summary.in_review == 1, summary
    with engine.connect() as conn:
        return conn.execute(
            select(review_item.c.id)
            .join(scan, scan.c.id == review_item.c.scan_id)
            .where(scan.c.sha256 == record["source"]["sha256"])
        ).scalar_one()


WRONG_NAME = "NGUYẺN VAN AM"  # what a poor scan makes of a name


def stage(engine, folder: Path, unit_code: str, *, seed: int = 9, volume: str = "01") -> Staged:
    """A birth page in review because the child's name was read with low confidence; the
    home town was not found on it at all."""
    path, truth = write_scan(folder / unit_code, "birth", seed)
    record = misread(
        record_of(path, truth),
        "full_name",
        WRONG_NAME,
        "low_confidence",
        "full_name was read with low confidence (0.41); check it against the page",
    )
    del record["fields"]["hometown"]
    return Staged(load_into_review(engine, record, unit_code, volume), record, truth, path)
