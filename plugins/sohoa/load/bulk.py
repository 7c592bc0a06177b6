"""Bulk writes: COPY on PostgreSQL, one ``executemany`` per table elsewhere.

Never one round trip per row. Ids are allocated up front (one query for a whole load) so
child rows can reference their parents without reading anything back.

The loader's hot path (:func:`insert_tuples`) takes positional rows and writes them with
COPY's binary format (see :func:`_copy_binary`).

Test hook: ``SOHOA_TEST_PAUSE_AFTER_ROWS=N`` makes the writer print ``SOHOA_TEST_PAUSED``
to stderr and sleep once it has written N rows inside the current process, so a test can
SIGKILL the loader mid-load (tests/sohoa/load/test_fault.py). Unset, it costs nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from copy import copy
from datetime import date
from operator import itemgetter
from typing import Any

from msgspec.json import encode as _encode_json  # 5-10x json.dumps; same output
from psycopg import postgres
from psycopg.adapt import PyFormat
from sqlalchemy import Connection, Table, select, text

from sohoa.load.values import value_text
from sohoa.settings import get_settings

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
    # SQLite: the load holds the write lock (BEGIN IMMEDIATE), so max(id) cannot move.
    start = conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table.name}")).scalar_one()
    return list(range(start + 1, start + 1 + n))


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert ``rows`` (dicts with the same keys) into ``table``; returns the count."""
    if not rows:
        return 0
    columns = list(rows[0].keys())
    if conn.dialect.name == "postgresql":
        get = itemgetter(*columns) if len(columns) > 1 else lambda row: (row[columns[0]],)
        _copy_binary(conn, table, columns, [get(row) for row in rows])
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
        _copy_binary(conn, table, columns, rows)
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
        sql_type = _cast_type(table.c[key].type.dialect_impl(conn.dialect), conn.dialect)
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


def _cast_type(type_: Any, dialect: Any) -> str:
    """``type_`` as a cast names it: a key column's ``COLLATE "C"`` (``tables.machine_key``)
    belongs to the column, and the comparison takes it from there."""
    if getattr(type_, "collation", None):
        type_ = copy(type_)
        type_.collation = None
    return type_.compile(dialect=dialect)


# COPY's binary format (PostgreSQL). psycopg's C writer packs each row; the server reads
# numbers, dates and times without parsing text. Measured against the text format this
# module wrote before (5,000 civil_record rows): 4 against ~10 µs a row in the loader and
# 13-15 against 20-26 µs in the server. JSON documents go as the bytes msgspec writes:
# the binary form of ``json`` is its UTF-8 text, that of ``jsonb`` a version byte (1)
# followed by the text, so both are sent through the ``bytea`` writer, which sends bytes
# as they are (psycopg's own, in C; importing psycopg.dbapi20 puts a Python one there).
_BYTES_WRITER = postgres.adapters.get_dumper(bytes, PyFormat.BINARY)
_BYTEA_OID = 17
_JSON_OID, _JSONB_OID = 114, 3802
_TEXT_OIDS = frozenset({25, 1043})  # text, varchar
_INT_OIDS = frozenset({20, 23, 21})  # int8, int4, int2
_DATE_OID = 1082
_ROWS_PER_WRITE = 1000
_column_oids: dict[tuple[str, str], int] = {}  # (table, column) -> type oid, per process


def _copy_binary(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """COPY ``rows`` in binary format, values brought to their column's Python type."""
    cur = conn.connection.driver_connection.cursor()
    cur.adapters.register_dumper(bytes, _BYTES_WRITER)
    oids = _oids_of(cur, table.name, columns)
    values = [
        _column_values(oid, list(col))
        for oid, col in zip(oids, zip(*rows, strict=True), strict=True)
    ]
    rows = list(zip(*values, strict=True))
    types = [_BYTEA_OID if oid in (_JSON_OID, _JSONB_OID) else oid for oid in oids]
    with cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(types)
        write_row = copy.write_row
        for start in range(0, len(rows), _ROWS_PER_WRITE):
            chunk = rows[start : start + _ROWS_PER_WRITE]
            for row in chunk:
                write_row(row)
            _after_rows(len(chunk))


def _oids_of(cur: Any, table: str, columns: Sequence[str]) -> list[int]:
    """The server's type of each column (read once per table and process)."""
    if any((table, c) not in _column_oids for c in columns):
        cur.execute(
            "SELECT attname, atttypid::int FROM pg_attribute "
            "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            (table,),
        )
        _column_oids.update({(table, name): oid for name, oid in cur.fetchall()})
    return [_column_oids[table, c] for c in columns]


def _column_values(oid: int, values: list[Any]) -> list[Any]:
    """``values`` as the binary writer of the column's type takes them.

    JSON becomes its encoded bytes. A value of another Python type than the column's
    (a number read where a name was expected, an ISO date as text) is converted as the
    text format would have read it; values all of the expected types are returned as they are,
    after one look at the set of types."""
    if oid == _JSON_OID:
        return [None if v is None else _encode_json(v) for v in values]
    if oid == _JSONB_OID:
        return [None if v is None else b"\x01" + _encode_json(v) for v in values]
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if oid in _TEXT_OIDS and kinds - {str}:
        return [v if v is None or type(v) is str else value_text(v) for v in values]
    if oid in _INT_OIDS and kinds - {int}:
        return [None if v is None else int(v) for v in values]
    if oid == _DATE_OID and kinds - {date}:
        return [v if v is None or type(v) is date else date.fromisoformat(str(v)) for v in values]
    return values


def _after_rows(n: int) -> None:
    global _written
    settings = get_settings()
    limit = settings.test_pause_after_rows
    if not limit:
        return
    before, _written = _written, _written + n
    if before < limit <= _written:
        print("SOHOA_TEST_PAUSED", file=sys.stderr, flush=True)
        time.sleep(settings.test_pause_seconds)
