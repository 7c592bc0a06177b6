"""The orchestration's calls into the population database (issue 3's code), in one place.

The DAG's gate and load are separate tasks (a retried load must not run Great
Expectations again), so the gate's outcome (:class:`sohoa.gate.validate.GateResult`) is
staged as JSON and handed back to the loader whole: failures, warnings and the paths of
the validation result and its Data Docs.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, select

if TYPE_CHECKING:
    from sohoa.gate.validate import GateResult

_engine: tuple[int, str, Engine] | None = None  # (process, URL, engine)


def engine() -> Engine:
    """The population database's engine, one per process and ``SOHOA_DB_URL``: every
    step of a run shares its connection pool. A forked child makes its own (a pool's
    connections must not cross a fork); a new URL replaces the old engine."""
    global _engine
    from sohoa.db.engine import make_engine
    from sohoa.settings import db_url

    url = db_url()
    if _engine is not None and _engine[:2] == (os.getpid(), url):
        return _engine[2]
    if _engine is not None and _engine[0] == os.getpid():
        _engine[2].dispose()
    _engine = (os.getpid(), url, make_engine(url))
    return _engine[2]


def ensure_schema() -> None:
    """Migrate ``SOHOA_DB_URL`` to the current schema (idempotent, quick when current)."""
    from sohoa.db.migrate import upgrade

    upgrade(engine())


def record_run(run_key: str, kind: str, stats: dict[str, Any]) -> bool:
    """A ``pipeline_run`` row for a step, once per ``run_key``; returns whether it was new."""
    from sohoa.db.tables import pipeline_run

    now = datetime.now(UTC)
    with engine().begin() as conn:
        known = conn.execute(select(pipeline_run.c.id).where(pipeline_run.c.run_key == run_key))
        if known.scalar() is not None:
            return False
        conn.execute(
            insert(pipeline_run).values(
                run_key=run_key,
                kind=kind,
                status="succeeded",
                started_at=now,
                finished_at=now,
                stats=stats,
            )
        )
        return True


def run_gate(records: Sequence[dict[str, Any]], book) -> GateResult:
    """Great Expectations over the batch; raises when the validation cannot run."""
    from sohoa.gate.validate import run_gate as validate
    from sohoa.load.book import book_numbers

    eng = engine()
    try:
        with eng.connect() as conn:
            numbers = book_numbers(conn, book)
    finally:
        eng.dispose()
    return validate(list(records), book, book_numbers=numbers)


def load_records(
    records: list[dict[str, Any]], book, gated: GateResult, run_key: str
) -> dict[str, Any]:
    """Load one batch with the gate's outcome over all of it; the loader's summary."""
    from sohoa.load import transaction

    return transaction.load_records(engine(), records, book, gate=gated, run_key=run_key).as_dict()


def page_outcomes(keys: list[tuple[str, int]]) -> dict[str, Any]:
    """What the database says became of these pages (sha256, page)."""
    from sohoa.db.tables import review_item, scan

    wanted = set(keys)
    shas = sorted({sha for sha, _ in keys})
    counts: Counter[str] = Counter()
    review_ids: list[int] = []
    with engine().connect() as conn:
        rows = conn.execute(
            select(
                scan.c.id,
                scan.c.sha256,
                scan.c.page,
                scan.c.status,
                review_item.c.id.label("review_id"),
            )
            .outerjoin(review_item, review_item.c.scan_id == scan.c.id)
            .where(scan.c.sha256.in_(shas))
        ).all()
    found = set()
    for row in rows:
        if (row.sha256, row.page) not in wanted:
            continue
        found.add((row.sha256, row.page))
        counts[row.status] += 1
        if row.status == "in_review" and row.review_id is not None:
            review_ids.append(int(row.review_id))
    return {
        "pages": len(wanted),
        "loaded": counts["loaded"],
        "in_review": counts["in_review"],
        "rejected": counts["rejected"],
        "missing": len(wanted - found),
        "review_item_ids": sorted(review_ids),
    }


def data_docs_index() -> str | None:
    """Where the gate's Data Docs are, if any were written."""
    from sohoa.settings import get_settings

    root = get_settings().validation_dir
    pages = sorted(root.rglob("index.html")) if root.is_dir() else []
    return str(pages[-1].resolve()) if pages else (str(root.resolve()) if root.is_dir() else None)


def refresh_kpis(run_id: str, totals: dict[str, Any]) -> dict[str, Any]:
    """Bring the KPI inputs and the current month's report up to date after a load.

    The indicators are computed from the tables when a report is built, so "refreshing"
    means: link newly loaded dossier results to their dossiers (a result fills the
    dossier's ``result_file``), then rewrite this month's KPI report. Recorded as a
    ``pipeline_run`` row of kind ``kpi_refresh``, once per run.
    """
    from sohoa.orchestration.hooks import KPI_REPORT, RESULT_LINKER, find
    from sohoa.settings import get_settings

    period = datetime.now(UTC).strftime("%Y-%m")
    linker, writer = find(RESULT_LINKER), find(KPI_REPORT)
    linked = 0
    reports: list[str] = []
    eng = engine()
    if linker is not None:
        linked = linker(eng).count("linked")
    if writer is not None:
        out = get_settings().reports_dir / period
        reports = [str(Path(p).resolve()) for p in writer(eng, period, out)]
    record_run(
        f"{run_id}/kpi_refresh",
        "kpi_refresh",
        {**totals, "period": period, "results_linked": linked, "reports": reports},
    )
    return {"period": period, "results_linked": linked, "kpi_reports": reports}
