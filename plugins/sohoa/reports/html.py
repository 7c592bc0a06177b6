"""The KPI report as ONE self-contained HTML file a manager can email.

No external files, scripts or fonts: charts are drawn by matplotlib and embedded as
inline SVG (text as paths, so Vietnamese shows without fonts on the reader's machine);
styles are inline. Sections: headline figures against targets, trend by month, units
ranked like the provincial rankings, register progress bars, definitions.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from sohoa.kpi.indicators import INDICATORS

_COLORS = {"e_result_rate": "#1f77b4", "digitization_rate": "#2ca02c", "reuse_rate": "#ff7f0e"}
_MAX_RANKED = 30  # units shown in the ranking chart (the table lists all)
_MAX_BARS = 40  # register rows shown as progress bars
_MAX_PROGRESS_ROWS = 300  # unit rows in the progress table before it shows provinces only


@dataclass(frozen=True)
class ChartLabels:
    """The words drawn inside the charts, in one language. The e-mailed report is English
    (``"en"``); the dashboard draws the same charts with Vietnamese words (``"vi"``)."""

    percent: str
    percent_target: str
    points: str
    progress_axis: str
    with_max: str  # legend of the ranking: "{name} (max {points})"
    province: str  # a province row of the progress chart: "province {code}"
    no_ranked: str
    no_progress: str
    decimal: str  # "." or ","
    indicators: dict[str, str]  # indicator key -> legend name
    book_types: dict[str, str]  # book type -> name

    def indicator(self, key: str) -> str:
        return self.indicators.get(key, key)

    def book_type(self, key: str) -> str:
        return self.book_types.get(key, key)

    def percent_value(self, rate: float) -> str:
        return f"{rate:.1f} %".replace(".", self.decimal)


CHART_LABELS = {
    "en": ChartLabels(
        percent="percent",
        percent_target="percent (dashed line: target)",
        points="points",
        progress_axis="entries digitized / declared (%)",
        with_max="{name} (max {points})",
        province="province {code}",
        no_ranked="No unit has dossiers in this period.",
        no_progress="No register book with a declared entry count yet.",
        decimal=".",
        indicators={},  # the keys themselves, as the tables and the JSON name them
        book_types={},
    ),
    "vi": ChartLabels(
        percent="phần trăm",
        percent_target="phần trăm (đường gạch: mục tiêu)",
        points="điểm",
        progress_axis="số mục đã số hóa / số mục khai báo (%)",
        with_max="{name} (tối đa {points} điểm)",
        province="tỉnh {code}",
        no_ranked="Chưa đơn vị nào có hồ sơ trong kỳ này.",
        no_progress="Chưa có quyển sổ nào khai báo số mục.",
        decimal=",",
        indicators={
            "e_result_rate": "Trả kết quả điện tử",
            "digitization_rate": "Số hóa hồ sơ, kết quả",
            "reuse_rate": "Sử dụng lại dữ liệu số hóa",
        },
        book_types={
            "birth": "khai sinh",
            "death": "khai tử",
            "marriage": "kết hôn",
            "dossier_result": "kết quả TTHC",
        },
    ),
}

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f0f0f0}td.t,th.t{text-align:left}
.cards{display:flex;gap:12px;flex-wrap:wrap}
.card{border:1px solid #ccc;border-radius:6px;padding:10px 14px;min-width:200px}
.card .v{font-size:28px;font-weight:bold}.ok{color:#2a7a2a}.low{color:#b03030}
.muted{color:#666;font-size:12px}
"""


def write_html(report: dict[str, Any], path: Path) -> None:
    path.write_text(render_html(report), encoding="utf-8")


def render_html(report: dict[str, Any]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    scope = report["scope"]
    where = "all units" if scope["level"] == "all" else f"{scope['level']} {scope['code']}"
    parts = [
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>",
        f"<title>KPI {escape(report['period'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>Digitization KPIs — {escape(report['period'])} — {escape(where)}</h1>",
        f"<p class='muted'>Period {report['period_start']} to {report['period_end']} "
        f"(exclusive), local time {report['timezone']}. Generated "
        f"{escape(report['generated_at'])} by sohoa.</p>",
        _headline(report),
        "<h2>Trend by month</h2>",
        trend_chart(report["trend"]),
        _table(
            ["month", "dossiers", *(i.key for i in INDICATORS)],
            [
                [t["month"], t["dossiers"], *(t["indicators"][i.key]["rate"] for i in INDICATORS)]
                for t in report["trend"]
            ],
        ),
        "<h2>Units ranked</h2>",
        "<p class='muted'>By total points (max 12), then electronic-results rate.</p>",
        ranking_chart(report["units"]),
        _ranking_table(report["units"]),
        _provinces(report),
        "<h2>Civil-register progress</h2>",
        progress_chart(report["register_progress"]),
        _progress_table(report["register_progress"]),
        "<h2>Data quality</h2>",
        _quality_table(report["data_quality"]),
        "<h2>Definitions</h2>",
        _definitions(report),
        "</body></html>",
    ]
    return "\n".join(parts)


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _headline(report: dict[str, Any]) -> str:
    totals = report["totals"]
    cards = []
    for i in INDICATORS:
        b = totals["indicators"][i.key]
        target = report["targets"][i.key]
        if b["rate"] is None:
            value, cls = "n/a", "muted"
        else:
            value, cls = f"{b['rate']:.2f} %", "ok" if b["rate"] >= target else "low"
        pts = "—" if b["points"] is None else f"{b['points']:.2f}"
        cards.append(
            f"<div class='card'><div>{escape(i.title)}</div>"
            f"<div class='v {cls}'>{value}</div>"
            f"<div class='muted'>target {target} % · {b['numerator']} / {b['denominator']} "
            f"dossiers · {pts} of {i.max_points} points</div></div>"
        )
    points = "n/a" if totals["points"] is None else f"{totals['points']:.2f}"
    return (
        "<h2>Headline figures against targets</h2>"
        f"<p>{totals['dossiers']} dossiers; total points {points} of 12.</p>"
        f"<div class='cards'>{''.join(cards)}</div>{headline_chart(report)}"
    )


def headline_chart(report: dict[str, Any], lang: str = "en") -> str:
    """Each indicator's rate as a bar, its target as a dashed line."""
    import matplotlib.pyplot as plt

    words = CHART_LABELS[lang]
    totals = report["totals"]
    fig, ax = plt.subplots(figsize=(7, 2.2))
    keys = [i.key for i in INDICATORS]
    rates = [totals["indicators"][k]["rate"] or 0 for k in keys]
    ax.barh([words.indicator(k) for k in keys], rates, color=[_COLORS[k] for k in keys])
    for k in keys:
        ax.axvline(report["targets"][k], color="#b03030", linestyle="--", linewidth=1)
    ax.set_xlim(0, 100)
    ax.set_xlabel(words.percent_target)
    ax.invert_yaxis()
    return _svg(fig)


def trend_chart(trend: list[dict[str, Any]], lang: str = "en") -> str:
    """The three rates month by month, the 80 % line dashed."""
    import matplotlib.pyplot as plt

    words = CHART_LABELS[lang]
    fig, ax = plt.subplots(figsize=(9, 3))
    months = [t["month"] for t in trend]
    xs = list(range(len(months)))
    for i in INDICATORS:
        values = [t["indicators"][i.key]["rate"] for t in trend]
        ax.plot(
            xs,
            [float("nan") if v is None else v for v in values],
            marker="o",
            label=words.indicator(i.key),
            color=_COLORS[i.key],
        )
    ax.axhline(80, color="#b03030", linestyle="--", linewidth=1)
    ax.set_xticks(xs, months)
    ax.set_ylim(0, 100)
    ax.set_ylabel(words.percent)
    ax.legend(loc="lower left", fontsize=8)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.grid(alpha=0.3)
    return _svg(fig)


def ranking_chart(units: list[dict[str, Any]], lang: str = "en") -> str:
    """The units' points stacked by indicator, best first."""
    import matplotlib.pyplot as plt

    words = CHART_LABELS[lang]
    shown = [u for u in units if u["points"] is not None][:_MAX_RANKED]
    if not shown:
        return f"<p class='muted'>{escape(words.no_ranked)}</p>"
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(shown) + 1))
    labels = [f"{u['rank']}. {u['unit_name'] or u['unit_code']}" for u in shown]
    left = [0.0] * len(shown)
    for i in INDICATORS:
        pts = [u["indicators"][i.key]["points"] or 0 for u in shown]
        name = words.with_max.format(name=words.indicator(i.key), points=i.max_points)
        ax.barh(labels, pts, left=left, color=_COLORS[i.key], label=name)
        left = [a + b for a, b in zip(left, pts, strict=True)]
    ax.set_xlim(0, 12)
    ax.set_xlabel(words.points)
    ax.invert_yaxis()
    ax.legend(fontsize=7, loc="lower right")
    return _svg(fig)


def _ranking_table(units: list[dict[str, Any]]) -> str:
    return _table(
        ["rank", "unit", "province", "dossiers", *(i.key for i in INDICATORS), "points"],
        [
            [
                u["rank"],
                f"{u['unit_code']} {u['unit_name'] or ''}".strip(),
                u["province_name"],
                u["dossiers"],
                *(u["indicators"][i.key]["rate"] for i in INDICATORS),
                u["points"],
            ]
            for u in units
        ],
        text_cols=2,
    )


def _provinces(report: dict[str, Any]) -> str:
    if len(report["provinces"]) < 1:
        return ""
    return "<h2>Provinces (today's units)</h2>" + _table(
        ["rank", "province", "units", "dossiers", *(i.key for i in INDICATORS), "points"],
        [
            [
                p["rank"],
                f"{p['province_code']} {p['province_name']}",
                p["units"],
                p["dossiers"],
                *(p["indicators"][i.key]["rate"] for i in INDICATORS),
                p["points"],
            ]
            for p in report["provinces"]
        ],
        text_cols=2,
    )


def progress_chart(rows: list[dict[str, Any]], lang: str = "en") -> str:
    """Entries digitized against entries declared, per unit, book type and year (per
    province when there are too many units for one chart)."""
    import matplotlib.pyplot as plt

    words = CHART_LABELS[lang]
    shown = [r for r in rows if r["level"] == "unit" and r["progress_rate"] is not None]
    if len(shown) > _MAX_BARS:  # too many units for one chart: their provinces instead
        shown = [r for r in rows if r["level"] == "province" and r["progress_rate"] is not None]
        shown = sorted(shown, key=lambda r: r["progress_rate"])[:_MAX_BARS]
    if not shown:
        return f"<p class='muted'>{escape(words.no_progress)}</p>"
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(shown) + 1))
    labels = [
        f"{r['unit_code'] or words.province.format(code=r['province_code'])} "
        f"{words.book_type(r['book_type'])} {r['year']}"
        for r in shown
    ]
    rates = [min(r["progress_rate"], 100) for r in shown]
    ax.barh(labels, [100] * len(shown), color="#e6e6e6")
    ax.barh(labels, rates, color="#2ca02c")
    for y, r in enumerate(shown):
        ax.text(101, y, words.percent_value(r["progress_rate"]), va="center", fontsize=7)
    ax.set_xlim(0, 115)
    ax.set_xlabel(words.progress_axis)
    ax.invert_yaxis()
    return _svg(fig)


def _progress_table(rows: list[dict[str, Any]]) -> str:
    note = ""
    if sum(1 for r in rows if r["level"] == "unit") > _MAX_PROGRESS_ROWS:
        rows = [r for r in rows if r["level"] != "unit"]  # keep the e-mail small
        note = (
            "<p class='muted'>Province rows only; the row of every unit, book type and year "
            "is in the XLSX and CSV reports.</p>"
        )
    return note + _table(
        [
            "level",
            "unit / province",
            "book type",
            "year",
            "declared",
            "digitized",
            "progress %",
            "auto-accepted %",
            "reviewed %",
            "typed %",
            "rejected pages",
            "rejected by reason",
        ],
        [
            [
                r["level"],
                r["unit_code"] or r["province_code"],
                r["book_type"],
                r["year"],
                r["declared_entries"],
                r["digitized_entries"],
                r["progress_rate"],
                r["auto_accepted_share"],
                r["reviewed_share"],
                r["typed_share"],
                r["rejected_pages"],
                "; ".join(f"{k}: {v}" for k, v in sorted(r["rejected_by_reason"].items())),
            ]
            for r in rows
        ],
        text_cols=3,
    )


def _quality_table(rows: list[dict[str, Any]]) -> str:
    return _table(
        [
            "level",
            "unit / province",
            "average field confidence",
            "values",
            "review turnaround (median days)",
            "reviewed records",
        ],
        [
            [
                r["level"],
                r["unit_code"] or r["province_code"] or "all",
                r["average_confidence"],
                r["confidence_values"],
                r["review_turnaround_median_days"],
                r["reviewed_records"],
            ]
            for r in rows
        ],
        text_cols=2,
    )


def _definitions(report: dict[str, Any]) -> str:
    items = []
    for key, d in report["definitions"].items():
        items.append(
            f"<dt><b>{escape(d['title'])}</b> (<code>{key}</code>, max {d['max_points']} "
            f"points, target {d['target_percent']} %)</dt>"
            f"<dd>Numerator: {escape(d['numerator'])}.<br>Denominator: "
            f"{escape(d['denominator'])}.<br>Points: {escape(d['points_rule'])}. "
            "A zero denominator gives no figure (n/a), not 0.</dd>"
        )
    rule = next(iter(report["definitions"].values()))["period_rule"]
    return (
        f"<dl>{''.join(items)}</dl><p>{escape(rule)} Rates are percentages rounded to 2 "
        "decimals; a province's rate is its summed numerators over its summed denominators, "
        "with historical communes converted to today's provinces. Register progress: entries "
        "digitized ÷ entries declared for the uploaded books that declare a count, up to the "
        "end of the period.</p>"
    )


def _table(head: list[str], rows: list[list[Any]], text_cols: int = 1) -> str:
    def cell(v: Any, i: int, tag: str) -> str:
        cls = " class='t'" if i < text_cols else ""
        shown = "" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
        return f"<{tag}{cls}>{escape(shown)}</{tag}>"

    out = ["<table><tr>", *(cell(h, i, "th") for i, h in enumerate(head)), "</tr>"]
    for row in rows:
        out += ["<tr>", *(cell(v, i, "td") for i, v in enumerate(row)), "</tr>"]
    out.append("</table>")
    return "".join(out)
