"""Index persons by name and day of birth (month and day, any year), on PostgreSQL.

Revision ID: 0004_person_birth_day
Revises: 0003_web_accounts
Create Date: 2026-11-24

Why: linking people (``sohoa.people.link``) looks for stored persons with the same name
and the same month and day of birth in any year (a year misread or mistyped). Without an
index the server read every namesake of a batch's names: about 45 µs of the load's
CPU per record at 100,000 persons, and growing with the table (BENCHMARKS.md, "Load").
The expression must stay identical to the one in ``sohoa.people.link.BIRTH_DAY_SQL``,
or the planner will not use the index.

SQLite (the embedded default, small data) keeps its own coarser lookups; an expression
index is not part of ``sohoa.db.tables``, like the ``kpi`` schema of issue 5.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_person_birth_day"
down_revision: str | Sequence[str] | None = "0003_web_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# month * 100 + day, e.g. 1231; date_part on a date is immutable, so it can be indexed
BIRTH_DAY = "((date_part('month', date_of_birth) * 100 + date_part('day', date_of_birth))::int)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"CREATE INDEX ix_person_name_key_birth_day ON person (name_key, {BIRTH_DAY})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_person_name_key_birth_day")
