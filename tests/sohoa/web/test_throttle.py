"""Password guessing is slowed down: a username is locked after a few failures."""

from __future__ import annotations

import time

from sohoa.web.throttle import LoginThrottle


def test_locked_after_max_failures_then_free_after_the_lock():
    throttle = LoginThrottle(max_failures=3, lock_seconds=0.3)
    for _ in range(2):
        throttle.failed("clerk")
    assert not throttle.locked("clerk")
    throttle.failed("clerk")
    assert throttle.locked("clerk")
    assert not throttle.locked("other")  # per username
    time.sleep(0.35)
    assert not throttle.locked("clerk")
    throttle.failed("clerk")  # the count started again
    assert not throttle.locked("clerk")


def test_a_success_forgets_the_failures():
    throttle = LoginThrottle(max_failures=2, lock_seconds=60)
    throttle.failed("clerk")
    throttle.succeeded("clerk")
    throttle.failed("clerk")
    assert not throttle.locked("clerk")
    throttle.failed("clerk")
    assert throttle.locked("clerk")
