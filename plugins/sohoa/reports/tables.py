"""The KPI report as flat tables (name -> columns + rows) for CSV, XLSX and HTML.

Tables are built in one language (:mod:`sohoa.reports.words`): the title (sheet name),
the column headings, and the cells a person reads (levels, book types, months, times,
reasons). Numbers stay numbers: each writer shows them its own way (a numeric XLSX cell,
a decimal comma in a Vietnamese CSV).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sohoa.kpi.indicators import INDICATORS
from sohoa.labels import rejections_by_label
from sohoa.reports.words import DEFAULT_LANG, Words, words


@dataclass
class Table:
    name: str  # stable key: the CSV file suffix ("trend")
    title: str  # the sheet name, in the report's language
    columns: list[str]  # headings, in the report's language
    rows: list[list[Any]]


def _indicator_keys() -> list[str]:
    cols = []
    for i in INDICATORS:
        cols += [f"{i.key}_numerator", f"{i.key}_denominator", i.key, f"{i.key}_points"]
    return cols


def _indicator_values(block: dict[str, dict]) -> list[Any]:
    out: list[Any] = []
    for i in INDICATORS:
        b = block[i.key]
        out += [b["numerator"], b["denominator"], b["rate"], b["points"]]
    return out


def _table(w: Words, name: str, keys: list[str], rows: list[list[Any]]) -> Table:
    return Table(name, w.table(name), [w.column(k) for k in keys], rows)


def rejected_text(counts: dict[str, int], w: Words) -> str:
    """``Trang trắng: 2; …``; in English the pipeline's own sentences, as stored."""
    merged = rejections_by_label(counts) if w.lang == "vi" else counts
    return "; ".join(f"{k.rstrip('.')}: {v}" for k, v in sorted(merged.items()))


def report_tables(report: dict[str, Any], lang: str = DEFAULT_LANG) -> list[Table]:
    """Indicators (total, provinces, units), trend, register progress, quality,
    definitions, and what the report covers."""
    w = words(lang)
    level = w.level
    head = ["level", "rank", "province_code", "province_name", "unit_code", "unit_name"]
    totals = report["totals"]
    ind_rows = [
        [
            level("all"),
            None,
            None,
            None,
            None,
            None,
            totals["dossiers"],
            *_indicator_values(totals["indicators"]),
            totals["points"],
        ]
    ]
    for p in report["provinces"]:
        ind_rows.append(
            [
                level("province"),
                p["rank"],
                p["province_code"],
                p["province_name"],
                None,
                None,
                p["dossiers"],
                *_indicator_values(p["indicators"]),
                p["points"],
            ]
        )
    for u in report["units"]:
        ind_rows.append(
            [
                level("unit"),
                u["rank"],
                u["province_code"],
                u["province_name"],
                u["unit_code"],
                u["unit_name"],
                u["dossiers"],
                *_indicator_values(u["indicators"]),
                u["points"],
            ]
        )
    indicators = _table(
        w, "indicators", [*head, "dossiers", *_indicator_keys(), "points"], ind_rows
    )
    trend = _table(
        w,
        "trend",
        ["month", "dossiers", *_indicator_keys()],
        [
            [w.month(t["month"]), t["dossiers"], *_indicator_values(t["indicators"])]
            for t in report["trend"]
        ],
    )
    progress_keys = [
        "level",
        "province_code",
        "unit_code",
        "unit_name",
        "book_type",
        "year",
        "books",
        "books_declared",
        "declared_entries",
        "digitized_entries",
        "progress_rate",
        "loaded_records",
        "auto_accepted",
        "auto_accepted_share",
        "reviewed",
        "reviewed_share",
        "typed",
        "typed_share",
        "rejected_pages",
    ]
    progress = _table(
        w,
        "register_progress",
        [*progress_keys, "rejected_by_reason"],
        [
            [
                level(r["level"]),
                *(r.get(c) for c in progress_keys[1:4]),
                w.book_type(r["book_type"]),
                *(r.get(c) for c in progress_keys[5:]),
                rejected_text(r["rejected_by_reason"], w),
            ]
            for r in report["register_progress"]
        ],
    )
    quality_keys = [
        "level",
        "province_code",
        "unit_code",
        "unit_name",
        "average_confidence",
        "confidence_values",
        "review_turnaround_median_days",
        "reviewed_records",
    ]
    quality = _table(
        w,
        "data_quality",
        quality_keys,
        [
            [level(r["level"]), *(r.get(c) for c in quality_keys[1:])]
            for r in report["data_quality"]
        ],
    )
    return [
        indicators,
        trend,
        progress,
        quality,
        definitions_table(report, w),
        about_table(report, w),
    ]


def definitions_table(report: dict[str, Any], w: Words) -> Table:
    keys = [
        "key",
        "title",
        "numerator",
        "denominator",
        "max_points",
        "points_rule",
        "target_percent",
        "period_rule",
    ]
    rows = []
    for key, d in report["definitions"].items():
        said = w.indicator(key)
        rows.append(
            [
                key,
                said.title,
                said.numerator,
                said.denominator,
                d["max_points"],
                w.points_rule(d["max_points"]),
                d["target_percent"],
                w.text("period_rule"),
            ]
        )
    return _table(w, "definitions", keys, rows)


def about_table(report: dict[str, Any], w: Words) -> Table:
    """What the report covers and when it was made (Vietnam time)."""
    last = date.fromisoformat(report["period_end"]) - timedelta(days=1)
    rows = [
        [w.text("period"), w.period(report["period"])],
        [w.text("period_start"), w.day(report["period_start"])],
        [w.text("period_end"), w.day(last)],
        [w.text("scope"), scope_text(report, w)],
        [w.text("generated_at"), w.time(report["generated_at"])],
        [w.text("dossiers_without_any_date"), report["notes"]["dossiers_without_any_date"]],
    ]
    return _table(w, "about", ["item", "value"], rows)


def scope_text(report: dict[str, Any], w: Words) -> str:
    """ "tất cả đơn vị", "đơn vị 25920 Phường Tân Hiệp", "tỉnh/thành phố 79 …"."""
    from sohoa.kpi.units import unit_name

    scope = report["scope"]
    if scope["level"] == "all":
        return w.text("all_units")
    code = scope["code"]
    last = date.fromisoformat(report["period_end"]) - timedelta(days=1)
    name = unit_name(code, last)
    key = "scope_province" if scope["level"] == "province" else "scope_unit"
    return w.text(key, code=f"{code} {name}" if name else code)


def drill_table(drill: dict[str, Any], lang: str = DEFAULT_LANG) -> Table:
    w = words(lang)
    keys = [
        "dossier_code",
        "unit_code",
        "received_at",
        "period_date",
        "paper_result_required",
        "result_file",
    ]
    flags = [f"{i.key}_{p}" for i in INDICATORS for p in ("num", "den")]
    if lang == "en":
        rows = [[r[c] for c in keys + flags] for r in drill["dossiers"]]
    else:
        rows = [
            [
                r["dossier_code"],
                r["unit_code"],
                w.time(r["received_at"]),
                w.day(r["period_date"]),
                w.number(r["paper_result_required"]),
                r["result_file"],
                *(r[c] for c in flags),
            ]
            for r in drill["dossiers"]
        ]
    return _table(w, "drill_down", keys + flags, rows)
