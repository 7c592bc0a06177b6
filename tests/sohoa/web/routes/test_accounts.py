"""Account administration through the pages: create, list, change units, reset a
password, disable and enable; the rules that keep an admin in; refusals for other roles,
no session and no CSRF token."""

from __future__ import annotations

import re

import pytest

from sohoa.web.accounts import authenticate, get_account, list_accounts
from tests.sohoa.web.conftest import HOME_UNIT, OTHER_UNIT
from tests.sohoa.web.helpers import Account, sign_in

PAGE = {"accept": "text/html"}
PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def engine(web_app):
    return web_app.state.sohoa.engine


@pytest.fixture
def admin(client, make_account):
    account = make_account("admin")
    return account, sign_in(client, account)


def _create(client, token, **fields):
    data = {
        "username": "",
        "display_name": "",
        "role": "reviewer",
        "units": "",
        "password": PASSWORD,
        "csrf_token": token,
        **fields,
    }
    return client.post("/accounts/new", data=data)


def test_create_list_and_sign_in_as_the_new_account(client, admin, engine):
    _, token = admin
    assert 'id="new-account"' in client.get("/accounts").text
    form = client.get("/accounts/new")
    assert form.status_code == 200 and 'id="account-form"' in form.text
    made = _create(
        client,
        token,
        username="Lan.Nguyen",
        display_name="Nguyễn Thị Lan",
        role="reviewer",
        units=f"{HOME_UNIT}, {OTHER_UNIT}",
    )
    assert made.status_code == 303, made.text
    user_id = int(re.search(r"/accounts/(\d+)", made.headers["location"]).group(1))
    account = get_account(engine, user_id)
    assert (account.username, account.role, account.units, account.active) == (
        "lan.nguyen",
        "reviewer",
        (HOME_UNIT, OTHER_UNIT),
        True,
    )
    listing = client.get("/accounts").text
    row = re.search(rf'<tr data-account-id="{user_id}".*?</tr>', listing, re.S).group(0)
    assert "Nguyễn Thị Lan" in row and f"{HOME_UNIT}, {OTHER_UNIT}" in row
    assert PASSWORD not in listing
    client.cookies.clear()
    sign_in(client, Account(user_id, "lan.nguyen", PASSWORD, "reviewer", account.units))


REFUSED = [
    ({"username": "ab"}, "Tên đăng nhập dài"),
    ({"username": "kho1", "password": "short"}, "Mật khẩu cần ít nhất"),
    (
        {"username": "kho2", "role": "archive_staff", "units": f"{HOME_UNIT} {OTHER_UNIT}"},
        "đúng một đơn vị",
    ),
    ({"username": "kho3", "role": "admin", "units": HOME_UNIT}, "không gắn với đơn vị"),
    ({"username": "kho4", "role": "manager", "units": ""}, "ít nhất một đơn vị"),
    ({"username": "kho5", "units": "25920/x"}, "Mã đơn vị không hợp lệ"),
    ({"username": "kho6", "role": "boss", "units": HOME_UNIT}, "Vai trò không hợp lệ"),
]


def test_refused_creations_say_why_in_vietnamese(client, admin, engine):
    _, token = admin
    before = len(list_accounts(engine))
    for fields, message in REFUSED:
        answer = _create(client, token, **fields)
        assert answer.status_code == 400, fields
        assert message in answer.text and 'id="account-form"' in answer.text
        assert PASSWORD not in answer.text  # the password is not sent back
    assert len(list_accounts(engine)) == before


def test_a_taken_username_is_refused(client, admin, make_account):
    _, token = admin
    other = make_account("reviewer")
    answer = _create(client, token, username=other.username, units=HOME_UNIT)
    assert answer.status_code == 400 and "đã được dùng" in answer.text


def test_change_units_reset_password_disable_enable(client, admin, make_account, engine):
    _, token = admin
    clerk = make_account("archive_staff")
    changed = client.post(
        f"/accounts/{clerk.id}/units", data={"units": OTHER_UNIT, "csrf_token": token}
    )
    assert changed.status_code == 303
    assert get_account(engine, clerk.id).units == (OTHER_UNIT,)
    two = client.post(
        f"/accounts/{clerk.id}/units",
        data={"units": f"{HOME_UNIT},{OTHER_UNIT}", "csrf_token": token},
    )
    assert two.status_code == 400 and "đúng một đơn vị" in two.text
    assert get_account(engine, clerk.id).units == (OTHER_UNIT,)

    mismatch = client.post(
        f"/accounts/{clerk.id}/password",
        data={"password": PASSWORD, "again": PASSWORD + "x", "csrf_token": token},
    )
    assert mismatch.status_code == 400 and "không khớp" in mismatch.text
    reset = client.post(
        f"/accounts/{clerk.id}/password",
        data={"password": PASSWORD, "again": PASSWORD, "csrf_token": token},
    )
    assert reset.status_code == 303
    assert authenticate(engine, clerk.username, PASSWORD) == clerk.id
    assert authenticate(engine, clerk.username, clerk.password) is None

    off = client.post(f"/accounts/{clerk.id}/active", data={"active": "0", "csrf_token": token})
    assert off.status_code == 303 and not get_account(engine, clerk.id).active
    assert authenticate(engine, clerk.username, PASSWORD) is None
    page = client.get(f"/accounts/{clerk.id}", params={"done": "disabled"})
    assert 'data-active="false"' in page.text and 'id="enable"' in page.text
    on = client.post(f"/accounts/{clerk.id}/active", data={"active": "1", "csrf_token": token})
    assert on.status_code == 303 and get_account(engine, clerk.id).active


def test_disabling_ends_the_accounts_sessions(client, admin, make_account, web_app):
    from fastapi.testclient import TestClient

    _, token = admin
    clerk = make_account("archive_staff")
    with TestClient(web_app, follow_redirects=False) as other:
        sign_in(other, clerk)
        assert other.get("/account").status_code == 200
        client.post(f"/accounts/{clerk.id}/active", data={"active": "0", "csrf_token": token})
        assert other.get("/account", headers=PAGE).status_code == 303  # back to sign-in


def test_an_admin_cannot_lock_themselves_or_the_last_admin(client, admin, make_account, engine):
    me, token = admin
    answer = client.post(f"/accounts/{me.id}/active", data={"active": "0", "csrf_token": token})
    assert answer.status_code == 400 and "tự khóa" in answer.text
    assert get_account(engine, me.id).active
    # another admin may be disabled while one stays active; not the last one
    second = make_account("admin")
    ok = client.post(f"/accounts/{second.id}/active", data={"active": "0", "csrf_token": token})
    assert ok.status_code == 303 and not get_account(engine, second.id).active
    own_reset = client.post(
        f"/accounts/{me.id}/password",
        data={"password": PASSWORD, "again": PASSWORD, "csrf_token": token},
    )
    assert own_reset.status_code == 400  # their own password is changed on /account


def test_csrf_and_roles(client, make_account, engine):
    assert client.get("/accounts", headers=PAGE).status_code == 303  # no session: sign in
    assert client.post("/accounts/new", data={"username": "x"}).status_code == 401
    admin = make_account("admin")
    sign_in(client, admin)
    before = len(list_accounts(engine))
    no_token = client.post(
        "/accounts/new",
        data={"username": "khach", "role": "reviewer", "units": HOME_UNIT, "password": PASSWORD},
    )
    assert no_token.status_code == 403 and len(list_accounts(engine)) == before
    clerk = make_account("archive_staff")
    assert client.post(f"/accounts/{clerk.id}/active", data={"active": "0"}).status_code == 403
    assert get_account(engine, clerk.id).active
    for role in ("manager", "reviewer", "archive_staff"):
        client.cookies.clear()
        token = sign_in(client, make_account(role))
        assert client.get("/accounts", headers=PAGE).status_code == 403
        assert client.get("/accounts/new", headers=PAGE).status_code == 403
        assert client.get(f"/accounts/{admin.id}", headers=PAGE).status_code == 403
        refused = _create(client, token, username=f"x{role}", units=HOME_UNIT)
        assert refused.status_code == 403
    assert len(list_accounts(engine)) == before + 4  # the clerk and the three signed in


def test_an_unknown_account_is_404(client, admin):
    assert client.get("/accounts/999999", headers=PAGE).status_code == 404
