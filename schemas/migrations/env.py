"""Alembic environment for the sohoa population database.

Run through ``sohoa.db.migrate.upgrade`` (which passes an open connection), or with the
alembic CLI: ``alembic -c /dev/null -x url=... `` is not needed; the URL falls back to
``SOHOA_DB_URL`` (``sohoa.settings``).
"""

from __future__ import annotations

from alembic import context

from sohoa.db.engine import make_engine
from sohoa.db.tables import metadata

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or None
    with make_engine(url).begin() as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; connect to a database")
run_migrations()
