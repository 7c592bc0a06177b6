"""The people of a civil record are two columns of the record, not rows of ``record_person``.

Revision ID: 0006_record_people
Revises: 0005_login_failures
Create Date: 2026-11-24

Why: every loaded record linked its person through a ``record_person`` row, which cost the
server two foreign-key checks (to the record and to the person) and three index entries,
about a tenth of a load's server work. A record has at most two people, and the record's
type says who they are, so ``civil_record.person_id`` (the subject of a birth or death,
the applicant of a dossier result, the husband of a marriage) and
``civil_record.spouse_person_id`` (the wife) hold the same links with one check each.
Existing links are moved over; the KPI facts are untouched (they do not depend on links).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_record_people"
down_revision: str | Sequence[str] | None = "0005_login_failures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_COLUMNS = ("person_id", "spouse_person_id")
_SPOUSE = sa.text("spouse_person_id IS NOT NULL")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for column in _COLUMNS:
            op.add_column("civil_record", sa.Column(column, ID, nullable=True))
            op.create_foreign_key(
                f"fk_civil_record_{column}_person", "civil_record", "person", [column], ["id"]
            )
        # The copy below changes no fact the KPI report keeps (issue 5's record trigger
        # would reset every record's confidence facts).
        op.execute("ALTER TABLE civil_record DISABLE TRIGGER kpi_record_upd")
    else:
        # SQLite adds a column with its REFERENCES clause, but no constraint afterwards.
        for column in _COLUMNS:
            op.execute(
                f"ALTER TABLE civil_record ADD COLUMN {column} INTEGER "
                f"CONSTRAINT fk_civil_record_{column}_person REFERENCES person (id)"
            )
    op.execute(
        "UPDATE civil_record SET "
        "person_id = (SELECT l.person_id FROM record_person l "
        "WHERE l.record_id = civil_record.id AND l.role <> 'wife'), "
        "spouse_person_id = (SELECT l.person_id FROM record_person l "
        "WHERE l.record_id = civil_record.id AND l.role = 'wife') "
        "WHERE id IN (SELECT record_id FROM record_person)"
    )
    if postgres:
        op.execute("ALTER TABLE civil_record ENABLE TRIGGER kpi_record_upd")
    op.create_index("ix_civil_record_person_id", "civil_record", ["person_id"])
    op.create_index(
        "ix_civil_record_spouse_person_id",
        "civil_record",
        ["spouse_person_id"],
        postgresql_where=_SPOUSE,
        sqlite_where=_SPOUSE,
    )
    op.drop_table("record_person")


def downgrade() -> None:
    # The links are put aside first: SQLite's rebuild of civil_record below deletes the old
    # table's rows, and a record_person row would go with them (ON DELETE CASCADE).
    op.execute(
        "CREATE TEMPORARY TABLE record_person_0006 AS "
        "SELECT id AS record_id, person_id, CASE doc_type WHEN 'marriage' THEN 'husband' "
        "WHEN 'dossier_result' THEN 'applicant' ELSE 'subject' END AS role "
        "FROM civil_record WHERE person_id IS NOT NULL "
        "UNION ALL SELECT id, spouse_person_id, 'wife' FROM civil_record "
        "WHERE spouse_person_id IS NOT NULL"
    )
    op.drop_index("ix_civil_record_spouse_person_id", table_name="civil_record")
    op.drop_index("ix_civil_record_person_id", table_name="civil_record")
    # Their foreign keys go with the columns; SQLite rebuilds the table.
    with op.batch_alter_table("civil_record") as batch:
        for column in _COLUMNS:
            batch.drop_column(column)
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
    op.create_index("ix_record_person_person_id", "record_person", ["person_id"])
    op.execute(
        "INSERT INTO record_person (record_id, person_id, role) "
        "SELECT record_id, person_id, role FROM record_person_0006"
    )
    op.execute("DROP TABLE record_person_0006")
