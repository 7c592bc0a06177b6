"""Civil-register progress and data quality on hand-made books, both backends.

Unit 25920 has a birth book of 1987 declaring 10 entries with 4 records (2 auto-accepted,
1 reviewed, 1 typed) and 2 rejected pages, and a death book of 1990 without a declared
count holding 1 record. Unit 00004 has a birth book of 1987 declaring 5 entries, 1 record.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from sohoa.db.tables import civil_record, register_book, review_item, scan, unit
from sohoa.kpi.report import build_report

T0 = datetime(2024, 5, 10, 3, tzinfo=UTC)


def _seed(conn):
    conn.execute(insert(unit), [{"id": 1, "code": "25920"}, {"id": 2, "code": "00004"}])
    conn.execute(
        insert(register_book),
        [
            {
                "id": 1,
                "unit_id": 1,
                "book_type": "birth",
                "year": 1987,
                "volume": "01",
                "declared_entries": 10,
                "created_at": T0,
            },
            {
                "id": 2,
                "unit_id": 1,
                "book_type": "death",
                "year": 1990,
                "volume": "01",
                "declared_entries": None,
                "created_at": T0,
            },
            {
                "id": 3,
                "unit_id": 2,
                "book_type": "birth",
                "year": 1987,
                "volume": "01",
                "declared_entries": 5,
                "created_at": T0,
            },
        ],
    )
    scans = []
    for sid, book, status, reason in [
        (1, 1, "loaded", None),
        (2, 1, "loaded", None),
        (3, 1, "loaded", None),
        (4, 1, "loaded", None),
        (5, 1, "rejected", "blank page"),
        (6, 1, "rejected", "blank page"),
        (7, 2, "loaded", None),
        (8, 3, "loaded", None),
    ]:
        scans.append(
            {
                "id": sid,
                "sha256": f"{sid:064d}",
                "page": 1,
                "uri": f"s/{sid}.png",
                "book_id": book,
                "book_type": "birth" if book != 2 else "death",
                "doc_type": "birth" if book != 2 else "death",
                "status": status,
                "reject_reason": reason,
                "created_at": T0,
                "updated_at": T0,
            }
        )
    conn.execute(insert(scan), scans)

    def rec(rid, book, origin, fields, created=T0):
        return {
            "id": rid,
            "book_id": book,
            "doc_type": "death" if book == 2 else "birth",
            "registration_number": str(rid),
            "scan_id": rid,
            "fields": fields,
            "origin": origin,
            "reviewed_by": None if origin == "auto_accepted" else "an",
            "created_at": created,
        }

    conn.execute(
        insert(civil_record),
        [
            rec(
                1,
                1,
                "auto_accepted",
                {
                    "full_name": {"value": "A", "confidence": 0.9},
                    "sex": {"value": "male", "confidence": 0.7},
                },
            ),
            rec(2, 1, "auto_accepted", {"full_name": {"value": "B", "confidence": 0.8}}),
            rec(
                3,
                1,
                "reviewed",
                {"full_name": {"value": "C", "confidence": 0.6, "origin": "corrected", "by": "an"}},
                created=T0 + timedelta(days=3),
            ),
            rec(
                4,
                1,
                "typed",
                {"full_name": {"value": "D", "confidence": 1.0, "origin": "typed", "by": "an"}},
                created=T0 + timedelta(days=1),
            ),
            rec(7, 2, "auto_accepted", {"full_name": {"value": "E", "confidence": 1.0}}),
            rec(
                8,
                3,
                "auto_accepted",
                {"full_name": {"value": "F", "confidence": 0.5}},
                created=datetime(2024, 8, 1, tzinfo=UTC),
            ),  # after Q2
        ],
    )
    conn.execute(
        insert(review_item),
        [
            {
                "scan_id": sid,
                "book_id": 1,
                "doc_type": "birth",
                "state": "confirmed",
                "reasons": [],
                "original": {},
                "working": {},
                "record_id": sid,
                "resolved_by": "an",
                "resolved_at": T0 + timedelta(days=days),
                "created_at": T0,
            }
            for sid, days in ((3, 3), (4, 1))
        ],
    )


@pytest.fixture
def books(db_engine):
    with db_engine.begin() as conn:
        _seed(conn)
    return db_engine


def test_register_progress_per_unit_book_type_and_year(books):
    rows = build_report(books, "2024-Q2")["register_progress"]
    by_key = {
        (r["level"], r["unit_code"] or r["province_code"], r["book_type"], r["year"]): r
        for r in rows
    }
    birth = by_key[("unit", "25920", "birth", 1987)]
    assert (birth["declared_entries"], birth["digitized_entries"]) == (10, 4)
    assert birth["progress_rate"] == 40.0
    assert (birth["auto_accepted_share"], birth["reviewed_share"], birth["typed_share"]) == (
        50.0,
        25.0,
        25.0,
    )
    assert birth["rejected_pages"] == 2 and birth["rejected_by_reason"] == {"blank page": 2}
    death = by_key[("unit", "25920", "death", 1990)]
    assert death["progress_rate"] is None and death["loaded_records"] == 1  # nothing declared
    hn = by_key[("unit", "00004", "birth", 1987)]
    assert (hn["digitized_entries"], hn["progress_rate"]) == (0, 0.0)  # loaded after Q2
    # the province rows add their units up (25920 -> 79; 00004 -> 01)
    assert by_key[("province", "79", "birth", 1987)]["digitized_entries"] == 4
    assert by_key[("province", "01", "birth", 1987)]["declared_entries"] == 5
    later = build_report(books, "2024")["register_progress"]
    assert [r["progress_rate"] for r in later if r["unit_code"] == "00004"] == [20.0]


def test_data_quality_confidence_and_turnaround(books):
    rows = build_report(books, "2024-Q2")["data_quality"]
    unit = next(r for r in rows if r["unit_code"] == "25920")
    # machine values: 0.9, 0.7, 0.8, 0.6 (corrected keeps its reading), 1.0; typed excluded
    assert unit["confidence_values"] == 5
    assert unit["average_confidence"] == pytest.approx(0.8)
    assert unit["review_turnaround_median_days"] == 2.0  # median of 3 and 1 days
    assert unit["reviewed_records"] == 2
    everyone = next(r for r in rows if r["level"] == "all")
    assert everyone["confidence_values"] == 5  # 00004's record was loaded after Q2
