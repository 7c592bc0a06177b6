"""Wrong passwords counted in the database, shared by every web process.

Revision ID: 0005_login_failures
Revises: 0004_person_birth_day
Create Date: 2026-11-24

Why: inside Airflow's API server the web app may run in several worker processes or
replicas. A count kept in each process's memory gave an attacker five guesses per process
per minute, and a restart forgot it. One row per username (its sha256, never the name or a
password), updated by one atomic upsert, makes the count the same for every process.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_login_failures"
down_revision: str | Sequence[str] | None = "0004_person_birth_day"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("username_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure", TS, nullable=False),
        sa.Column("last_failure", TS, nullable=False),
        sa.PrimaryKeyConstraint("username_hash", name=op.f("pk_login_failure")),
    )
    op.create_index(
        "ix_login_failure_last_failure", "login_failure", ["last_failure"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_login_failure_last_failure", table_name="login_failure")
    op.drop_table("login_failure")
