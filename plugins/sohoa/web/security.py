"""Sign-in, role and CSRF checks as FastAPI dependencies.

Every route but the sign-in page, ``/health`` and static files depends on
:func:`require`, which names the capability the route needs (``tests/sohoa/web`` walks the
routes to prove it). State-changing requests must carry the session's CSRF token, as a
``csrf_token`` form field or an ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from sohoa.web.access import Principal
from sohoa.web.context import WebContext
from sohoa.web.sessions import COOKIE, principal_for

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotSignedIn(Exception):
    """No valid session: pages redirect to the sign-in form, endpoints answer 401."""


class Forbidden(Exception):
    """Signed in, but this role or unit may not do this (403)."""

    def __init__(self, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
        super().__init__(message)
        self.message = message


class CsrfRejected(Forbidden):
    def __init__(self) -> None:
        super().__init__("Phiên làm việc của biểu mẫu không hợp lệ. Hãy tải lại trang rồi thử lại.")


def context(request: Request) -> WebContext:
    return request.app.state.sohoa


async def check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        ctype = request.headers.get("content-type", "")
        if ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            settings = context(request).settings
            form = await request.form(max_files=settings.max_files, max_fields=200)
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRejected()


def require(capability: str | None = None) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency: the signed-in principal holding ``capability`` (any role if None)."""

    async def dependency(request: Request) -> Principal:
        ctx = context(request)
        principal = await run_in_threadpool(principal_for, ctx.engine, request.cookies.get(COOKIE))
        if principal is None:
            raise NotSignedIn()
        if capability is not None and not principal.can(capability):
            raise Forbidden()
        if request.method not in SAFE_METHODS:
            await check_csrf(request, principal.csrf_token)
        request.state.principal = principal
        return principal

    dependency.capability = capability  # type: ignore[attr-defined]  # read by the route audit
    return dependency


def require_unit(principal: Principal, unit_code: str | None) -> None:
    """Refuse records of a unit outside the principal's scope, saying nothing about them."""
    if not principal.covers(unit_code):
        raise Forbidden("Hồ sơ này thuộc đơn vị khác, bạn không có quyền xem hoặc sửa.")
