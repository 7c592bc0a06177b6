from __future__ import annotations

from sqlalchemy import text

from sohoa.db.engine import make_engine


def test_a_postgresql_url_is_driven_by_psycopg(monkeypatch):
    monkeypatch.setenv("SOHOA_DB_URL", "postgresql://u@h/db")
    assert make_engine().dialect.driver == "psycopg"


def test_sqlite_connections_enforce_foreign_keys(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
