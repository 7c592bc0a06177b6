"""The FastAPI application: ``create_app()`` for ``sohoa serve``, the Airflow plugin and
the tests alike."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from sohoa.settings import WebSettings
from sohoa.web.context import WebContext
from sohoa.web.limits import BodyLimit
from sohoa.web.pages import HERE, href, render
from sohoa.web.security import SAFE_METHODS, Forbidden, NotSignedIn
from sohoa.web.sessions import COOKIE, principal_for

log = logging.getLogger(__name__)

# Route modules, each with a ``router``; listed here so the app is assembled in one place.
ROUTE_MODULES = [
    "auth",
    "health",
    "upload",
    "batches",
    "review",
    "entry",
    "arbitration",
    "dashboard",
    "lookup",
    "accounts",
]

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'self'; form-action 'self'"
    ),
}


def create_app(
    db_url: str | None = None,
    landing: str | None = None,
    settings: WebSettings | None = None,
) -> FastAPI:
    import importlib

    app = FastAPI(
        title="sohoa",
        docs_url=None,  # no public schema browser: the pages are the interface
        redoc_url=None,
        openapi_url=None,
    )
    app.state.sohoa = WebContext(db_url, landing, settings)
    for name in ROUTE_MODULES:
        app.include_router(importlib.import_module(f"sohoa.web.routes.{name}").router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _install_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:
        static = href(request, "/static")  # before routing: a Mount rewrites root_path
        response = await call_next(request)
        for key, value in _HEADERS.items():
            response.headers.setdefault(key, value)
        if not request.url.path.startswith(static):
            # Pages carry personal data: no browser or proxy keeps a copy.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(BodyLimits, context=app.state.sohoa)
    return app


class BodyLimits:
    """Which body a request may send, decided before any of it is read: only a POST to
    ``/upload`` from a signed-in account that may upload gets the upload limit; every
    other request, signed in or not, gets the small form limit."""

    def __init__(self, app: ASGIApp, context: WebContext) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.context.settings
        limit = settings.max_form_bytes
        if scope["method"] == "POST" and _route_path(scope) == "/upload":
            token = Request(scope).cookies.get(COOKIE)
            who = await run_in_threadpool(principal_for, self.context.engine, token)
            if who is not None and who.can("upload"):
                limit = settings.max_request_bytes
        await BodyLimit(self.app, max_bytes=limit)(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path without the prefix the app is mounted under (``/sohoa`` in Airflow)."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _wants_page(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.method in SAFE_METHODS and "text/html" in accept


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if _wants_page(request):
            return RedirectResponse(href(request, "/login"), status_code=303)
        return PlainTextResponse("Bạn cần đăng nhập.", status_code=401)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        principal = getattr(request.state, "principal", None)
        if _wants_page(request) or request.method not in SAFE_METHODS and principal:
            return render(
                request,
                "error.html",
                principal,
                status_code=403,
                title="Không được phép",
                message=exc.message,
            )
        return PlainTextResponse(exc.message, status_code=403)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {
            404: "Không tìm thấy trang hoặc hồ sơ này.",
            405: "Thao tác không hợp lệ.",
            413: "Tệp tải lên quá lớn.",
        }
        message = (
            exc.detail
            if isinstance(exc.detail, str) and exc.status_code not in messages
            else messages.get(exc.status_code, "Đã có lỗi xảy ra.")
        )
        if _wants_page(request):
            principal = getattr(request.state, "principal", None)
            return render(
                request,
                "error.html",
                principal,
                status_code=exc.status_code,
                title="Lỗi",
                message=message,
            )
        return PlainTextResponse(message, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # Only the field names: the values may be personal data.
        where = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors())
        return PlainTextResponse(f"Dữ liệu gửi lên không hợp lệ: {where}", status_code=422)
