"""The reuse lookup over HTTP (issue 5): ``POST /api/lookup`` for other systems' screens,
and a small ``/lookup`` page with a plain form for archive staff and reviewers.

Values travel only in POST bodies (never in URLs) and are never logged. The answer is
limited to the records of the person's own units: a record of another unit is answered
exactly like no record at all (see :func:`scoped_lookup`).
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from ocr.errors import ConfigurationError
from sohoa.db.tables import dossier, unit
from sohoa.web.access import Principal
from sohoa.web.labels import DOC_TYPE_LABELS
from sohoa.web.pages import render
from sohoa.web.security import context, require

router = APIRouter()
log = logging.getLogger(__name__)

KINDS = {"personal_id": "Số định danh cá nhân", "registration_number": "Số đăng ký"}


class LookupRequest(BaseModel):
    kind: Literal["personal_id", "registration_number"]
    value: str = Field(max_length=64)
    dossier_code: str | None = Field(None, max_length=64)
    component: str | None = Field(None, max_length=200)  # name or position in the dossier


class LookupRefused(Exception):
    """Bad input or an unknown dossier; ``message`` is Vietnamese, ``status_code`` HTTP."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


@router.post("/api/lookup")
async def api_lookup(
    request: Request, body: LookupRequest, principal: Principal = Depends(require("lookup"))
) -> JSONResponse:
    try:
        result = await run_in_threadpool(
            scoped_lookup,
            context(request).engine,
            principal,
            body.kind,
            body.value,
            body.dossier_code,
            body.component,
        )
    except LookupRefused as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status_code)
    return JSONResponse(result)


@router.get("/lookup")
async def lookup_page(request: Request, principal: Principal = Depends(require("lookup"))):
    return render(
        request, "lookup.html", principal, kinds=KINDS, doc_types=DOC_TYPE_LABELS, form={}
    )


@router.post("/lookup")
async def lookup_form(
    request: Request,
    kind: str = Form(..., max_length=32),
    value: str = Form(..., max_length=64),
    dossier_code: str = Form("", max_length=64),
    component: str = Form("", max_length=200),
    principal: Principal = Depends(require("lookup")),
) -> Response:
    form = {"kind": kind, "value": value, "dossier_code": dossier_code, "component": component}
    page = {"kinds": KINDS, "doc_types": DOC_TYPE_LABELS, "form": form}
    try:
        result = await run_in_threadpool(
            scoped_lookup,
            context(request).engine,
            principal,
            kind,
            value,
            dossier_code or None,
            component or None,
        )
    except LookupRefused as exc:
        return render(
            request,
            "lookup.html",
            principal,
            status_code=exc.status_code,
            error=exc.message,
            **page,
        )
    return render(request, "lookup.html", principal, result=result, **page)


def scoped_lookup(
    engine: Engine,
    principal: Principal,
    kind: str,
    value: str,
    dossier_code: str | None = None,
    component: str | None = None,
) -> dict[str, Any]:
    """:func:`sohoa.dossiers.reuse.lookup` limited to the records ``principal`` may see.

    - The dossier served must be one of the person's units; another unit's dossier is
      "not found" (404), like a code that does not exist.
    - Records of other units are left out of the answer, the audit row and the
      component's "reused" mark alike: when none is left, the answer is the one of a lookup
      that found nothing (a ``reuse_event`` with ``found`` false and no record).
    """
    from sohoa.dossiers.reuse import lookup

    value, dossier_code = _checked(kind, value), (dossier_code or "").strip() or None
    component = (component or "").strip() or None
    if component and not dossier_code:
        raise LookupRefused("Muốn đánh dấu thành phần hồ sơ được sử dụng lại, hãy nhập mã hồ sơ.")
    with engine.connect() as conn:
        if dossier_code:
            owner = conn.execute(
                select(unit.c.code)
                .join(dossier, dossier.c.unit_id == unit.c.id)
                .where(dossier.c.dossier_code == dossier_code)
            ).scalar()
            if owner is None or not principal.covers(owner):
                raise LookupRefused(
                    "Không tìm thấy hồ sơ thủ tục hành chính có mã này trong các đơn vị của bạn.",
                    404,
                )
    try:
        result = lookup(
            engine,
            **{kind: value},
            dossier_code=dossier_code,
            component=component,
            actor=principal.username,
            visible=lambda record: principal.covers(record["book"]["unit"]),
        )
    except ConfigurationError as exc:  # e.g. the dossier has no such component
        raise LookupRefused(f"Không tra cứu được: {exc}") from None
    log.info(
        "reuse lookup by account %s: %s, %d record(s)",
        principal.user_id,
        kind,
        len(result.records),
    )  # never the value: it is personal data
    return result.as_dict()


def _checked(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind == "personal_id":
        if not (value.isdigit() and len(value) == 12):
            raise LookupRefused("Số định danh cá nhân gồm đúng 12 chữ số.")
    elif kind == "registration_number":
        if not value or len(value) > 32:
            raise LookupRefused("Hãy nhập số đăng ký (tối đa 32 ký tự).")
    else:
        raise LookupRefused("Loại tra cứu phải là số định danh cá nhân hoặc số đăng ký.")
    return value
