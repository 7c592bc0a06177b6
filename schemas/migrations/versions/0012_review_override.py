"""A warning of the checks answered with a reason is audited: action ``override``.

Revision ID: 0012_review_override
Revises: 0011_kpi_facts_on_insert
Create Date: 2026-12-06

Why: a record typed in or corrected in review passes the checks of a machine-read one
before it loads (issue 15). A warning (a place outside the unit lists, a blank parent's
entry) may be overridden by the person, and ``review_action`` keeps who, which field,
the value and the reason, as a new action ``override``.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_review_override"
down_revision: str | Sequence[str] | None = "0011_kpi_facts_on_insert"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = "action IN ('correct', 'confirm', 'enter', 'reject', 'resolve_duplicate', 'link_dossier')"
_NEW = (
    "action IN ('correct', 'confirm', 'enter', 'reject', 'resolve_duplicate', 'link_dossier', "
    "'override')"
)


def upgrade() -> None:
    with op.batch_alter_table("review_action", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_action_action"), type_="check")
        batch_op.create_check_constraint(op.f("ck_review_action_action"), _NEW)


def downgrade() -> None:
    op.execute("DELETE FROM review_action WHERE action = 'override'")
    with op.batch_alter_table("review_action", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_review_action_action"), type_="check")
        batch_op.create_check_constraint(op.f("ck_review_action_action"), _OLD)
