"""The work of the three smaller DAGs: dossier imports, confirmed reviews, monthly KPIs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ocr.errors import SohoaError
from sohoa.landing.store import Landing, open_landing
from sohoa.landing.zone import DOSSIERS, PROCESSED
from sohoa.orchestration import hooks
from sohoa.orchestration.database import engine, record_run
from sohoa.orchestration.progress import progress
from sohoa.settings import get_settings

DOSSIER_SUFFIXES = (".jsonl", ".json", ".csv")


def _dossier_marker(key: str, landing: Landing) -> str:
    import hashlib

    return f"{PROCESSED}/{DOSSIERS}/{hashlib.sha256(landing.read_bytes(key)).hexdigest()}.json"


# sohoa_dossiers -----------------------------------------------------------------------------


def list_dossier_exports(landing: Landing | None = None) -> list[str]:
    """Keys of dossier exports under ``dossiers/`` not imported yet (by content hash)."""
    landing = landing or open_landing()
    keys = sorted(k for k in landing.list(DOSSIERS) if k.lower().endswith(DOSSIER_SUFFIXES))
    return [k for k in keys if not landing.exists(_dossier_marker(k, landing))]


def import_dossier_export(key: str, landing: Landing | None = None) -> str:
    """Import one export through the dossier importer, then mark it imported. The
    importer is idempotent, so a retry after a crash before the mark is harmless."""
    landing = landing or open_landing()
    importer = hooks.require(hooks.DOSSIER_IMPORTER, "the dossier import (issue 5)")
    with landing.local_copy(key) as path:
        summary = importer(engine(), path)
    marker = _dossier_marker(key, landing)
    landing.put_json(marker, {"key": key, "uri": landing.uri(key), "summary": _plain(summary)})
    progress(f"imported dossier export {key}")
    return marker


def _plain(value: Any) -> Any:
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


# sohoa_review_load --------------------------------------------------------------------------


def _utc(ts: datetime | None) -> datetime | None:
    return ts.replace(tzinfo=UTC) if ts is not None and ts.tzinfo is None else ts


def load_confirmed_reviews(run_id: str) -> dict[str, Any]:
    """Carry what follows the loading of records confirmed in review.

    Confirming a review item writes its record in the confirmation's own transaction,
    through the loader's code (:func:`sohoa.review.queue.confirm`), so nothing confirmed
    waits here to be inserted. This step checks that every confirmed item did end as a
    loaded record (and fails loudly if one did not), links confirmed dossier results to
    their dossiers, and records the run when something was confirmed since the last one.
    """
    from sohoa.db.tables import pipeline_run, review_item, scan

    eng = engine()
    with eng.connect() as conn:
        confirmed = conn.execute(
            select(
                review_item.c.id,
                review_item.c.record_id,
                review_item.c.resolved_at,
                scan.c.status,
            )
            .join(scan, scan.c.id == review_item.c.scan_id)
            .where(review_item.c.state == "confirmed")
        ).all()
        last = conn.execute(
            select(func.max(pipeline_run.c.started_at)).where(pipeline_run.c.kind == "review_load")
        ).scalar()
    broken = [r.id for r in confirmed if r.record_id is None or r.status != "loaded"]
    if broken:
        raise SohoaError(f"confirmed review items without a loaded record: {broken[:20]}")
    last = _utc(last)
    new = [r.id for r in confirmed if last is None or _utc(r.resolved_at) > last]
    linker = hooks.find(hooks.RESULT_LINKER)
    linked = linker(eng).count("linked") if linker is not None else 0
    stats = {
        "confirmed_since_last_run": len(new),
        "confirmed_total": len(confirmed),
        "results_linked": linked,
    }
    if new or linked:
        record_run(f"review_load/{run_id}", "review_load", stats)
    progress(
        f"{len(new)} record(s) confirmed in review since the last run; "
        f"{linked} dossier result(s) linked"
    )
    return stats


# sohoa_kpi_report ---------------------------------------------------------------------------


def previous_month(today: date) -> str:
    """The period a monthly run reports on: ``YYYY-MM`` of the month before ``today``."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def write_kpi_reports(period: str, out_dir: str | None = None) -> dict[str, Any]:
    """The KPI report for ``period`` in every format (``sohoa.kpi.report.write_reports``),
    under ``out_dir`` (default ``<SOHOA_REPORTS_DIR>/<period>``); recorded once per period."""
    out = out_dir or str(get_settings().reports_dir / period)
    writer = hooks.require(hooks.KPI_REPORT, "the KPI report (issue 5)")
    written = [str(p) for p in writer(engine(), period, Path(out))]
    record_run(f"kpi_report/{period}", "kpi_report", {"period": period, "files": written})
    progress(f"KPI report {period}: {len(written)} file(s) in {out}")
    return {"period": period, "files": written}
