"""A canonical dump of the whole database, for comparing two databases row for row.

Surrogate ids differ between two runs that did the same work: PostgreSQL sequences are
not rolled back by a failed transaction, and loads running in parallel (two workers,
a batch retried after its worker died) insert their rows in whichever order they
commit. So a row is known by its content: each table's rows are sorted by their values,
with a foreign key replaced by the rank of the row it points to (parents are ranked
first), and an id becomes the row's rank in that order. Wall-clock columns are left out.
Two databases holding the same rows, inserted in any order, give the same dump.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Column, Engine, select

from sohoa.db.tables import metadata

TIME_COLUMNS = {"created_at", "updated_at", "started_at", "finished_at", "resolved_at", "at"}


def canonical_dump(engine: Engine) -> dict[str, list[tuple]]:
    """{table: [row tuples in content order]} with ids as ranks and time columns dropped."""
    raw: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            raw[table.name] = [dict(r) for r in conn.execute(select(table)).mappings().all()]
    rank: dict[str, dict[Any, int]] = {}
    out: dict[str, list[tuple]] = {}
    for table in metadata.sorted_tables:  # a table after those its foreign keys point to
        fks = {col.name: target for col in table.columns if (target := _ids_of(col)) is not None}
        fks.pop("id", None)
        cols = [c.name for c in table.columns if c.name not in TIME_COLUMNS]
        keyed = []
        for r in raw[table.name]:
            values = tuple(
                None
                if c == "id"
                else _canon(_target_rank(rank, fks[c], r[c]) if c in fks else r[c])
                for c in cols
            )
            keyed.append((_sort_key(values), values, r.get("id")))
        keyed.sort(key=lambda k: k[0])
        if "id" in table.c:
            rank[table.name] = {row_id: n for n, (_, _, row_id) in enumerate(keyed, 1)}
        at = cols.index("id") if "id" in cols else None
        out[table.name] = [
            values if at is None else values[:at] + (n,) + values[at + 1 :]
            for n, (_, values, _) in enumerate(keyed, 1)
        ]
    return out


def _target_rank(rank: dict[str, dict[Any, int]], target: str, value: Any) -> Any:
    return None if value is None else rank[target][value]


def _sort_key(values: tuple) -> tuple:
    """Orders rows of one table (a column holds one type, or None)."""
    return tuple((v is None, "" if v is None else v) for v in values)


def _ids_of(column: Column) -> str | None:
    """The table whose ids ``column`` holds: through its foreign keys, followed to an
    ``id`` column (a record's ``book_id`` refers to its scan's, which refers to a book)."""
    if column.table is not None and column.name == "id":
        return column.table.name
    for fk in column.foreign_keys:
        if (found := _ids_of(fk.column)) is not None:
            return found
    return None


def _canon(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value
