"""The Alembic migrations build exactly the schema of ``sohoa.db.tables``, on both backends."""

from __future__ import annotations

import re
from collections.abc import Iterable

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect

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


def _type_lists(texts: Iterable[str]) -> list[list[str]]:
    """The quoted values of the CHECK constraints on a document or book type."""
    return sorted(
        sorted(re.findall(r"'([^']*)'", t)) for t in texts if re.search(r"\b(book|doc)_type\b", t)
    )


def test_migrated_type_checks_allow_the_registry_types(db_engine):
    # Alembic compares no CHECK constraints: a type added to ocr.doctypes without a
    # migration that widens the database's lists would pass the test above and then fail
    # every insert of that type.
    reflect = inspect(db_engine)
    checked = 0
    for name, table in metadata.tables.items():
        want = _type_lists(
            str(c.sqltext) for c in table.constraints if isinstance(c, CheckConstraint)
        )
        got = _type_lists(c["sqltext"] for c in reflect.get_check_constraints(name))
        assert got == want, name
        checked += len(want)
    assert checked >= 6  # book_type and doc_type of six tables


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


def test_postgres_compares_machine_keys_byte_by_byte(pg_engine):
    """Migration 0010 gives the key columns ``COLLATE "C"``, as ``tables.machine_key`` says;
    the downgrade gives them back the database's default."""
    from sqlalchemy import text

    keyed = {
        (c.table.name, c.name)
        for t in metadata.sorted_tables
        for c in t.columns
        if getattr(c.type.dialect_impl(pg_engine.dialect), "collation", None) == "C"
    }
    assert keyed == {
        ("scan", "sha256"),
        ("civil_record", "registration_number"),
        ("civil_record", "personal_id"),
        ("person", "personal_id"),
        ("person", "name_key"),
    }
    query = text(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND collation_name = 'C'"
    )
    with pg_engine.connect() as conn:
        assert {tuple(r) for r in conn.execute(query)} == keyed
    downgrade(pg_engine, "0009_scan_book_type")
    with pg_engine.connect() as conn:
        assert not conn.execute(query).all()
    upgrade(pg_engine)


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


def test_record_people_move_between_the_link_table_and_the_record_columns(db_engine):
    """Migration 0006 moves each record's people from ``record_person`` rows to
    ``civil_record.person_id`` / ``spouse_person_id``, and its downgrade moves them back."""
    from sqlalchemy import text

    downgrade(db_engine, "0005_login_failures")
    now = "2026-01-01 00:00:00"
    with db_engine.begin() as conn:
        run = conn.execute
        run(text("INSERT INTO unit (id, code) VALUES (1, '25920')"))
        for book, kind in ((1, "birth"), (2, "marriage")):
            run(
                text(
                    "INSERT INTO register_book (id, unit_id, book_type, year, volume, "
                    "created_at) VALUES (:b, 1, :k, 2020, '01', :t)"
                ),
                {"b": book, "k": kind, "t": now},
            )
            run(
                text(
                    "INSERT INTO scan (id, sha256, page, uri, book_id, doc_type, status, "
                    "created_at, updated_at) VALUES (:b, :h, 1, 'x', :b, :k, 'loaded', :t, :t)"
                ),
                {"b": book, "h": f"{book:064x}", "k": kind, "t": now},
            )
            run(
                text(
                    "INSERT INTO civil_record (id, book_id, doc_type, registration_number, "
                    "scan_id, fields, origin, created_at) "
                    "VALUES (:b, :b, :k, '1', :b, '{}', 'auto_accepted', :t)"
                ),
                {"b": book, "k": kind, "t": now},
            )
        for pid in (1, 2, 3):
            run(
                text(
                    "INSERT INTO person (id, full_name, name_key, created_at) "
                    "VALUES (:p, 'A', 'a', :t)"
                ),
                {"p": pid, "t": now},
            )
        run(
            text(
                "INSERT INTO record_person (id, record_id, person_id, role) VALUES "
                "(1, 1, 1, 'subject'), (2, 2, 2, 'husband'), (3, 2, 3, 'wife')"
            )
        )
    upgrade(db_engine)
    with db_engine.connect() as conn:
        moved = conn.execute(
            text("SELECT id, person_id, spouse_person_id FROM civil_record ORDER BY id")
        ).all()
    assert [tuple(r) for r in moved] == [(1, 1, None), (2, 2, 3)]
    assert "record_person" not in inspect(db_engine).get_table_names()
    with db_engine.connect() as conn:  # and 0009 gave each scan its book's type
        typed = conn.execute(text("SELECT id, book_type FROM scan ORDER BY id")).all()
    assert [tuple(r) for r in typed] == [(1, "birth"), (2, "marriage")]
    downgrade(db_engine, "0005_login_failures")
    with db_engine.connect() as conn:
        back = conn.execute(
            text("SELECT record_id, person_id, role FROM record_person ORDER BY person_id")
        ).all()
        kept = conn.execute(text("SELECT count(*) FROM civil_record")).scalar_one()
    assert [tuple(r) for r in back] == [(1, 1, "subject"), (2, 2, "husband"), (2, 3, "wife")]
    assert kept == 2
    upgrade(db_engine)


def test_reuse_events_keep_a_keyed_hash_of_the_looked_up_value(db_engine, monkeypatch):
    """Migration 0012 replaces every looked-up value already audited by its keyed hash;
    the downgrade cannot give the values back and leaves the hashes."""
    from sqlalchemy import text

    from sohoa.dossiers.lookup_key import lookup_digest

    monkeypatch.setenv("SOHOA_LOOKUP_KEY", "the-deployment-key-0012")
    downgrade(db_engine, "0011_kpi_facts_on_insert")
    with db_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO reuse_event (id, lookup_kind, lookup_value, found, at) VALUES "
                "(1, 'personal_id', '079203001234', false, '2026-01-01 00:00:00'), "
                "(2, 'registration_number', '12/2020', false, '2026-01-01 00:00:00')"
            )
        )
    upgrade(db_engine)
    with db_engine.connect() as conn:
        kept = conn.execute(text("SELECT lookup_value FROM reuse_event ORDER BY id")).scalars()
        values = list(kept)
    key = b"the-deployment-key-0012"
    assert values == [
        lookup_digest("personal_id", "079203001234", key),
        lookup_digest("registration_number", "12/2020", key),
    ]
    downgrade(db_engine, "0011_kpi_facts_on_insert")
    upgrade(db_engine)  # a hash is not hashed again
    with db_engine.connect() as conn:
        again = list(
            conn.execute(text("SELECT lookup_value FROM reuse_event ORDER BY id")).scalars()
        )
    assert again == values
