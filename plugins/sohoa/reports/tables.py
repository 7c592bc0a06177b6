"""The KPI report as flat tables (name -> columns + rows) for CSV, XLSX and HTML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sohoa.kpi.indicators import INDICATORS


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[list[Any]]


def _indicator_columns() -> list[str]:
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


def report_tables(report: dict[str, Any]) -> list[Table]:
    """Indicators (total, provinces, units), trend, register progress, quality, definitions."""
    head = ["level", "rank", "province_code", "province_name", "unit_code", "unit_name"]
    ind_rows = [
        [
            "all",
            None,
            None,
            None,
            None,
            None,
            report["totals"]["dossiers"],
            *_indicator_values(report["totals"]["indicators"]),
            report["totals"]["points"],
        ]
    ]
    for p in report["provinces"]:
        ind_rows.append(
            [
                "province",
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
                "unit",
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
    indicators = Table("indicators", [*head, "dossiers", *_indicator_columns(), "points"], ind_rows)
    trend = Table(
        "trend",
        ["month", "dossiers", *_indicator_columns()],
        [[t["month"], t["dossiers"], *_indicator_values(t["indicators"])] for t in report["trend"]],
    )
    progress_cols = [
        "level",
        "province_code",
        "unit_code",
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
        "rejected_by_reason",
    ]
    progress = Table(
        "register_progress",
        progress_cols,
        [
            [
                *(r.get(c) for c in progress_cols[:-1]),
                "; ".join(f"{k}: {v}" for k, v in sorted(r["rejected_by_reason"].items())),
            ]
            for r in report["register_progress"]
        ],
    )
    quality_cols = [
        "level",
        "province_code",
        "unit_code",
        "average_confidence",
        "confidence_values",
        "review_turnaround_median_days",
        "reviewed_records",
    ]
    quality = Table(
        "data_quality",
        quality_cols,
        [[r.get(c) for c in quality_cols] for r in report["data_quality"]],
    )
    def_cols = [
        "key",
        "title",
        "numerator",
        "denominator",
        "max_points",
        "points_rule",
        "target_percent",
        "period_rule",
    ]
    definitions = Table(
        "definitions",
        def_cols,
        [[k, *(d[c] for c in def_cols[1:])] for k, d in report["definitions"].items()],
    )
    return [indicators, trend, progress, quality, definitions]


def drill_table(drill: dict[str, Any]) -> Table:
    cols = [
        "dossier_code",
        "unit_code",
        "received_at",
        "period_date",
        "paper_result_required",
        "result_file",
    ]
    flags = [f"{i.key}_{p}" for i in INDICATORS for p in ("num", "den")]
    return Table(
        "drill_down",
        cols + flags,
        [[r[c] for c in cols + flags] for r in drill["dossiers"]],
    )
