"""Review pages (SPEC 5): the pages the machine could not settle, beside their image.

Every endpoint checks the capability (``review``; ``confirm`` to confirm) and then the
item's unit against the principal's scope before anything is read or changed. Every
change goes through :mod:`sohoa.review.queue` with ``actor=principal.username``, so the
audit trail (``review_action``) says who did it. URLs carry item ids and field names
only; values and reasons travel in POST bodies, and logs name items and accounts by id.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from sohoa.db.tables import BOOK_TYPES
from sohoa.review import queue
from sohoa.review.queue import ReviewError, ReviewItem
from sohoa.web import review_view as view
from sohoa.web.access import ALL_UNITS, Principal
from sohoa.web.error_texts import vietnamese
from sohoa.web.page_images import page_image
from sohoa.web.pages import redirect, render
from sohoa.web.security import Forbidden, context, require, require_unit

router = APIRouter()
log = logging.getLogger(__name__)

LIST_LIMIT = 200  # rows on the list page
SCAN_LIMIT = 5000  # pending items read when a scope is a province or all units

NOTICES = {
    "confirmed": "Đã xác nhận hồ sơ; bản ghi đã được nạp vào cơ sở dữ liệu.",
    "rejected": "Đã từ chối trang, kèm lý do.",
    "entered": "Đã nhập tay và nạp hồ sơ vào cơ sở dữ liệu.",
}


# --- reading -------------------------------------------------------------------------------


def pending_in_scope(engine, principal: Principal, limit: int = LIST_LIMIT) -> list[ReviewItem]:
    """Pending items of the units the principal covers, oldest first.

    A commune in the scope is asked for directly; a province (or all units) means reading
    the queue and keeping what the principal covers."""
    from sohoa.kpi.units import is_province_code

    broad = any(s == ALL_UNITS or is_province_code(s) for s in principal.units)
    batches = (
        [queue.list_pending(engine, limit=SCAN_LIMIT)]
        if broad
        else [queue.list_pending(engine, unit_code=s, limit=limit) for s in principal.units]
    )
    found = {
        item.id: item
        for items in batches
        for item in items
        if item.book and principal.covers(item.book["unit"])
    }
    return [found[i] for i in sorted(found)][:limit]


def _next_path(engine, principal: Principal, notice: str) -> str:
    upcoming = pending_in_scope(engine, principal, limit=1)
    target = f"/review/{upcoming[0].id}" if upcoming else "/review"
    return f"{target}?notice={notice}"


async def _item_in_scope(request: Request, principal: Principal, item_id: int) -> ReviewItem:
    """The item, once the principal may see it: 404 when there is none, 403 for another
    unit's item (checked before any change is attempted)."""
    try:
        item = await run_in_threadpool(queue.show, context(request).engine, item_id)
    except ReviewError:
        raise HTTPException(404) from None
    require_unit(principal, item.book["unit"] if item.book else None)
    return item


def _notice(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("notice", ""))


@router.get("/review")
async def review_list(
    request: Request, principal: Principal = Depends(require("review"))
) -> Response:
    items = await run_in_threadpool(pending_in_scope, context(request).engine, principal)
    return render(
        request,
        "review_list.html",
        principal,
        rows=[view.list_row(i) for i in items],
        limit=LIST_LIMIT,
        notice=_notice(request),
    )


async def _item_page(
    request: Request,
    principal: Principal,
    item: ReviewItem,
    *,
    focus: str | None = None,
    error: str | None = None,
    error_field: str | None = None,
    typed: dict[str, str] | None = None,
    reason: str = "",
    findings=None,
    overrides: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    if findings is None:  # what the checks say of the working copy, before confirming
        findings = await run_in_threadpool(_current_checks, context(request).engine, item)
    shown = view.item_view(item, findings)
    image = await run_in_threadpool(page_image, item.scan_uri, item.page, item.sha256)
    names = [f.name for f in shown.fields]
    if focus not in names:
        focus = next((f.name for f in shown.fields if f.flagged), names[0] if names else None)
    if typed:  # a refused value stays in its input, so it can be fixed rather than retyped
        for f in shown.fields:
            if f.name in typed:
                f.value = typed[f.name]
    return render(
        request,
        "review_item.html",
        principal,
        status_code=status_code,
        item=shown,
        image=image,
        focus=focus,
        error=error,
        error_field=error_field,
        reason=reason,
        notice=_notice(request),
        can_confirm=principal.can("confirm"),
        overrides=overrides or {},
    )


def _current_checks(engine, item: ReviewItem) -> list:
    if not item.fields or item.state != "pending" or item.doc_type not in BOOK_TYPES:
        return []
    return queue.check_item(engine, item.id)


def _overrides(fields: list[str], reason: str) -> dict[str, str]:
    """The warnings a person ticked as "the page says so", each with the reason given."""
    return {f: reason for f in fields if f}


@router.get("/review/{item_id}")
async def review_item(
    request: Request, item_id: int, principal: Principal = Depends(require("review"))
) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    return await _item_page(request, principal, item, focus=request.query_params.get("field"))


@router.get("/review/{item_id}/page.png")
async def review_page_image(
    request: Request, item_id: int, principal: Principal = Depends(require("review"))
) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    image = await run_in_threadpool(page_image, item.scan_uri, item.page, item.sha256)
    if image is None:
        raise HTTPException(404)
    return Response(image.png, media_type="image/png")  # no-store: set by the app for all


# --- changing ------------------------------------------------------------------------------


@router.post("/review/{item_id}/fields")
async def correct_field(
    request: Request,
    item_id: int,
    name: str = Form(..., max_length=64),
    value: str = Form("", max_length=2000),
    principal: Principal = Depends(require("review")),
) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    engine = context(request).engine
    if name not in view.field_names(item.doc_type):
        # The queue checks known types itself; a page of unknown type has no fields to
        # correct (it is typed in whole), so nothing is let through for it either.
        return await _item_page(
            request,
            principal,
            item,
            error="Trang này không có trường đó; hãy nhập tay cả hồ sơ nếu cần.",
            status_code=400,
        )
    typed = view.from_input(name, value)
    try:
        # Saved even when unchanged: a person pressing "save" on a doubtful value vouches
        # for it, and the trail should say so (the script skips unchanged fields on Enter).
        await run_in_threadpool(
            queue.correct_field, engine, item_id, name, typed, actor=principal.username
        )
    except ReviewError as exc:
        return await _item_page(
            request,
            principal,
            item,
            focus=name,
            error=vietnamese(exc),
            error_field=exc.field,
            typed={name: value},
            status_code=400,
        )
    log.info("review item %s: field corrected by account %s", item_id, principal.user_id)
    return redirect(request, f"/review/{item_id}?field={_after(item, name)}")


def _after(item: ReviewItem, name: str) -> str:
    """The field after ``name`` on the form: where the cursor goes once it is saved."""
    names = [f.name for f in view.item_view(item).fields]
    if name not in names:
        return name
    return names[min(names.index(name) + 1, len(names) - 1)]


@router.post("/review/{item_id}/confirm")
async def confirm_item(
    request: Request,
    item_id: int,
    override: list[str] = Form([], max_length=64),
    override_reason: str = Form("", max_length=1000),
    principal: Principal = Depends(require("confirm")),
) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    engine = context(request).engine
    overrides = _overrides(override, override_reason)
    try:
        record_id = await run_in_threadpool(
            queue.confirm, engine, item_id, actor=principal.username, overrides=overrides
        )
    except ReviewError as exc:
        return await _item_page(
            request,
            principal,
            item,
            error=vietnamese(exc),
            findings=exc.params.get("findings"),
            overrides=overrides,
            status_code=400,
        )
    log.info(
        "review item %s confirmed as record %s by account %s", item_id, record_id, principal.user_id
    )
    return redirect(request, await run_in_threadpool(_next_path, engine, principal, "confirmed"))


@router.post("/review/{item_id}/reject")
async def reject_item(
    request: Request,
    item_id: int,
    reason: str = Form("", max_length=1000),
    principal: Principal = Depends(require("review")),
) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    engine = context(request).engine
    try:
        await run_in_threadpool(
            queue.reject_page, engine, item_id, reason, actor=principal.username
        )
    except ReviewError as exc:
        return await _item_page(
            request,
            principal,
            item,
            error=vietnamese(exc),
            reason=reason,
            status_code=400,
        )
    log.info("review item %s: page rejected by account %s", item_id, principal.user_id)
    return redirect(request, await run_in_threadpool(_next_path, engine, principal, "rejected"))


# --- manual entry --------------------------------------------------------------------------


def _default_type(item: ReviewItem) -> str:
    if item.doc_type in view.DOC_TYPE_LABELS and item.doc_type != "unknown":
        return item.doc_type
    return item.book["type"] if item.book else "birth"


async def _manual_page(
    request: Request,
    principal: Principal,
    item: ReviewItem,
    form: view.ManualForm,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    image = await run_in_threadpool(page_image, item.scan_uri, item.page, item.sha256)
    return render(
        request,
        "review_manual.html",
        principal,
        status_code=status_code,
        item=view.item_view(item),
        image=image,
        form=form,
        doc_types=[(t, view.DOC_TYPE_LABELS[t]) for t in BOOK_TYPES],
        error=error,
    )


@router.get("/review/{item_id}/manual")
async def manual_form(
    request: Request, item_id: int, principal: Principal = Depends(require("review"))
) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    doc_type = request.query_params.get("doc_type") or _default_type(item)
    if doc_type not in BOOK_TYPES:
        doc_type = _default_type(item)
    start = view.typed_values(item) if doc_type == item.doc_type else {}
    return await _manual_page(request, principal, item, view.manual_form(doc_type, start))


@router.post("/review/{item_id}/manual")
async def manual_entry(
    request: Request, item_id: int, principal: Principal = Depends(require("review"))
) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    if not principal.can("confirm"):  # typing a record in loads it: that is confirming
        raise Forbidden()
    posted = await request.form()
    doc_type = str(posted.get("doc_type") or "")
    if doc_type not in BOOK_TYPES:
        form = view.manual_form(_default_type(item))
        return await _manual_page(
            request, principal, item, form, error="Hãy chọn loại giấy tờ.", status_code=400
        )
    form = view.manual_form(
        doc_type,
        {n: str(posted.get(n) or "").strip() for n, _, _ in view.manual_form(doc_type).fields},
    )
    if posted.get("shown_type") != doc_type:
        # The type was changed without JavaScript: show that type's fields, save nothing.
        return await _manual_page(request, principal, item, form)
    values = _check_manual(form)
    form.overridden = {str(f) for f in posted.getlist("override") if f}
    form.override_reason = str(posted.get("override_reason") or "")[:1000]
    if form.errors:  # the other checks too, so that one refusal names everything
        engine = context(request).engine
        typed = {n: queue.canonical_value(n, v) for n, v in values.items()}
        form.add_checks(await run_in_threadpool(queue.check_item, engine, item_id, doc_type, typed))
        return await _manual_page(
            request,
            principal,
            item,
            form,
            error="Có trường chưa đúng; xem ghi chú bên cạnh từng trường.",
            status_code=400,
        )
    engine = context(request).engine
    try:
        record_id = await run_in_threadpool(
            queue.enter_record,
            engine,
            item_id,
            doc_type,
            values,
            actor=principal.username,
            overrides=_overrides(sorted(form.overridden), form.override_reason),
        )
    except ReviewError as exc:
        form.add_checks(exc.params.get("findings") or ())
        if exc.field in form.values:
            form.errors[exc.field] = vietnamese(exc)
        return await _manual_page(
            request, principal, item, form, error=vietnamese(exc), status_code=400
        )
    log.info(
        "review item %s typed in as record %s by account %s", item_id, record_id, principal.user_id
    )
    return redirect(request, await run_in_threadpool(_next_path, engine, principal, "entered"))


def _check_manual(form: view.ManualForm) -> dict[str, str]:
    """The typed values the queue will take, filling ``form.errors`` per field: required
    fields present, every value valid on its own (the queue checks again when it saves)."""
    values: dict[str, str] = {}
    for name, _label, required in form.fields:
        raw = form.values.get(name, "")
        if not raw:
            if required:
                form.errors[name] = "Trường này bắt buộc."
            continue
        typed = view.from_input(name, raw)
        try:
            queue.canonical_value(name, typed)
        except ReviewError as exc:
            form.errors[name] = vietnamese(exc)
            continue
        values[name] = typed
    return values
