"""The orchestration's calls into the population database (issue 3's code), in one place.

The DAG's gate and load are separate tasks (a retried load must not run Great
Expectations again), so the gate's outcome is staged and handed back to the loader here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select


def engine() -> Engine:
    from sohoa.db.engine import make_engine

    return make_engine()


def ensure_schema() -> None:
    """Migrate ``SOHOA_DB_URL`` to the current schema (idempotent, quick when current)."""
    from sohoa.db.migrate import upgrade

    upgrade(engine()).dispose()


@dataclass
class StagedGate:
    """A gate outcome read back from the landing zone (see :data:`sohoa.load.batch.Gate`)."""

    failures: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    report_path: str | None = None  # the Data Docs page (HTML)
    result_path: str | None = None  # the validation result (JSON)


def run_gate(records: Sequence[dict[str, Any]], book) -> StagedGate:
    """Great Expectations over the batch; raises when the validation cannot run."""
    from sohoa.load.batch import default_gate
    from sohoa.load.book import book_numbers

    eng = engine()
    try:
        with eng.connect() as conn:
            numbers = book_numbers(conn, book)
    finally:
        eng.dispose()
    outcome = default_gate()(list(records), book, book_numbers=numbers)
    return StagedGate({int(i): list(v) for i, v in outcome.failures.items()}, outcome.report_path)


def load_records(
    records: list[dict[str, Any]],
    book,
    failures: dict[int, list[dict]],
    report_path: str | None,
    run_key: str,
) -> dict[str, Any]:
    """Load one batch with the staged gate outcome; returns the loader's summary."""
    from sohoa.load.batch import load_batch

    index = {id(rec): i for i, rec in enumerate(records)}

    def staged(subset: Sequence[dict[str, Any]], _book) -> StagedGate:
        # The loader gates only the pages it does not hold yet; map them back.
        picked = {
            j: failures[index[id(rec)]]
            for j, rec in enumerate(subset)
            if index[id(rec)] in failures
        }
        return StagedGate(picked, report_path)

    eng = engine()
    try:
        return load_batch(eng, records, book, gate=staged, run_key=run_key).as_dict()
    finally:
        eng.dispose()


def page_outcomes(keys: list[tuple[str, int]]) -> dict[str, Any]:
    """What the database says became of these pages (sha256, page)."""
    from sohoa.db.tables import review_item, scan

    wanted = set(keys)
    shas = sorted({sha for sha, _ in keys})
    counts: Counter[str] = Counter()
    review_ids: list[int] = []
    eng = engine()
    try:
        with eng.connect() as conn:
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
    finally:
        eng.dispose()
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
    from sohoa.db.settings import validation_dir

    root = validation_dir()
    pages = sorted(root.rglob("index.html")) if root.is_dir() else []
    return str(pages[-1].resolve()) if pages else (str(root.resolve()) if root.is_dir() else None)


def refresh_kpis(run_id: str, totals: dict[str, Any]) -> dict[str, Any]:
    """Bring the KPI inputs and the current month's report up to date after a load.

    The indicators are computed from the tables when a report is built, so "refreshing"
    means: link newly loaded dossier results to their dossiers (a result fills the
    dossier's ``result_file``), then rewrite this month's KPI report. Recorded as a
    ``pipeline_run`` row of kind ``kpi_refresh``, once per run.
    """
    from sohoa.orchestration.hooks import KPI_REPORT, RESULT_LINKER, find, record_run, reports_dir

    period = datetime.now(UTC).strftime("%Y-%m")
    linker, writer = find(RESULT_LINKER), find(KPI_REPORT)
    linked = 0
    reports: list[str] = []
    eng = engine()
    try:
        if linker is not None:
            linked = linker(eng).count("linked")
        if writer is not None:
            out = Path(reports_dir()) / period
            reports = [str(Path(p).resolve()) for p in writer(eng, period, out)]
    finally:
        eng.dispose()
    record_run(
        f"{run_id}/kpi_refresh",
        "kpi_refresh",
        {**totals, "period": period, "results_linked": linked, "reports": reports},
    )
    return {"period": period, "results_linked": linked, "kpi_reports": reports}
