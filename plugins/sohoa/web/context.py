"""What every request needs from the outside world: the database, the landing zone, the
settings. Built on first use, not at import, so that Airflow can import the plugin
without a database, and a mounted copy of the app (whose lifespan never runs) works too.
"""

from __future__ import annotations

import threading
from functools import cached_property

from sqlalchemy import Engine

from sohoa.settings import WebSettings, get_settings


class WebContext:
    def __init__(
        self,
        db_url: str | None = None,
        landing: str | None = None,
        settings: WebSettings | None = None,
    ) -> None:
        self._db_url = db_url
        self._landing = landing
        self._lock = threading.Lock()
        self.settings = settings or get_settings().web

    @cached_property
    def engine(self) -> Engine:
        from sohoa.db.migrate import upgrade

        with self._lock:  # one migration run even when the first requests race
            return upgrade(self._db_url)

    @property
    def landing_location(self) -> str:
        return self._landing or get_settings().landing

    def open_landing(self):
        from sohoa.landing.store import open_landing

        return open_landing(self.landing_location)
