"""Server-side sessions: the cookie is a random token, the database keeps its sha256.

Sessions expire after a working day (``SOHOA_WEB_SESSION_HOURS``); signing out, changing
a password or disabling an account ends them at once, which a signed cookie could not do.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select

from sohoa.db.tables import app_user, app_user_unit, web_session
from sohoa.web.access import Principal

COOKIE = "sohoa_session"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(engine: Engine, user_id: int, hours: int) -> str:
    """A new session for the account; returns the cookie value (shown nowhere else)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(  # housekeeping: this account's expired sessions
            delete(web_session).where(
                web_session.c.user_id == user_id, web_session.c.expires_at < now
            )
        )
        conn.execute(
            insert(web_session).values(
                token_hash=_digest(token),
                user_id=user_id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
    return token


def principal_for(engine: Engine, token: str | None) -> Principal | None:
    """The signed-in account behind a cookie, or None (unknown, expired or disabled)."""
    if not token or len(token) > 100:
        return None
    now = datetime.now(UTC)
    with engine.connect() as conn:
        row = conn.execute(
            select(
                web_session.c.csrf_token,
                web_session.c.expires_at,
                app_user.c.id,
                app_user.c.username,
                app_user.c.display_name,
                app_user.c.role,
                app_user.c.active,
            )
            .join(app_user, app_user.c.id == web_session.c.user_id)
            .where(web_session.c.token_hash == _digest(token))
        ).first()
        if row is None or not row.active or _aware(row.expires_at) <= now:
            return None
        units = tuple(
            conn.execute(
                select(app_user_unit.c.unit_code)
                .where(app_user_unit.c.user_id == row.id)
                .order_by(app_user_unit.c.unit_code)
            ).scalars()
        )
    return Principal(row.id, row.username, row.display_name, row.role, units, row.csrf_token)


def close_session(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(delete(web_session).where(web_session.c.token_hash == _digest(token)))


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
