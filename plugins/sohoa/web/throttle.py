"""Slow down password guessing: after a few failures a username is locked for a while.

In memory, per process: enough to make guessing slow on the one server of a commune; a
restart forgets it, which only ever helps the legitimate user.
"""

from __future__ import annotations

import threading
import time

MAX_FAILURES = 5
LOCK_SECONDS = 60


class LoginThrottle:
    def __init__(self, max_failures: int = MAX_FAILURES, lock_seconds: float = LOCK_SECONDS):
        self.max_failures = max_failures
        self.lock_seconds = lock_seconds
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def locked(self, username: str) -> bool:
        with self._lock:
            count, since = self._failures.get(username, (0, 0.0))
            if count >= self.max_failures and time.monotonic() - since < self.lock_seconds:
                return True
            if count >= self.max_failures:
                del self._failures[username]
            return False

    def failed(self, username: str) -> None:
        with self._lock:
            count, _ = self._failures.get(username, (0, 0.0))
            self._failures[username] = (count + 1, time.monotonic())

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username, None)
