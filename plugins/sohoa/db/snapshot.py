"""A canonical dump of the whole database, for comparing two databases row for row.

Surrogate ids differ between two runs that did the same work (PostgreSQL sequences are
not rolled back by a failed transaction), so ids and foreign keys are replaced by the
row's rank within its table; wall-clock columns are left out.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Column, Engine, select

from sohoa.db.tables import metadata

TIME_COLUMNS = {"created_at", "updated_at", "started_at", "finished_at", "resolved_at", "at"}


def canonical_dump(engine: Engine) -> dict[str, list[tuple]]:
    """{table: [row tuples in key order]} with ids as ranks and time columns dropped."""
    raw: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            # Tables without an ``id`` (accounts' units, sessions) in primary-key order.
            order = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*order)).mappings().all()
            raw[table.name] = [dict(r) for r in rows]
    rank = {
        name: {r["id"]: n for n, r in enumerate(rows, 1)}
        for name, rows in raw.items()
        if "id" in metadata.tables[name].c
    }
    out: dict[str, list[tuple]] = {}
    for table in metadata.sorted_tables:
        fks = {col.name: target for col in table.columns if (target := _ids_of(col)) is not None}
        cols = [c.name for c in table.columns if c.name not in TIME_COLUMNS]
        out[table.name] = [
            tuple(
                _canon(
                    rank[fks[c]].get(r[c])
                    if c in fks and r[c] is not None
                    else rank[table.name][r[c]]
                    if c == "id"
                    else r[c]
                )
                for c in cols
            )
            for r in raw[table.name]
        ]
    return out


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
