"""Bulk writes: values survive COPY's text format exactly, whatever characters they hold."""

from __future__ import annotations

from datetime import UTC, date, datetime

import msgspec
import pytest
from sqlalchemy import select

from sohoa.db.tables import person, person_duplicate_flag, register_book, scan, unit
from sohoa.load import bulk

NOW = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)
AWKWARD = [
    "tab\there",
    "new\nline",
    "carriage\rreturn",
    "back\\slash",
    "\\N",  # COPY's NULL marker, as text
    "Nguyễn Thị Ánh",
    "",
]


_SCAN_COLUMNS = (
    "id", "sha256", "page", "uri", "book_id", "doc_type", "status", "reject_reason",
    "uploaded_by", "upload_meta", "quality", "created_at", "updated_at",
)  # fmt: skip
_COMPARED = _SCAN_COLUMNS[:-2]  # SQLite gives timestamps back without their zone


def _scan_row(n: int, text: str) -> tuple:
    meta = None if n == 3 else {"dossier_code": text}
    quality = {"note": text, "list": [text, None, 1.5], "ok": n % 2 == 0}
    return (n, f"{n:064x}", n, f"landing/{text}.tif", 1, "birth", "loaded", None, text, meta,
            quality, NOW, NOW)  # fmt: skip


def test_awkward_text_and_json_round_trip(db_engine):
    rows = [_scan_row(n, text) for n, text in enumerate(AWKWARD, 1)]
    with db_engine.begin() as conn:
        conn.execute(unit.insert().values(id=1, code="25920"))
        conn.execute(
            register_book.insert().values(
                id=1, unit_id=1, book_type="birth", year=2018, volume="01", created_at=NOW
            )
        )
        assert bulk.insert_tuples(conn, scan, _SCAN_COLUMNS, rows) == len(rows)
    with db_engine.connect() as conn:
        stored = conn.execute(select(*(scan.c[c] for c in _COMPARED)).order_by(scan.c.id)).all()
    assert [tuple(r) for r in stored] == [r[: len(_COMPARED)] for r in rows]


def test_numbers_booleans_dates_and_nulls_round_trip(db_engine):
    people = [
        (1, "A", "a", date(1990, 1, 2), None, None, None, None, NOW),
        (2, "B", "b", None, "female", "001190000001", "X\tY", "x y", NOW),
    ]
    cols = ("id", "full_name", "name_key", "date_of_birth", "sex", "personal_id",
            "place_of_birth", "place_key", "created_at")  # fmt: skip
    flag = (1, 1, 2, None, 0.8, "near_date", "open", NOW)
    flag_cols = ("id", "person_id", "candidate_id", "record_id", "score", "reason", "status",
                 "created_at")  # fmt: skip
    with db_engine.begin() as conn:
        bulk.insert_tuples(conn, person, cols, people)
        bulk.insert_tuples(conn, person_duplicate_flag, flag_cols, [flag])
    with db_engine.connect() as conn:
        got = conn.execute(select(*(person.c[c] for c in cols[:-1])).order_by(person.c.id)).all()
        got_flag = conn.execute(select(*(person_duplicate_flag.c[c] for c in flag_cols[:-1]))).one()
    assert [tuple(r) for r in got] == [p[:-1] for p in people]
    assert tuple(got_flag) == flag[:-1]


_SAMPLES = {
    "ids": [1, 2, 30],
    "ids and nulls": [1, None],
    "plain text": ["a", "bé", "c d"],
    "tab": ["a\tb", "c"],
    "backslash": ["a\\b"],
    "nulls": [None, None],
    "dates": [date(2020, 1, 2), date(1999, 12, 31)],
    "dates and nulls": [date(2020, 1, 1), None],
    "one timestamp": [NOW, NOW],
    "two timestamps": [NOW, datetime(2020, 1, 1, tzinfo=UTC)],
    "booleans": [True, False],
    "mixed": [1, "a", None],
}
_TEXTS = ["plain text", "tab", "backslash", "nulls", "mixed"]
_CASES = [
    *((bulk._fmt_int, s) for s in ["ids", "ids and nulls", "nulls", "booleans"]),
    *((bulk._fmt_text, s) for s in _TEXTS),
    *((bulk._fmt_value, s) for s in _SAMPLES),
    *((bulk._fmt_date, s) for s in ["dates", "dates and nulls", "nulls"]),
    *((bulk._fmt_bool, s) for s in ["booleans", "nulls"]),
    *((bulk._timestamp_formatter(), s) for s in ["one timestamp", "two timestamps", "nulls"]),
]


@pytest.mark.parametrize(("fmt", "name"), _CASES)
def test_whole_column_shortcuts_give_what_each_value_would(fmt, name):
    values = _SAMPLES[name]
    assert bulk._column_text(fmt, list(values)) == [fmt(v) for v in values]


def test_json_columns_are_escaped_for_copy():
    docs = [{"a": "x\\y"}, None, {"b": "é\t\n"}]
    assert bulk._json_column(docs) == [
        msgspec.json.encode(docs[0]).replace(b"\\", b"\\\\"),
        b"\\N",
        msgspec.json.encode(docs[2]).replace(b"\\", b"\\\\"),
    ]
