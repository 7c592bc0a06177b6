"""The web app (issue 6): accounts, their units, sessions, and upload batches.

Revision ID: 0003_web_accounts
Revises: 0002_dossier_link
Create Date: 2026-11-23

Passwords are stored as argon2 hashes, sessions as the sha256 of their cookie, so a copy
of the database does not let anyone sign in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_web_accounts"
down_revision: str | Sequence[str] | None = "0002_dossier_link"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", ID, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "role IN ('archive_staff', 'reviewer', 'manager', 'admin')",
            name=op.f("ck_app_user_role"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "app_user_unit",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_app_user_unit_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "unit_code", name=op.f("pk_app_user_unit")),
    )
    op.create_table(
        "web_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_web_session_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_session")),
    )
    op.create_index("ix_web_session_user_id", "web_session", ["user_id"], unique=False)
    op.create_table(
        "upload_batch",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("book_type", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("volume", sa.String(length=32), nullable=False),
        sa.Column("declared_entries", sa.Integer(), nullable=True),
        sa.Column("dossier_code", sa.String(length=64), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint(
            "book_type IN ('birth', 'death', 'marriage', 'dossier_result')",
            name=op.f("ck_upload_batch_book_type"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_upload_batch_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_batch")),
    )
    op.create_index("ix_upload_batch_unit_code", "upload_batch", ["unit_code"], unique=False)
    op.create_table(
        "upload_file",
        sa.Column("id", ID, nullable=False),
        sa.Column("batch_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("landing_key", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('uploaded', 'skipped_uploaded', 'skipped_processed', 'refused')",
            name=op.f("ck_upload_file_outcome"),
        ),
        sa.CheckConstraint(
            "outcome <> 'refused' OR message IS NOT NULL",
            name=op.f("ck_upload_file_refused_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["upload_batch.id"], name=op.f("fk_upload_file_batch_id_upload_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload_file")),
        sa.UniqueConstraint("batch_id", "position", name=op.f("uq_upload_file_batch_id_position")),
    )
    op.create_index("ix_upload_file_sha256", "upload_file", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_upload_file_sha256", table_name="upload_file")
    op.drop_table("upload_file")
    op.drop_index("ix_upload_batch_unit_code", table_name="upload_batch")
    op.drop_table("upload_batch")
    op.drop_index("ix_web_session_user_id", table_name="web_session")
    op.drop_table("web_session")
    op.drop_table("app_user_unit")
    op.drop_table("app_user")
