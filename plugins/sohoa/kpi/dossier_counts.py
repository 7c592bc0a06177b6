"""Numerators and denominators of the three indicators, counted by the database.

One grouped query per report (not pandas over the table): each dossier's components are
reduced to two flags (any component missing, any reused) only for the dossiers of the
period, then summed per unit. Dossiers without ``received_at`` are few; they are placed by
the receipt date their code carries and counted here in Python (see ``PERIOD_RULE``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from sohoa.db.tables import dossier, dossier_component
from sohoa.dossiers.rows import code_receipt_date
from sohoa.kpi.indicators import INDICATORS
from sohoa.kpi.periods import Period, local_date

Where = Callable[[Any], ColumnElement]  # builds the filter for the dossier table or an alias
COUNT_KEYS = tuple(f"{i.key}_{part}" for i in INDICATORS for part in ("num", "den"))


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(COUNT_KEYS, 0)


def db_time(conn: Connection, ts: datetime) -> datetime:
    """A UTC bound as the backend compares it (SQLite stores naive UTC text)."""
    ts = ts.astimezone(UTC)
    return ts.replace(tzinfo=None) if conn.dialect.name == "sqlite" else ts


def _component_flags(where: Where) -> Any:
    """Per dossier of ``where``: missing (a component with no file, not reused), reused."""
    c, d = dossier_component, dossier.alias("dp")
    no_file = or_(c.c.file.is_(None), c.c.file == "")
    return (
        select(
            c.c.dossier_id,
            func.max(case((and_(no_file, not_(c.c.reused)), 1), else_=0)).label("missing"),
            func.max(case((c.c.reused, 1), else_=0)).label("reused"),
        )
        .join(d, d.c.id == c.c.dossier_id)
        .where(where(d))
        .group_by(c.c.dossier_id)
        .subquery("cf")
    )


def flag_columns(flags: Any) -> dict[str, ColumnElement]:
    """Boolean SQL expressions, one per numerator and denominator, for a dossier row."""
    d = dossier
    paper = d.c.paper_result_required.is_(True)
    has_result = and_(d.c.result_file.is_not(None), d.c.result_file != "")
    complete = func.coalesce(flags.c.missing, 0) == 0
    reused = func.coalesce(flags.c.reused, 0) == 1
    received = d.c.received_at.is_not(None)
    return {
        "e_result_rate_num": and_(paper, has_result),
        "e_result_rate_den": paper,
        "digitization_rate_num": and_(complete, or_(not_(paper), has_result)),
        "digitization_rate_den": literal(True),
        "reuse_rate_num": and_(received, reused),
        "reuse_rate_den": received,
    }


def _dated(conn: Connection, period: Period, unit_ids: list[int] | None) -> Where:
    start, end = db_time(conn, period.start_utc), db_time(conn, period.end_utc)

    def where(t: Any) -> ColumnElement:
        cond = and_(t.c.received_at >= start, t.c.received_at < end)
        return cond if unit_ids is None else and_(cond, t.c.unit_id.in_(unit_ids))

    return where


def _undated_where(unit_ids: list[int] | None) -> Where:
    def where(t: Any) -> ColumnElement:
        cond = t.c.received_at.is_(None)
        return cond if unit_ids is None else and_(cond, t.c.unit_id.in_(unit_ids))

    return where


def _flagged(where: Where, *columns: Any, grouped: bool) -> Any:
    """SELECT ``columns`` + one (summed, if ``grouped``) 0/1 column per count key."""
    flags = _component_flags(where)
    cols = flag_columns(flags)
    counted = (
        (func.sum(case((e, 1), else_=0)) if grouped else case((e, 1), else_=0)).label(k)
        for k, e in cols.items()
    )
    return (
        select(*columns, *counted)
        .select_from(dossier.outerjoin(flags, flags.c.dossier_id == dossier.c.id))
        .where(where(dossier))
    )


def counts_by_unit(
    conn: Connection, period: Period, unit_ids: Iterable[int] | None = None
) -> dict[int, dict[str, int]]:
    """unit id -> {``<indicator>_num``/``_den``: count} for the dossiers of ``period``."""
    unit_ids = None if unit_ids is None else list(unit_ids)
    query = _flagged(_dated(conn, period, unit_ids), dossier.c.unit_id, grouped=True).group_by(
        dossier.c.unit_id
    )
    out: dict[int, dict[str, int]] = defaultdict(empty_counts)
    for row in conn.execute(query).mappings():
        out[row["unit_id"]] = {k: int(row[k] or 0) for k in COUNT_KEYS}
    for unit_id, _code, day, values in _undated(conn, unit_ids):
        if period.contains(day):
            _add(out[unit_id], values)
    return dict(out)


def counts_by_month(
    conn: Connection, window: Period, unit_ids: Iterable[int] | None = None
) -> dict[str, dict[str, int]]:
    """``YYYY-MM`` (local time) -> counts, over every month of ``window``."""
    unit_ids = None if unit_ids is None else list(unit_ids)
    month = _local_month(conn)
    query = _flagged(_dated(conn, window, unit_ids), month.label("month"), grouped=True).group_by(
        month
    )
    out = {m: empty_counts() for m in window.months()}
    for row in conn.execute(query).mappings():
        if row["month"] in out:
            out[row["month"]] = {k: int(row[k] or 0) for k in COUNT_KEYS}
    for _unit, _code, day, values in _undated(conn, unit_ids):
        key = f"{day.year:04d}-{day.month:02d}"
        if window.contains(day) and key in out:
            _add(out[key], values)
    return out


def dossier_flags(
    conn: Connection, period: Period, unit_ids: Iterable[int]
) -> list[dict[str, Any]]:
    """The drill-down: every dossier of the units in ``period`` with its 0/1 flags."""
    unit_ids = list(unit_ids)
    rows: list[dict[str, Any]] = []
    for where in (_dated(conn, period, unit_ids), _undated_where(unit_ids)):
        query = _flagged(
            where,
            dossier.c.dossier_code,
            dossier.c.unit_id,
            dossier.c.received_at,
            dossier.c.paper_result_required,
            dossier.c.result_file,
            grouped=False,
        )
        for row in conn.execute(query).mappings():
            day = (
                local_date(row["received_at"])
                if row["received_at"] is not None
                else code_receipt_date(row["dossier_code"])
            )
            if day is None or not period.contains(day):
                continue
            rows.append(
                {
                    "dossier_code": row["dossier_code"],
                    "unit_id": row["unit_id"],
                    "received_at": _iso(row["received_at"]),
                    "period_date": day.isoformat(),
                    "paper_result_required": bool(row["paper_result_required"]),
                    "result_file": row["result_file"] or None,
                    **{k: int(row[k]) for k in COUNT_KEYS},
                }
            )
    rows.sort(key=lambda r: r["dossier_code"])
    return rows


def undated_without_code_date(conn: Connection, unit_ids: Iterable[int] | None = None) -> int:
    """Dossiers that no period can hold: no received_at and no date in their code."""
    unit_ids = None if unit_ids is None else list(unit_ids)
    where = _undated_where(unit_ids)(dossier)
    codes = conn.execute(select(dossier.c.dossier_code).where(where)).scalars()
    return sum(1 for code in codes if code_receipt_date(code) is None)


def _undated(conn: Connection, unit_ids: list[int] | None) -> list[tuple]:
    """(unit id, code, date from the code, counts) of dossiers without ``received_at``."""
    query = _flagged(
        _undated_where(unit_ids), dossier.c.unit_id, dossier.c.dossier_code, grouped=False
    )
    out = []
    for row in conn.execute(query).mappings():
        day = code_receipt_date(row["dossier_code"])
        if day is not None:
            out.append((row["unit_id"], row["dossier_code"], day, {k: row[k] for k in COUNT_KEYS}))
    return out


def _local_month(conn: Connection) -> ColumnElement:
    """``YYYY-MM`` of ``received_at`` in local time (+07:00, no daylight saving)."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Ho_Chi_Minh", dossier.c.received_at), "YYYY-MM")
    return func.strftime("%Y-%m", dossier.c.received_at, "+7 hours")


def _add(target: dict[str, int], values: dict[str, Any]) -> None:
    for k in COUNT_KEYS:
        target[k] += int(values[k])


def _iso(ts: datetime | None) -> str | None:
    if ts is None:
        return None
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).isoformat()
