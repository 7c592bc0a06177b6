"""Machine keys compare byte by byte on PostgreSQL (COLLATE "C").

Revision ID: 0010_machine_key_collation
Revises: 0009_scan_book_type
Create Date: 2026-11-24

Why: a scan's sha256, a record's registration number, ID numbers and folded names are
keys that no reader sorts, yet their indexes compared them by the database's locale
(strcoll), on every index entry a load inserted and every probe it made. Byte order is
what these keys mean, and it costs a memcmp. SQLite compares bytes already: nothing to
do there.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_machine_key_collation"
down_revision: str | Sequence[str] | None = "0009_scan_book_type"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEYS = [
    ("scan", "sha256", sa.String(64), False),
    ("civil_record", "registration_number", sa.String(32), False),
    ("civil_record", "personal_id", sa.String(12), True),
    ("person", "personal_id", sa.String(12), True),
    ("person", "name_key", sa.Text(), False),
]


def _set(collation: str | None) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, type_, nullable in _KEYS:
        op.alter_column(
            table,
            column,
            type_=type_.__class__(type_.length, collation=collation),
            existing_type=type_,
            existing_nullable=nullable,
        )


def upgrade() -> None:
    _set("C")


def downgrade() -> None:
    _set(None)  # the database's default collation again
