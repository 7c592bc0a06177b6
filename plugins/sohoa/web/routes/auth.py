"""Sign in, sign out, and the start page of each role."""

from __future__ import annotations

import hmac
import logging
import secrets

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sohoa.web.access import Principal
from sohoa.web.accounts import authenticate
from sohoa.web.pages import home_of, href, redirect, render
from sohoa.web.security import context, require
from sohoa.web.sessions import COOKIE, close_session, open_session, principal_for
from sohoa.web.throttle import LoginThrottle

router = APIRouter()
log = logging.getLogger(__name__)
LOGIN_CSRF_COOKIE = "sohoa_login_csrf"


def _cookie_path(request: Request) -> str:
    return href(request, "/") or "/"


def _login_page(request: Request, message: str | None = None, status_code: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request, "login.html", csrf_token=token, message=message, status_code=status_code
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=context(request).settings.secure_cookies,
        path=_cookie_path(request),
    )
    return response


@router.get("/login", name="login")
async def login_form(request: Request) -> Response:
    ctx = context(request)
    principal = await run_in_threadpool(principal_for, ctx.engine, request.cookies.get(COOKIE))
    if principal is not None:
        return redirect(request, home_of(principal))
    return _login_page(request)


@router.post("/login")
async def login(
    request: Request,
    username: str = Form(..., max_length=64),
    password: str = Form(..., max_length=1024),
    csrf_token: str = Form(""),
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf_token.encode(), expected.encode()):
        return _login_page(request, "Biểu mẫu đã hết hạn, hãy đăng nhập lại.", 403)
    name = username.strip().lower()
    ctx = context(request)
    throttle = LoginThrottle(ctx.engine)  # the count is shared by every process, in the db
    if await run_in_threadpool(throttle.locked, name):
        return _login_page(
            request, "Đăng nhập sai quá nhiều lần. Hãy đợi một phút rồi thử lại.", 429
        )
    user_id = await run_in_threadpool(authenticate, ctx.engine, name, password)
    if user_id is None:
        await run_in_threadpool(throttle.failed, name)
        log.info("sign-in refused")  # no username: it may be a mistyped password
        return _login_page(request, "Tên đăng nhập hoặc mật khẩu không đúng.", 401)
    await run_in_threadpool(throttle.succeeded, name)
    token = await run_in_threadpool(open_session, ctx.engine, user_id, ctx.settings.session_hours)
    principal = await run_in_threadpool(principal_for, ctx.engine, token)
    assert principal is not None
    response = redirect(request, home_of(principal))
    response.set_cookie(
        COOKIE,
        token,
        max_age=ctx.settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=ctx.settings.secure_cookies,
        path=_cookie_path(request),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=_cookie_path(request))
    log.info("account %s signed in", user_id)
    return response


@router.post("/logout")
async def logout(request: Request, principal: Principal = Depends(require())) -> Response:
    await run_in_threadpool(close_session, context(request).engine, request.cookies.get(COOKIE))
    response = redirect(request, "/login")
    response.delete_cookie(COOKIE, path=_cookie_path(request))
    return response


@router.get("/")
async def start(request: Request, principal: Principal = Depends(require())) -> RedirectResponse:
    return redirect(request, home_of(principal))


@router.get("/account")
async def own_account(request: Request, principal: Principal = Depends(require())) -> Response:
    return render(request, "account.html", principal)


@router.post("/account/password")
async def change_own_password(
    request: Request,
    current: str = Form(..., max_length=1024),
    new: str = Form(..., max_length=1024),
    again: str = Form(..., max_length=1024),
    principal: Principal = Depends(require()),
) -> Response:
    from sohoa.web.accounts import AccountError, set_password
    from sohoa.web.error_texts import vietnamese

    ctx = context(request)
    message = None
    if new != again:
        message = "Hai lần nhập mật khẩu mới không khớp."
    elif await run_in_threadpool(authenticate, ctx.engine, principal.username, current) is None:
        message = "Mật khẩu hiện tại không đúng."
    else:
        try:
            await run_in_threadpool(set_password, ctx.engine, principal.user_id, new)
        except AccountError as exc:  # too short, or a space at either end
            message = vietnamese(exc)
    if message:
        return render(request, "account.html", principal, message=message, status_code=400)
    response = redirect(request, "/login")  # every session of the account is now closed
    response.delete_cookie(COOKIE, path=_cookie_path(request))
    return response
