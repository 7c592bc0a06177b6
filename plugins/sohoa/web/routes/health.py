"""``/health`` for the compose file and load balancers: is the database reachable?"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from sohoa.web.security import context

router = APIRouter()


def _database_ok(request: Request) -> bool:
    try:
        with context(request).engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"; details go to logs
        return False


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    ok = await run_in_threadpool(_database_ok, request)
    return JSONResponse(
        {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "unreachable"},
        status_code=200 if ok else 503,
    )
