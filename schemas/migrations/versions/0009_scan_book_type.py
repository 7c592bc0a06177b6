"""A record reaches its book and type through its scan: one foreign-key check fewer.

Revision ID: 0009_scan_book_type
Revises: 0008_person_key_log
Create Date: 2026-11-24

Why: every record stored cost PostgreSQL four foreign-key checks, a quarter of its work
in a load; each is a query of its own. A record checked its scan, and its book and type
apart. The scan now carries its book's type (``scan.book_type``, checked against the
book with the book), and the record one composite key to its scan: (scan, book, type).
The rules are the same: the scan exists, the record is in the scan's book, and its
type is that book's type. The price is one index entry per scan, a third of a check.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_scan_book_type"
down_revision: str | Sequence[str] | None = "0008_person_key_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scan") as batch:
        batch.add_column(sa.Column("book_type", sa.String(length=16), nullable=True))
    op.execute(
        "UPDATE scan SET book_type = "
        "(SELECT b.book_type FROM register_book b WHERE b.id = scan.book_id) "
        "WHERE book_id IS NOT NULL"
    )
    with op.batch_alter_table("scan") as batch:  # SQLite rebuilds the table
        batch.drop_constraint(op.f("fk_scan_book_id_register_book"), type_="foreignkey")
        batch.create_foreign_key(
            "fk_scan_book_type", "register_book", ["book_id", "book_type"], ["id", "book_type"]
        )
        batch.create_unique_constraint(
            op.f("uq_scan_id_book_id_book_type"), ["id", "book_id", "book_type"]
        )
        batch.create_check_constraint(
            op.f("ck_scan_book_type"), "(book_id IS NULL) = (book_type IS NULL)"
        )
    with op.batch_alter_table("civil_record") as batch:
        batch.drop_constraint(op.f("fk_civil_record_scan_id_scan"), type_="foreignkey")
        batch.drop_constraint("fk_civil_record_book_type", type_="foreignkey")
        batch.create_foreign_key(
            "fk_civil_record_scan_book_type",
            "scan",
            ["scan_id", "book_id", "doc_type"],
            ["id", "book_id", "book_type"],
        )


def downgrade() -> None:
    with op.batch_alter_table("civil_record") as batch:
        batch.drop_constraint("fk_civil_record_scan_book_type", type_="foreignkey")
        batch.create_foreign_key(
            "fk_civil_record_book_type",
            "register_book",
            ["book_id", "doc_type"],
            ["id", "book_type"],
        )
        batch.create_foreign_key(op.f("fk_civil_record_scan_id_scan"), "scan", ["scan_id"], ["id"])
    with op.batch_alter_table("scan") as batch:
        batch.drop_constraint(op.f("ck_scan_book_type"), type_="check")
        batch.drop_constraint(op.f("uq_scan_id_book_id_book_type"), type_="unique")
        batch.drop_constraint("fk_scan_book_type", type_="foreignkey")
        batch.create_foreign_key(
            op.f("fk_scan_book_id_register_book"), "register_book", ["book_id"], ["id"]
        )
        batch.drop_column("book_type")
