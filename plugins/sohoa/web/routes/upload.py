"""The upload form: several scans of one register book at once, and the fate of each file.

Only archive staff upload, and always for their own unit (never a unit from the form).
The form works without JavaScript (the answer is the results page); ``static/upload.js``
posts it with ``Accept: application/json`` to show a progress bar and gets JSON back.
The files are checked and stored by :mod:`sohoa.web.uploads`; then, with the ``local``
pipeline, ``sohoa run`` is started in the background (:mod:`sohoa.web.pipeline_trigger`).
"""

from __future__ import annotations

import logging
from collections import Counter

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from sohoa.web.access import Principal
from sohoa.web.pages import href, render
from sohoa.web.pipeline_trigger import trigger
from sohoa.web.security import context, require
from sohoa.web.sessions import COOKIE, principal_for
from sohoa.web.uploads import (
    BOOK_TYPE_LABELS,
    IncomingFile,
    parse_book_form,
    receive_upload,
)

router = APIRouter()
log = logging.getLogger(__name__)

# Files the form parser accepts before the route counts them against settings.max_files,
# so that too many files get a message a clerk understands instead of the parser's 400.
# The request body is bounded anyway (BodyLimit).
PARSER_MAX_FILES = 10_000
FORM_MAX_FIELDS = 200


async def read_form_first(request: Request) -> None:
    """Parse the upload form before ``require`` does (it reads ``csrf_token`` from it),
    with a generous file count. Only for a signed-in uploader: a request without a valid
    session is refused before its body is read."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return
    ctx = context(request)
    principal = await run_in_threadpool(principal_for, ctx.engine, request.cookies.get(COOKIE))
    if principal is not None and principal.can("upload"):
        await request.form(max_files=PARSER_MAX_FILES, max_fields=FORM_MAX_FIELDS)


def _form_page(
    request: Request,
    principal: Principal,
    *,
    errors: list[str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    settings = context(request).settings
    return render(
        request,
        "upload.html",
        principal,
        status_code=status_code,
        unit=principal.home_unit,
        book_types=BOOK_TYPE_LABELS,
        errors=errors or [],
        values=values or {},
        max_file_mb=settings.max_file_mb,
        max_files=settings.max_files,
    )


@router.get("/upload")
async def upload_form(
    request: Request, principal: Principal = Depends(require("upload"))
) -> Response:
    return _form_page(request, principal)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _chosen_files(form: FormData) -> list[UploadFile]:
    """The files of the ``files`` field; a browser sends one empty, nameless part when
    nothing was chosen."""
    return [
        f
        for f in form.getlist("files")
        if isinstance(f, UploadFile) and (f.filename or (f.size or 0) > 0)
    ]


@router.post("/upload", dependencies=[Depends(read_form_first)])
async def upload(request: Request, principal: Principal = Depends(require("upload"))) -> Response:
    ctx = context(request)
    settings = ctx.settings
    form = await request.form(max_files=PARSER_MAX_FILES, max_fields=FORM_MAX_FIELDS)
    try:
        book, errors = parse_book_form(form)
        files = _chosen_files(form)
        if not files:
            errors.append("Hãy chọn ít nhất một tệp ảnh quét.")
        elif len(files) > settings.max_files:
            errors.append(
                f"Mỗi lần chỉ tải lên tối đa {settings.max_files} tệp; bạn đã chọn "
                f"{len(files)} tệp. Hãy chia thành nhiều lần tải lên."
            )
        if principal.home_unit is None:
            errors.append("Tài khoản chưa được gán đơn vị; hãy liên hệ quản trị.")
        if errors or book is None:
            if _wants_json(request):
                return JSONResponse({"errors": errors}, status_code=400)
            values = {k: v for k, v in form.multi_items() if isinstance(v, str)}
            values.pop("csrf_token", None)
            return _form_page(request, principal, errors=errors, values=values, status_code=400)
        landing = await run_in_threadpool(ctx.open_landing)
        upload_id, results = await run_in_threadpool(
            lambda: receive_upload(
                ctx.engine,
                landing,
                user_id=principal.user_id,
                unit=principal.home_unit,
                uploader=principal.username,
                book=book,
                files=[IncomingFile(f.filename, f.file) for f in files],
                max_bytes=settings.max_file_bytes,
            )
        )
    finally:
        await form.close()
    outcomes = Counter(r.outcome for r in results)
    log.info("upload %s: %s", upload_id or "none (nothing new)", dict(sorted(outcomes.items())))
    if outcomes["uploaded"] or outcomes["skipped_uploaded"]:
        trigger(request.app)
    if _wants_json(request):
        return JSONResponse(
            {
                "batch_id": upload_id,
                "batch_url": href(request, f"/batches/{upload_id}") if upload_id else None,
                "files": [
                    {
                        **r.as_json(),
                        "earlier_batch_url": href(request, f"/batches/{r.earlier_upload}")
                        if r.earlier_upload
                        else None,
                    }
                    for r in results
                ],
            }
        )
    return render(
        request,
        "upload_results.html",
        principal,
        upload_id=upload_id,
        results=results,
        book=book,
        book_types=BOOK_TYPE_LABELS,
        unit=principal.home_unit,
    )
