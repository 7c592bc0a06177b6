"""Fixtures of the web app tests: an app on a fresh SQLite database and landing folder,
a client, and accounts of each role (passwords made up per test run)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from sohoa.settings import WebSettings
from sohoa.web.accounts import create_user
from sohoa.web.app import create_app
from tests.sohoa.web.browser_fixtures import browser, screenshots  # noqa: F401 - fixtures
from tests.sohoa.web.helpers import Account

# The unit code of the sample scans (``make run`` uses it too) and another one.
HOME_UNIT = "25920"
OTHER_UNIT = "26734"


@pytest.fixture
def web_settings() -> WebSettings:
    return WebSettings(max_file_mb=2, max_files=5, pipeline="external")


@pytest.fixture
def web_app(sqlite_url, tmp_path, web_settings):
    return create_app(db_url=sqlite_url, landing=str(tmp_path / "landing"), settings=web_settings)


@pytest.fixture
def client(web_app) -> Iterator[TestClient]:
    with TestClient(web_app, follow_redirects=False) as c:
        yield c


@pytest.fixture
def make_account(web_app) -> Callable[..., Account]:
    engine = web_app.state.sohoa.engine

    def make(role: str, units: tuple[str, ...] | None = None, name: str | None = None) -> Account:
        if units is None:
            units = () if role == "admin" else (HOME_UNIT,)
        username = name or f"{role.replace('_', '')}{secrets.token_hex(3)}"
        password = secrets.token_urlsafe(12)
        user_id = create_user(engine, username, password, role, list(units))
        return Account(user_id, username, password, role, tuple(units))

    return make
