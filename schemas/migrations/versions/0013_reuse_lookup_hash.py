"""The reuse audit keeps a keyed hash of each looked-up value, not the ID number itself.

Revision ID: 0013_reuse_lookup_hash
Revises: 0012_review_override
Create Date: 2026-12-06

Why: ``reuse_event.lookup_value`` kept every personal ID that was looked up, including
lookups outside the caller's units. The reuse rate needs none of them (it counts
components marked reused). New rows get HMAC-SHA256 under the deployment's lookup key
(:mod:`sohoa.dossiers.lookup_key`); this migration converts the rows already written.
The downgrade cannot turn a hash back into an ID: it leaves the hashes.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_reuse_lookup_hash"
down_revision: str | Sequence[str] | None = "0012_review_override"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DIGEST = re.compile(r"[0-9a-f]{64}")


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, lookup_kind, lookup_value FROM reuse_event")).all()
    plain = [r for r in rows if not _DIGEST.fullmatch(r.lookup_value)]
    if not plain:
        return  # a new database: no key is needed (nor made) yet
    from sohoa.dossiers.lookup_key import lookup_digest, lookup_key

    key = lookup_key()
    conn.execute(
        sa.text("UPDATE reuse_event SET lookup_value = :digest WHERE id = :id"),
        [{"id": r.id, "digest": lookup_digest(r.lookup_kind, r.lookup_value, key)} for r in plain],
    )


def downgrade() -> None:
    pass  # a keyed hash cannot be turned back into the value it hides
