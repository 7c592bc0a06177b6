"""The PostgreSQL a benchmark runs against."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def bench_database() -> Iterator[tuple[str, Any]]:
    """(url, server): ``SOHOA_BENCH_DB_URL`` as given (server None), or a throwaway
    PostgreSQL started for this run, with a ``bench`` database, stopped afterwards."""
    url = os.environ.get("SOHOA_BENCH_DB_URL")
    if url:
        yield url, None
        return
    from sohoa.db.tempserver import TempPostgres

    server = TempPostgres().start()
    try:
        server.admin_sql("CREATE DATABASE bench")
        yield server.url("bench"), server
    finally:
        server.stop()
