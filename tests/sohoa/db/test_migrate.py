"""The Alembic migrations build exactly the schema of ``sohoa.db.tables``, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from sohoa.db.migrate import current_revision, downgrade, head_revision, upgrade
from sohoa.db.tables import POSTGRES_ONLY_INDEXES, metadata


def test_database_is_at_head_and_upgrade_is_idempotent(db_engine):
    assert current_revision(db_engine) == head_revision() is not None
    upgrade(db_engine)  # a second upgrade is a no-op
    assert current_revision(db_engine) == head_revision()
    assert set(metadata.tables) <= set(inspect(db_engine).get_table_names())


def _outside_postgres_extras(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in POSTGRES_ONLY_INDEXES)


def test_migrations_match_the_table_definitions(db_engine):
    with db_engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": _outside_postgres_extras}
        )
        diffs = compare_metadata(context, metadata)
    assert diffs == []


def test_postgres_has_the_expression_index_that_linking_people_relies_on(pg_engine):
    """``sohoa.people.link`` writes the same expression; a drift loses the index silently."""
    from sqlalchemy import text

    from sohoa.people.link import BIRTH_DAY_SQL

    with pg_engine.connect() as conn:
        found = conn.execute(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'person'")
        ).scalars()
        assert set(found) >= POSTGRES_ONLY_INDEXES
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(
            conn.execute(
                text(
                    "EXPLAIN SELECT p.id FROM person p WHERE p.name_key = 'nguyen van a' "
                    f"AND {BIRTH_DAY_SQL} = 1231"
                )
            ).scalars()
        )
    assert "ix_person_name_key_birth_day" in plan


def test_downgrade_removes_every_table_and_upgrade_restores_them(db_engine):
    downgrade(db_engine, "base")
    assert not set(metadata.tables) & set(inspect(db_engine).get_table_names())
    upgrade(db_engine)
    assert set(metadata.tables) <= set(inspect(db_engine).get_table_names())


def test_an_unreachable_database_is_one_clear_error_without_the_password():
    import pytest

    from sohoa.db.migrate import DatabaseUnavailableError

    with pytest.raises(DatabaseUnavailableError) as caught:
        upgrade("postgresql://sohoa:s3cret@127.0.0.1:1/nowhere")  # port 1: nothing listens
    message = str(caught.value)
    assert "SOHOA_DB_URL" in message and "127.0.0.1" in message
    assert "s3cret" not in message
