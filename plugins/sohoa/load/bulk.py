"""Bulk writes: COPY on PostgreSQL, one ``executemany`` per table elsewhere.

Never one round trip per row. Ids are allocated up front (one query for a whole batch) so
child rows can reference their parents without reading anything back.

Test hook: ``SOHOA_TEST_PAUSE_AFTER_ROWS=N`` makes the writer print ``SOHOA_TEST_PAUSED``
to stderr and sleep once it has written N rows inside the current process, so a test can
SIGKILL the loader mid-batch (tests/sohoa/load/test_fault.py). Unset, it costs nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from msgspec.json import encode as _encode_json  # 5-10x json.dumps; same output
from sqlalchemy import JSON, Connection, Table, select, text

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
        _copy(conn, table, columns, rows)
    else:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            conn.execute(table.insert(), list(chunk))
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


def _copy(conn: Connection, table: Table, columns: list[str], rows: Iterable[dict]) -> None:
    """COPY in text format; JSON columns are serialised here (SQLAlchemy is bypassed)."""
    json_cols = {c for c in columns if isinstance(table.c[c].type, JSON)}
    plain = [c for c in columns if c not in json_cols]
    cur = conn.connection.driver_connection.cursor()
    sql = f"COPY {table.name} ({', '.join(plain + sorted(json_cols))}) FROM STDIN"
    getters = [*(itemgetter(c) for c in plain), *(_json_getter(c) for c in sorted(json_cols))]
    with cur.copy(sql) as copy:
        pending = 0
        for row in rows:
            copy.write_row([get(row) for get in getters])
            pending += 1
            if pending == _CHUNK:
                _after_rows(pending)
                pending = 0
        _after_rows(pending)


def _json_getter(column: str):
    def get(row: dict[str, Any]) -> str | None:
        value = row[column]
        return None if value is None else _encode_json(value).decode()

    return get


def _after_rows(n: int) -> None:
    global _written
    limit = os.environ.get("SOHOA_TEST_PAUSE_AFTER_ROWS")
    if not limit:
        return
    before, _written = _written, _written + n
    if before < int(limit) <= _written:
        print("SOHOA_TEST_PAUSED", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("SOHOA_TEST_PAUSE_SECONDS", "120")))
