"""Books typed twice (issue 15): marking a book, and a reviewer settling where the two
keyings of a page differ, beside its image (:mod:`sohoa.review.double_keying`).

Both need the ``arbitrate`` capability (reviewers) and the page's unit in scope; the
arbitrator may not be one of the page's two keyers. The keyers' names are not shown to
the arbitrator ("lần 1", "lần 2"): the choice is the page's, not a person's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from sohoa.db.tables import BOOK_TYPES
from sohoa.review import books, double_keying, queue
from sohoa.review.queue import ReviewError, ReviewItem
from sohoa.web import review_view as view
from sohoa.web.access import Principal
from sohoa.web.error_texts import vietnamese
from sohoa.web.page_images import page_image
from sohoa.web.pages import redirect, render
from sohoa.web.routes.review import _item_in_scope, _overrides, next_page
from sohoa.web.security import Forbidden, context, require

router = APIRouter()
log = logging.getLogger(__name__)


@router.post("/review/{item_id}/double-entry")
async def double_entry(
    request: Request,
    item_id: int,
    on: str = Form("1", max_length=1),
    principal: Principal = Depends(require("arbitrate")),
) -> Response:
    """Mark the page's register book as typed twice (``on=1``) or once (``on=0``)."""
    item = await _item_in_scope(request, principal, item_id)
    if not item.book_id:
        raise Forbidden("Trang này chưa thuộc quyển sổ nào.")
    engine = context(request).engine
    await run_in_threadpool(
        books.set_double_entry, engine, item.book_id, on == "1", actor=principal.username
    )
    log.info("book %s: double entry %s by account %s", item.book_id, on, principal.user_id)
    notice = "double_on" if on == "1" else "double_off"
    return redirect(request, f"/review/{item_id}?notice={notice}")


@dataclass(frozen=True)
class KeyingRates:
    """The dashboard's block on books typed twice, for one unit scope."""

    books: list[tuple[str, int, int, str]]  # (book, pages keyed twice, fields, agreement)
    clerks: list[tuple[str, int, str]]  # (clerk, fields keyed, share unlike the record)


def keying_rates(engine, principal: Principal, scope: str) -> KeyingRates:
    """Agreement per book and disagreement per clerk in ``scope`` (a unit, a province or
    all of the manager's units), for the dashboard."""
    covers = replace(principal, units=(scope,)).covers
    by_book, by_clerk = double_keying.agreement(engine, covers)
    return KeyingRates(
        [(_book_name(b), b.pages, b.fields, _percent(b.rate)) for b in by_book],
        [(c.actor, c.fields, _percent(c.rate)) for c in by_clerk],
    )


def _book_name(b: double_keying.BookRate) -> str:
    book = {"type": b.book_type, "year": b.year, "volume": b.volume}
    return f"{b.unit_code} · {view.book_label(book)}"


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


@dataclass(frozen=True)
class Choice:
    """A field the two keyings differ on, as the arbitrator sees it."""

    name: str
    label: str
    first: str
    second: str


def _shown(name: str, value: Any) -> str:
    if name == "doc_type":
        return view.doc_type_label(value)
    text = view.shown_value(name, value)
    return view.shown_date(text) if view.is_date_field(name) else text


async def _arbitration(
    request: Request, principal: Principal, item_id: int
) -> tuple[ReviewItem, double_keying.Progress]:
    item = await _item_in_scope(request, principal, item_id)
    done = await run_in_threadpool(double_keying.progress, context(request).engine, item_id)
    if item.state != "pending" or len(done.keyings) < 2:
        raise Forbidden("Trang này không chờ phân xử.")
    if principal.username in done.keyers:
        raise Forbidden("Bạn đã nhập trang này nên không phân xử được; hãy nhờ người duyệt khác.")
    return item, done


async def _page(
    request: Request,
    principal: Principal,
    item: ReviewItem,
    done: double_keying.Progress,
    *,
    picked: dict[str, str] | None = None,
    findings=None,
    overrides: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    engine = context(request).engine
    differ = done.differences()
    doc_type = done.keyings[0].doc_type
    agreed = done.agreed()
    if findings is None and not differ:  # agreed, but the checks refused the record
        findings = await run_in_threadpool(queue.check_item, engine, item.id, doc_type, agreed)
    checks = view.check_views(findings or ())
    names = view.field_order_of(doc_type, item)
    choices = [
        Choice(
            n,
            "Loại giấy tờ" if n == "doc_type" else view.field_label(n),
            _shown(n, a),
            _shown(n, b),
        )
        for n, (a, b) in sorted(differ.items(), key=lambda kv: _place(names, kv[0]))
    ]
    same = [(n, view.field_label(n), _shown(n, agreed[n])) for n in names if n in agreed]
    image = await run_in_threadpool(page_image, item.scan_uri, item.page, item.sha256)
    return render(
        request,
        "review_arbitrate.html",
        principal,
        status_code=status_code,
        item=view.item_view(item),
        image=image,
        choices=choices,
        same=same,
        picked=picked or {},
        checks=checks,
        errors=[c for c in checks if c.severity == "error"],
        warnings=[c for c in checks if c.severity == "warning"],
        overrides=overrides or {},
        error=error,
    )


def _place(names: list[str], name: str) -> int:
    return names.index(name) if name in names else -1


@router.get("/review/{item_id}/arbitrate")
async def arbitration_page(
    request: Request, item_id: int, principal: Principal = Depends(require("arbitrate"))
) -> Response:
    item, done = await _arbitration(request, principal, item_id)
    return await _page(request, principal, item, done)


@router.post("/review/{item_id}/arbitrate")
async def arbitrate(
    request: Request, item_id: int, principal: Principal = Depends(require("arbitrate"))
) -> Response:
    item, done = await _arbitration(request, principal, item_id)
    posted = await request.form()
    picked = {k: str(v)[:2000] for k, v in posted.items() if isinstance(v, str)}
    chosen: dict[str, Any] = {}
    for name in done.differences():
        pick = picked.get(f"choice-{name}")
        if pick in ("1", "2"):
            keyed = done.keyings[int(pick) - 1]
            chosen[name] = keyed.doc_type if name == "doc_type" else keyed.values.get(name)
        elif pick == "other" and name != "doc_type":
            chosen[name] = view.from_input(name, picked.get(f"other-{name}", ""))
    for name, value in done.agreed().items():  # an agreed value the arbitrator changed
        shown = picked.get(f"same-{name}")
        if shown is not None and shown.strip() != _shown(name, value):
            chosen[name] = view.from_input(name, shown)
    if chosen.get("doc_type") not in (None, *BOOK_TYPES):
        chosen.pop("doc_type")
    overrides = _overrides(
        [str(v) for v in posted.getlist("override")], picked.get("override_reason", "")
    )
    engine = context(request).engine
    try:
        record_id = await run_in_threadpool(
            double_keying.arbitrate,
            engine,
            item_id,
            chosen,
            actor=principal.username,
            overrides=overrides,
        )
    except ReviewError as exc:
        return await _page(
            request,
            principal,
            item,
            done,
            picked=picked,
            findings=exc.params.get("findings"),
            overrides=overrides,
            error=vietnamese(exc),
            status_code=400,
        )
    log.info(
        "review item %s arbitrated as record %s by account %s",
        item_id,
        record_id,
        principal.user_id,
    )
    return await next_page(request, principal, "arbitrated")
