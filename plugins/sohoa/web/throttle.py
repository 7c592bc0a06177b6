"""Slow down password guessing: after a few failures a username is locked for a while.

The count lives in the population database (table ``login_failure``), not in memory:
inside Airflow's API server the app may run in several worker processes or replicas, and a
count per process gave an attacker ``MAX_FAILURES`` guesses per process per minute, which a
restart then forgot. One atomic upsert per failure makes every process see the same count.

Unknown usernames are counted like real ones, so the lock tells nobody which accounts
exist. Rows are keyed by the sha256 of the username (a password typed into the username
box is not kept readable) and stay small: a success deletes the row, an expired lock or a
quiet ``FORGET_SECONDS`` deletes it too.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, and_, case, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from sohoa.db.tables import login_failure as table

MAX_FAILURES = 5
LOCK_SECONDS = 60
# Failures below the lock are forgotten after this long without another one; in memory
# they lasted until a success, but rows for every mistyped name must not pile up.
FORGET_SECONDS = 15 * 60

log = logging.getLogger(__name__)
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def utc_now() -> datetime:
    return datetime.now(UTC)


def _key(username: str) -> str:
    return hashlib.sha256(username.encode()).hexdigest()


class LoginThrottle:
    """The routes' view of the shared count; cheap to build, holds no state but settings.

    ``clock`` returns a timezone-aware time (tests pass a fake one instead of sleeping);
    all processes must use the same clock (UTC wall time), as they do by default.
    """

    def __init__(
        self,
        engine: Engine,
        max_failures: int = MAX_FAILURES,
        lock_seconds: float = LOCK_SECONDS,
        forget_seconds: float = FORGET_SECONDS,
        clock: Callable[[], datetime] = utc_now,
    ):
        if engine.dialect.name not in _INSERTS:
            raise ValueError(f"no login throttle for a {engine.dialect.name} database")
        self.engine = engine
        self.max_failures = max_failures
        self.lock = timedelta(seconds=lock_seconds)
        self.forget = timedelta(seconds=max(forget_seconds, lock_seconds))
        self._clock = clock
        self._insert = _INSERTS[engine.dialect.name]

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def _expired(self, now: datetime) -> ColumnElement[bool]:
        """Rows that no longer count: a lock that has run out, or failures long forgotten."""
        return or_(
            table.c.last_failure <= now - self.forget,
            and_(table.c.failures >= self.max_failures, table.c.last_failure <= now - self.lock),
        )

    def locked(self, username: str) -> bool:
        key, now = _key(username), self._now()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(table.c.failures, case((self._expired(now), True), else_=False)).where(
                    table.c.username_hash == key
                )
            ).first()
            if row is None:
                return False
            failures, expired = row
            if expired:  # the condition again: another process may have just failed anew
                conn.execute(delete(table).where(table.c.username_hash == key, self._expired(now)))
                return False
        return failures >= self.max_failures

    def failed(self, username: str) -> None:
        """Count one failure, in one statement: concurrent failures all count."""
        now = self._now()
        expired = self._expired(now)
        upsert = self._insert(table).values(
            username_hash=_key(username), failures=1, first_failure=now, last_failure=now
        )
        upsert = upsert.on_conflict_do_update(
            index_elements=[table.c.username_hash],
            set_={
                "failures": case((expired, 1), else_=table.c.failures + 1),
                "first_failure": case((expired, now), else_=table.c.first_failure),
                "last_failure": now,
            },
        )
        with self.engine.begin() as conn:
            conn.execute(upsert)
        self._forget_expired(now)

    def succeeded(self, username: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.username_hash == _key(username)))

    def _forget_expired(self, now: datetime) -> None:
        """Housekeeping in its own transaction: two processes purging at once may collide
        (a deadlock on PostgreSQL, a busy SQLite); the next failure purges again."""
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(table).where(self._expired(now)))
        except DBAPIError:
            log.warning("old login failures not purged this time", exc_info=True)
