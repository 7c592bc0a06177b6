"""Production runs on a cluster, for the tests, the fault tests and ``bench/scale.py``:
scans go up with ``sohoa upload`` (its own process, with the cluster's client settings),
``sohoa_digitize`` starts through the REST API, and the answer is read back from the
metadata database (which worker ran what) and the population database."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sohoa.cluster import control, state
from sohoa.cluster.metadata import TaskTry, task_tries


@dataclass
class RunOutcome:
    run_id: str
    state: str
    tries: list[TaskTry]
    report: dict | None

    def of(self, task_id: str) -> list[TaskTry]:
        return [t for t in self.tries if t.task_id == task_id]


def upload(folder: state.Folder, paths: list[Path], book: tuple[str, str, int, str]) -> str:
    """``sohoa upload PATHS --unit --book-type --year --volume`` against the cluster."""
    unit, book_type, year, volume = book
    env = {**os.environ, **control.client_env(folder)}
    out = subprocess.run(
        [sys.executable, "-m", "sohoa.cli", "upload", *map(str, paths), "--unit", unit]
        + ["--book-type", book_type, "--year", str(year), "--volume", volume],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if out.returncode != 0:
        raise RuntimeError(f"sohoa upload failed: {out.stderr[-2000:]}")
    return out.stderr


def digitize(folder: state.Folder, timeout: float = 900.0, dag_id: str = "sohoa_digitize"):
    """One ``sohoa_digitize`` run started through the REST API, waited for."""
    client = control.api(folder)
    client.wait_for_dag(dag_id, timeout=timeout)
    run_id = client.trigger(dag_id)
    final = client.wait_run(dag_id, run_id, timeout)
    tries = task_tries(control.metadata_url(folder), dag_id, run_id)
    return RunOutcome(run_id, final, tries, run_report(folder, run_id))


def landing(folder: state.Folder):
    """The cluster's landing zone, opened with its client settings."""
    from sohoa.cluster.prepare import s3_client
    from sohoa.landing.store import S3Landing

    env = control.client_env(folder)
    bucket, _, prefix = env["SOHOA_LANDING"].removeprefix("s3://").partition("/")
    return S3Landing(bucket, prefix, client=s3_client(env["SOHOA_S3_ENDPOINT_URL"], env))


def run_report(folder: state.Folder, run_id: str) -> dict | None:
    """The run's ``report.json`` in the landing zone (pages in, loaded, in review...)."""
    from sohoa.orchestration.tasks import REPORT, run_folder

    try:
        return landing(folder).read_json(f"{run_folder(run_id)}/{REPORT}")
    except KeyError:
        return None


def population_dump(folder: state.Folder) -> dict[str, list[tuple]]:
    """The population database, canonical (ids as ranks, no clock columns)."""
    from sohoa.db.engine import make_engine
    from sohoa.db.snapshot import canonical_dump

    engine = make_engine(control.client_env(folder)["SOHOA_DB_URL"])
    try:
        return canonical_dump(engine)
    finally:
        engine.dispose()
