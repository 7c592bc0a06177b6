"""Civil-register progress per unit, book type and year, and data quality per unit.

Progress is cumulative up to the end of the period (how far the registers are, not what
happened in it): entries digitized ÷ entries declared, counted over the books that declare
their entry count; shares of the loaded records that were auto-accepted, went through
review (corrected or confirmed) or were typed by hand; rejected pages by reason.

Data quality is about the period: the average machine confidence of the values loaded in
it (values typed by hand carry none) and the median days from a page's arrival to its
record being loaded, over the review items resolved in the period.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, case, func, select, text

from sohoa.db.tables import civil_record, register_book, review_item, scan
from sohoa.kpi.dossier_counts import db_time
from sohoa.kpi.indicators import rate
from sohoa.kpi.periods import Period

ORIGINS = ("auto_accepted", "reviewed", "typed")
Key = tuple[int, str, int]  # unit id, book type, year


def register_progress(
    conn: Connection, period: Period, unit_ids: list[int] | None = None
) -> list[dict[str, Any]]:
    """One row per (unit id, book type, year) with books, entries, shares and rejections."""
    end = db_time(conn, period.end_utc)
    rb = register_book
    key_cols = (rb.c.unit_id, rb.c.book_type, rb.c.year)
    scope = rb.c.unit_id.in_(unit_ids) if unit_ids is not None else None

    def scoped(q):
        return q.where(scope) if scope is not None else q

    rows: dict[Key, dict[str, Any]] = {}
    books = scoped(
        select(
            *key_cols,
            func.count().label("books"),
            func.count(rb.c.declared_entries).label("books_declared"),
            func.coalesce(func.sum(rb.c.declared_entries), 0).label("declared"),
        )
        .where(rb.c.created_at < end)
        .group_by(*key_cols)
    )
    for r in conn.execute(books).mappings():
        rows[_key(r)] = {
            "books": r["books"],
            "books_declared": r["books_declared"],
            "declared_entries": int(r["declared"]),
            "digitized_entries": 0,
            "loaded_records": 0,
            **dict.fromkeys(ORIGINS, 0),
            "rejected_pages": 0,
            "rejected_by_reason": {},
        }
    cr = civil_record
    records = scoped(
        select(
            *key_cols,
            func.count().label("loaded"),
            func.sum(case((rb.c.declared_entries.is_not(None), 1), else_=0)).label("digitized"),
            *(func.sum(case((cr.c.origin == o, 1), else_=0)).label(o) for o in ORIGINS),
        )
        .select_from(cr.join(rb, rb.c.id == cr.c.book_id))
        .where(cr.c.created_at < end)
        .group_by(*key_cols)
    )
    for r in conn.execute(records).mappings():
        row = rows.get(_key(r))
        if row is None:
            continue
        row["loaded_records"] = int(r["loaded"])
        row["digitized_entries"] = int(r["digitized"] or 0)
        for o in ORIGINS:
            row[o] = int(r[o] or 0)
    rejected = scoped(
        select(*key_cols, scan.c.reject_reason, func.count().label("pages"))
        .select_from(scan.join(rb, rb.c.id == scan.c.book_id))
        .where(scan.c.status == "rejected", scan.c.created_at < end)
        .group_by(*key_cols, scan.c.reject_reason)
    )
    for r in conn.execute(rejected).mappings():
        row = rows.get(_key(r))
        if row is None:
            continue
        row["rejected_pages"] += int(r["pages"])
        row["rejected_by_reason"][r["reject_reason"]] = int(r["pages"])
    out = []
    for (unit_id, book_type, year), row in sorted(rows.items()):
        out.append({"unit_id": unit_id, "book_type": book_type, "year": year, **row})
        finish_progress(out[-1])
    return out


def finish_progress(row: dict[str, Any]) -> dict[str, Any]:
    """Add the rates of a progress row from its counts (also after a roll-up)."""
    row["progress_rate"] = rate(row["digitized_entries"], row["declared_entries"])
    for o in ORIGINS:
        row[f"{o}_share"] = rate(row[o], row["loaded_records"])
    return row


def data_quality(
    conn: Connection, period: Period, unit_ids: list[int] | None = None
) -> dict[int, dict[str, Any]]:
    """unit id -> confidence sum/count and review turnaround days (raw, for roll-ups)."""
    start, end = db_time(conn, period.start_utc), db_time(conn, period.end_utc)
    out: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"confidence_sum": 0.0, "confidence_values": 0, "turnaround_days": []}
    )
    scope = "" if unit_ids is None else f" AND rb.unit_id IN ({','.join(map(str, unit_ids))})"
    if conn.dialect.name == "postgresql":
        sql = (
            "SELECT rb.unit_id, sum((f.value->>'confidence')::float8) AS s, "
            "count(*) AS n FROM civil_record cr JOIN register_book rb ON rb.id = cr.book_id "
            "CROSS JOIN LATERAL json_each(cr.fields) f "
            "WHERE cr.created_at >= :start AND cr.created_at < :end "
            "AND f.value->>'confidence' IS NOT NULL "
            "AND coalesce(f.value->>'origin', '') <> 'typed'" + scope + " GROUP BY rb.unit_id"
        )
    else:
        sql = (
            "SELECT rb.unit_id, sum(json_extract(f.value, '$.confidence')) AS s, "
            "count(*) AS n FROM civil_record cr JOIN register_book rb ON rb.id = cr.book_id, "
            "json_each(cr.fields) f "
            "WHERE cr.created_at >= :start AND cr.created_at < :end "
            "AND json_extract(f.value, '$.confidence') IS NOT NULL "
            "AND coalesce(json_extract(f.value, '$.origin'), '') <> 'typed'"
            + scope
            + " GROUP BY rb.unit_id"
        )
    for unit_id, total, n in conn.execute(text(sql), {"start": start, "end": end}):
        out[unit_id]["confidence_sum"] += float(total or 0)
        out[unit_id]["confidence_values"] += int(n)
    ri = review_item
    reviewed = (
        select(register_book.c.unit_id, ri.c.created_at, ri.c.resolved_at)
        .select_from(ri.join(register_book, register_book.c.id == ri.c.book_id))
        .where(ri.c.state == "confirmed", ri.c.resolved_at >= start, ri.c.resolved_at < end)
    )
    if unit_ids is not None:
        reviewed = reviewed.where(register_book.c.unit_id.in_(unit_ids))
    for unit_id, created, resolved in conn.execute(reviewed):
        out[unit_id]["turnaround_days"].append(_days(created, resolved))
    return dict(out)


def finish_quality(raw: dict[str, Any]) -> dict[str, Any]:
    """Average confidence (0-1, 4 decimals) and median turnaround (days, 2 decimals)."""
    n = raw["confidence_values"]
    days = raw["turnaround_days"]
    return {
        "average_confidence": round(raw["confidence_sum"] / n, 4) if n else None,
        "confidence_values": n,
        "review_turnaround_median_days": round(statistics.median(days), 2) if days else None,
        "reviewed_records": len(days),
    }


def _days(start: datetime, end: datetime) -> float:
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    return (end - start).total_seconds() / 86400


def _key(r: Any) -> Key:
    return (r["unit_id"], r["book_type"], r["year"])
