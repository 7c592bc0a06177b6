"""KPI facts of new records and scans are plain inserts; TRUNCATE empties the facts.

Revision ID: 0011_kpi_facts_on_insert
Revises: 0010_machine_key_collation
Create Date: 2026-11-24

Why: the statement triggers of migration i5_kpi wrote a new record's fact with an upsert
(ON CONFLICT), and a new scan's with a DELETE of its old fact first, in case a fact had
outlived its row. Only a TRUNCATE could leave one behind (it fires no delete trigger).
Now a TRUNCATE of ``civil_record``, ``scan`` or ``dossier`` empties their facts through
a TRUNCATE trigger, and inserts insert: 4 % of PostgreSQL's work in a load. Updates keep
the upsert. PostgreSQL only, as the ``kpi`` schema.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_kpi_facts_on_insert"
down_revision: str | Sequence[str] | None = "0010_machine_key_collation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RECORD_INSERT = """
INSERT INTO kpi.record_fact (record_id, book_id, loaded_at, origin)
SELECT r.id, r.book_id, r.created_at, r.origin FROM new_rows r;
"""
_SCAN_INSERT = """
INSERT INTO kpi.rejected_page (scan_id, book_id, reason, created_at)
SELECT s.id, s.book_id, s.reject_reason, s.created_at FROM new_rows s
WHERE s.status = 'rejected';
"""
# As migration i5_kpi wrote them (for the downgrade).
_RECORD_UPSERT = """
INSERT INTO kpi.record_fact (record_id, book_id, loaded_at, origin)
SELECT r.id, r.book_id, r.created_at, r.origin FROM new_rows r
ON CONFLICT (record_id) DO UPDATE SET
    book_id = EXCLUDED.book_id, loaded_at = EXCLUDED.loaded_at, origin = EXCLUDED.origin,
    confidence_sum = NULL, confidence_n = NULL;
"""
_SCAN_REPLACE = "DELETE FROM kpi.rejected_page p WHERE p.scan_id IN (SELECT id FROM new_rows);"
_TRUNCATED = [  # (trigger name, table, facts emptied with it)
    ("record_truncate", "civil_record", "kpi.record_fact"),
    ("scan_truncate", "scan", "kpi.rejected_page"),
    ("dossier_truncate", "dossier", "kpi.dossier_fact"),
]


def _function(name: str, body: str) -> None:
    op.execute(
        f"CREATE OR REPLACE FUNCTION kpi.on_{name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\nRETURN NULL;\nEND $$"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _function("record_ins", _RECORD_INSERT)
    _function("scan_ins", _SCAN_INSERT)
    for name, table, facts in _TRUNCATED:
        _function(name, f"TRUNCATE {facts};")
        op.execute(
            f"CREATE TRIGGER kpi_{name} AFTER TRUNCATE ON public.{table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION kpi.on_{name}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _ in _TRUNCATED:
        op.execute(f"DROP TRIGGER kpi_{name} ON public.{table}")
        op.execute(f"DROP FUNCTION kpi.on_{name}()")
    _function("record_ins", _RECORD_UPSERT)
    _function("scan_ins", _SCAN_REPLACE + _SCAN_INSERT)
