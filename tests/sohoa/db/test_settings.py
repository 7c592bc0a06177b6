from __future__ import annotations

from sqlalchemy import text

from sohoa.db.engine import make_engine
from sohoa.db.settings import db_url, validation_dir


def test_default_database_is_an_sqlite_file_under_dot_sohoa(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOHOA_DB_URL", raising=False)
    assert db_url() == "sqlite:///.sohoa/sohoa.db"
    assert (tmp_path / ".sohoa").is_dir()


def test_environment_overrides_the_database_and_report_locations(monkeypatch, tmp_path):
    monkeypatch.setenv("SOHOA_DB_URL", "postgresql://u@h/db")
    monkeypatch.setenv("SOHOA_VALIDATION_DIR", str(tmp_path / "v"))
    assert db_url() == "postgresql://u@h/db"
    assert validation_dir() == tmp_path / "v"
    assert make_engine().dialect.driver == "psycopg"


def test_sqlite_connections_enforce_foreign_keys(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
