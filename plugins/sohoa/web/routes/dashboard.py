"""The managers' dashboard: KPI figures and charts of their units, and report downloads.

Only the ``reports`` capability (managers) gets here; a unit outside the manager's scope
is refused (403). Building a report and drawing its charts is slow, blocking work: it runs
in the thread pool, never on the event loop.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from sohoa.kpi.indicators import INDICATORS, TARGET_PERCENT
from sohoa.reports.words import INDICATOR_WORDS, words
from sohoa.web.access import Principal
from sohoa.web.dashboard_view import (
    DOWNLOAD_LANGS,
    DOWNLOADS,
    INDICATOR_TITLES,
    MONTHS,
    PERIOD_HINT,
    QUARTERS,
    WHOLE_YEAR,
    DashboardError,
    build_dashboard,
    check_period,
    chosen_period,
    number,
    percent,
    pick_unit,
    picker_state,
    report_file,
    unit_choices,
)
from sohoa.web.labels import DOC_TYPE_LABELS
from sohoa.web.pages import href, render
from sohoa.web.routes.arbitration import keying_rates
from sohoa.web.security import Forbidden, context, require

router = APIRouter()


@router.get("/dashboard")
async def dashboard(
    request: Request,
    period: str | None = Query(None, max_length=20),
    year: str | None = Query(None, max_length=8),
    part: str | None = Query(None, max_length=8),
    unit: str | None = Query(None, max_length=40),
    principal: Principal = Depends(require("reports")),
) -> Response:
    """The picker sends ``year`` and ``part`` (Q1…Q4, 01…12 or "year"); a link may carry
    ``period=2026-Q4`` as the CLI writes it."""
    engine = context(request).engine
    selected = await run_in_threadpool(_unit_or_refuse, principal, unit)  # unit tables
    period_text = chosen_period(year, part, period)
    shown = selected if isinstance(selected, str) else principal.units[0]
    choices = await run_in_threadpool(unit_choices, engine, principal, shown)
    picked_year, picked_part = picker_state(period_text)
    page = {
        "period_text": period_text,
        "picked_year": picked_year,
        "picked_part": picked_part,
        "quarters": QUARTERS,
        "months": MONTHS,
        "whole_year": WHOLE_YEAR,
        "unit": shown,
        "choices": choices,
        "period_hint": PERIOD_HINT,
        "indicators": INDICATORS,
        "titles": INDICATOR_TITLES,
        "definitions": INDICATOR_WORDS["vi"],
        "report_words": words("vi"),
        "book_types": DOC_TYPE_LABELS,
        "target": TARGET_PERCENT,
        "percent": percent,
        "number": number,
        "downloads": DOWNLOADS,
        "download_langs": DOWNLOAD_LANGS,
    }
    if isinstance(selected, DashboardError):
        return render(
            request, "dashboard.html", principal, status_code=400, error=selected.message, **page
        )
    try:
        per = check_period(period_text)
    except DashboardError as exc:
        return render(
            request,
            "dashboard.html",
            principal,
            status_code=exc.status_code,
            error=exc.message,
            **page,
        )
    view = await run_in_threadpool(build_dashboard, engine, per, selected)
    links = {
        (fmt, lang): href(request, f"/dashboard/report.{fmt}")
        + "?"
        + urlencode({"period": per.label, "unit": selected, "lang": lang})
        for fmt in DOWNLOADS
        for lang in DOWNLOAD_LANGS
    }
    keying = await run_in_threadpool(keying_rates, engine, principal, selected)  # issue 15
    return render(
        request, "dashboard.html", principal, view=view, links=links, keying=keying, **page
    )


@router.get("/dashboard/report.{fmt}")
async def download(
    request: Request,
    fmt: str,
    period: str | None = Query(None, max_length=20),
    year: str | None = Query(None, max_length=8),
    part: str | None = Query(None, max_length=8),
    unit: str | None = Query(None, max_length=40),
    lang: str = Query("vi", max_length=4),
    principal: Principal = Depends(require("reports")),
) -> Response:
    selected = await run_in_threadpool(_unit_or_refuse, principal, unit)  # unit tables
    if isinstance(selected, DashboardError):
        return PlainTextResponse(selected.message, status_code=selected.status_code)
    try:
        per = check_period(chosen_period(year, part, period))
        content, media, filename = await run_in_threadpool(
            report_file, context(request).engine, per, selected, fmt, lang
        )
    except DashboardError as exc:
        return PlainTextResponse(exc.message, status_code=exc.status_code)
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _unit_or_refuse(principal: Principal, unit: str | None) -> str | DashboardError:
    """The unit to show, a 400 error to show on the page, or Forbidden (403) raised."""
    try:
        return pick_unit(principal, unit)
    except DashboardError as exc:
        if exc.status_code == 403:
            raise Forbidden(exc.message) from None
        return exc
