"""Bulk writes: COPY on PostgreSQL, one ``executemany`` per table elsewhere.

Never one round trip per row. Ids are allocated up front (one query for a whole batch) so
child rows can reference their parents without reading anything back.

The loader's hot path (:func:`insert_tuples`) takes positional rows and writes COPY's
text format itself: one formatter per column, one ``join`` per row and one ``write`` per
chunk of rows. Measured against psycopg's ``write_row`` with a dict per row: about a
third of the loader's CPU per record.

Test hook: ``SOHOA_TEST_PAUSE_AFTER_ROWS=N`` makes the writer print ``SOHOA_TEST_PAUSED``
to stderr and sleep once it has written N rows inside the current process, so a test can
SIGKILL the loader mid-batch (tests/sohoa/load/test_fault.py). Unset, it costs nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from msgspec.json import encode as _encode_json  # 5-10x json.dumps; same output
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    select,
    text,
)

_CHUNK = 5000
_SEP = "\x1f"  # ASCII unit separator: never part of a key
_IN_CHUNK = 500  # SQLite allows 999 bound parameters per statement on old builds
_written = 0  # rows written by this process, for the test hook only


def allocate_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """``n`` fresh primary keys for ``table``, in increasing order."""
    if n == 0:
        return []
    if conn.dialect.name == "postgresql":
        seq = conn.execute(text(f"SELECT pg_get_serial_sequence('{table.name}', 'id')")).scalar()
        cur = conn.connection.driver_connection.cursor()  # plain driver: no per-row ORM cost
        cur.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", (seq, n))
        return sorted(r[0] for r in cur.fetchall())
    # SQLite: the batch holds the write lock (BEGIN IMMEDIATE), so max(id) cannot move.
    start = conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table.name}")).scalar_one()
    return list(range(start + 1, start + 1 + n))


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows`` (dicts with the same keys) into ``table``; returns the count."""
    if not rows:
        return 0
    columns = list(rows[0].keys())
    if conn.dialect.name == "postgresql":
        get = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
        _copy_text(conn, table, columns, [get(row) for row in rows])
    else:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            conn.execute(table.insert(), list(chunk))
            _after_rows(len(chunk))
    return len(rows)


def insert_tuples(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Insert positional ``rows`` (values in the order of ``columns``); returns the count."""
    if not rows:
        return 0
    if conn.dialect.name == "postgresql":
        _copy_text(conn, table, columns, rows)
    else:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            conn.execute(table.insert(), [dict(zip(columns, r, strict=True)) for r in chunk])
            _after_rows(len(chunk))
    return len(rows)


def rows_where_in(
    conn: Connection, table: Table, columns: Sequence[str], key: str, values: Sequence[Any]
) -> list[tuple]:
    """Rows of ``table`` whose ``key`` is one of ``values``, in as few queries as possible.

    PostgreSQL takes the whole list as one parameter: the values joined into one string
    and split on the server (``= ANY(string_to_array(...))``), which costs a fraction of
    adapting a Python list of thousands of values. Elsewhere the list is cut into chunks
    of an ``IN``.
    """
    if not values:
        return []
    if conn.dialect.name == "postgresql":
        sql_type = table.c[key].type.compile(dialect=conn.dialect)
        joined = _SEP.join(v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values)
        cur = conn.connection.driver_connection.cursor()
        cur.execute(
            f"SELECT {', '.join(columns)} FROM {table.name} "
            f"WHERE {key} = ANY(string_to_array(%s, chr(31))::{sql_type}[])",
            (joined,),
        )
        return cur.fetchall()
    out: list[tuple] = []
    cols = [table.c[c] for c in columns]
    for start in range(0, len(values), _IN_CHUNK):
        chunk = list(values[start : start + _IN_CHUNK])
        out += [tuple(r) for r in conn.execute(select(*cols).where(table.c[key].in_(chunk)))]
    return out


_NULL = "\\N"
_NULL_BYTES = b"\\N"
_ROWS_PER_WRITE = 1000


def _copy_text(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """COPY ``rows`` in text format, formatted here a column at a time.

    Most columns of a batch are uniform (all ids, all plain text without tabs, the same
    timestamp), and then a whole column is formatted by one C-level call (``map(str,
    ...)``, one check of the joined text) instead of a Python call per value. JSON columns
    go last and stay UTF-8 bytes as msgspec writes them; the other columns of a chunk are
    joined and encoded at once, then each row's part is glued to its JSON.
    """
    plain = [i for i, c in enumerate(columns) if not isinstance(table.c[c].type, JSON)]
    docs = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
    fmts = [_formatter(table, columns[i]) for i in plain]
    names = ", ".join(columns[i] for i in plain + docs)
    cur = conn.connection.driver_connection.cursor()
    with cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for start in range(0, len(rows), _ROWS_PER_WRITE):
            chunk = rows[start : start + _ROWS_PER_WRITE]
            values = list(zip(*chunk, strict=True))
            texts = [_column_text(fmt, list(values[i])) for fmt, i in zip(fmts, plain, strict=True)]
            lines = "\n".join(map("\t".join, zip(*texts, strict=True))).encode().split(b"\n")
            if docs:
                json_cols = [_json_column(values[i]) for i in docs]
                lines = list(map(b"\t".join, zip(lines, *json_cols, strict=True)))
            lines.append(b"")
            copy.write(b"\n".join(lines))
            _after_rows(len(chunk))


def _json_column(values: Sequence[Any]) -> list[bytes]:
    """JSON documents as COPY text fields (UTF-8 bytes); control characters are already
    escaped by the encoder inside strings, so only backslashes need doubling."""
    out = [_NULL_BYTES if v is None else _encode_json(v) for v in values]
    if b"\\" in b"".join(out):
        out = [b if b is _NULL_BYTES else b.replace(b"\\", b"\\\\") for b in out]
    return out


def _column_text(fmt: Callable[[Any], str], values: list[Any]) -> list[str]:
    """``[fmt(v) for v in values]``, by whole-column shortcuts where they give the same."""
    types = set(map(type, values))
    if len(types) == 1:
        kind = types.pop()
        if kind is type(None):
            return [_NULL] * len(values)
        if kind is int and fmt is _fmt_int:
            return list(map(str, values))
        if kind is str and fmt in (_fmt_text, _fmt_value):
            joined = "".join(values)
            if "\\" not in joined and joined.isprintable():
                return values
        if kind is date and fmt in (_fmt_date, _fmt_value):
            return list(map(date.isoformat, values))
        if kind is datetime and len(set(map(id, values))) == 1:
            return [fmt(values[0])] * len(values)  # a batch's one timestamp
    return [fmt(v) for v in values]


def copy_escape(value: str) -> str:
    """``value`` as a field of COPY's text format (backslash, tab, newline, CR escaped)."""
    if "\\" in value or not value.isprintable():  # tab, newline and CR are not printable
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def _formatter(table: Table, column: str) -> Callable[[Any], str]:
    """The cheapest correct text form for the column's type (one call per value)."""
    kind = table.c[column].type
    if isinstance(kind, Boolean):
        return _fmt_bool
    if isinstance(kind, Integer):
        return _fmt_int
    if isinstance(kind, DateTime):
        return _timestamp_formatter()
    if isinstance(kind, Date):
        return _fmt_date
    if isinstance(kind, String):  # Text is a String
        return _fmt_text
    return _fmt_value


def _fmt_bool(value: Any) -> str:
    return _NULL if value is None else ("t" if value else "f")


def _fmt_int(value: Any) -> str:
    return _NULL if value is None else str(int(value))


def _fmt_date(value: Any) -> str:
    if value is None:
        return _NULL
    return value.isoformat() if isinstance(value, date) else copy_escape(str(value))


def _fmt_text(value: Any) -> str:
    if value is None:
        return _NULL
    return copy_escape(value if type(value) is str else str(value))


def _timestamp_formatter() -> Callable[[Any], str]:
    """A batch stamps every row with the same time: format it once."""
    last: list[Any] = [None, _NULL]

    def fmt(value: Any) -> str:
        if value is last[0]:
            return last[1]
        out = _fmt_value(value)
        last[0], last[1] = value, out
        return out

    return fmt


def _fmt_value(value: Any) -> str:
    if value is None:
        return _NULL
    kind = type(value)
    if kind is str:
        return copy_escape(value)
    if kind is datetime or kind is date:
        return value.isoformat()
    if kind is bool:
        return "t" if value else "f"
    if kind is float:
        return repr(value)
    return copy_escape(str(value))


def _after_rows(n: int) -> None:
    global _written
    limit = os.environ.get("SOHOA_TEST_PAUSE_AFTER_ROWS")
    if not limit:
        return
    before, _written = _written, _written + n
    if before < int(limit) <= _written:
        print("SOHOA_TEST_PAUSED", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("SOHOA_TEST_PAUSE_SECONDS", "120")))
