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
    from sohoa.kpi import facts

    if facts.available(conn):
        rows = facts.progress_rows(conn, period, unit_ids)
        return [finish_progress(r) for r in rows]
    books, records, rejected = _direct_rows(conn, period, unit_ids)
    rows: dict[Key, dict[str, Any]] = {}
    for r in books:
        rows[_key(r)] = {
            "books": int(r["books"]),
            "books_declared": int(r["books_declared"]),
            "declared_entries": int(r["declared"]),
            "digitized_entries": 0,
            "loaded_records": 0,
            **dict.fromkeys(ORIGINS, 0),
            "rejected_pages": 0,
            "rejected_by_reason": {},
        }
    for r in records:
        row = rows.get(_key(r))
        if row is None:
            continue
        row["loaded_records"] = int(r["loaded"])
        row["digitized_entries"] = int(r["digitized"] or 0)
        for o in ORIGINS:
            row[o] = int(r[o] or 0)
    for r in rejected:
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


def _direct_rows(
    conn: Connection, period: Period, unit_ids: list[int] | None
) -> tuple[list[Any], list[Any], list[Any]]:
    """(books, records, rejected pages) grouped by unit, book type and year, from the tables."""
    end = db_time(conn, period.end_utc)
    rb = register_book
    key_cols = (rb.c.unit_id, rb.c.book_type, rb.c.year)
    scope = rb.c.unit_id.in_(unit_ids) if unit_ids is not None else None

    def scoped(q):
        return q.where(scope) if scope is not None else q

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
    rejected = scoped(
        select(*key_cols, scan.c.reject_reason, func.count().label("pages"))
        .select_from(scan.join(rb, rb.c.id == scan.c.book_id))
        .where(scan.c.status == "rejected", scan.c.created_at < end)
        .group_by(*key_cols, scan.c.reject_reason)
    )
    return (
        conn.execute(books).mappings().all(),
        conn.execute(records).mappings().all(),
        conn.execute(rejected).mappings().all(),
    )


def finish_progress(row: dict[str, Any]) -> dict[str, Any]:
    """Add the rates of a progress row from its counts (also after a roll-up)."""
    row["progress_rate"] = rate(row["digitized_entries"], row["declared_entries"])
    for o in ORIGINS:
        row[f"{o}_share"] = rate(row[o], row["loaded_records"])
    return row


def data_quality(
    conn: Connection, period: Period, unit_ids: list[int] | None = None
) -> dict[int, dict[str, Any]]:
    """unit id -> sum and count of machine confidences of the records loaded in the period."""
    start, end = db_time(conn, period.start_utc), db_time(conn, period.end_utc)
    out: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"confidence_sum": 0.0, "confidence_values": 0}
    )
    from sohoa.kpi import facts

    if facts.available(conn):
        sums = facts.confidence_by_unit(conn, period, unit_ids)
    else:
        sums = _direct_confidence(conn, start, end, unit_ids)
    for unit_id, total, n in sums:
        out[unit_id]["confidence_sum"] += float(total or 0)
        out[unit_id]["confidence_values"] += int(n or 0)
    return dict(out)


Median = tuple[float | None, int]  # (median days, reviewed records)


def review_turnaround(
    conn: Connection, period: Period, province_of: dict[int, str], unit_ids: list[int] | None
) -> dict[tuple[str, Any], Median]:
    """Median days from a page's arrival in review to its record being loaded, over the
    items confirmed in the period: keyed ("unit", id), ("province", code) and ("all", None).

    Medians do not add up, so each level is computed from the durations themselves (in
    SQL on PostgreSQL, where there can be hundreds of thousands).
    """
    start, end = db_time(conn, period.start_utc), db_time(conn, period.end_utc)
    uids = sorted(province_of) if unit_ids is None else list(unit_ids)
    if conn.dialect.name == "postgresql":
        sql = text(
            "WITH map AS (SELECT * FROM unnest(CAST(:uids AS bigint[]), CAST(:provs AS text[])) "
            "AS m(unit_id, province)), "
            "d AS (SELECT m.unit_id, m.province, "
            "extract(epoch FROM ri.resolved_at - ri.created_at) / 86400.0 AS days "
            "FROM review_item ri JOIN register_book rb ON rb.id = ri.book_id "
            "JOIN map m ON m.unit_id = rb.unit_id WHERE ri.state = 'confirmed' "
            "AND ri.resolved_at >= :start AND ri.resolved_at < :end) "
            "SELECT unit_id, province, GROUPING(unit_id, province) AS lvl, "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY days), count(*) FROM d "
            "GROUP BY GROUPING SETS ((unit_id, province), (province), ())"
        )
        params = {"uids": uids, "provs": [province_of[u] for u in uids], "start": start, "end": end}
        out: dict[tuple[str, Any], Median] = {}
        for unit_id, province, lvl, median, n in conn.execute(sql, params):
            if not n:  # the grand total row of an empty set
                continue
            key = (
                ("unit", unit_id)
                if lvl == 0
                else ("province", province)
                if lvl == 1
                else ("all", None)
            )
            out[key] = (float(median), int(n))
        return out
    ri = review_item
    query = (
        select(register_book.c.unit_id, ri.c.created_at, ri.c.resolved_at)
        .select_from(ri.join(register_book, register_book.c.id == ri.c.book_id))
        .where(ri.c.state == "confirmed", ri.c.resolved_at >= start, ri.c.resolved_at < end)
        .where(register_book.c.unit_id.in_(uids))
    )
    groups: dict[tuple[str, Any], list[float]] = defaultdict(list)
    for unit_id, created, resolved in conn.execute(query):
        days = _days(created, resolved)
        for key in (("unit", unit_id), ("province", province_of[unit_id]), ("all", None)):
            groups[key].append(days)
    return {k: (statistics.median(v), len(v)) for k, v in groups.items()}


def _direct_confidence(
    conn: Connection, start: datetime, end: datetime, unit_ids: list[int] | None
) -> list[tuple]:
    """(unit id, sum, count) of machine confidences of the records loaded in [start, end)."""
    scope = "" if unit_ids is None else f" AND rb.unit_id IN ({','.join(map(str, unit_ids))})"
    if conn.dialect.name == "postgresql":
        value = "(f.value->>'confidence')::float8"
        origin = "f.value->>'origin'"
        source = "CROSS JOIN LATERAL json_each(cr.fields) f"
    else:
        value = "json_extract(f.value, '$.confidence')"
        origin = "json_extract(f.value, '$.origin')"
        source = ", json_each(cr.fields) f"
    sql = (
        f"SELECT rb.unit_id, sum({value}), count(*) FROM civil_record cr "
        f"JOIN register_book rb ON rb.id = cr.book_id {source} "
        f"WHERE cr.created_at >= :start AND cr.created_at < :end AND {value} IS NOT NULL "
        f"AND coalesce({origin}, '') <> 'typed'{scope} GROUP BY rb.unit_id"
    )
    return [tuple(r) for r in conn.execute(text(sql), {"start": start, "end": end})]


def finish_quality(raw: dict[str, Any], turnaround: Median | None) -> dict[str, Any]:
    """Average confidence (0-1, 4 decimals) and median turnaround (days, 2 decimals)."""
    n = raw["confidence_values"]
    median, reviewed = turnaround or (None, 0)
    return {
        "average_confidence": round(raw["confidence_sum"] / n, 4) if n else None,
        "confidence_values": n,
        "review_turnaround_median_days": None if median is None else round(median, 2),
        "reviewed_records": reviewed,
    }


def _days(start: datetime, end: datetime) -> float:
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    return (end - start).total_seconds() / 86400


def _key(r: Any) -> Key:
    return (r["unit_id"], r["book_type"], r["year"])
