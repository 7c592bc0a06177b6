"""Run the production ``sohoa_digitize`` DAG in this process (``sohoa run``).

Airflow reads its configuration when first imported, so :func:`configure` must run
before anything imports ``airflow``. Defaults are embedded ones, each overridable by the
usual variable: Airflow's metadata in SQLite under ``./.sohoa/airflow`` (``AIRFLOW_HOME``),
the DAGs from this repository's ``dags/`` (``AIRFLOW__CORE__DAGS_FOLDER``), the
population database from ``SOHOA_DB_URL`` and the landing zone from ``SOHOA_LANDING``.

``dag.test()`` runs tasks one after another, so the OCR task itself uses one process per
core here (``SOHOA_OCR_JOBS``); a failed task is retried after seconds, not minutes.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocr.errors import ConfigurationError
from sohoa.settings import default_for_process, get_settings

DAG_ID = "sohoa_digitize"
DEFAULT_AIRFLOW_HOME = Path(".sohoa") / "airflow"
_INIT_MARKER = ".sohoa-db-initialised"


def dags_folder() -> Path:
    """The repository's ``dags/``, or ``SOHOA_DAGS_FOLDER``."""
    path = get_settings().dags_folder
    if not (path / f"{DAG_ID}.py").is_file():
        raise ConfigurationError(
            f"the DAG file {DAG_ID}.py is not in {path}; "
            "set SOHOA_DAGS_FOLDER to the repository's dags/ folder"
        )
    return path


def configure(airflow_home: Path | None = None) -> Path:
    """Set the embedded defaults; returns ``AIRFLOW_HOME``. Values already in the
    environment win; an ``AIRFLOW_HOME`` of the user's with its own ``airflow.cfg`` keeps
    its metadata database.

    Airflow's go into ``os.environ``: Airflow reads its configuration from there, when
    first imported. sohoa's own stay in this process's settings (``dag.test()`` runs every
    task here, and the OCR workers are forked from it)."""
    given = os.environ.get("AIRFLOW_HOME")
    home = Path(airflow_home or given or DEFAULT_AIRFLOW_HOME).resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["AIRFLOW_HOME"] = str(home)
    defaults = {
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder()),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
    }
    if not (given and (home / "airflow.cfg").is_file()):
        defaults["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = f"sqlite:///{home / 'airflow.db'}"
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    default_for_process(
        ocr_jobs=os.cpu_count() or 1,
        batch_pages=50,  # tasks run one at a time here: fewer, larger batches
        retry_delay_seconds=1,
        max_retry_delay_seconds=10,
    )
    return home


def ensure_metadata_db(home: Path) -> bool:
    """Create or upgrade Airflow's metadata DB; returns whether work was done.

    A marker naming the Airflow version makes the already-initialised case instant
    (no Alembic, no model imports)."""
    import airflow
    from airflow.configuration import conf

    marker = home / _INIT_MARKER
    url = conf.get("database", "sql_alchemy_conn")
    stamp = f"{airflow.__version__} {url}"
    if marker.is_file() and marker.read_text().strip() == stamp:
        return False
    from airflow.utils.db import upgradedb

    upgradedb()
    marker.write_text(stamp + "\n")
    return True


def ensure_pool() -> None:
    """The OCR pool, with one slot per core of this machine (idempotent)."""
    from airflow.models.pool import Pool
    from airflow.utils.session import create_session

    from sohoa.orchestration.settings import OCR_POOL

    with create_session() as session:
        Pool.create_or_update_pool(
            OCR_POOL,
            slots=get_settings().ocr_pool_slots,
            description="bounds concurrent OCR tasks to the workers' cores",
            include_deferred=False,
            session=session,
        )


def load_dag(dag_id: str = DAG_ID):
    from airflow.dag_processing.dagbag import DagBag

    folder = dags_folder()
    bag = DagBag(dag_folder=str(folder / f"{dag_id}.py"))
    if bag.import_errors:
        raise ConfigurationError(f"the DAG {dag_id} does not import: {bag.import_errors}")
    dag = bag.dags.get(dag_id)
    if dag is None:
        raise ConfigurationError(f"no DAG {dag_id} in {folder}")
    return dag


@dataclass
class RunResult:
    state: str
    run_id: str
    seconds: float
    report: dict[str, Any] | None
    failed_tasks: list[str]


def quiet_airflow() -> None:
    """Keep Airflow's per-task chatter out of the terminal; our progress lines remain."""
    for name in (
        "airflow",
        "airflow.task",
        "airflow.sdk",
        "airflow.models",
        "alembic",
        "sqlalchemy",
        "httpx",
        "great_expectations",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")


def run_digitize(airflow_home: Path | None = None, quiet: bool = True) -> RunResult:
    """One run of ``sohoa_digitize`` over everything new in the landing zone."""
    started = time.perf_counter()
    home = configure(airflow_home)
    from sohoa.progress_bar import on_terminal

    default_for_process(progress="bar" if on_terminal() else "1")
    from sohoa.orchestration.ocr_pool import warm_up

    # Forked before Airflow is imported: small, thread-free workers.
    warm_up(get_settings().ocr_jobs)
    from sohoa.orchestration.progress import progress

    progress(f"Airflow metadata in {home}")
    if ensure_metadata_db(home):
        progress("Airflow metadata database initialised")
    ensure_pool()
    dag = load_dag()
    if quiet:
        quiet_airflow()
    try:
        dag_run = dag.test()
    finally:
        from sohoa.orchestration.progress import pages_done

        pages_done()
    report = _report_of(dag_run.run_id)
    failed = sorted(
        {
            ti.task_id
            for ti in dag_run.get_task_instances()
            if ti.state in ("failed", "upstream_failed")
        }
    )
    return RunResult(
        str(dag_run.state), dag_run.run_id, time.perf_counter() - started, report, failed
    )


def _report_of(run_id: str) -> dict[str, Any] | None:
    from sohoa.landing.store import open_landing
    from sohoa.orchestration.tasks import REPORT, run_folder

    landing = open_landing()
    try:
        return landing.read_json(f"{run_folder(run_id)}/{REPORT}")
    except KeyError:
        return None


def print_summary(result: RunResult, stream=sys.stderr) -> None:
    from sohoa.landing.store import open_landing
    from sohoa.settings import db_url

    rep = result.report or {}
    lines = [
        "",
        f"sohoa_digitize {result.state} in {result.seconds:.1f} s (run {result.run_id})",
        f"  pages in:   {rep.get('pages', 0)}",
        f"  loaded:     {rep.get('loaded', 0)}",
        f"  in review:  {rep.get('in_review', 0)}",
        f"  rejected:   {rep.get('rejected', 0)}",
    ]
    if rep.get("missing"):
        lines.append(f"  NOT ACCOUNTED FOR: {rep['missing']}")
    if result.failed_tasks:
        lines.append(f"  failed tasks: {', '.join(result.failed_tasks)}")
    lines += [
        f"  landing zone: {open_landing().uri('')}",
        f"  database:     {_hide_password(db_url())}",
        f"  run report:   {rep.get('report', '(none)')}",
        f"  KPI report:   {_html_or_first(rep.get('kpi_reports')) or '(unchanged: nothing new)'}",
        f"  Data Docs:    {rep.get('data_docs') or '(none written)'}",
    ]
    print("\n".join(lines), file=stream)


def _html_or_first(paths: list[str] | None) -> str | None:
    if not paths:
        return None
    return next((p for p in paths if p.endswith(".html")), paths[0])


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return "(set)"
