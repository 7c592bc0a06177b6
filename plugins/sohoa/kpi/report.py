"""The KPI report of one period: indicators per unit and province, trend, register
progress, data quality, and the drill-down behind every figure.

``build_report`` returns plain JSON-ready data (the ``--format json`` output);
``write_reports`` renders it in the requested formats (used by the CLI and by Airflow).
Roll-ups add counts, never rates: a province's rate is its summed numerator over its
summed denominator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from ocr.errors import ConfigurationError
from sohoa.db.tables import unit as unit_table
from sohoa.kpi import facts
from sohoa.kpi import indicators as ind
from sohoa.kpi.dossier_counts import (
    COUNT_KEYS,
    counts_by_month,
    counts_by_unit,
    dossier_flags,
    empty_counts,
    undated_without_code_date,
)
from sohoa.kpi.periods import LOCAL_TZ, Period, parse_period, trailing_months
from sohoa.kpi.register import (
    data_quality,
    finish_progress,
    finish_quality,
    register_progress,
    review_turnaround,
)
from sohoa.kpi.units import is_province_code, province_of, unit_name

REPORT_VERSION = 1
FORMATS = ("json", "csv", "xlsx", "html")


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str | None
    province_code: str
    province_name: str


@dataclass(frozen=True)
class Scope:
    """Which units a report covers: all, one commune, or one of today's provinces."""

    level: str  # all | unit | province
    code: str | None
    units: dict[int, UnitInfo]

    @property
    def unit_ids(self) -> list[int] | None:
        return None if self.level == "all" else sorted(self.units)


def load_units(conn: Connection) -> dict[int, UnitInfo]:
    out = {}
    for uid, code, name in conn.execute(
        select(unit_table.c.id, unit_table.c.code, unit_table.c.name)
    ):
        prov = province_of(code)
        out[uid] = UnitInfo(uid, code, name, prov.code, prov.name)
    return out


def resolve_scope(conn: Connection, unit: str | None) -> Scope:
    units = load_units(conn)
    if unit is None or not unit.strip():
        return Scope("all", None, units)
    code = unit.strip()
    exact = {uid: u for uid, u in units.items() if u.code == code}
    if exact:
        return Scope("unit", code, exact)
    if is_province_code(code):  # today's, or an old one converted to today's
        prov = province_of(code).code
        return Scope("province", prov, {k: u for k, u in units.items() if u.province_code == prov})
    raise ConfigurationError(
        f"unit {code!r} is neither a unit in the database nor a province code; "
        "check the code (e.g. 25920 for a commune, 79 for a province)"
    )


def build_report(
    engine: Engine, period: str | Period, unit: str | None = None, *, trend_months: int = 12
) -> dict[str, Any]:
    """The whole report as JSON-ready data (see the module docstring)."""
    per = parse_period(period) if isinstance(period, str) else period
    window = trailing_months(per, trend_months)
    facts.refresh(engine)
    with engine.connect() as conn:
        scope = resolve_scope(conn, unit)
        ids = scope.unit_ids
        if facts.available(conn):  # PostgreSQL: one scan of the narrow dossier facts
            by_unit, trend = facts.counts(conn, per, window, ids)
        else:
            by_unit = counts_by_unit(conn, per, ids)
            trend = counts_by_month(conn, window, ids)
        progress = register_progress(conn, per, ids)
        quality = data_quality(conn, per, ids)
        turnaround = review_turnaround(
            conn, per, {uid: u.province_code for uid, u in scope.units.items()}, ids
        )
        unplaced = (
            facts.undated(conn, ids)
            if facts.available(conn)
            else undated_without_code_date(conn, ids)
        )
    units = named_units(scope.units, per.after - timedelta(days=1))
    unit_rows = [_indicator_row(units[uid], counts) for uid, counts in by_unit.items()]
    _rank(unit_rows)
    province_rows = _province_rows(by_unit, units)
    _rank(province_rows)
    totals = _sum_counts(by_unit.values())
    from sohoa.reports.words import names

    return {
        "report": "sohoa-kpi",
        "version": REPORT_VERSION,
        "period": per.label,
        "period_start": per.first.isoformat(),
        "period_end": per.after.isoformat(),
        "period_end_exclusive": True,
        "timezone": str(LOCAL_TZ),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scope": {"level": scope.level, "code": scope.code, "units": len(units)},
        "targets": {i.key: ind.TARGET_PERCENT for i in ind.INDICATORS},
        "definitions": ind.definitions(),
        "totals": {
            "dossiers": totals["digitization_rate_den"],
            "indicators": ind.block(totals),
            "points": ind.total_points(ind.block(totals)),
        },
        "units": sorted(unit_rows, key=_rank_key),
        "provinces": sorted(province_rows, key=_rank_key),
        "trend": [
            {"month": month, "dossiers": c["digitization_rate_den"], "indicators": ind.block(c)}
            for month, c in sorted(trend.items())
        ],
        "register_progress": _progress_rows(progress, units),
        "data_quality": _quality_rows(quality, turnaround, units),
        "notes": {"dossiers_without_any_date": unplaced},
        "names": names(per),  # the period and indicators as people read them, vi and en
    }


def named_units(units: dict[int, UnitInfo], on) -> dict[int, UnitInfo]:
    """The units with their names: the database's when it has one, else the name the
    unit list in force on ``on`` (the period's last day) gives the code."""
    return {
        uid: u if u.name else replace(u, name=unit_name(u.code, on)) for uid, u in units.items()
    }


def drill_down(engine: Engine, period: str | Period, unit: str) -> dict[str, Any]:
    """The dossiers behind a unit's (or province's) numerators and denominators."""
    per = parse_period(period) if isinstance(period, str) else period
    with engine.connect() as conn:
        scope = resolve_scope(conn, unit)
        rows = dossier_flags(conn, per, scope.unit_ids or sorted(scope.units))
    for row in rows:
        row["unit_code"] = scope.units[row.pop("unit_id")].code
    totals = _sum_counts(rows)
    return {
        "period": per.label,
        "scope": {"level": scope.level, "code": scope.code},
        "indicators": ind.block(totals),
        "dossiers": rows,
    }


def write_reports(
    engine: Engine,
    period: str,
    out_dir: Path,
    unit: str | None = None,
    formats: Sequence[str] = FORMATS,
    lang: str = "vi",
) -> list[Path]:
    """Write ``kpi-<period>[-<unit>].<ext>`` for each format into ``out_dir``, in
    Vietnamese unless ``lang="en"``; the paths."""
    from sohoa.reports.render import render

    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ConfigurationError(f"unknown report format {bad[0]!r}; use {', '.join(FORMATS)}")
    report = build_report(engine, period, unit)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"kpi-{report['period']}" + (f"-{unit}" if unit else "")
    paths: list[Path] = []
    for fmt in formats:
        paths += render(report, fmt, out_dir / f"{stem}.{fmt}", lang=lang)
    return paths


def _indicator_row(u: UnitInfo, counts: dict[str, int]) -> dict[str, Any]:
    block = ind.block(counts)
    return {
        "unit_code": u.code,
        "unit_name": u.name,
        "province_code": u.province_code,
        "province_name": u.province_name,
        "dossiers": counts["digitization_rate_den"],
        "indicators": block,
        "points": ind.total_points(block),
    }


def _province_rows(
    by_unit: dict[int, dict[str, int]], units: dict[int, UnitInfo]
) -> list[dict[str, Any]]:
    grouped: dict[str, dict[str, int]] = defaultdict(empty_counts)
    names: dict[str, str] = {}
    for uid, counts in by_unit.items():
        u = units[uid]
        names[u.province_code] = u.province_name
        for k in COUNT_KEYS:
            grouped[u.province_code][k] += counts[k]
    out = []
    for code, counts in grouped.items():
        block = ind.block(counts)
        out.append(
            {
                "province_code": code,
                "province_name": names[code],
                "units": sum(1 for uid in by_unit if units[uid].province_code == code),
                "dossiers": counts["digitization_rate_den"],
                "indicators": block,
                "points": ind.total_points(block),
            }
        )
    return out


def _sum_counts(items: Iterable[dict[str, Any]]) -> dict[str, int]:
    total = empty_counts()
    for counts in items:
        for k in COUNT_KEYS:
            total[k] += int(counts[k])
    return total


def _rank(rows: list[dict[str, Any]]) -> None:
    """Rank by total points, then e-result rate (competition ranking: 1, 2, 2, 4)."""
    ordered = sorted(rows, key=_rank_key)
    prev, rank = None, 0
    for pos, row in enumerate(ordered, 1):
        key = _rank_key(row)[:2]
        if key != prev:
            rank, prev = pos, key
        row["rank"] = rank if row["points"] is not None else None


def _rank_key(row: dict[str, Any]) -> tuple:
    pts = row["points"]
    e_rate = row["indicators"]["e_result_rate"]["rate"]
    return (
        pts is None,
        -(pts or 0),
        -(e_rate or 0),
        row.get("unit_code") or row.get("province_code"),
    )


def _progress_rows(rows: list[dict[str, Any]], units: dict[int, UnitInfo]) -> list[dict[str, Any]]:
    out = []
    provinces: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        u = units.get(row.pop("unit_id"))
        if u is None:
            continue
        out.append(
            {
                "level": "unit",
                "unit_code": u.code,
                "unit_name": u.name,
                "province_code": u.province_code,
                **row,
            }
        )
        key = (u.province_code, row["book_type"], row["year"])
        agg = provinces.setdefault(
            key,
            {
                "level": "province",
                "unit_code": None,
                "unit_name": None,
                "province_code": u.province_code,
                "book_type": row["book_type"],
                "year": row["year"],
                "rejected_by_reason": {},
            },
        )
        for k, v in row.items():
            if isinstance(v, int) and k not in ("year",):
                agg[k] = agg.get(k, 0) + v
        for reason, n in row["rejected_by_reason"].items():
            agg["rejected_by_reason"][reason] = agg["rejected_by_reason"].get(reason, 0) + n
    out += [finish_progress(p) for _, p in sorted(provinces.items())]
    return out


def _quality_rows(
    raw: dict[int, dict[str, Any]],
    turnaround: dict[tuple[str, Any], tuple[float | None, int]],
    units: dict[int, UnitInfo],
) -> list[dict[str, Any]]:
    def zero() -> dict[str, Any]:
        return {"confidence_sum": 0.0, "confidence_values": 0}

    out = []
    per_province: dict[str, dict[str, Any]] = {}
    total = zero()
    for uid in sorted(set(raw) | {k for lvl, k in turnaround if lvl == "unit"}):
        u = units.get(uid)
        if u is None:
            continue
        q = raw.get(uid, zero())
        out.append(
            {
                "level": "unit",
                "unit_code": u.code,
                "unit_name": u.name,
                "province_code": u.province_code,
                **finish_quality(q, turnaround.get(("unit", uid))),
            }
        )
        agg = per_province.setdefault(u.province_code, zero())
        for target in (agg, total):
            target["confidence_sum"] += q["confidence_sum"]
            target["confidence_values"] += q["confidence_values"]
    for code, agg in sorted(per_province.items()):
        out.append(
            {
                "level": "province",
                "unit_code": None,
                "unit_name": None,
                "province_code": code,
                **finish_quality(agg, turnaround.get(("province", code))),
            }
        )
    out.append(
        {
            "level": "all",
            "unit_code": None,
            "unit_name": None,
            "province_code": None,
            **finish_quality(total, turnaround.get(("all", None))),
        }
    )
    return out
