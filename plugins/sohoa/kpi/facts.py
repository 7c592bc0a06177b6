"""The fast path on PostgreSQL: the same counts, read from the ``kpi`` schema.

The migration ``i5_kpi`` keeps per-dossier and per-record facts current with triggers
(see its docstring). These functions return exactly what the direct queries of
``dossier_counts`` and ``register`` return — the test suite runs both paths on the same
hand-computed data — but scan narrow tables instead of joining components and parsing
JSON.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, text

from sohoa.kpi.dossier_counts import COUNT_KEYS, db_time, empty_counts
from sohoa.kpi.periods import Period

_COUNTS_SQL = """
SELECT {key},
       count(*) FILTER (WHERE paper AND has_result) AS e_result_rate_num,
       count(*) FILTER (WHERE paper) AS e_result_rate_den,
       count(*) FILTER (WHERE complete AND (NOT paper OR has_result)) AS digitization_rate_num,
       count(*) AS digitization_rate_den,
       count(*) FILTER (WHERE received AND reused) AS reuse_rate_num,
       count(*) FILTER (WHERE received) AS reuse_rate_den
FROM kpi.dossier_fact
WHERE day >= :first AND day < :after {scope}
GROUP BY 1
"""

_FILL_CONFIDENCE = """
UPDATE kpi.record_fact k
SET confidence_sum = coalesce(s.total, 0), confidence_n = coalesce(s.n, 0)
FROM public.civil_record cr
LEFT JOIN LATERAL (
    SELECT sum((f.value->>'confidence')::float8) AS total, count(*) AS n
    FROM json_each(cr.fields) f
    WHERE f.value->>'confidence' IS NOT NULL
      AND coalesce(f.value->>'origin', '') <> 'typed'
) s ON true
WHERE k.confidence_n IS NULL AND cr.id = k.record_id
"""


def available(conn: Connection) -> bool:
    """True on PostgreSQL once the ``i5_kpi`` migration has run."""
    if conn.dialect.name != "postgresql":
        return False
    return conn.execute(text("SELECT to_regclass('kpi.dossier_fact') IS NOT NULL")).scalar()


def refresh(engine: Engine) -> int:
    """Parse the confidences of records loaded since the last refresh; returns how many.

    Dossier facts need no refresh (triggers keep them). Reports call this first, and the
    Airflow DAG after each load, so a report seldom has anything left to parse.
    """
    if engine.dialect.name != "postgresql":
        return 0  # and no write lock taken on SQLite
    with engine.begin() as conn:
        if not available(conn):
            return 0
        return conn.execute(text(_FILL_CONFIDENCE)).rowcount


def counts(
    conn: Connection, period: Period, window: Period, unit_ids: list[int] | None
) -> tuple[dict[int, dict[str, int]], dict[str, dict[str, int]]]:
    """(per unit over ``period``, per month over ``window``), as the direct queries give.

    Two scans of the narrow fact table: the period's rows by unit (through the index on
    ``day``) and the window's rows by day, summed into months here (a few hundred groups
    instead of units x months).
    """
    scope = "" if unit_ids is None else "AND unit_id = ANY(:units)"
    by_unit: dict[int, dict[str, int]] = {}
    params: dict[str, Any] = {"first": period.first, "after": period.after, "units": unit_ids}
    for unit_id, *values in conn.execute(
        text(_COUNTS_SQL.format(key="unit_id", scope=scope)), params
    ):
        by_unit[unit_id] = dict(zip(COUNT_KEYS, values, strict=True))
    by_month = {m: empty_counts() for m in window.months()}
    params.update(first=window.first, after=window.after)
    for day, *values in conn.execute(text(_COUNTS_SQL.format(key="day", scope=scope)), params):
        month = by_month.get(f"{day.year:04d}-{day.month:02d}")
        if month is not None:
            _add(month, dict(zip(COUNT_KEYS, values, strict=True)))
    return by_unit, by_month


def undated(conn: Connection, unit_ids: list[int] | None) -> int:
    """Dossiers no period can hold (no received_at, no date in the code)."""
    scope = "" if unit_ids is None else "AND unit_id = ANY(:units)"
    return conn.execute(
        text(f"SELECT count(*) FROM kpi.dossier_fact WHERE day IS NULL {scope}"),
        {"units": unit_ids},
    ).scalar_one()


_PROGRESS_SQL = """
WITH books AS (
    SELECT rb.unit_id, rb.book_type, rb.year, count(*) AS books,
           count(rb.declared_entries) AS books_declared,
           coalesce(sum(rb.declared_entries), 0) AS declared
    FROM register_book rb WHERE rb.created_at < :end {scope} GROUP BY 1, 2, 3),
per_book AS (
    SELECT book_id, count(*) AS loaded,
           count(*) FILTER (WHERE origin = 'auto_accepted') AS auto_accepted,
           count(*) FILTER (WHERE origin = 'reviewed') AS reviewed,
           count(*) FILTER (WHERE origin = 'typed') AS typed
    FROM kpi.record_fact WHERE loaded_at < :end GROUP BY book_id),
records AS (
    SELECT rb.unit_id, rb.book_type, rb.year, sum(p.loaded) AS loaded,
           sum(CASE WHEN rb.declared_entries IS NOT NULL THEN p.loaded ELSE 0 END) AS digitized,
           sum(p.auto_accepted) AS auto_accepted, sum(p.reviewed) AS reviewed,
           sum(p.typed) AS typed
    FROM per_book p JOIN register_book rb ON rb.id = p.book_id WHERE true {scope}
    GROUP BY 1, 2, 3),
by_reason AS (
    SELECT rb.unit_id, rb.book_type, rb.year, p.reason, count(*) AS pages
    FROM kpi.rejected_page p JOIN register_book rb ON rb.id = p.book_id
    WHERE p.created_at < :end {scope} GROUP BY 1, 2, 3, 4),
rejected AS (
    SELECT unit_id, book_type, year, sum(pages) AS pages,
           json_object_agg(coalesce(reason, ''), pages) AS reasons
    FROM by_reason GROUP BY 1, 2, 3)
SELECT b.unit_id, b.book_type, b.year, b.books, b.books_declared, b.declared,
       coalesce(r.digitized, 0), coalesce(r.loaded, 0), coalesce(r.auto_accepted, 0),
       coalesce(r.reviewed, 0), coalesce(r.typed, 0), coalesce(j.pages, 0), j.reasons
FROM books b
LEFT JOIN records r USING (unit_id, book_type, year)
LEFT JOIN rejected j USING (unit_id, book_type, year)
ORDER BY 1, 2, 3
"""
PROGRESS_COLUMNS = (
    "unit_id",
    "book_type",
    "year",
    "books",
    "books_declared",
    "declared_entries",
    "digitized_entries",
    "loaded_records",
    "auto_accepted",
    "reviewed",
    "typed",
    "rejected_pages",
    "rejected_by_reason",
)


def progress_rows(
    conn: Connection, period: Period, unit_ids: list[int] | None
) -> list[dict[str, Any]]:
    """Register progress rows (counts only) per unit, book type and year: one query."""
    scope = "" if unit_ids is None else "AND rb.unit_id = ANY(:units)"
    params = {"end": db_time(conn, period.end_utc), "units": unit_ids}
    out = []
    for row in conn.execute(text(_PROGRESS_SQL.format(scope=scope)), params):
        *head, reasons = row
        item = dict(
            zip(PROGRESS_COLUMNS, [*head[:3], *map(int, head[3:]), reasons or {}], strict=True)
        )  # sums come back as Decimal
        out.append(item)
    return out


def confidence_by_unit(
    conn: Connection, period: Period, unit_ids: list[int] | None
) -> list[tuple[int, float, int]]:
    scope = "" if unit_ids is None else "AND rb.unit_id = ANY(:units)"
    return [
        tuple(r)
        for r in conn.execute(
            text(
                "WITH per_book AS (SELECT book_id, sum(confidence_sum) AS s, "
                "sum(confidence_n) AS n FROM kpi.record_fact "
                "WHERE loaded_at >= :start AND loaded_at < :end GROUP BY book_id) "
                "SELECT rb.unit_id, sum(p.s), sum(p.n) FROM per_book p "
                f"JOIN register_book rb ON rb.id = p.book_id WHERE true {scope} GROUP BY 1"
            ),
            {
                "start": db_time(conn, period.start_utc),
                "end": db_time(conn, period.end_utc),
                "units": unit_ids,
            },
        )
    ]


def _add(target: dict[str, int], values: dict[str, int]) -> None:
    for k in COUNT_KEYS:
        target[k] += values[k]
