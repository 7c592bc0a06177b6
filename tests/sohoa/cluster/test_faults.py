"""Faults on a running cluster (``make test-faults``; deselected from ``make test`` for
their length): a worker killed with SIGKILL in the middle of a batch, Redis stopped for
30 s in the middle of a run, PostgreSQL restarted in the middle of a load. Each cluster
gets the same six pages as a reference run without a fault, and its population database
must end identical to the reference's. What happened is written to
``.sohoa/test-artifacts/faults/<fault>.json`` (BENCHMARKS.md reports it).

Real processes and real signals; nothing is mocked."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from sohoa.cluster import control, runs
from sohoa.cluster.metadata import task_tries
from sohoa.db.snapshot import TIME_COLUMNS
from sohoa.db.tables import metadata
from tests.sohoa.cluster.clusters import BOOK, cluster_folder, make_pages, running_cluster

pytestmark = pytest.mark.faults

PAGES = 6  # three batches of two
DAG = "sohoa_digitize"
# A dead worker's task is failed after 30 s without a heartbeat (300 s in production).
FAULT_VARIABLES = {"AIRFLOW_TASK_HEARTBEAT_TIMEOUT": "30"}
ARTIFACTS = Path(".sohoa") / "test-artifacts" / "faults"
# A run's own row (its Airflow run id, its counts) differs from any other run's by
# construction; every other row must be the same.
RUN_OWN = "pipeline_run"


def comparable(dump: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    out = {}
    for name, rows in dump.items():
        if name == RUN_OWN:
            continue
        cols = [c.name for c in metadata.tables[name].columns if c.name not in TIME_COLUMNS]
        keep = [i for i, c in enumerate(cols) if c != "pipeline_run_id"]
        out[name] = [tuple(row[i] for i in keep) for row in rows]
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    return make_pages(tmp_path_factory.mktemp("scans"), PAGES, seed=1602)


@pytest.fixture(scope="module")
def reference(pages) -> dict:
    with cluster_folder() as root, running_cluster(root, 2, FAULT_VARIABLES) as folder:
        runs.upload(folder, pages, BOOK)
        outcome = runs.digitize(folder)
        assert outcome.state == "success"
        return comparable(runs.population_dump(folder))


def _trigger(folder) -> str:
    client = control.api(folder)
    client.wait_for_dag(DAG)
    return client.trigger(DAG)


def _wait_for(folder, run_id: str, task_id: str, timeout: float = 600.0):
    """The first try of ``task_id`` seen running, with the worker that runs it."""
    url = control.metadata_url(folder)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = [
            t
            for t in task_tries(url, DAG, run_id)
            if t.task_id == task_id and t.state == "running" and t.hostname
        ]
        if running:
            return running[0]
        time.sleep(0.5)
    raise AssertionError(f"no {task_id} ran within {timeout:.0f} s")


def _finish(folder, run_id: str) -> tuple[str, list]:
    state = control.api(folder).wait_run(DAG, run_id, timeout=1200)
    return state, task_tries(control.metadata_url(folder), DAG, run_id)


def _record(name: str, doc: dict) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(doc, indent=1, default=str))


def _tries(tries) -> list[dict]:
    return [
        {k: getattr(t, k) for k in ("task_id", "map_index", "try_number", "state", "hostname")}
        for t in tries
    ]


def test_a_worker_killed_mid_batch(pages, reference):
    with cluster_folder() as root, running_cluster(root, 2, FAULT_VARIABLES) as folder:
        runs.upload(folder, pages, BOOK)
        run_id = _trigger(folder)
        victim = _wait_for(folder, run_id, "extract_batch")
        time.sleep(2)  # into the batch's reading
        killed_at = time.monotonic()
        control.request(folder, victim.hostname, "kill")  # SIGKILL, its whole process tree
        state, tries = _finish(folder, run_id)
        took = time.monotonic() - killed_at
        batch = [
            t for t in tries if t.task_id == "extract_batch" and t.map_index == victim.map_index
        ]
        survivor = {"airflow-worker-1", "airflow-worker-2"} - {victim.hostname}
        _record(
            "worker_killed",
            {"killed": victim.hostname, "batch": victim.map_index, "state": state,
             "seconds_from_kill_to_end": round(took), "tries": _tries(tries)},
        )  # fmt: skip
        assert state == "success"
        assert [t.hostname for t in batch if t.try_number == victim.try_number] == [victim.hostname]
        retried = [t for t in batch if t.try_number > victim.try_number]
        assert retried and retried[-1].state == "success"
        assert {retried[-1].hostname} == survivor
        assert comparable(runs.population_dump(folder)) == reference


def test_redis_stopped_for_30_seconds(pages, reference):
    with cluster_folder() as root, running_cluster(root, 2, FAULT_VARIABLES) as folder:
        runs.upload(folder, pages, BOOK)
        run_id = _trigger(folder)
        _wait_for(folder, run_id, "extract_batch")
        control.request(folder, "redis", "stop")
        time.sleep(30)
        control.request(folder, "redis", "start")
        state, tries = _finish(folder, run_id)
        doc = {"state": state, "tries": _tries(tries)}
        if state != "success":  # failed clearly: a rerun must complete the work
            rerun = runs.digitize(folder, timeout=1200)
            doc["rerun"] = {"state": rerun.state, "report": rerun.report}
            assert rerun.state == "success"
        _record("redis_stopped", doc)
        assert state in ("success", "failed")
        assert comparable(runs.population_dump(folder)) == reference


def test_postgres_restarted_mid_load(pages, reference):
    with cluster_folder() as root, running_cluster(root, 2, FAULT_VARIABLES) as folder:
        runs.upload(folder, pages, BOOK)
        run_id = _trigger(folder)
        _wait_for(folder, run_id, "load_batch")
        control.request(folder, "postgres", "restart")
        after = runs.population_dump(folder)  # as the restart left it
        loaded_scans = len(after["scan"])
        state, tries = _finish(folder, run_id)
        doc = {"state": state, "scans_after_restart": loaded_scans, "tries": _tries(tries)}
        if state != "success":
            rerun = runs.digitize(folder, timeout=1200)
            doc["rerun"] = {"state": rerun.state, "report": rerun.report}
            assert rerun.state == "success"
        _record("postgres_restarted", doc)
        # one transaction per batch of two pages: whole batches or nothing
        assert loaded_scans % 2 == 0
        assert comparable(runs.population_dump(folder)) == reference
