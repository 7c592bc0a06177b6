"""Indexes on personal IDs hold only the rows that have one.

Revision ID: 0007_partial_id_indexes
Revises: 0006_record_people
Create Date: 2026-11-24

Why: ID numbers exist only on records from 2016 on; the registers of the decades before
have none. A plain index still gets an entry for every NULL, which cost each record of
an old book two index insertions (``civil_record`` and ``person``) that no query uses.
Partial indexes answer the same lookups (``personal_id = ...`` implies NOT NULL) and keep
one person per ID: uniqueness never applied to NULLs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_partial_id_indexes"
down_revision: str | Sequence[str] | None = "0006_record_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HAS_ID = sa.text("personal_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_civil_record_personal_id", table_name="civil_record")
    op.create_index(
        "ix_civil_record_personal_id",
        "civil_record",
        ["personal_id"],
        postgresql_where=_HAS_ID,
        sqlite_where=_HAS_ID,
    )
    with op.batch_alter_table("person") as batch:  # SQLite rebuilds the table
        batch.drop_constraint("uq_person_personal_id", type_="unique")
    op.create_index(
        "uq_person_personal_id",
        "person",
        ["personal_id"],
        unique=True,
        postgresql_where=_HAS_ID,
        sqlite_where=_HAS_ID,
    )


def downgrade() -> None:
    op.drop_index("uq_person_personal_id", table_name="person")
    with op.batch_alter_table("person") as batch:
        batch.create_unique_constraint("uq_person_personal_id", ["personal_id"])
    op.drop_index("ix_civil_record_personal_id", table_name="civil_record")
    op.create_index("ix_civil_record_personal_id", "civil_record", ["personal_id"])
