"""Initial schema: the population database of docs/database.md.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Generated from ``sohoa.db.tables`` with autogenerate and kept as plain operations, so a
later change to the tables needs a new revision (a test compares the two).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON_DOC = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "person",
        sa.Column("id", ID, nullable=False),
        sa.Column("personal_id", sa.String(length=12), nullable=True),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("place_of_birth", sa.Text(), nullable=True),
        sa.Column("place_key", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint("sex IS NULL OR sex IN ('male', 'female')", name=op.f("ck_person_sex")),
        sa.CheckConstraint(
            "personal_id IS NULL OR length(personal_id) = 12", name=op.f("ck_person_personal_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("personal_id", name=op.f("uq_person_personal_id")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_dob", ["date_of_birth"], unique=False)
        batch_op.create_index("ix_person_name_key_dob", ["name_key", "date_of_birth"], unique=False)

    op.create_table(
        "pipeline_run",
        sa.Column("id", ID, nullable=False),
        sa.Column("run_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("stats", JSON_DOC, nullable=True),
        sa.Column("validation_path", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'succeeded', 'failed')", name=op.f("ck_pipeline_run_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_run")),
        sa.UniqueConstraint("run_key", name=op.f("uq_pipeline_run_run_key")),
    )
    op.create_table(
        "unit",
        sa.Column("id", ID, nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("code", name=op.f("uq_unit_code")),
    )
    op.create_table(
        "register_book",
        sa.Column("id", ID, nullable=False),
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("book_type", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("volume", sa.String(length=32), nullable=False),
        sa.Column("declared_entries", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint(
            "book_type IN ('birth', 'death', 'marriage', 'dossier_result')",
            name=op.f("ck_register_book_book_type"),
        ),
        sa.CheckConstraint(
            "declared_entries IS NULL OR declared_entries >= 0",
            name=op.f("ck_register_book_declared"),
        ),
        sa.CheckConstraint("year BETWEEN 1900 AND 2199", name=op.f("ck_register_book_year")),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_register_book_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_book")),
        sa.UniqueConstraint("id", "book_type", name=op.f("uq_register_book_id_book_type")),
        sa.UniqueConstraint(
            "unit_id",
            "book_type",
            "year",
            "volume",
            name=op.f("uq_register_book_unit_id_book_type_year_volume"),
        ),
    )
    op.create_table(
        "scan",
        sa.Column("id", ID, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("uri", sa.Text(), nullable=False),
        sa.Column("book_id", ID, nullable=True),
        sa.Column("doc_type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("uploaded_by", sa.String(length=100), nullable=True),
        sa.Column("upload_meta", JSON_DOC, nullable=True),
        sa.Column("quality", sa.JSON(), nullable=True),
        sa.Column("pipeline_run_id", ID, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint(
            "doc_type IN ('birth', 'death', 'marriage', 'dossier_result', 'unknown')",
            name=op.f("ck_scan_doc_type"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR reject_reason IS NOT NULL", name=op.f("ck_scan_reason")
        ),
        sa.CheckConstraint(
            "status IN ('loaded', 'in_review', 'rejected')", name=op.f("ck_scan_status")
        ),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_scan_sha256")),
        sa.CheckConstraint("page >= 1", name=op.f("ck_scan_page")),
        sa.ForeignKeyConstraint(
            ["book_id"], ["register_book.id"], name=op.f("fk_scan_book_id_register_book")
        ),
        sa.ForeignKeyConstraint(
            ["pipeline_run_id"],
            ["pipeline_run.id"],
            name=op.f("fk_scan_pipeline_run_id_pipeline_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan")),
        sa.UniqueConstraint("sha256", "page", name=op.f("uq_scan_sha256_page")),
    )
    op.create_table(
        "civil_record",
        sa.Column("id", ID, nullable=False),
        sa.Column("book_id", ID, nullable=False),
        sa.Column("doc_type", sa.String(length=16), nullable=False),
        sa.Column("registration_number", sa.String(length=32), nullable=False),
        sa.Column("scan_id", ID, nullable=False),
        sa.Column("registration_date", sa.Date(), nullable=True),
        sa.Column("registration_place", sa.Text(), nullable=True),
        sa.Column("full_name", sa.Text(), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("personal_id", sa.String(length=12), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("reviewed_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint(
            "doc_type IN ('birth', 'death', 'marriage', 'dossier_result')",
            name=op.f("ck_civil_record_doc_type"),
        ),
        sa.CheckConstraint(
            "origin = 'auto_accepted' OR reviewed_by IS NOT NULL",
            name=op.f("ck_civil_record_reviewer"),
        ),
        sa.CheckConstraint(
            "origin IN ('auto_accepted', 'reviewed', 'typed')", name=op.f("ck_civil_record_origin")
        ),
        sa.CheckConstraint(
            "sex IS NULL OR sex IN ('male', 'female')", name=op.f("ck_civil_record_sex")
        ),
        sa.CheckConstraint(
            "personal_id IS NULL OR length(personal_id) = 12",
            name=op.f("ck_civil_record_personal_id"),
        ),
        sa.ForeignKeyConstraint(
            ["book_id", "doc_type"],
            ["register_book.id", "register_book.book_type"],
            name="fk_civil_record_book_type",
        ),
        sa.ForeignKeyConstraint(
            ["scan_id"], ["scan.id"], name=op.f("fk_civil_record_scan_id_scan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_civil_record")),
        sa.UniqueConstraint(
            "book_id",
            "registration_number",
            name=op.f("uq_civil_record_book_id_registration_number"),
        ),
        sa.UniqueConstraint("scan_id", name=op.f("uq_civil_record_scan_id")),
    )
    with op.batch_alter_table("civil_record", schema=None) as batch_op:
        batch_op.create_index("ix_civil_record_personal_id", ["personal_id"], unique=False)

    op.create_table(
        "dossier",
        sa.Column("id", ID, nullable=False),
        sa.Column("dossier_code", sa.String(length=64), nullable=False),
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("procedure_code", sa.String(length=64), nullable=True),
        sa.Column("procedure_name", sa.Text(), nullable=True),
        sa.Column("received_at", TS, nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("paper_result_required", sa.Boolean(), nullable=False),
        sa.Column("result_issued_at", TS, nullable=True),
        sa.Column("result_file", sa.Text(), nullable=True),
        sa.Column("result_record_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["result_record_id"],
            ["civil_record.id"],
            name=op.f("fk_dossier_result_record_id_civil_record"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_dossier_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier")),
        sa.UniqueConstraint("dossier_code", name=op.f("uq_dossier_dossier_code")),
    )
    op.create_table(
        "person_duplicate_flag",
        sa.Column("id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("candidate_id", ID, nullable=False),
        sa.Column("record_id", ID, nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolved_by", sa.String(length=100), nullable=True),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint(
            "status = 'open' OR resolved_by IS NOT NULL",
            name=op.f("ck_person_duplicate_flag_resolver"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'same_person', 'different')",
            name=op.f("ck_person_duplicate_flag_status"),
        ),
        sa.CheckConstraint(
            "person_id <> candidate_id", name=op.f("ck_person_duplicate_flag_distinct")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["person.id"],
            name=op.f("fk_person_duplicate_flag_candidate_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_duplicate_flag_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["civil_record.id"],
            name=op.f("fk_person_duplicate_flag_record_id_civil_record"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_duplicate_flag")),
        sa.UniqueConstraint(
            "person_id",
            "candidate_id",
            name=op.f("uq_person_duplicate_flag_person_id_candidate_id"),
        ),
    )
    op.create_table(
        "record_person",
        sa.Column("id", ID, nullable=False),
        sa.Column("record_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "role IN ('subject', 'husband', 'wife', 'applicant')",
            name=op.f("ck_record_person_role"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_record_person_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["civil_record.id"],
            name=op.f("fk_record_person_record_id_civil_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_person")),
        sa.UniqueConstraint("record_id", "role", name=op.f("uq_record_person_record_id_role")),
    )
    with op.batch_alter_table("record_person", schema=None) as batch_op:
        batch_op.create_index("ix_record_person_person_id", ["person_id"], unique=False)

    op.create_table(
        "review_item",
        sa.Column("id", ID, nullable=False),
        sa.Column("scan_id", ID, nullable=False),
        sa.Column("book_id", ID, nullable=True),
        sa.Column("doc_type", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reasons", JSON_DOC, nullable=False),
        sa.Column("original", JSON_DOC, nullable=False),
        sa.Column("working", JSON_DOC, nullable=False),
        sa.Column("record_id", ID, nullable=True),
        sa.Column("resolved_by", sa.String(length=100), nullable=True),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.CheckConstraint(
            "doc_type IN ('birth', 'death', 'marriage', 'dossier_result', 'unknown')",
            name=op.f("ck_review_item_doc_type"),
        ),
        sa.CheckConstraint(
            "state <> 'confirmed' OR record_id IS NOT NULL",
            name=op.f("ck_review_item_confirmed_record"),
        ),
        sa.CheckConstraint(
            "state = 'pending' OR resolved_by IS NOT NULL", name=op.f("ck_review_item_resolver")
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'confirmed', 'rejected')", name=op.f("ck_review_item_state")
        ),
        sa.ForeignKeyConstraint(
            ["book_id"], ["register_book.id"], name=op.f("fk_review_item_book_id_register_book")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["civil_record.id"], name=op.f("fk_review_item_record_id_civil_record")
        ),
        sa.ForeignKeyConstraint(["scan_id"], ["scan.id"], name=op.f("fk_review_item_scan_id_scan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_item")),
        sa.UniqueConstraint("scan_id", name=op.f("uq_review_item_scan_id")),
    )
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.create_index("ix_review_item_state", ["state"], unique=False)

    op.create_table(
        "dossier_component",
        sa.Column("id", ID, nullable=False),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("file", sa.Text(), nullable=True),
        sa.Column("reused", sa.Boolean(), nullable=False),
        sa.CheckConstraint("position >= 0", name=op.f("ck_dossier_component_position")),
        sa.ForeignKeyConstraint(
            ["dossier_id"],
            ["dossier.id"],
            name=op.f("fk_dossier_component_dossier_id_dossier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dossier_component")),
        sa.UniqueConstraint(
            "dossier_id", "position", name=op.f("uq_dossier_component_dossier_id_position")
        ),
    )
    op.create_table(
        "review_action",
        sa.Column("id", ID, nullable=False),
        sa.Column("review_item_id", ID, nullable=True),
        sa.Column("flag_id", ID, nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "action IN ('correct', 'confirm', 'enter', 'reject', 'resolve_duplicate')",
            name=op.f("ck_review_action_action"),
        ),
        sa.CheckConstraint(
            "review_item_id IS NOT NULL OR flag_id IS NOT NULL",
            name=op.f("ck_review_action_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["flag_id"],
            ["person_duplicate_flag.id"],
            name=op.f("fk_review_action_flag_id_person_duplicate_flag"),
        ),
        sa.ForeignKeyConstraint(
            ["review_item_id"],
            ["review_item.id"],
            name=op.f("fk_review_action_review_item_id_review_item"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_action")),
    )
    op.create_table(
        "reuse_event",
        sa.Column("id", ID, nullable=False),
        sa.Column("dossier_id", ID, nullable=True),
        sa.Column("component_id", ID, nullable=True),
        sa.Column("record_id", ID, nullable=True),
        sa.Column("lookup_kind", sa.String(length=32), nullable=False),
        sa.Column("lookup_value", sa.String(length=64), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.CheckConstraint(
            "lookup_kind IN ('personal_id', 'registration_number')",
            name=op.f("ck_reuse_event_kind"),
        ),
        sa.CheckConstraint(
            "found = (record_id IS NOT NULL)", name=op.f("ck_reuse_event_found_record")
        ),
        sa.ForeignKeyConstraint(
            ["component_id"],
            ["dossier_component.id"],
            name=op.f("fk_reuse_event_component_id_dossier_component"),
        ),
        sa.ForeignKeyConstraint(
            ["dossier_id"], ["dossier.id"], name=op.f("fk_reuse_event_dossier_id_dossier")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["civil_record.id"], name=op.f("fk_reuse_event_record_id_civil_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reuse_event")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("reuse_event")
    op.drop_table("review_action")
    op.drop_table("dossier_component")
    with op.batch_alter_table("review_item", schema=None) as batch_op:
        batch_op.drop_index("ix_review_item_state")

    op.drop_table("review_item")
    with op.batch_alter_table("record_person", schema=None) as batch_op:
        batch_op.drop_index("ix_record_person_person_id")

    op.drop_table("record_person")
    op.drop_table("person_duplicate_flag")
    op.drop_table("dossier")
    with op.batch_alter_table("civil_record", schema=None) as batch_op:
        batch_op.drop_index("ix_civil_record_personal_id")

    op.drop_table("civil_record")
    op.drop_table("scan")
    op.drop_table("register_book")
    op.drop_table("unit")
    op.drop_table("pipeline_run")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_name_key_dob")
        batch_op.drop_index("ix_person_dob")

    op.drop_table("person")
