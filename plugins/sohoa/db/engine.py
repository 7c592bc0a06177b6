"""Engines for SQLite (embedded default) and PostgreSQL (production), set up alike.

SQLite gets foreign keys switched on (off by default there) and ``BEGIN IMMEDIATE`` so a
load holds the write lock from its first statement: the loader allocates ids itself and
must not race another writer between reading ``max(id)`` and inserting.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event

from sohoa.settings import db_url


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = url or db_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # pragma: no cover - trivial wiring
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event emit BEGIN
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # pragma: no cover - trivial wiring
        conn.exec_driver_sql("BEGIN IMMEDIATE")
