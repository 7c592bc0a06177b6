"""KPI facts kept current by PostgreSQL itself (issue 5), in their own schema ``kpi``.

Revision ID: i5_kpi
Revises: 0001
Create Date: 2026-11-23

Why: the report must run over a million dossiers and a million records in seconds. Per
dossier, the indicators need facts spread over two tables (its components: any missing?
any reused?) and per record the average confidence needs its JSON ``fields`` parsed. This
keeps those facts in narrow tables, maintained by statement-level triggers (transition
tables: one set-based statement per write, whichever program writes), so a report is one
scan of a narrow table:

- ``kpi.dossier_fact``: per dossier, its unit, the local (+07:00) date it counts on — its
  ``received_at``, else the receipt date in its code — and the 0/1 facts of docs/kpis.md.
- ``kpi.record_fact``: per civil record, book, load time, origin, and the sum/count of its
  machine confidences (filled lazily by the report for new rows, so that loads do not
  parse JSON twice).
- ``kpi.rejected_page``: the rejected scans, with their reason.

Only on PostgreSQL: SQLite (the embedded default, small data) computes the same figures
directly from the tables. The schema ``kpi`` is apart from the population tables, which
``sohoa.db.tables`` describes exactly.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "i5_kpi"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DOSSIER_FACTS = """
INSERT INTO kpi.dossier_fact AS f (dossier_id, unit_id, day, received, paper, has_result,
                                   complete, reused)
SELECT d.id, d.unit_id,
       coalesce((d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                kpi.code_date(d.dossier_code)),
       d.received_at IS NOT NULL,
       d.paper_result_required,
       coalesce(d.result_file, '') <> '',
       NOT EXISTS (SELECT 1 FROM public.dossier_component c
                   WHERE c.dossier_id = d.id AND NOT c.reused AND coalesce(c.file, '') = ''),
       EXISTS (SELECT 1 FROM public.dossier_component c
               WHERE c.dossier_id = d.id AND c.reused)
FROM public.dossier d
WHERE d.id IN ({ids})
ON CONFLICT (dossier_id) DO UPDATE SET
    unit_id = EXCLUDED.unit_id, day = EXCLUDED.day, received = EXCLUDED.received,
    paper = EXCLUDED.paper, has_result = EXCLUDED.has_result,
    complete = EXCLUDED.complete, reused = EXCLUDED.reused;
DELETE FROM kpi.dossier_fact f
WHERE f.dossier_id IN ({ids})
  AND NOT EXISTS (SELECT 1 FROM public.dossier d WHERE d.id = f.dossier_id);
"""

_RECORD_FACTS = """
INSERT INTO kpi.record_fact (record_id, book_id, loaded_at, origin)
SELECT r.id, r.book_id, r.created_at, r.origin FROM new_rows r
ON CONFLICT (record_id) DO UPDATE SET
    book_id = EXCLUDED.book_id, loaded_at = EXCLUDED.loaded_at, origin = EXCLUDED.origin,
    confidence_sum = NULL, confidence_n = NULL;
"""

_REJECTED = """
DELETE FROM kpi.rejected_page p WHERE p.scan_id IN (SELECT id FROM {rows});
INSERT INTO kpi.rejected_page (scan_id, book_id, reason, created_at)
SELECT s.id, s.book_id, s.reject_reason, s.created_at FROM {rows} s
WHERE s.status = 'rejected';
"""

# (name, table, event, transition tables, body)
_TRIGGERS = [
    (
        "dossier_ins",
        "dossier",
        "INSERT",
        "NEW TABLE AS new_rows",
        _DOSSIER_FACTS.format(ids="SELECT id FROM new_rows"),
    ),
    (
        "dossier_upd",
        "dossier",
        "UPDATE",
        "NEW TABLE AS new_rows",
        _DOSSIER_FACTS.format(ids="SELECT id FROM new_rows"),
    ),
    (
        "dossier_del",
        "dossier",
        "DELETE",
        "OLD TABLE AS old_rows",
        "DELETE FROM kpi.dossier_fact WHERE dossier_id IN (SELECT id FROM old_rows);",
    ),
    (
        "component_ins",
        "dossier_component",
        "INSERT",
        "NEW TABLE AS new_rows",
        _DOSSIER_FACTS.format(ids="SELECT dossier_id FROM new_rows"),
    ),
    (
        "component_upd",
        "dossier_component",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        _DOSSIER_FACTS.format(
            ids="SELECT dossier_id FROM new_rows UNION SELECT dossier_id FROM old_rows"
        ),
    ),
    (
        "component_del",
        "dossier_component",
        "DELETE",
        "OLD TABLE AS old_rows",
        _DOSSIER_FACTS.format(ids="SELECT dossier_id FROM old_rows"),
    ),
    ("record_ins", "civil_record", "INSERT", "NEW TABLE AS new_rows", _RECORD_FACTS),
    ("record_upd", "civil_record", "UPDATE", "NEW TABLE AS new_rows", _RECORD_FACTS),
    (
        "record_del",
        "civil_record",
        "DELETE",
        "OLD TABLE AS old_rows",
        "DELETE FROM kpi.record_fact WHERE record_id IN (SELECT id FROM old_rows);",
    ),
    ("scan_ins", "scan", "INSERT", "NEW TABLE AS new_rows", _REJECTED.format(rows="new_rows")),
    ("scan_upd", "scan", "UPDATE", "NEW TABLE AS new_rows", _REJECTED.format(rows="new_rows")),
    (
        "scan_del",
        "scan",
        "DELETE",
        "OLD TABLE AS old_rows",
        "DELETE FROM kpi.rejected_page WHERE scan_id IN (SELECT id FROM old_rows);",
    ),
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SCHEMA IF NOT EXISTS kpi")
    op.execute("""
        CREATE FUNCTION kpi.code_date(code text) RETURNS date LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            RETURN to_date(substring(code from '-([0-9]{6})-[0-9]+$'), 'YYMMDD');
        EXCEPTION WHEN others THEN
            RETURN NULL;
        END $$
    """)
    op.execute("""
        CREATE TABLE kpi.dossier_fact (
            dossier_id bigint PRIMARY KEY,
            unit_id bigint NOT NULL,
            day date,
            received boolean NOT NULL,
            paper boolean NOT NULL,
            has_result boolean NOT NULL,
            complete boolean NOT NULL,
            reused boolean NOT NULL
        )
    """)
    op.execute("CREATE INDEX ix_dossier_fact_day ON kpi.dossier_fact (day)")
    op.execute("""
        CREATE TABLE kpi.record_fact (
            record_id bigint PRIMARY KEY,
            book_id bigint NOT NULL,
            loaded_at timestamptz NOT NULL,
            origin text NOT NULL,
            confidence_sum double precision,
            confidence_n integer
        )
    """)
    op.execute("CREATE INDEX ix_record_fact_loaded_at ON kpi.record_fact (loaded_at)")
    op.execute(
        "CREATE INDEX ix_record_fact_unparsed ON kpi.record_fact (record_id) "
        "WHERE confidence_n IS NULL"
    )
    op.execute("""
        CREATE TABLE kpi.rejected_page (
            scan_id bigint PRIMARY KEY,
            book_id bigint,
            reason text,
            created_at timestamptz NOT NULL
        )
    """)
    for name, table, event, refs, body in _TRIGGERS:
        op.execute(
            f"CREATE FUNCTION kpi.on_{name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{body}\nRETURN NULL;\nEND $$"
        )
        op.execute(
            f"CREATE TRIGGER kpi_{name} AFTER {event} ON public.{table} "
            f"REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION kpi.on_{name}()"
        )
    # facts of what is already there
    op.execute(_DOSSIER_FACTS.format(ids="SELECT id FROM public.dossier"))
    op.execute(
        "INSERT INTO kpi.record_fact (record_id, book_id, loaded_at, origin) "
        "SELECT id, book_id, created_at, origin FROM public.civil_record"
    )
    op.execute(
        "INSERT INTO kpi.rejected_page (scan_id, book_id, reason, created_at) "
        "SELECT id, book_id, reject_reason, created_at FROM public.scan "
        "WHERE status = 'rejected'"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, *_ in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS kpi_{name} ON public.{table}")
    op.execute("DROP SCHEMA IF EXISTS kpi CASCADE")
