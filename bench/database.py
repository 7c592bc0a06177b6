"""The PostgreSQL a benchmark runs against."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Production settings (deploy/postgres/20-sohoa-load-settings.sh): every commit is flushed
# to disk (fsync, synchronous_commit, full_page_writes at their defaults), WAL fit for
# backups and replicas; only sizes are raised for bulk loads. The test server's settings trade
# durability for speed (sohoa.db.tempserver), which would flatter a load figure.
DURABLE_OPTIONS = (
    "-c fsync=on -c synchronous_commit=on -c full_page_writes=on -c wal_level=replica "
    "-c max_wal_senders=10 -c max_wal_size=4GB -c checkpoint_timeout=15min "
    "-c shared_buffers=256MB -c wal_buffers=16MB"
)


@contextmanager
def bench_database(durable: bool = False) -> Iterator[tuple[str, Any]]:
    """(url, server): ``SOHOA_BENCH_DB_URL`` as given (server None), or a throwaway
    PostgreSQL started for this run, with a ``bench`` database, stopped afterwards.

    ``durable``: restart the throwaway server with the production settings above
    instead of the test suite's fsync=off ones."""
    url = os.environ.get("SOHOA_BENCH_DB_URL")
    if url:
        yield url, None
        return
    from sohoa.db.tempserver import TempPostgres

    server = TempPostgres().start()
    try:
        if durable:
            opts = f"-k {server.sock} -c listen_addresses='' -c max_connections=50 "
            server._run("pg_ctl", "-D", str(server.data), "-o", opts + DURABLE_OPTIONS,
                        "-l", str(server.root / "log"), "-m", "fast", "-w", "restart")  # fmt: skip
        server.admin_sql("CREATE DATABASE bench")
        yield server.url("bench"), server
    finally:
        server.stop()
