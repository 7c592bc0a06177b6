"""Server-side sessions: the cookie is never stored, sessions expire, and signing out,
changing the password or disabling the account ends them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from sohoa.db.tables import web_session
from sohoa.web.accounts import create_user, set_active, set_password
from sohoa.web.sessions import close_session, open_session, principal_for

PASSWORD = "một mật khẩu dài"


def _user(engine, role="reviewer", units=("25920", "26734")) -> int:
    return create_user(engine, "rev1", PASSWORD, role, list(units))


def test_a_session_names_its_account_role_and_units(sqlite_engine):
    user_id = _user(sqlite_engine)
    token = open_session(sqlite_engine, user_id, hours=1)
    principal = principal_for(sqlite_engine, token)
    assert principal is not None
    assert (principal.user_id, principal.username, principal.role) == (user_id, "rev1", "reviewer")
    assert principal.units == ("25920", "26734")
    assert len(principal.csrf_token) >= 32 and principal.csrf_token != token


def test_the_cookie_value_is_not_stored(sqlite_engine):
    token = open_session(sqlite_engine, _user(sqlite_engine), hours=1)
    with sqlite_engine.connect() as conn:
        rows = conn.execute(select(web_session)).all()
    assert len(rows) == 1
    assert token not in [str(v) for v in rows[0]]
    assert rows[0].token_hash != token and len(rows[0].token_hash) == 64


def test_each_sign_in_gets_its_own_token_and_csrf_token(sqlite_engine):
    user_id = _user(sqlite_engine)
    a, b = (open_session(sqlite_engine, user_id, hours=1) for _ in range(2))
    assert a != b
    assert principal_for(sqlite_engine, a).csrf_token != principal_for(sqlite_engine, b).csrf_token


def test_an_expired_session_is_no_session(sqlite_engine):
    token = open_session(sqlite_engine, _user(sqlite_engine), hours=1)
    with sqlite_engine.begin() as conn:
        past = datetime.now(UTC) - timedelta(seconds=1)
        conn.execute(update(web_session).values(expires_at=past))
    assert principal_for(sqlite_engine, token) is None


def test_unknown_empty_and_oversized_tokens_are_no_session(sqlite_engine):
    open_session(sqlite_engine, _user(sqlite_engine), hours=1)
    assert principal_for(sqlite_engine, None) is None
    assert principal_for(sqlite_engine, "") is None
    assert principal_for(sqlite_engine, "made-up") is None
    assert principal_for(sqlite_engine, "x" * 10_000) is None


def test_signing_out_ends_only_that_session(sqlite_engine):
    user_id = _user(sqlite_engine)
    office, home = (open_session(sqlite_engine, user_id, hours=1) for _ in range(2))
    close_session(sqlite_engine, office)
    assert principal_for(sqlite_engine, office) is None
    assert principal_for(sqlite_engine, home) is not None


def test_a_password_change_ends_every_session(sqlite_engine):
    user_id = _user(sqlite_engine)
    tokens = [open_session(sqlite_engine, user_id, hours=1) for _ in range(2)]
    set_password(sqlite_engine, user_id, "another long one")
    assert [principal_for(sqlite_engine, t) for t in tokens] == [None, None]


def test_disabling_an_account_ends_its_sessions(sqlite_engine):
    user_id = _user(sqlite_engine)
    token = open_session(sqlite_engine, user_id, hours=1)
    set_active(sqlite_engine, user_id, False)
    assert principal_for(sqlite_engine, token) is None
    set_active(sqlite_engine, user_id, True)
    assert principal_for(sqlite_engine, token) is None  # re-enabling brings none back


def test_expired_sessions_are_cleared_at_the_next_sign_in(sqlite_engine):
    user_id = _user(sqlite_engine)
    open_session(sqlite_engine, user_id, hours=1)
    with sqlite_engine.begin() as conn:
        conn.execute(update(web_session).values(expires_at=datetime.now(UTC) - timedelta(hours=1)))
    open_session(sqlite_engine, user_id, hours=1)
    with sqlite_engine.connect() as conn:
        assert len(conn.execute(select(web_session)).all()) == 1
