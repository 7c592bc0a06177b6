"""Account administration for admins: list, create, disable/enable, reset a password,
change units. Every rule on accounts lives in :mod:`sohoa.web.accounts` (shared with
``sohoa users add``); this module adds the two an admin could lock everyone out with:
an admin cannot disable themselves, nor the last active admin.
"""

from __future__ import annotations

import logging
import re

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from sohoa.db.tables import WEB_ROLES
from sohoa.web import accounts as acc
from sohoa.web.access import ROLE_LABELS, Principal
from sohoa.web.error_texts import vietnamese
from sohoa.web.pages import redirect, render
from sohoa.web.security import context, require

router = APIRouter()
log = logging.getLogger(__name__)
_SPLIT = re.compile(r"[\s,;]+")
UNITS_HINT = (
    "Mã xã/phường (ví dụ 25920), mã tỉnh (ví dụ 79) hoặc * (tất cả), cách nhau bằng dấu phẩy "
    "hoặc dấu cách. Cán bộ lưu trữ: đúng một đơn vị; quản trị: để trống."
)


def parse_units(text: str) -> list[str]:
    return [u for u in _SPLIT.split(text or "") if u]


def _page(request, principal, template, status_code=200, **values) -> Response:
    return render(
        request,
        template,
        principal,
        status_code=status_code,
        roles=WEB_ROLES,
        role_labels=ROLE_LABELS,
        units_hint=UNITS_HINT,
        min_password=acc.MIN_PASSWORD,
        **values,
    )


@router.get("/accounts")
async def list_page(request: Request, principal: Principal = Depends(require("accounts"))):
    accounts = await run_in_threadpool(acc.list_accounts, context(request).engine)
    return _page(request, principal, "accounts.html", accounts=accounts)


@router.get("/accounts/new")
async def new_form(request: Request, principal: Principal = Depends(require("accounts"))):
    return _page(request, principal, "account_form.html", account=None, form={})


@router.post("/accounts/new")
async def create(
    request: Request,
    username: str = Form(..., max_length=64),
    display_name: str = Form("", max_length=200),
    role: str = Form(..., max_length=16),
    units: str = Form("", max_length=2000),
    password: str = Form(..., max_length=1024),
    principal: Principal = Depends(require("accounts")),
) -> Response:
    form = {"username": username, "display_name": display_name, "role": role, "units": units}
    try:
        user_id = await run_in_threadpool(
            lambda: acc.create_user(
                context(request).engine,
                username,
                password,
                role,
                parse_units(units),
                display_name=display_name,
                created_by=principal.username,
            )
        )
    except acc.AccountError as exc:
        return _page(
            request,
            principal,
            "account_form.html",
            status_code=400,
            account=None,
            form=form,
            error=vietnamese(exc),
        )
    log.info("account %s created by account %s", user_id, principal.user_id)
    return redirect(request, f"/accounts/{user_id}?done=created")


_DONE = {
    "created": "Đã tạo tài khoản.",
    "units": "Đã cập nhật đơn vị.",
    "password": "Đã đặt mật khẩu mới; các phiên đăng nhập của tài khoản đã được đóng.",
    "disabled": "Đã khóa tài khoản; các phiên đăng nhập của tài khoản đã được đóng.",
    "enabled": "Đã mở khóa tài khoản.",
}


@router.get("/accounts/{account_id}")
async def edit_form(
    request: Request,
    account_id: int,
    done: str | None = None,
    principal: Principal = Depends(require("accounts")),
) -> Response:
    account = await _account_or_404(request, account_id)
    return _page(
        request,
        principal,
        "account_form.html",
        account=account,
        form={},
        notice=_DONE.get(done or ""),
    )


@router.post("/accounts/{account_id}/units")
async def change_units(
    request: Request,
    account_id: int,
    units: str = Form("", max_length=2000),
    principal: Principal = Depends(require("accounts")),
) -> Response:
    account = await _account_or_404(request, account_id)
    try:
        await run_in_threadpool(
            acc.set_units, context(request).engine, account_id, parse_units(units)
        )
    except acc.AccountError as exc:
        return _page(
            request,
            principal,
            "account_form.html",
            status_code=400,
            account=account,
            form={"units": units},
            error=vietnamese(exc),
        )
    log.info("units of account %s changed by account %s", account_id, principal.user_id)
    return redirect(request, f"/accounts/{account_id}?done=units")


@router.post("/accounts/{account_id}/password")
async def reset_password(
    request: Request,
    account_id: int,
    password: str = Form(..., max_length=1024),
    again: str = Form(..., max_length=1024),
    principal: Principal = Depends(require("accounts")),
) -> Response:
    account = await _account_or_404(request, account_id)
    error = None
    if account_id == principal.user_id:
        error = "Hãy đổi mật khẩu của chính bạn ở trang “Tài khoản của tôi”."
    elif password != again:
        error = "Hai lần nhập mật khẩu không khớp."
    else:
        try:
            await run_in_threadpool(acc.set_password, context(request).engine, account_id, password)
        except acc.AccountError as exc:
            error = vietnamese(exc)
    if error:
        return _page(
            request,
            principal,
            "account_form.html",
            status_code=400,
            account=account,
            form={},
            error=error,
        )
    log.info("password of account %s reset by account %s", account_id, principal.user_id)
    return redirect(request, f"/accounts/{account_id}?done=password")


@router.post("/accounts/{account_id}/active")
async def set_active(
    request: Request,
    account_id: int,
    active: str = Form(..., max_length=5),
    principal: Principal = Depends(require("accounts")),
) -> Response:
    engine = context(request).engine
    account = await _account_or_404(request, account_id)
    enable = active in ("1", "true", "on")
    error = None
    if not enable and account_id == principal.user_id:
        error = "Bạn không thể tự khóa tài khoản của mình."
    elif (  # only reachable in a race (the caller is an active admin too), kept as a guard
        not enable
        and account.role == "admin"
        and account.active
        and await run_in_threadpool(acc.count_admins, engine) <= 1
    ):
        error = "Không thể khóa quản trị viên cuối cùng đang hoạt động."
    if error:
        accounts = await run_in_threadpool(acc.list_accounts, engine)
        return _page(
            request,
            principal,
            "accounts.html",
            status_code=400,
            accounts=accounts,
            error=error,
        )
    await run_in_threadpool(acc.set_active, engine, account_id, enable)
    log.info(
        "account %s %s by account %s",
        account_id,
        "enabled" if enable else "disabled",
        principal.user_id,
    )
    return redirect(request, f"/accounts/{account_id}?done={'enabled' if enable else 'disabled'}")


async def _account_or_404(request: Request, account_id: int) -> acc.Account:
    from fastapi import HTTPException

    try:
        return await run_in_threadpool(acc.get_account, context(request).engine, account_id)
    except acc.AccountError:
        raise HTTPException(404) from None
