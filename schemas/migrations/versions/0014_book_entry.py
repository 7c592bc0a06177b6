"""How a register book is typed in: tables ``book_entry`` and ``entry_key``.

Revision ID: 0014_book_entry
Revises: 0013_reuse_lookup_hash
Create Date: 2026-12-06

Why: manual entry fills the values most of a book's records share (ethnicity,
nationality, the registering authority) from defaults a clerk sets per book, and a book
of handwritten pages can be marked to be typed twice (issue 15): two people key each page
(``entry_key``, one row per keying), a reviewer settles where they differ, and the audit
trail gains the actions ``key`` and ``arbitrate``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014_book_entry"
down_revision: str | Sequence[str] | None = "0013_reuse_lookup_hash"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)
JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

_ACTIONS = (
    "'correct', 'confirm', 'enter', 'reject', 'resolve_duplicate', 'link_dossier', 'override'"
)
_OLD = f"action IN ({_ACTIONS})"
_NEW = f"action IN ({_ACTIONS}, 'key', 'arbitrate')"


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
    op.create_table(
        "entry_key",
        sa.Column("id", ID, nullable=False),
        sa.Column("review_item_id", ID, nullable=False),
        sa.Column("keying", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("doc_type", sa.String(length=16), nullable=False),
        sa.Column("typed", JSONDoc, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("keying IN (1, 2)", name=op.f("ck_entry_key_keying")),
        sa.CheckConstraint(
            "doc_type IN ('birth', 'death', 'marriage', 'dossier_result')",
            name=op.f("ck_entry_key_doc_type"),
        ),
        sa.ForeignKeyConstraint(
            ["review_item_id"],
            ["review_item.id"],
            name=op.f("fk_entry_key_review_item_id_review_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_key")),
        sa.UniqueConstraint(
            "review_item_id", "actor", name=op.f("uq_entry_key_review_item_id_actor")
        ),
        sa.UniqueConstraint(
            "review_item_id", "keying", name=op.f("uq_entry_key_review_item_id_keying")
        ),
    )
    with op.batch_alter_table("review_action", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_action_action"), type_="check")
        batch_op.create_check_constraint(op.f("ck_review_action_action"), _NEW)


def downgrade() -> None:
    op.execute("DELETE FROM review_action WHERE action IN ('key', 'arbitrate')")
    with op.batch_alter_table("review_action", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_action_action"), type_="check")
        batch_op.create_check_constraint(op.f("ck_review_action_action"), _OLD)
    op.drop_table("entry_key")
    op.drop_table("book_entry")
