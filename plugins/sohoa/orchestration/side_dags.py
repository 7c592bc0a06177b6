"""The work of the three smaller DAGs: dossier imports, confirmed reviews, monthly KPIs."""

from __future__ import annotations

from datetime import date
from typing import Any

from sohoa.landing.store import Landing, open_landing
from sohoa.landing.zone import DOSSIERS, PROCESSED
from sohoa.orchestration import hooks
from sohoa.orchestration.progress import progress

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
    from sohoa.orchestration.database import engine

    landing = landing or open_landing()
    importer = hooks.require(hooks.DOSSIER_IMPORTER, "the dossier import (issue 5)")
    eng = engine()
    try:
        with landing.local_copy(key) as path:
            summary = importer(eng, path)
    finally:
        eng.dispose()
    marker = _dossier_marker(key, landing)
    landing.put_json(marker, {"key": key, "uri": landing.uri(key),
                              "summary": _plain(summary)})
    progress(f"imported dossier export {key}")
    return marker


def _plain(value: Any) -> Any:
    if hasattr(value, "as_dict"):
        return value.as_dict()
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


# sohoa_review_load --------------------------------------------------------------------------

def load_confirmed_reviews() -> dict[str, Any]:
    """Load every record confirmed in review and not loaded yet (idempotent)."""
    from sohoa.orchestration.database import engine

    loader = hooks.require(hooks.REVIEW_LOADER, "loading confirmed reviews (issue 3)")
    eng = engine()
    try:
        return {"result": _plain(loader(eng))}
    finally:
        eng.dispose()


# sohoa_kpi_report ---------------------------------------------------------------------------

def previous_month(today: date) -> str:
    """The period a monthly run reports on: ``YYYY-MM`` of the month before ``today``."""
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def write_kpi_reports(period: str, out_dir: str | None = None) -> dict[str, Any]:
    """The KPI report for ``period``, in every format, under ``out_dir``.

    KPI HOOK (issue 5): calls :data:`sohoa.orchestration.hooks.KPI_REPORT` when it
    exists; until then a no-op that records the run (``pipeline_run`` kind ``kpi_report``).
    """
    from sohoa.db.settings import DEFAULT_HOME
    from sohoa.orchestration.database import engine

    out = out_dir or str(DEFAULT_HOME / "reports" / period)
    writer = hooks.find(hooks.KPI_REPORT)
    written: list[str] = []
    if writer is not None:
        eng = engine()
        try:
            written = [str(p) for p in writer(eng, period, out)]
        finally:
            eng.dispose()
    hooks.record_run(f"kpi_report/{period}", "kpi_report",
                     {"period": period, "files": written, "hook": writer is not None})
    return {"period": period, "files": written}
