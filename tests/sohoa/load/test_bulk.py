"""Bulk writes: values survive COPY's binary format exactly, whatever they hold."""

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
    "id", "sha256", "page", "uri", "book_id", "book_type", "doc_type", "status",
    "reject_reason", "uploaded_by", "upload_meta", "quality", "created_at", "updated_at",
)  # fmt: skip
_COMPARED = _SCAN_COLUMNS[:-2]  # SQLite gives timestamps back without their zone


def _scan_row(n: int, text: str) -> tuple:
    meta = None if n == 3 else {"dossier_code": text}
    quality = {"note": text, "list": [text, None, 1.5], "ok": n % 2 == 0}
    return (n, f"{n:064x}", n, f"landing/{text}.tif", 1, "birth", "birth", "loaded", None, text,
            meta, quality, NOW, NOW)  # fmt: skip


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


def test_values_of_another_type_are_stored_as_text_would_have_read_them(pg_engine):
    """A number where a name was expected, an ISO date as text, an id as text: converted
    to the column's type, as COPY's text format read them before (the binary format takes
    no text for numbers or dates). PostgreSQL only: SQLite's path is SQLAlchemy's own."""
    cols = ("id", "full_name", "name_key", "date_of_birth", "sex", "personal_id",
            "place_of_birth", "place_key", "created_at")  # fmt: skip
    odd = [("7", 1234, "k", "1990-01-02", None, None, True, None, NOW)]
    with pg_engine.begin() as conn:
        bulk.insert_tuples(conn, person, cols, odd)
    with pg_engine.connect() as conn:
        got = conn.execute(select(*(person.c[c] for c in cols[:-1]))).one()
    assert tuple(got) == (7, "1234", "k", date(1990, 1, 2), None, None, "true", None)


_JSON, _JSONB, _TEXT, _INT, _DATE = 114, 3802, 25, 20, 1082


@pytest.mark.parametrize(
    ("oid", "values", "expected"),
    [
        (_TEXT, ["a", None, "b"], ["a", None, "b"]),
        (_TEXT, [1, None, 2.5, False], ["1", None, "2.5", "false"]),
        (_TEXT, ["a", 7], ["a", "7"]),
        (_INT, [1, None, "3"], [1, None, 3]),
        (
            _DATE,
            [date(2020, 1, 2), "1999-12-31", None],
            [date(2020, 1, 2), date(1999, 12, 31), None],
        ),
        (_JSON, [{"a": "x\\y\t"}, None], [msgspec.json.encode({"a": "x\\y\t"}), None]),
        (_JSONB, [{"b": 1}, None], [b"\x01" + msgspec.json.encode({"b": 1}), None]),
    ],
)
def test_column_values_take_the_column_type(oid, values, expected):
    assert bulk._column_values(oid, list(values)) == expected


def test_a_column_of_the_right_type_is_passed_through_unchanged():
    values = ["a", None, "b"]
    assert bulk._column_values(_TEXT, values) is values
