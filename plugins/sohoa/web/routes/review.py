"""Review pages (docs/review.md): the pages the machine could not settle, beside their image.
(Typing a whole record in is :mod:`sohoa.web.routes.entry`.)

Every endpoint checks the capability (``review``; ``confirm`` to confirm) and then the
item's unit against the principal's scope before anything is read or changed. Every
change goes through :mod:`sohoa.review.queue` with ``actor=principal.username``, so the
audit trail (``review_action``) says who did it. URLs carry item ids and field names
only; values and reasons travel in POST bodies, and logs name items and accounts by id.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from sohoa.db.tables import BOOK_TYPES
from sohoa.review import double_keying, queue
from sohoa.review.queue import ReviewError, ReviewItem
from sohoa.web import review_view as view
from sohoa.web.access import ALL_UNITS, Principal
from sohoa.web.error_texts import vietnamese
from sohoa.web.page_images import page_image
from sohoa.web.pages import href, redirect, render
from sohoa.web.security import context, require, require_unit

router = APIRouter()
log = logging.getLogger(__name__)

LIST_LIMIT = 200  # rows on the list page
SCAN_LIMIT = 5000  # pending items read when a scope is a province or all units

NOTICES = {
    "confirmed": "Đã xác nhận hồ sơ; bản ghi đã được nạp vào cơ sở dữ liệu.",
    "rejected": "Đã từ chối trang, kèm lý do.",
    "entered": "Đã nhập tay và nạp hồ sơ vào cơ sở dữ liệu.",
    "keyed": "Đã lưu lần nhập của bạn; trang chờ người nhập thứ hai.",
    "arbitration": (
        "Hai lần nhập chưa khớp (hoặc chưa qua kiểm tra); trang chờ người duyệt phân xử."
    ),
    "arbitrated": "Đã phân xử và nạp hồ sơ vào cơ sở dữ liệu.",
    "double_on": "Quyển sổ này từ nay nhập hai lần.",
    "double_off": "Quyển sổ này từ nay nhập một lần.",
}


# --- reading -------------------------------------------------------------------------------


def pending_in_scope(engine, principal: Principal, limit: int = LIST_LIMIT) -> list[ReviewItem]:
    """Pending items of the units the principal covers, oldest first.

    A commune in the scope is asked for directly; a province (or all units) means reading
    the queue and keeping what the principal covers."""
    from sohoa.kpi.units import is_province_code

    broad = any(s == ALL_UNITS or is_province_code(s) for s in principal.units)
    pending = (
        [queue.list_pending(engine, limit=SCAN_LIMIT)]
        if broad
        else [queue.list_pending(engine, unit_code=s, limit=limit) for s in principal.units]
    )
    found = {
        item.id: item
        for items in pending
        for item in items
        if item.book and principal.covers(item.book["unit"])
    }
    return [found[i] for i in sorted(found)][:limit]


def keying_state(engine, item: ReviewItem, principal: Principal) -> view.KeyingState:
    """Where a page of a book typed twice stands, for this person."""
    if not item.book_id or not double_keying.is_double(engine, item.id):
        return view.KeyingState(False)
    done = double_keying.progress(engine, item.id)
    return view.KeyingState(
        True,
        len(done.keyings),
        principal.username in done.keyers,
        principal.can("arbitrate") and principal.username not in done.keyers,
    )


@dataclass(frozen=True)
class QueueFilter:
    """Which pages of the queue a person works through: one book, one reason (ids and
    rule names only: no personal data in the URL or the cookie that keeps it)."""

    book: int | None = None
    reason: str | None = None

    def keeps(self, item: ReviewItem) -> bool:
        if self.book is not None and item.book_id != self.book:
            return False
        return self.reason is None or any(r.get("rule") == self.reason for r in item.reasons)

    @property
    def query(self) -> str:
        return urlencode({k: v for k, v in (("book", self.book), ("reason", self.reason)) if v})


FILTER_COOKIE = "sohoa_queue"
_RULE = re.compile(r"^[a-z_]{1,64}$")


def queue_filter(request: Request) -> QueueFilter:
    """The list's filter: from the query when the list page sets one, else the cookie."""
    params = request.query_params
    source = params if ("book" in params or "reason" in params) else None
    if source is None:
        source = parse_qs(request.cookies.get(FILTER_COOKIE, ""))
        source = {k: v[0] for k, v in source.items()}
    book, reason = str(source.get("book") or ""), str(source.get("reason") or "")
    return QueueFilter(
        int(book) if book.isdigit() else None, reason if _RULE.match(reason) else None
    )


def queue_in_scope(engine, principal: Principal, flt: QueueFilter) -> list[ReviewItem]:
    return [i for i in pending_in_scope(engine, principal) if flt.keeps(i)]


def _next_path(engine, principal: Principal, notice: str, flt: QueueFilter) -> str:
    """The oldest page of the queue this person can act on next (not one they keyed)."""
    upcoming = next(
        (
            item
            for item in queue_in_scope(engine, principal, flt)
            if keying_state(engine, item, principal).actionable
        ),
        None,
    )
    target = f"/review/{upcoming.id}" if upcoming else "/review"
    return f"{target}?notice={notice}"


async def next_page(request: Request, principal: Principal, notice: str) -> Response:
    """After a page is done: on to the next one of the person's queue, saying what was done."""
    engine = context(request).engine
    flt = queue_filter(request)
    return redirect(request, await run_in_threadpool(_next_path, engine, principal, notice, flt))


def progress_of(engine, principal: Principal, item_id: int, flt: QueueFilter) -> view.Progress:
    """ "3 / 17": where the page stands in the person's (filtered) queue, and its neighbours."""
    ids = [i.id for i in queue_in_scope(engine, principal, flt)]
    if item_id not in ids:
        return view.Progress(None, len(ids), None, ids[0] if ids else None)
    at = ids.index(item_id)
    return view.Progress(
        at + 1,
        len(ids),
        ids[at - 1] if at > 0 else None,
        ids[at + 1] if at + 1 < len(ids) else None,
    )


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
    engine = context(request).engine
    flt = queue_filter(request)
    everything = await run_in_threadpool(pending_in_scope, engine, principal)
    keyings = await run_in_threadpool(double_keying.pending_counts, engine)
    items = [i for i in everything if flt.keeps(i)]
    response = render(
        request,
        "review_list.html",
        principal,
        rows=[view.list_row(i, keyings.get(i.id)) for i in items],
        counts=view.queue_counts(everything),
        shown=len(items),
        flt=flt,
        limit=LIST_LIMIT,
        notice=_notice(request),
    )
    if "book" in request.query_params or "reason" in request.query_params:
        response.set_cookie(
            FILTER_COOKIE,
            flt.query,
            path=href(request, "/"),
            httponly=True,
            samesite="lax",
            secure=context(request).settings.secure_cookies,
        )
    return response


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
    engine = context(request).engine
    keying = await run_in_threadpool(keying_state, engine, item, principal)
    if keying.double and item.state == "pending":
        # Keyers see the page only: neither the machine's reading nor another's keying.
        findings = []
        item = replace(item, fields={}, actions=view.without_keyed_values(item.actions))
    if findings is None:  # what the checks say of the working copy, before confirming
        findings = await run_in_threadpool(_current_checks, engine, item)
    shown = view.item_view(item, findings)
    image = await run_in_threadpool(page_image, item.scan_uri, item.page, item.sha256)
    flt = queue_filter(request)
    progress = await run_in_threadpool(progress_of, engine, principal, item.id, flt)
    names = [f.name for f in shown.fields]
    if focus not in names:
        open_ = [f for f in shown.fields if f.to_check]  # the sure ones are folded away
        focus = next((f.name for f in open_ if f.flagged), open_[0].name if open_ else None)
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
        can_confirm=principal.can("confirm") and not keying.double,
        can_arbitrate=principal.can("arbitrate"),
        keying=keying,
        double_entry=keying.double,
        progress=progress,
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
    return await _page_file(request, principal, item_id, "view")


@router.get("/review/{item_id}/page-full.jpg")
async def review_page_full(
    request: Request, item_id: int, principal: Principal = Depends(require("review"))
) -> Response:
    """The page at its own size, for zooming in and the fields' magnified regions."""
    return await _page_file(request, principal, item_id, "full")


@router.get("/review/{item_id}/thumb.png")
async def review_page_thumb(
    request: Request, item_id: int, principal: Principal = Depends(require("review"))
) -> Response:
    return await _page_file(request, principal, item_id, "thumb")


async def _page_file(request: Request, principal: Principal, item_id: int, size: str) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    image = await run_in_threadpool(page_image, item.scan_uri, item.page, item.sha256, size)
    if image is None:
        raise HTTPException(404)
    return Response(image.png, media_type=image.media_type)  # no-store: set by the app


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
    names = [f.name for f in view.item_view(item).fields if f.to_check or f.name == name]
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
    return await next_page(request, principal, "confirmed")


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
    return await next_page(request, principal, "rejected")
