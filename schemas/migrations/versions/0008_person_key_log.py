"""A log of the keys of the persons each load created, for parallel loads' check.

Revision ID: 0008_person_key_log
Revises: 0007_partial_id_indexes
Create Date: 2026-11-24

Why: a load links people without a lock and, before it commits, checks under the people
lock that no parallel load created one of its new persons in between. It ran all its
candidate queries a second time for that: a sixth of the server's work in a load. Each
load now also writes the hashes of its new persons' blocking keys here, and the check
queries again only for the persons whose hashes another load's rows share.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_person_key_log"
down_revision: str | Sequence[str] | None = "0007_partial_id_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "person_key_log",
        sa.Column("id", _ID, nullable=False),
        sa.Column("key_hashes", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_key_log")),
    )


def downgrade() -> None:
    op.drop_table("person_key_log")
