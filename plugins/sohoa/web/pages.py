"""Rendering server-side pages: one Jinja environment, and links that work both under
``sohoa serve`` and mounted inside Airflow's API server (under a URL prefix)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from sohoa import labels
from sohoa.localtime import vietnam_time
from sohoa.web.access import CAPABILITIES, ROLE_LABELS, Principal

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
# Every page reads codes through the one catalogue and shows times in Vietnam time.
templates.env.globals.update(
    field_label=labels.field_label,
    rule_label=labels.rule_label,
    action_label=labels.action_label,
    history_note=labels.history_note,
    vietnam_time=vietnam_time,
)

# (capability, path, label) of the navigation bar, in order.
NAVIGATION = [
    ("upload", "/upload", "Tải lên"),
    ("batches", "/batches", "Lô tải lên"),
    ("review", "/review", "Duyệt hồ sơ"),
    ("lookup", "/lookup", "Tra cứu"),
    ("reports", "/dashboard", "Chỉ tiêu"),
    ("accounts", "/accounts", "Tài khoản"),
]
assert all(cap in CAPABILITIES for cap, _, _ in NAVIGATION)


def href(request: Request, path: str) -> str:
    """``path`` under the app's mount point (``root_path``) when there is one."""
    root = request.scope.get("root_path", "").rstrip("/")
    return f"{root}{path}"


def render(
    request: Request,
    template: str,
    principal: Principal | None = None,
    *,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    nav = (
        [(path, label) for cap, path, label in NAVIGATION if principal.can(cap)]
        if principal
        else []
    )
    context = {
        "principal": principal,
        "csrf_token": principal.csrf_token if principal else values.pop("csrf_token", ""),
        "nav": nav,
        "role_label": ROLE_LABELS.get(principal.role, "") if principal else "",
        "href": lambda path: href(request, path),
        **values,
    }
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def redirect(request: Request, path: str) -> RedirectResponse:
    """See-other after a form post, so a reload does not post twice."""
    return RedirectResponse(href(request, path), status_code=303)


HOME = {
    "archive_staff": "/batches",
    "reviewer": "/review",
    "manager": "/dashboard",
    "admin": "/accounts",
}


def home_of(principal: Principal) -> str:
    """Where each role starts after signing in."""
    return HOME[principal.role]
