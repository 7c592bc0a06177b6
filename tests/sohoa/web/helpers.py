"""Helpers the web tests share: signing in through the real form, reading CSRF tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi.testclient import TestClient

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    password: str
    role: str
    units: tuple[str, ...]


def login_csrf(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200, page.text
    return _CSRF.search(page.text).group(1)


def sign_in(client: TestClient, account: Account) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    response = client.post(
        "/login",
        data={
            "username": account.username,
            "password": account.password,
            "csrf_token": login_csrf(client),
        },
    )
    assert response.status_code == 303, response.text
    return csrf_of(client)


def csrf_of(client: TestClient, path: str = "/account") -> str:
    """The session's CSRF token, read from a page like a browser would."""
    page = client.get(path, follow_redirects=True, headers={"accept": "text/html"})
    found = _META.search(page.text)
    assert found, f"no CSRF token on {path}: {page.status_code}"
    return found.group(1)
