"""Sign-in and sign-out through the real routes: login CSRF (double submit), refusals,
the throttle, CSRF on sign-out, cookies and security headers."""

from __future__ import annotations

import re

from sohoa.web.routes.auth import LOGIN_CSRF_COOKIE
from sohoa.web.sessions import COOKIE
from sohoa.web.throttle import MAX_FAILURES
from tests.sohoa.web.helpers import csrf_of, login_csrf, sign_in

PAGE = {"accept": "text/html"}


def _post_login(client, account, password=None, token=None):
    return client.post(
        "/login",
        data={
            "username": account.username,
            "password": account.password if password is None else password,
            "csrf_token": login_csrf(client) if token is None else token,
        },
    )


def test_sign_in_sets_a_http_only_session_cookie_and_goes_home(client, make_account):
    clerk = make_account("archive_staff")
    response = _post_login(client, clerk)
    assert response.status_code == 303
    assert response.headers["location"] == "/batches"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}="))
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower() and "Path=/" in cookie
    assert client.get("/account", headers=PAGE).status_code == 200


def test_each_role_starts_on_its_own_page(client, make_account):
    homes = {"reviewer": "/review", "manager": "/dashboard", "admin": "/accounts"}
    for role, home in homes.items():
        client.cookies.clear()
        assert _post_login(client, make_account(role)).headers["location"] == home


def test_login_without_the_csrf_cookie_is_refused(client, make_account):
    clerk = make_account("archive_staff")
    token = login_csrf(client)
    client.cookies.delete(LOGIN_CSRF_COOKIE)
    response = _post_login(client, clerk, token=token)
    assert response.status_code == 403
    assert COOKIE not in response.cookies


def test_login_with_a_token_not_matching_the_cookie_is_refused(client, make_account):
    clerk = make_account("archive_staff")
    login_csrf(client)
    response = _post_login(client, clerk, token="forged-token")
    assert response.status_code == 403
    assert COOKIE not in response.cookies


def test_wrong_password_is_401_and_says_nothing_about_which_part(client, make_account):
    clerk = make_account("archive_staff")
    wrong = _post_login(client, clerk, password=clerk.password + "x")
    unknown = client.post(
        "/login",
        data={"username": "nobody-here", "password": "x" * 12, "csrf_token": login_csrf(client)},
    )
    assert wrong.status_code == unknown.status_code == 401
    assert 'id="login-message"' in wrong.text
    message = re.search(r'id="login-message">([^<]+)<', wrong.text).group(1)
    assert message in unknown.text
    assert COOKIE not in wrong.cookies


def test_repeated_failures_lock_the_username(client, make_account):
    clerk = make_account("archive_staff")
    for _ in range(MAX_FAILURES):
        assert _post_login(client, clerk, password="wrong password").status_code == 401
    locked = _post_login(client, clerk)  # even the right password, for now
    assert locked.status_code == 429
    assert COOKIE not in locked.cookies
    other = make_account("archive_staff")
    assert _post_login(client, other).status_code == 303  # other names are not locked


def test_the_lock_is_shared_by_every_process_of_the_app(
    client, make_account, sqlite_url, tmp_path, web_settings
):
    """Airflow's API server may run several workers: a second app on the same database
    (another process) sees the failures counted by the first, unknown names included."""
    from fastapi.testclient import TestClient

    from sohoa.web.app import create_app

    clerk = make_account("archive_staff")
    other_app = create_app(
        db_url=sqlite_url, landing=str(tmp_path / "landing"), settings=web_settings
    )
    with TestClient(other_app, follow_redirects=False) as elsewhere:
        for attempt in range(MAX_FAILURES):
            here_or_there = client if attempt % 2 else elsewhere
            assert _post_login(here_or_there, clerk, password="wrong").status_code == 401
        assert _post_login(client, clerk).status_code == 429
        assert _post_login(elsewhere, clerk).status_code == 429
        for attempt in range(MAX_FAILURES):
            here_or_there = client if attempt % 2 else elsewhere
            unknown = here_or_there.post(
                "/login",
                data={
                    "username": "nobody-here",
                    "password": "x" * 12,
                    "csrf_token": login_csrf(here_or_there),
                },
            )
            assert unknown.status_code == 401
        locked = client.post(
            "/login",
            data={
                "username": "nobody-here",
                "password": "x" * 12,
                "csrf_token": login_csrf(client),
            },
        )
        assert locked.status_code == 429  # the lock does not reveal which names exist


def test_a_disabled_account_cannot_sign_in(client, make_account, web_app):
    from sohoa.web.accounts import set_active

    clerk = make_account("archive_staff")
    set_active(web_app.state.sohoa.engine, clerk.id, False)
    assert _post_login(client, clerk).status_code == 401


def test_sign_out_needs_the_csrf_token(client, make_account):
    clerk = make_account("archive_staff")
    token = sign_in(client, clerk)
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/account", headers=PAGE).status_code == 200  # still signed in
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_after_sign_out_the_old_cookie_opens_nothing(client, make_account):
    clerk = make_account("archive_staff")
    token = sign_in(client, clerk)
    stolen = client.cookies.get(COOKIE)
    client.post("/logout", headers={"X-CSRF-Token": token})
    client.cookies.set(COOKIE, stolen)
    response = client.get("/account", headers=PAGE)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/account").status_code == 401  # not a page request: no redirect


def test_a_password_change_signs_out_everywhere(client, web_app, make_account):
    from fastapi.testclient import TestClient

    clerk = make_account("archive_staff")
    token = sign_in(client, clerk)
    with TestClient(web_app, follow_redirects=False) as elsewhere:
        sign_in(elsewhere, clerk)
        response = client.post(
            "/account/password",
            data={
                "current": clerk.password,
                "new": "a brand new one",
                "again": "a brand new one",
                "csrf_token": token,
            },
        )
        assert response.status_code == 303
        assert elsewhere.get("/account").status_code == 401
    assert client.get("/account").status_code == 401


def test_a_refused_new_password_is_explained_by_what_is_wrong_with_it(client, make_account):
    """Too short and "a space at either end" are different mistakes with different fixes."""
    from html import unescape

    from sohoa.web.accounts import MIN_PASSWORD

    clerk = make_account("archive_staff")
    token = sign_in(client, clerk)
    said = {}
    for case, new in (("short", "short"), ("space", " spaced out password")):
        response = client.post(
            "/account/password",
            data={"current": clerk.password, "new": new, "again": new, "csrf_token": token},
        )
        assert response.status_code == 400
        said[case] = unescape(response.text)
    assert f"{MIN_PASSWORD} ký tự" in said["short"]
    assert f"{MIN_PASSWORD} ký tự" not in said["space"] and "dấu cách" in said["space"]
    assert client.get("/account", headers=PAGE).status_code == 200  # nothing changed


def test_pages_carry_security_headers_and_no_store(client, make_account):
    sign_in(client, make_account("archive_staff"))
    for response in (client.get("/login"), client.get("/account", headers=PAGE)):
        headers = response.headers
        assert headers["cache-control"] == "no-store"
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"].split("script-src")[1]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "SAMEORIGIN"
        assert headers["referrer-policy"] == "same-origin"
    static = client.get("/static/app.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")


def test_signed_in_users_are_sent_home_from_the_login_page(client, make_account):
    sign_in(client, make_account("manager"))
    response = client.get("/login")
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    assert csrf_of(client)  # the session's token is on every page
