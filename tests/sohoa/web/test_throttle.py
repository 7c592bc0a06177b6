"""Password guessing is slowed down: a username is locked after a few failures, and the
count is shared through the database by every process (here: separate engines on the same
database, on SQLite and PostgreSQL), with a fake clock instead of sleeping."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from sohoa.db.engine import make_engine
from sohoa.db.tables import login_failure
from sohoa.web.throttle import FORGET_SECONDS, LOCK_SECONDS, MAX_FAILURES, LoginThrottle


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engines(db_url):
    """Two engines (two connection pools) on one database, as two worker processes have."""
    made = [make_engine(db_url), make_engine(db_url)]
    yield made
    for engine in made:
        engine.dispose()


@pytest.fixture
def two_processes(engines, clock) -> tuple[LoginThrottle, LoginThrottle]:
    return LoginThrottle(engines[0], clock=clock), LoginThrottle(engines[1], clock=clock)


def _rows(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(login_failure)).scalar_one()


def test_failures_through_two_processes_add_up_and_lock_both(two_processes):
    first, second = two_processes
    for _ in range(3):
        first.failed("clerk")
    for _ in range(MAX_FAILURES - 4):
        second.failed("clerk")
    assert not first.locked("clerk") and not second.locked("clerk")
    second.failed("clerk")  # the fifth failure, 3 + 2
    assert first.locked("clerk") and second.locked("clerk")
    assert not first.locked("other") and not second.locked("other")  # per username


def test_the_lock_ends_after_lock_seconds_and_the_count_starts_again(two_processes, clock):
    first, second = two_processes
    for _ in range(MAX_FAILURES):
        first.failed("clerk")
    clock.advance(LOCK_SECONDS - 1)
    assert second.locked("clerk")
    clock.advance(1)
    assert not second.locked("clerk") and not first.locked("clerk")
    first.failed("clerk")  # one failure of a new count, not the sixth
    assert not second.locked("clerk")
    for _ in range(MAX_FAILURES - 1):
        second.failed("clerk")
    assert first.locked("clerk")


def test_a_success_in_one_process_clears_the_count_for_the_other(two_processes):
    first, second = two_processes
    for _ in range(MAX_FAILURES - 1):
        first.failed("clerk")
    second.succeeded("clerk")
    first.failed("clerk")
    assert not first.locked("clerk") and not second.locked("clerk")


def test_a_success_after_the_lock_unlocks_at_once(two_processes):
    """The route only calls it after a right password, i.e. once the lock is over; an
    administrator's tool could call it to unlock someone early."""
    first, second = two_processes
    for _ in range(MAX_FAILURES):
        first.failed("clerk")
    second.succeeded("clerk")
    assert not first.locked("clerk")


def test_concurrent_failures_all_count(engines):
    """Two processes failing at the same moment: the upsert is one statement, so no
    failure is lost to a read-then-write race."""
    per_process, limit = 15, 30
    throttles = [LoginThrottle(engine, max_failures=limit) for engine in engines]
    start = threading.Barrier(len(throttles))
    errors: list[BaseException] = []

    def fail_many(throttle: LoginThrottle) -> None:
        try:
            start.wait()
            for _ in range(per_process):
                throttle.failed("clerk")
        except BaseException as exc:  # reported below, with the main thread's assertion
            errors.append(exc)

    threads = [threading.Thread(target=fail_many, args=(t,)) for t in throttles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engines[0].connect() as conn:
        counted = conn.execute(select(login_failure.c.failures)).scalar_one()
    assert counted == per_process * len(throttles) == limit
    assert throttles[0].locked("clerk")


def test_rows_do_not_pile_up(two_processes, engines, clock):
    first, second = two_processes
    first.failed("clerk")
    second.failed("boss")
    for _ in range(MAX_FAILURES):
        first.failed("locked-out")
    assert _rows(engines[0]) == 3
    first.succeeded("clerk")  # a success deletes its row
    assert _rows(engines[0]) == 2
    clock.advance(LOCK_SECONDS)
    assert not second.locked("locked-out")  # an expired lock deletes its row
    assert _rows(engines[0]) == 1
    clock.advance(FORGET_SECONDS)
    first.failed("someone-else")  # every failure also purges rows long forgotten
    assert _rows(engines[0]) == 1
    assert not first.locked("boss")


def test_failures_below_the_lock_are_forgotten_after_a_quiet_while(two_processes, clock):
    first, second = two_processes
    for _ in range(MAX_FAILURES - 1):
        first.failed("clerk")
    clock.advance(FORGET_SECONDS - 1)
    second.failed("clerk")  # still remembered: this is the fifth
    assert first.locked("clerk")
    clock.advance(LOCK_SECONDS)
    for _ in range(MAX_FAILURES - 1):
        first.failed("clerk")
    clock.advance(FORGET_SECONDS)
    second.failed("clerk")  # the four before were forgotten: this is the first
    assert not first.locked("clerk")


def test_no_username_or_password_is_stored(two_processes, engines):
    """A password typed into the username box must not be left readable."""
    first, _ = two_processes
    typed = "my-secret-password"
    first.failed(typed)
    with engines[0].connect() as conn:
        stored = [str(v) for v in conn.execute(select(login_failure)).one()]
    assert not any(typed in value for value in stored)
    assert first.locked(typed) is False and _rows(engines[0]) == 1
