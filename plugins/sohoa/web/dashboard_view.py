"""What the managers' dashboard shows, apart from the HTTP plumbing.

The figures are the KPI report's own (:func:`sohoa.kpi.report.build_report`), for one
unit the manager may see; the charts are the HTML report's (:mod:`sohoa.reports.html`), so
the page and the e-mailed report never disagree. Beside them: how many civil records were
loaded into the database, which is what archive staff see move when they confirm a page.
"""

from __future__ import annotations

import io
import re
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, case, func, select

from ocr.errors import ConfigurationError
from sohoa.db.tables import civil_record, register_book
from sohoa.db.tables import unit as unit_table
from sohoa.kpi.periods import Period, parse_period
from sohoa.labels import rejections_by_label
from sohoa.localtime import in_vietnam
from sohoa.reports.words import INDICATOR_WORDS, period_name, words
from sohoa.web.access import ALL_UNITS, Principal

PERIOD_HINT = "chọn quý, tháng hoặc cả năm, và năm (ví dụ Quý IV/2026)"
MIN_YEAR, MAX_YEAR = 1990, 2100  # reports before digitization began make no sense
_UNIT_CODE = re.compile(r"[0-9A-Za-z.]{1,32}")  # as sohoa.web.accounts accepts them

# The period picker: what a manager chooses (value -> label); the year is typed beside it.
QUARTERS = [(f"Q{q}", f"Quý {roman}") for q, roman in enumerate(("I", "II", "III", "IV"), 1)]
MONTHS = [(f"{m:02d}", f"Tháng {m}") for m in range(1, 13)]
WHOLE_YEAR = ("year", "Cả năm")

INDICATOR_TITLES = {key: w.title for key, w in INDICATOR_WORDS["vi"].items()}
_VI = words("vi")
DOWNLOAD_LANGS = {"vi": "Tiếng Việt", "en": "English"}
DOWNLOADS = {
    # format -> (media type, file extension, label)
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "Excel (.xlsx)",
    ),
    "csv": ("application/zip", "csv.zip", "CSV (nhiều bảng, nén .zip)"),
    "json": ("application/json", "json", "JSON"),
    "html": ("text/html; charset=utf-8", "html", "HTML (gửi thư điện tử)"),
}
_MAX_PROGRESS_ROWS = 200  # rows of the register table on the page; the downloads have all

# pyplot keeps global state: two requests drawing at once would mix their figures.
_CHART_LOCK = threading.Lock()


class DashboardError(Exception):
    """A request the dashboard cannot answer; ``message`` is shown to the person."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


@dataclass(frozen=True)
class RecordCounts:
    """Civil records in the scope: loaded during the period, and loaded by its end."""

    in_period: int
    to_period_end: int


@dataclass
class Dashboard:
    period: Period
    unit: str  # "*" or a unit / province code
    report: dict[str, Any] | None  # None: no data of this unit in the database yet
    records: RecordCounts
    charts: dict[str, str] = field(default_factory=dict)  # name -> inline SVG

    @property
    def progress_rows(self) -> list[dict[str, Any]]:
        rows = self.report["register_progress"] if self.report else []
        return [r for r in rows if r["level"] == "unit"][:_MAX_PROGRESS_ROWS]

    @property
    def title(self) -> str:
        return period_title(self.period)

    @property
    def last_day(self) -> date:
        return self.period.after - timedelta(days=1)

    @staticmethod
    def rejections(row: dict[str, Any]) -> list[tuple[str, int]]:
        """A progress row's rejected pages per reason, in Vietnamese."""
        return sorted(rejections_by_label(row["rejected_by_reason"]).items())

    @property
    def quality(self) -> dict[str, Any] | None:
        rows = self.report["data_quality"] if self.report else []
        return next((r for r in rows if r["level"] == "all"), None)


def current_quarter(now: datetime | None = None) -> str:
    """This quarter in Vietnam (Asia/Ho_Chi_Minh), e.g. ``2026-Q4``."""
    local = in_vietnam(now or datetime.now(UTC))
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def check_period(text: str) -> Period:
    """The period of a link (``2026-Q4``, ``2026-05``, ``2026``: the CLI's form), or a
    :class:`DashboardError` saying what to choose."""
    try:
        period = parse_period(text)
    except (ConfigurationError, ValueError):
        raise DashboardError(f"Kỳ báo cáo không hợp lệ: hãy {PERIOD_HINT}.") from None
    if not MIN_YEAR <= period.first.year <= MAX_YEAR:
        raise DashboardError(f"Năm của kỳ báo cáo phải từ {MIN_YEAR} đến {MAX_YEAR}.")
    return period


def chosen_period(year: str | None, part: str | None, period: str | None) -> str:
    """The period the picker chose (a year and a quarter, a month or "year") as the
    CLI writes it; a ``period`` from a link when the picker was not used; else this
    quarter. Malformed choices give text that :func:`check_period` refuses."""
    year = (year or "").strip()
    part = (part or "").strip()
    if year:
        if not re.fullmatch(r"\d{4}", year):
            return f"?{year}"
        if part == WHOLE_YEAR[0]:
            return year
        return f"{year}-{part}"
    return (period or "").strip() or current_quarter()


def picker_state(text: str) -> tuple[str, str]:
    """(year, part) the picker shows for a period text (``2026-Q4`` -> 2026, Q4)."""
    m = re.fullmatch(r"(\d{4})(?:-(Q[1-4]|0[1-9]|1[0-2]))?", text.strip())
    if not m:
        year = current_quarter()[:4]
        return year, current_quarter()[5:]
    return m.group(1), m.group(2) or WHOLE_YEAR[0]


def period_title(period: Period) -> str:
    """ "Quý IV/2026", "Tháng 5/2026", "Năm 2026"."""
    return period_name(period, "vi")


def pick_unit(principal: Principal, requested: str | None) -> str:
    """The unit to show: the one asked for if the manager may see it, else their first.

    Raises :class:`DashboardError` (400) for a malformed code and (403) for a unit
    outside the manager's scope.
    """
    code = (requested or "").strip() or principal.units[0]
    if code != ALL_UNITS and not _UNIT_CODE.fullmatch(code):
        raise DashboardError("Mã đơn vị không hợp lệ.")
    allowed = code in principal.units or (code != ALL_UNITS and principal.covers(code))
    if not allowed:
        raise DashboardError("Bạn không có quyền xem chỉ tiêu của đơn vị này.", 403)
    return code


def unit_choices(engine: Engine, principal: Principal, selected: str) -> list[tuple[str, str]]:
    """(code, label) of the manager's units for the select; the selected one included."""
    codes = list(principal.units)
    if selected not in codes:
        codes.append(selected)
    with engine.connect() as conn:
        names = dict(
            conn.execute(
                select(unit_table.c.code, unit_table.c.name).where(unit_table.c.code.in_(codes))
            ).all()
        )
    return [(code, unit_label(code, names.get(code))) for code in codes]


def unit_label(code: str, name: str | None = None) -> str:
    """ "Phường Tân Hiệp (25920)": the database's name, else the unit list's."""
    from sohoa.kpi.units import is_province_code, province_of, unit_name

    if code == ALL_UNITS:
        return "Tất cả đơn vị"
    if is_province_code(code):
        return f"Tỉnh/thành phố {province_of(code).name} ({code})"
    name = name or unit_name(code)
    return f"{name} ({code})" if name else f"Đơn vị {code}"


def build_dashboard(engine: Engine, period: Period, unit: str, *, charts: bool = True) -> Dashboard:
    """The report, record counts and charts of ``unit`` ("*" = all) for ``period``."""
    from sohoa.kpi.report import build_report, resolve_scope

    scope_code = None if unit == ALL_UNITS else unit
    with engine.connect() as conn:
        try:
            scope = resolve_scope(conn, scope_code)
        except ConfigurationError:  # a commune without any book or dossier yet
            return Dashboard(period, unit, None, RecordCounts(0, 0))
        records = _count_records(conn, period, scope.unit_ids)
    report = build_report(engine, period, scope_code)
    view = Dashboard(period, unit, report, records)
    if charts:
        view.charts = draw_charts(report)
    return view


def _count_records(conn, period: Period, unit_ids: list[int] | None) -> RecordCounts:
    """Records by the time they were loaded (``created_at``: a confirmed review item is
    loaded when it is confirmed), not by their registration date: this is the work done."""
    from sohoa.kpi.dossier_counts import db_time

    start, end = db_time(conn, period.start_utc), db_time(conn, period.end_utc)
    cr, rb = civil_record, register_book
    created = cr.c.created_at
    query = select(
        func.coalesce(func.sum(case(((created >= start) & (created < end), 1), else_=0)), 0),
        func.coalesce(func.sum(case((created < end, 1), else_=0)), 0),
    ).select_from(cr.join(rb, rb.c.id == cr.c.book_id))
    if unit_ids is not None:
        query = query.where(rb.c.unit_id.in_(unit_ids))
    in_period, to_end = conn.execute(query).one()
    return RecordCounts(int(in_period), int(to_end))


def draw_charts(report: dict[str, Any]) -> dict[str, str]:
    """The HTML report's charts (matplotlib, inline SVG) for what the report has data for,
    drawn with Vietnamese words (axes, legends, book types) for the Vietnamese page."""
    import matplotlib

    matplotlib.use("Agg")
    from sohoa.reports import html as report_html

    out: dict[str, str] = {}
    with _CHART_LOCK:
        if any(t["dossiers"] for t in report["trend"]):
            out["trend"] = report_html.trend_chart(report["trend"], lang="vi")
        if any(u["points"] is not None for u in report["units"]):
            out["ranking"] = report_html.ranking_chart(report["units"], lang="vi")
        if any(r["progress_rate"] is not None for r in report["register_progress"]):
            out["progress"] = report_html.progress_chart(report["register_progress"], lang="vi")
    return out


def report_file(
    engine: Engine, period: Period, unit: str, fmt: str, lang: str = "vi"
) -> tuple[bytes, str, str]:
    """(content, media type, file name) of the report in ``fmt`` and ``lang``.

    CSV holds one table per file and the report has several (indicators, trend, register
    progress, data quality, definitions), so the CSV download is a zip of them all, the
    same files ``sohoa report --format csv`` writes.
    """
    from sohoa.reports.render import render

    if fmt not in DOWNLOADS:
        raise DashboardError("Định dạng báo cáo không hỗ trợ; chọn xlsx, csv, json hoặc html.", 404)
    if lang not in DOWNLOAD_LANGS:
        raise DashboardError("Ngôn ngữ báo cáo là vi (tiếng Việt) hoặc en (tiếng Anh).")
    view = build_dashboard(engine, period, unit, charts=False)
    if view.report is None:
        raise DashboardError(f"Chưa có dữ liệu nào của đơn vị {unit} trong cơ sở dữ liệu.", 404)
    report = view.report
    media, ext, _ = DOWNLOADS[fmt]
    stem = f"kpi-{period.label}-{'tat-ca' if unit == ALL_UNITS else unit}"
    stem += "-en" if lang == "en" else ""
    with tempfile.TemporaryDirectory(prefix="sohoa-report-") as tmp:
        target = Path(tmp) / f"{stem}.{fmt}"
        if fmt == "html":
            with _CHART_LOCK:
                paths = render(report, fmt, target, lang=lang)
        else:
            paths = render(report, fmt, target, lang=lang)
        if fmt == "csv":
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in paths:
                    zf.write(path, path.name)
            content = buf.getvalue()
        else:
            content = paths[0].read_bytes()
    return content, media, f"{stem}.{ext}"


def percent(value: float | None) -> str:
    """``66,67 %`` (Vietnamese decimal comma); a missing rate (no dossiers) is a dash."""
    return _VI.percent(value)


def number(value: float | int | None) -> str:
    """``1.234`` and ``8,63``, as the Vietnamese report writes them."""
    return _VI.number(value)
