"""The uploads of a unit and, for each, the status of every page while the pipeline works.

Archive staff see their own unit's uploads, reviewers those of the units they cover; an
upload of any other unit is refused (403) without saying anything about it. The upload page
polls ``/batches/{id}/status.json`` (``static/batches.js``) until every page is final.
How a page's status is found is explained in :mod:`sohoa.web.upload_status`.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from sohoa.web.access import Principal
from sohoa.web.pages import href, render
from sohoa.web.pipeline_trigger import RunnerStatus, runner_for
from sohoa.web.pipeline_trigger import status as pipeline_status
from sohoa.web.security import context, require, require_unit
from sohoa.web.upload_status import (
    STATUS_LABELS,
    STATUSES,
    Upload,
    UploadStatus,
    get_upload,
    list_uploads,
    upload_counts,
    upload_status,
)
from sohoa.web.uploads import BOOK_TYPE_LABELS, OUTCOME_LABELS

router = APIRouter()
log = logging.getLogger(__name__)


def _landing(request: Request):
    """The landing zone, or None when it cannot be opened (the database still answers
    for every page the pipeline finished; the rest shows as queued)."""
    try:
        return context(request).open_landing()
    except Exception:
        log.exception("cannot open the landing zone for the upload page")
        return None


async def _upload_or_refuse(request: Request, principal: Principal, upload_id: int) -> Upload:
    upload = await run_in_threadpool(get_upload, context(request).engine, upload_id)
    if upload is None:
        raise HTTPException(status_code=404)
    require_unit(principal, upload.unit_code)
    return upload


def pipeline_text(state: RunnerStatus | None, done: bool) -> str:
    """What the clerk is told about the processing of this upload."""
    if done:
        return "Đã xử lý xong."
    if state is None:
        return "Đang chờ hệ thống xử lý theo lịch; trang này tự cập nhật."
    if state.running:
        return "Đang xử lý…"
    if state.last_exit not in (None, 0):
        return (
            f"Lần xử lý gần nhất kết thúc với lỗi (mã {state.last_exit}); hệ thống sẽ xử lý "
            "lại khi có lần tải lên sau. Nếu trang vẫn chờ lâu, báo cho quản trị."
        )
    return "Đang chờ xử lý."


async def _status(request: Request, upload: Upload) -> tuple[UploadStatus, RunnerStatus | None]:
    ctx = context(request)

    def read() -> UploadStatus:
        return upload_status(ctx.engine, _landing(request), upload)

    current = await run_in_threadpool(read)
    state = pipeline_status(request.app)
    if state is not None and not current.done and state.runs == 0 and not state.running:
        # Pages wait but this process has never run the pipeline (the app was restarted
        # after an upload): start it, so nothing waits for the next upload.
        runner_for(request.app).request()
        state = pipeline_status(request.app)
    return current, state


@router.get("/batches")
async def uploads(request: Request, principal: Principal = Depends(require("batches"))) -> Response:
    ctx = context(request)

    def read():
        found = list_uploads(ctx.engine, principal)
        return found, upload_counts(ctx.engine, _landing(request), found)

    found, counts = await run_in_threadpool(read)
    return render(
        request,
        "batches.html",
        principal,
        uploads=found,
        counts=counts,
        statuses=STATUSES,
        labels=STATUS_LABELS,
        book_types=BOOK_TYPE_LABELS,
    )


@router.get("/batches/{upload_id}")
async def upload_page(
    request: Request, upload_id: int, principal: Principal = Depends(require("batches"))
) -> Response:
    upload = await _upload_or_refuse(request, principal, upload_id)
    current, state = await _status(request, upload)
    return render(
        request,
        "batch.html",
        principal,
        upload=upload,
        status=current,
        statuses=STATUSES,
        labels=STATUS_LABELS,
        outcomes=OUTCOME_LABELS,
        book_types=BOOK_TYPE_LABELS,
        pipeline_text=pipeline_text(state, current.done),
        running=bool(state and state.running),
    )


@router.get("/batches/{upload_id}/status.json")
async def upload_status_json(
    request: Request, upload_id: int, principal: Principal = Depends(require("batches"))
) -> Response:
    upload = await _upload_or_refuse(request, principal, upload_id)
    current, state = await _status(request, upload)
    return JSONResponse(
        {
            "batch_id": upload.id,
            "done": current.done,
            "counts": current.counts,
            "pipeline": state.as_json() if state else None,
            "pipeline_text": pipeline_text(state, current.done),
            "pages": [
                {
                    "file": p.file,
                    "page": p.page,
                    "status": p.status,
                    "label": p.label,
                    "reason": p.reason,
                    "explanation": p.explanation,
                    "review_url": href(request, f"/review/{p.review_item_id}")
                    if p.review_item_id
                    else None,
                }
                for p in current.pages
            ],
        }
    )
