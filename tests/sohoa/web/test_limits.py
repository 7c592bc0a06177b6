"""Oversized request bodies are refused (413) before they are read, whether or not the
client declares a Content-Length."""

from __future__ import annotations

import pytest

from sohoa.settings import WebSettings


@pytest.fixture
def web_settings() -> WebSettings:
    # 1 MB files, one per request: the app refuses bodies above 2 MB (1 MB for the form).
    return WebSettings(max_file_mb=1, max_files=1, pipeline="external")


LIMIT = 2 * 1024 * 1024


def _form(size: int) -> bytes:
    return b"username=someone&csrf_token=x&password=" + b"a" * size


def test_a_declared_length_above_the_limit_is_refused_unread(client):
    response = client.post(
        "/login",
        content=_form(LIMIT + 10),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "quá lớn" in response.text


def _chunks(first: bytes, piece: bytes, last: bytes = b""):
    """A body streamed without Content-Length (chunked), past the limit."""
    yield first
    for _ in range(LIMIT // len(piece) + 4):
        yield piece
    yield last


def test_a_chunked_form_above_the_limit_is_refused_while_read(client):
    # Many small fields: starlette's own 1 MB per-field bound must not be what refuses it.
    response = client.post(
        "/login",
        content=_chunks(b"username=x&", b"f=" + b"a" * 65530 + b"&"),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert response.status_code == 413
    assert "quá lớn" in response.text


def test_a_chunked_upload_above_the_limit_is_refused_while_read(client, make_account):
    from tests.sohoa.web.helpers import sign_in

    sign_in(client, make_account("archive_staff"))
    head = (
        b'--XX\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n'
        b"Content-Type: image/png\r\n\r\n"
    )
    response = client.post(  # read by the route's dependencies: the limit must hold there too
        "/upload",
        content=_chunks(head, b"a" * 65536, b"\r\n--XX--\r\n"),
        headers={"content-type": "multipart/form-data; boundary=XX"},
    )
    assert response.status_code == 413


def test_a_body_under_the_limit_goes_through(client):
    response = client.post(
        "/login",
        content=_form(1000),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 403  # reached the sign-in route: no login CSRF cookie


def test_the_limit_follows_the_settings():
    settings = WebSettings(max_file_mb=3, max_files=4)
    assert settings.max_file_bytes == 3 * 1024 * 1024
    assert settings.max_request_bytes == 12 * 1024 * 1024 + 1024 * 1024
