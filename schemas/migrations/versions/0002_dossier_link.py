"""Dossier link outcomes (issue 5, "conflicts go to review"): table ``dossier_link``.

Revision ID: 0002_dossier_link
Revises: i5_kpi
Create Date: 2026-11-23

A loaded dossier result's link to its dossier is kept per record, so that conflicts wait
for a person in the review queue, and ``review_action`` can audit the person's decision
(new column ``dossier_link_id``, new action ``link_dossier``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_dossier_link"
down_revision: str | Sequence[str] | None = "i5_kpi"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)

_OLD_ACTIONS = "action IN ('correct', 'confirm', 'enter', 'reject', 'resolve_duplicate')"
_NEW_ACTIONS = (
    "action IN ('correct', 'confirm', 'enter', 'reject', 'resolve_duplicate', 'link_dossier')"
)
_OLD_SUBJECT = "review_item_id IS NOT NULL OR flag_id IS NOT NULL"
_NEW_SUBJECT = "review_item_id IS NOT NULL OR flag_id IS NOT NULL OR dossier_link_id IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "dossier_link",
        sa.Column("id", ID, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("dossier_code", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint(
            "status IN ('linked', 'waiting', 'conflict', 'no_code')",
            name=op.f("ck_dossier_link_status"),
        ),
        sa.CheckConstraint(
            "(decided_by IS NULL) = (decided_at IS NULL)", name=op.f("ck_dossier_link_decision")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["civil_record.id"], name=op.f("fk_dossier_link_record_id_civil_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_link")),
        sa.UniqueConstraint("record_id", name=op.f("uq_dossier_link_record_id")),
    )
    with op.batch_alter_table("dossier_link", schema=None) as batch_op:
        batch_op.create_index("ix_dossier_link_status", ["status"], unique=False)
    with op.batch_alter_table("review_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dossier_link_id", ID, nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_review_action_dossier_link_id_dossier_link"),
            "dossier_link",
            ["dossier_link_id"],
            ["id"],
        )
        batch_op.drop_constraint(op.f("ck_review_action_action"), type_="check")
        batch_op.drop_constraint(op.f("ck_review_action_subject"), type_="check")
        batch_op.create_check_constraint(op.f("ck_review_action_action"), _NEW_ACTIONS)
        batch_op.create_check_constraint(op.f("ck_review_action_subject"), _NEW_SUBJECT)


def downgrade() -> None:
    op.execute("DELETE FROM review_action WHERE dossier_link_id IS NOT NULL")
    with op.batch_alter_table("review_action", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_action_subject"), type_="check")
        batch_op.drop_constraint(op.f("ck_review_action_action"), type_="check")
        batch_op.drop_constraint(
            op.f("fk_review_action_dossier_link_id_dossier_link"), type_="foreignkey"
        )
        batch_op.drop_column("dossier_link_id")
        batch_op.create_check_constraint(op.f("ck_review_action_action"), _OLD_ACTIONS)
        batch_op.create_check_constraint(op.f("ck_review_action_subject"), _OLD_SUBJECT)
    with op.batch_alter_table("dossier_link", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_link_status")
    op.drop_table("dossier_link")
