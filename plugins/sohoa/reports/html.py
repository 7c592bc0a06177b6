"""The KPI report as ONE self-contained HTML file a manager can email, in Vietnamese
(the default) or English.

No external files, scripts or fonts: charts are drawn by matplotlib and embedded as
inline SVG (text as paths, so Vietnamese shows without fonts on the reader's machine);
styles are inline. Sections: headline figures against targets, trend by month, units
ranked like the provincial rankings, register progress bars, data quality, definitions.
Numbers carry the language's decimal sign, times are Vietnam time, units their names.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

from ocr import doctypes
from sohoa.kpi.indicators import INDICATORS
from sohoa.kpi.units import province_name
from sohoa.reports.tables import rejected_text, scope_text
from sohoa.reports.words import Words, words

_COLORS = {"e_result_rate": "#1f77b4", "digitization_rate": "#2ca02c", "reuse_rate": "#ff7f0e"}
_MAX_RANKED = 30  # units shown in the ranking chart (the table lists all)
_MAX_BARS = 40  # register rows shown as progress bars
_MAX_PROGRESS_ROWS = 300  # unit rows in the progress table before it shows provinces only


@dataclass(frozen=True)
class ChartLabels:
    """The words drawn inside the charts, in one language: the report's (Vietnamese by
    default, ``"en"`` for English); the dashboard draws the same charts in Vietnamese."""

    percent: str
    percent_target: str
    points: str
    progress_axis: str
    with_max: str  # legend of the ranking: "{name} (max {points})"
    province: str  # a province row of the progress chart: "province {code}"
    no_ranked: str
    no_progress: str
    decimal: str  # "." or ","
    month_format: str  # "{year}-{month}" or "{month}/{year}"
    indicators: dict[str, str]  # indicator key -> legend name
    book_types: dict[str, str]  # book type -> name

    def indicator(self, key: str) -> str:
        return self.indicators.get(key, key)

    def book_type(self, key: str) -> str:
        return self.book_types.get(key, key)

    def month(self, month: str) -> str:
        """A ``YYYY-MM`` month as the axis shows it."""
        year, mm = month.split("-")
        return self.month_format.format(year=year, month=mm)

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
        month_format="{year}-{month}",
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
        month_format="{month}/{year}",
        indicators={
            "e_result_rate": "Trả kết quả điện tử",
            "digitization_rate": "Số hóa hồ sơ, kết quả",
            "reuse_rate": "Sử dụng lại dữ liệu số hóa",
        },
        book_types={t.name: t.vi_report for t in doctypes.REGISTRY.values()},
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


def write_html(report: dict[str, Any], path: Path, lang: str = "vi") -> None:
    path.write_text(render_html(report, lang), encoding="utf-8")


def render_html(report: dict[str, Any], lang: str = "vi") -> str:
    """The whole report as one page in ``lang`` (Vietnamese unless "en"); its charts
    carry the same language's words."""
    import matplotlib

    matplotlib.use("Agg")
    w = words(lang)
    period = w.period(report["period"])
    last = date.fromisoformat(report["period_end"]) - timedelta(days=1)
    title = f"{w.text('title')} — {period} — {scope_text(report, w)}"
    parts = [
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        "<p class='muted'>"
        + escape(
            w.text(
                "intro",
                first=w.day(report["period_start"]),
                last=w.day(last),
                generated=w.time(report["generated_at"]),
            )
        )
        + "</p>",
        _headline(report, w),
        f"<h2>{escape(w.text('trend'))}</h2>",
        trend_chart(report["trend"], lang),
        _table(
            [w.heading("month"), w.heading("dossiers"), *(_short(w, i.key) for i in INDICATORS)],
            [
                [
                    w.month(t["month"]),
                    w.number(t["dossiers"]),
                    *(w.percent(t["indicators"][i.key]["rate"]) for i in INDICATORS),
                ]
                for t in report["trend"]
            ],
        ),
        f"<h2>{escape(w.text('ranking'))}</h2>",
        f"<p class='muted'>{escape(w.text('ranking_note'))}</p>",
        ranking_chart(report["units"], lang),
        _ranking_table(report["units"], w),
        _provinces(report, w),
        f"<h2>{escape(w.text('progress'))}</h2>",
        progress_chart(report["register_progress"], lang),
        _progress_table(report["register_progress"], w),
        f"<h2>{escape(w.text('quality'))}</h2>",
        _quality_table(report["data_quality"], w),
        f"<h2>{escape(w.text('definitions'))}</h2>",
        _definitions(report, w),
        "</body></html>",
    ]
    return "\n".join(parts)


def _short(w: Words, key: str) -> str:
    """An indicator's column heading in the HTML tables: its name and "%"."""
    return f"{w.indicator(key).title} (%)"


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _headline(report: dict[str, Any], w: Words) -> str:
    totals = report["totals"]
    cards = []
    for i in INDICATORS:
        b = totals["indicators"][i.key]
        target = report["targets"][i.key]
        if b["rate"] is None:
            value, cls = w.text("none"), "muted"
        else:
            value, cls = w.percent(b["rate"]), "ok" if b["rate"] >= target else "low"
        line = w.text(
            "card",
            target=target,
            num=w.number(b["numerator"]),
            den=w.number(b["denominator"]),
            points=w.number(b["points"]),
            max=i.max_points,
        )
        cards.append(
            f"<div class='card' data-indicator='{i.key}'><div>{escape(w.indicator(i.key).title)}"
            f"</div><div class='v {cls}'>{escape(value)}</div>"
            f"<div class='muted'>{escape(line)}</div></div>"
        )
    said = w.text(
        "totals", dossiers=w.number(totals["dossiers"]), points=w.number(totals["points"])
    )
    return (
        f"<h2>{escape(w.text('headline'))}</h2><p>{escape(said)}</p>"
        f"<div class='cards'>{''.join(cards)}</div>{headline_chart(report, w.lang)}"
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
    ax.set_xticks(xs, [words.month(m) for m in months])
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


def _ranking_table(units: list[dict[str, Any]], w: Words) -> str:
    return _table(
        [
            w.heading("rank"),
            w.text("unit"),
            w.text("province"),
            w.heading("dossiers"),
            *(_short(w, i.key) for i in INDICATORS),
            w.heading("points"),
        ],
        [
            [
                u["rank"],
                f"{u['unit_code']} {u['unit_name'] or ''}".strip(),
                u["province_name"],
                w.number(u["dossiers"]),
                *(w.percent(u["indicators"][i.key]["rate"]) for i in INDICATORS),
                w.number(u["points"]),
            ]
            for u in units
        ],
        text_cols=3,
    )


def _provinces(report: dict[str, Any], w: Words) -> str:
    if len(report["provinces"]) < 1:
        return ""
    return f"<h2>{escape(w.text('provinces'))}</h2>" + _table(
        [
            w.heading("rank"),
            w.text("province"),
            w.text("units"),
            w.heading("dossiers"),
            *(_short(w, i.key) for i in INDICATORS),
            w.heading("points"),
        ],
        [
            [
                p["rank"],
                f"{p['province_code']} {p['province_name']}",
                w.number(p["units"]),
                w.number(p["dossiers"]),
                *(w.percent(p["indicators"][i.key]["rate"]) for i in INDICATORS),
                w.number(p["points"]),
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


def _where(r: dict[str, Any], w: Words) -> str:
    """A row's unit with its name, or its province with its name."""
    if r.get("unit_code"):
        return f"{r['unit_code']} {r.get('unit_name') or ''}".strip()
    if r.get("province_code"):
        return f"{r['province_code']} {province_name(r['province_code'])}"
    return ""


def _progress_table(rows: list[dict[str, Any]], w: Words) -> str:
    note = ""
    if sum(1 for r in rows if r["level"] == "unit") > _MAX_PROGRESS_ROWS:
        rows = [r for r in rows if r["level"] != "unit"]  # keep the e-mail small
        note = f"<p class='muted'>{escape(w.text('progress_trimmed'))}</p>"
    keys = [
        "declared_entries",
        "digitized_entries",
        "progress_rate",
        "auto_accepted_share",
        "reviewed_share",
        "typed_share",
        "rejected_pages",
        "rejected_by_reason",
    ]
    return note + _table(
        [
            w.heading("level"),
            w.text("unit_province"),
            w.heading("book_type"),
            w.heading("year"),
            *(w.heading(k) for k in keys),
        ],
        [
            [
                w.level(r["level"]),
                _where(r, w),
                w.book_type(r["book_type"]),
                r["year"],
                w.number(r["declared_entries"]),
                w.number(r["digitized_entries"]),
                w.percent(r["progress_rate"]),
                w.percent(r["auto_accepted_share"]),
                w.percent(r["reviewed_share"]),
                w.percent(r["typed_share"]),
                w.number(r["rejected_pages"]),
                rejected_text(r["rejected_by_reason"], w),
            ]
            for r in rows
        ],
        text_cols=3,
        last_text=True,
    )


def _quality_table(rows: list[dict[str, Any]], w: Words) -> str:
    keys = [
        "average_confidence",
        "confidence_values",
        "review_turnaround_median_days",
        "reviewed_records",
    ]
    return _table(
        [w.heading("level"), w.text("unit_province"), *(w.heading(k) for k in keys)],
        [
            [
                w.level(r["level"]),
                _where(r, w),
                w.number(r["average_confidence"]),
                w.number(r["confidence_values"]),
                w.number(r["review_turnaround_median_days"]),
                w.number(r["reviewed_records"]),
            ]
            for r in rows
        ],
        text_cols=2,
    )


def _definitions(report: dict[str, Any], w: Words) -> str:
    items = []
    for key, d in report["definitions"].items():
        said = w.indicator(key)
        head = w.text(
            "definition", title=escape(said.title), max=d["max_points"], target=d["target_percent"]
        )
        body = w.text(
            "definition_body",
            num=escape(said.numerator),
            den=escape(said.denominator),
            points=escape(w.points_rule(d["max_points"])),
        )
        code = f" <code>{escape(key)}</code>" if w.lang == "en" else ""  # the JSON's key
        items.append(f"<dt>{head}{code}</dt><dd>{body}</dd>")
    return (
        f"<dl>{''.join(items)}</dl><p>{escape(w.text('period_rule'))} "
        f"{escape(w.text('rounding'))}</p>"
    )


def _table(
    head: list[str], rows: list[list[Any]], text_cols: int = 1, last_text: bool = False
) -> str:
    """Cells are shown as given (the callers format numbers in the report's language)."""

    def cell(v: Any, i: int, n: int, tag: str) -> str:
        left = i < text_cols or (last_text and i == n - 1)
        cls = " class='t'" if left else ""
        return f"<{tag}{cls}>{escape('' if v is None else str(v))}</{tag}>"

    out = ["<table><tr>", *(cell(h, i, len(head), "th") for i, h in enumerate(head)), "</tr>"]
    for row in rows:
        out += ["<tr>", *(cell(v, i, len(row), "td") for i, v in enumerate(row)), "</tr>"]
    out.append("</table>")
    return "".join(out)
