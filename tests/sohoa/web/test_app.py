"""Request bodies before sign-in: only ``/upload`` takes large bodies, and only from a
signed-in uploader; every other request is refused past a small limit, before its body
is read. The app is driven through ASGI itself, so the test counts the bytes it pulled."""

from __future__ import annotations

import asyncio

import pytest

from sohoa.settings import WebSettings
from sohoa.web.sessions import COOKIE
from tests.sohoa.web.helpers import sign_in

CHUNK = 64 * 1024


@pytest.fixture
def web_settings() -> WebSettings:
    return WebSettings(max_file_mb=4, max_files=2, max_form_kb=128, pipeline="external")


def post(app, path: str, size: int, *, declared: bool, cookie: str | None = None):
    """POST ``size`` bytes to ``path``; (status, bytes the app read)."""
    headers = [(b"content-type", b"application/x-www-form-urlencoded")]
    if declared:
        headers.append((b"content-length", str(size).encode()))
    if cookie:
        headers.append((b"cookie", f"{COOKIE}={cookie}".encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    pulled = 0
    status: list[int] = []

    async def receive():
        nonlocal pulled
        if pulled >= size:
            await asyncio.sleep(3600)  # the client has nothing more to send
        piece = min(CHUNK, size - pulled)
        pulled += piece
        return {"type": "http.request", "body": b"a" * piece, "more_body": pulled < size}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    async def call():
        await asyncio.wait_for(app(scope, receive, send), timeout=60)

    asyncio.run(call())
    return status[0], pulled


SMALL = 128 * 1024
BIG = 3 * 1024 * 1024  # under the upload limit (8 MB and a bit), far over the small one


@pytest.mark.parametrize("path", ["/login", "/review/1/fields", "/api/lookup", "/upload"])
@pytest.mark.parametrize("declared", [True, False])
def test_signed_out_bodies_are_refused_past_the_small_limit_unread(web_app, path, declared):
    status, pulled = post(web_app, path, BIG, declared=declared)
    assert pulled <= (0 if declared else SMALL + CHUNK)
    # /upload may say "sign in" first, without reading the body either
    assert status == 413 or (path == "/upload" and status == 401)


def test_a_signed_in_uploader_may_send_a_large_upload(web_app, client, make_account):
    sign_in(client, make_account("archive_staff"))
    cookie = client.cookies.get(COOKIE)
    status, pulled = post(web_app, "/upload", BIG, declared=True, cookie=cookie)
    assert status != 413 and pulled > SMALL + CHUNK  # let through; the route judges the form
    status, _ = post(web_app, "/login", BIG, declared=True, cookie=cookie)
    assert status == 413  # signed in or not, only /upload takes large bodies


def test_a_signed_in_account_that_may_not_upload_gets_the_small_limit(
    web_app, client, make_account
):
    sign_in(client, make_account("manager"))
    status, pulled = post(web_app, "/upload", BIG, declared=False, cookie=client.cookies[COOKIE])
    assert status in (403, 413) and pulled <= SMALL + CHUNK


def test_small_bodies_still_reach_their_routes(web_app):
    status, pulled = post(web_app, "/login", 1000, declared=True)
    assert status == 422 and pulled == 1000  # the sign-in route's own answer: no fields
