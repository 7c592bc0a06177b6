"""The production topology, run for real: ``sohoa cluster`` with two Celery workers,
Redis, PostgreSQL (metadata and population databases) and an S3 landing zone; scans
uploaded with ``sohoa upload``; ``sohoa_digitize`` started through Airflow's REST API;
its mapped OCR batches spread over both workers, as the metadata database records; each
running process has the compose file's settings; ``sohoa cluster stop`` leaves nothing.
No mocks: real processes on free ports, in the test's own folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sohoa.cluster import compose, control, runs
from sohoa.cluster.plan import LOCAL_ONLY, image_environment
from sohoa.settings import PROJECT_ROOT
from tests.sohoa.cluster.clusters import (
    BOOK,
    TEST_VARIABLES,
    cluster_folder,
    make_pages,
    running_cluster,
)

PAGES = 4  # two batches of two


@pytest.fixture(scope="module")
def cluster_run():
    with cluster_folder() as root, running_cluster(root / "state", workers=2) as folder:
        pages = make_pages(root / "scans", PAGES, seed=1601)
        runs.upload(folder, pages, BOOK)
        outcome = runs.digitize(folder, timeout=900)
        status = subprocess.run(
            [sys.executable, "-m", "sohoa.cli", "cluster", "status", "--dir", str(folder.root)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        environs = _environs(folder)
        dump = runs.population_dump(folder)
        yield {
            "folder": folder,
            "outcome": outcome,
            "status": status,
            "environs": environs,
            "dump": dump,
        }


def _environs(folder) -> dict[str, dict[str, str]]:
    """Each running process's environment, read from /proc."""
    out = {}
    for name, entry in control.read_status(folder)["processes"].items():
        pid = entry.get("pid")
        if entry.get("state") != "healthy" or not pid:
            continue
        raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        env = dict(item.decode().split("=", 1) for item in raw if b"=" in item)
        if env:  # empty when the process rewrote its title over it (setproctitle)
            out[name] = env
    return out


def test_the_run_succeeds_through_the_rest_api(cluster_run):
    outcome = cluster_run["outcome"]
    assert outcome.state == "success", outcome.tries
    assert outcome.run_id.startswith("manual__")  # created by the API, not by dag.test()
    report = outcome.report
    assert report["pages"] == PAGES
    assert report["loaded"] + report["in_review"] + report["rejected"] == PAGES
    assert not report.get("missing")


def test_ocr_batches_spread_over_both_workers(cluster_run):
    extract = cluster_run["outcome"].of("extract_batch")
    assert len({t.map_index for t in extract}) == PAGES // 2
    assert all(t.state == "success" and t.pool == "sohoa_ocr" for t in extract)
    assert {t.hostname for t in extract} == {"airflow-worker-1", "airflow-worker-2"}
    assert all(t.pid for t in extract)
    every = cluster_run["outcome"].tries
    assert {t.hostname for t in every} <= {"airflow-worker-1", "airflow-worker-2"}
    for host in ("airflow-worker-1", "airflow-worker-2"):  # AIRFLOW_WORKER_CONCURRENCY=1
        spans = sorted((t.start, t.end) for t in every if t.hostname == host)
        assert all(end <= nxt for (_, end), (nxt, _) in zip(spans, spans[1:], strict=False))


def test_the_population_database_holds_every_page(cluster_run):
    dump = cluster_run["dump"]
    assert len(dump["scan"]) == PAGES
    outcome = cluster_run["outcome"].report
    assert len(dump["civil_record"]) == outcome["loaded"]


def test_every_service_is_healthy(cluster_run):
    status = cluster_run["status"]
    assert status.returncode == 0, status.stdout + status.stderr
    assert "UNHEALTHY" not in status.stdout
    for name in ("postgres", "redis", "minio", "airflow-apiserver", "airflow-scheduler"):
        assert re.search(rf"^\s+{name}\s+healthy", status.stdout, re.M), name


def test_running_processes_have_the_compose_files_settings(cluster_run):
    services = compose.load(given=TEST_VARIABLES)
    image = image_environment(PROJECT_ROOT / "Dockerfile")
    address = re.compile(r"(127\.0\.0\.1|[a-z][a-z0-9-]*):\d+")
    environs = cluster_run["environs"]
    # Celery workers rewrite their title over their environment; what they run with shows
    # in what they do (HOSTNAME in the task instances, one task at a time, the broker).
    assert {"airflow-scheduler", "airflow-dag-processor", "airflow-triggerer"} <= set(environs)
    for name, env in environs.items():
        service = name.rsplit("-", 1)[0] if name.startswith("airflow-worker-") else name
        wanted = services[service].environment
        for key, value in wanted.items():
            got = env.get(key)
            assert got is not None, f"{name} runs without {key}"
            same = got == value or address.sub("A", got) == address.sub("A", value)
            same = same or (value.startswith("/") and Path(got).name == Path(value).name)
            assert same, (name, key, got, value)
        ours = {k for k in env if k.startswith(("SOHOA_", "AIRFLOW", "AWS_", "POSTGRES_"))}
        extra = ours - set(wanted) - LOCAL_ONLY - set(image)
        assert not extra, f"{name} runs with settings the compose file does not give: {extra}"
    assert environs["airflow-scheduler"]["AIRFLOW__CELERY__WORKER_CONCURRENCY"] == "1"
