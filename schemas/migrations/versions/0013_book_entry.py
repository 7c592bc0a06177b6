"""How a register book is typed in: table ``book_entry``.

Revision ID: 0013_book_entry
Revises: 0012_review_override
Create Date: 2026-12-06

Why: manual entry fills the values most of a book's records share (ethnicity,
nationality, the registering authority) from defaults a clerk sets per book, and a book
of handwritten pages can be marked to be typed twice (issue 15).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_book_entry"
down_revision: str | Sequence[str] | None = "0012_review_override"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)
JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "book_entry",
        sa.Column("book_id", ID, nullable=False),
        sa.Column("double_entry", sa.Boolean(), nullable=False),
        sa.Column("defaults", JSONDoc, nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["book_id"], ["register_book.id"], name=op.f("fk_book_entry_book_id_register_book")
        ),
        sa.PrimaryKeyConstraint("book_id", name=op.f("pk_book_entry")),
    )


def downgrade() -> None:
    op.drop_table("book_entry")
