"""Bring a database to the current schema with the Alembic migrations in ``schemas/``.

Alembic is configured here in code (no ``alembic.ini``): the script location is
``schemas/migrations`` beside the packages, or ``SOHOA_MIGRATIONS_DIR``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from ocr.errors import ConfigurationError, SohoaError
from sohoa.db.engine import make_engine
from sohoa.settings import get_settings


def migrations_dir() -> Path:
    path = get_settings().migrations_dir
    if not (path / "env.py").is_file():
        raise ConfigurationError(f"Alembic migrations not found at {path}")
    return path


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    url = engine.url.render_as_string(hide_password=False)
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser escaping
    return cfg


class DatabaseUnavailableError(SohoaError):
    """The population database cannot be reached: a setting or a server to fix, not a bug."""


def upgrade(engine: Engine | str | None = None, revision: str = "head") -> Engine:
    """Apply every migration up to ``revision``; returns the engine used. Idempotent."""
    if not isinstance(engine, Engine):
        engine = make_engine(engine)
    cfg = alembic_config(engine)
    try:
        with _migrating(engine) as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except OperationalError as exc:
        where = engine.url.render_as_string(hide_password=True)
        cause = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseUnavailableError(
            f"cannot reach the database {where}: {cause}. Check SOHOA_DB_URL and that the "
            "database server is running and accepts this user."
        ) from exc
    return engine


def downgrade(engine: Engine, revision: str = "base") -> None:
    cfg = alembic_config(engine)
    with _migrating(engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


class MigrationBrokeReferencesError(SohoaError):
    """A migration left rows pointing to rows that no longer exist (nothing was changed)."""


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction for all the migrations to run.

    SQLite alters a table by rebuilding it (Alembic's batch mode), which drops the old
    table: with foreign keys enforced, that fails whenever other tables' rows point to
    it, although the rebuilt table holds the same rows. So, as SQLite's documentation
    advises, enforcement is switched off for the migration (it can only be switched
    outside a transaction) and every reference is checked before the commit instead.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise MigrationBrokeReferencesError(
                            f"the migration would leave {len(broken)} broken references, "
                            f"first in table {broken[0][0]}; the database was not changed"
                        )
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return ScriptDirectory.from_config(cfg).get_current_head()
