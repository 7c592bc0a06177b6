"""Typing a whole record in beside its page ("Nhập tay", issue 15), quickly.

The form follows the paper form of the book's generation; ethnicity, nationality and
the registering authority start from the book's defaults; places are picked from the
official units by a few letters; dates take ``29052000`` as well as ``29/5/2000``. Before
anything is sent, the page asks ``/check`` what the checks say (the rules of
:mod:`sohoa.review.checks`, served here, never repeated in the script), and the record
loads only once it passes them, as :func:`sohoa.review.queue.enter_record` requires.

Every endpoint needs the ``review`` capability and the item's unit in scope; loading
needs ``confirm``. Values travel in POST bodies (the JSON ones with the ``X-CSRF-Token``
header), never in URLs, and logs name items and accounts by id only.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from sohoa.db.tables import BOOK_TYPES
from sohoa.review import books, double_keying, lists, places, queue
from sohoa.review.entry_layout import GENERATIONS, generation_of
from sohoa.review.queue import ReviewError, ReviewItem
from sohoa.web import review_view as view
from sohoa.web.access import Principal
from sohoa.web.error_texts import vietnamese
from sohoa.web.page_images import page_image
from sohoa.web.pages import redirect, render
from sohoa.web.routes.review import _item_in_scope, keying_state, next_page
from sohoa.web.security import Forbidden, context, require

router = APIRouter()
log = logging.getLogger(__name__)


def _default_type(item: ReviewItem) -> str:
    if item.doc_type in view.DOC_TYPE_LABELS and item.doc_type != "unknown":
        return item.doc_type
    return item.book["type"] if item.book else "birth"


def _default_generation(item: ReviewItem) -> str:
    return generation_of(int(item.book["year"]) if item.book else None)


def _book(engine, item: ReviewItem) -> books.BookEntry:
    return (
        books.settings(engine, item.book_id)
        if item.book_id
        else books.BookEntry(0, defaults=dict(books.STARTING))
    )


def _form(engine, item: ReviewItem, doc_type: str, generation: str, values, *, fill: bool):
    names = view.field_names(doc_type)
    defaults = books.field_defaults(_book(engine, item), names)
    return view.manual_form(doc_type, values, generation=generation, defaults=defaults, fill=fill)


async def _manual_page(
    request: Request,
    principal: Principal,
    item: ReviewItem,
    form: view.ManualForm,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    engine = context(request).engine
    image = await run_in_threadpool(page_image, item.scan_uri, item.page, item.sha256)
    book = await run_in_threadpool(_book, engine, item)
    keying = await run_in_threadpool(keying_state, engine, item, principal)
    year = int(item.book["year"]) if item.book else None
    return render(
        request,
        "review_manual.html",
        principal,
        status_code=status_code,
        item=view.item_view(item),
        image=image,
        form=form,
        doc_types=[(t, view.DOC_TYPE_LABELS[t]) for t in BOOK_TYPES],
        generations=list(GENERATIONS.items()),
        ethnic_groups=lists.ethnic_choices(),
        nationalities=lists.nationality_choices(),
        book_defaults=book.defaults,
        eras=" ".join(places.era_of(None, year)),
        keying=keying,
        error=error,
    )


def _chosen(value: Any, choices, fallback: str) -> str:
    return value if isinstance(value, str) and value in choices else fallback


@router.get("/review/{item_id}/manual")
async def manual_form(
    request: Request, item_id: int, principal: Principal = Depends(require("review"))
) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    query = request.query_params
    doc_type = _chosen(query.get("doc_type"), BOOK_TYPES, _default_type(item))
    generation = _chosen(query.get("generation"), GENERATIONS, _default_generation(item))
    engine = context(request).engine
    double = await run_in_threadpool(double_keying.is_double, engine, item_id)
    # A keyer of a book typed twice starts from the page alone, not the machine's reading.
    start = view.typed_values(item) if doc_type == item.doc_type and not double else {}
    form = await run_in_threadpool(_form, engine, item, doc_type, generation, start, fill=True)
    return await _manual_page(request, principal, item, form)


def _posted_form(engine, item: ReviewItem, posted) -> view.ManualForm:
    doc_type = _chosen(posted.get("doc_type"), BOOK_TYPES, _default_type(item))
    generation = _chosen(posted.get("generation"), GENERATIONS, _default_generation(item))
    names = view.field_names(doc_type)
    typed = {n: str(posted.get(n) or "").strip()[:2000] for n in names}
    form = _form(engine, item, doc_type, generation, typed, fill=False)
    form.overridden = {str(f) for f in posted.getlist("override") if f}
    form.override_reason = str(posted.get("override_reason") or "")[:1000]
    return form


@router.post("/review/{item_id}/manual")
async def manual_entry(
    request: Request, item_id: int, principal: Principal = Depends(require("review"))
) -> Response:
    item = await _item_in_scope(request, principal, item_id)
    if not principal.can("confirm"):  # typing a record in loads it: that is confirming
        raise Forbidden()
    engine = context(request).engine
    posted = await request.form()
    if posted.get("doc_type") not in BOOK_TYPES:
        form = await run_in_threadpool(
            _form, engine, item, _default_type(item), _default_generation(item), {}, fill=True
        )
        return await _manual_page(
            request, principal, item, form, error="Hãy chọn loại giấy tờ.", status_code=400
        )
    form = await run_in_threadpool(_posted_form, engine, item, posted)
    if (posted.get("shown_type"), posted.get("shown_generation")) != (
        form.doc_type,
        form.generation,
    ):
        # The type or the form was changed without JavaScript: show it, save nothing.
        return await _manual_page(request, principal, item, form)
    values = await run_in_threadpool(_typed_checks, engine, item, form)
    if form.errors:
        return await _manual_page(
            request,
            principal,
            item,
            form,
            error="Có trường chưa đúng; xem ghi chú bên cạnh từng trường.",
            status_code=400,
        )
    overrides = {key: form.override_reason for key in form.overridden}
    double = await run_in_threadpool(double_keying.is_double, engine, item_id)
    try:
        if double:
            outcome = await run_in_threadpool(
                double_keying.key_record,
                engine,
                item_id,
                form.doc_type,
                values,
                actor=principal.username,
                overrides=overrides,
            )
            record_id = outcome.record_id
        else:
            record_id = await run_in_threadpool(
                queue.enter_record,
                engine,
                item_id,
                form.doc_type,
                values,
                actor=principal.username,
                overrides=overrides,
            )
    except ReviewError as exc:
        form.add_checks(exc.params.get("findings") or ())
        if exc.field in form.values:
            form.errors[exc.field] = vietnamese(exc)
        return await _manual_page(
            request, principal, item, form, error=vietnamese(exc), status_code=400
        )
    if double and record_id is None:
        log.info("review item %s keyed by account %s", item_id, principal.user_id)
        notice = "keyed" if outcome.stage == double_keying.SECOND else "arbitration"
        return await next_page(request, principal, notice)
    log.info(
        "review item %s typed in as record %s by account %s", item_id, record_id, principal.user_id
    )
    return await next_page(request, principal, "entered")


def _typed_checks(
    engine, item: ReviewItem, form: view.ManualForm, *, whole: bool = False
) -> dict[str, str]:
    """The values the queue will take, with ``form.errors`` filled per field: required
    fields present, each value valid on its own; when one is not (or ``whole``), what the
    checks say of the rest (without the gate), so that one answer names everything."""
    values: dict[str, str] = {}
    unused = form.unused_defaults(form.values)
    for name, _label, required in form.fields:
        raw = "" if name in unused else form.values.get(name, "")
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
    if form.errors or whole:
        canonical = {n: queue.canonical_value(n, v) for n, v in values.items()}
        form.add_checks(queue.check_item(engine, item.id, form.doc_type, canonical))
    return values


# --- what the page asks while a clerk types -------------------------------------------------


class CheckRequest(BaseModel):
    doc_type: str = Field(max_length=32)
    generation: str = Field("new", max_length=16)
    values: dict[str, str] = Field(default_factory=dict, max_length=64)


@router.post("/review/{item_id}/check")
async def check_typed(
    request: Request,
    item_id: int,
    body: CheckRequest,
    principal: Principal = Depends(require("review")),
) -> JSONResponse:
    """What the checks say of the record as typed so far: per field, in Vietnamese."""
    item = await _item_in_scope(request, principal, item_id)
    if body.doc_type not in BOOK_TYPES:
        return JSONResponse({"error": "Hãy chọn loại giấy tờ."}, status_code=400)
    engine = context(request).engine

    def run() -> view.ManualForm:
        values = {k: v[:2000] for k, v in body.values.items()}
        generation = _chosen(body.generation, GENERATIONS, "new")
        form = _form(engine, item, body.doc_type, generation, values, fill=False)
        _typed_checks(engine, item, form, whole=True)
        return form

    form = await run_in_threadpool(run)
    shown = {n for n, _, _ in form.fields}
    return JSONResponse(
        {
            # All of them; the page shows those of the inputs the clerk has left.
            "errors": form.errors,
            "warnings": {
                c.key: {"text": c.text, "label": c.field_label, "rule": c.rule}
                for c in form.warning_checks
            },
            "record": [t for k, t in form.errors.items() if k not in shown],
        }
    )


class PlacesRequest(BaseModel):
    q: str = Field(max_length=200)
    eras: list[str] = Field(default_factory=lambda: list(places.ERAS), max_length=2)


@router.post("/review/{item_id}/places")
async def suggest_places(
    request: Request,
    item_id: int,
    body: PlacesRequest,
    principal: Principal = Depends(require("review")),
) -> JSONResponse:
    """Units for the letters typed, the book's own district and province first."""
    item = await _item_in_scope(request, principal, item_id)
    eras = tuple(e for e in places.ERAS if e in body.eras) or places.ERAS
    near = item.book["unit"] if item.book else None
    found = await run_in_threadpool(places.suggest, body.q, eras, near=near)
    return JSONResponse({"places": [p.as_json() for p in found]})


@router.post("/review/{item_id}/book-defaults")
async def set_book_defaults(
    request: Request,
    item_id: int,
    ethnicity: str = Form("", max_length=64),
    nationality: str = Form("", max_length=64),
    registration_place: str = Form("", max_length=300),
    principal: Principal = Depends(require("review")),
) -> Response:
    """The defaults of the item's register book, for the next records typed in."""
    item = await _item_in_scope(request, principal, item_id)
    engine = context(request).engine
    if not item.book_id:
        raise Forbidden("Trang này chưa thuộc quyển sổ nào.")
    values = {
        "ethnicity": ethnicity,
        "nationality": nationality,
        "registration_place": registration_place,
    }
    try:
        await run_in_threadpool(
            books.set_defaults, engine, item.book_id, values, actor=principal.username
        )
    except ReviewError as exc:
        doc_type, generation = _default_type(item), _default_generation(item)
        form = await run_in_threadpool(_form, engine, item, doc_type, generation, {}, fill=True)
        return await _manual_page(
            request, principal, item, form, error=vietnamese(exc), status_code=400
        )
    log.info("book %s: entry defaults set by account %s", item.book_id, principal.user_id)
    return redirect(request, f"/review/{item_id}/manual")
