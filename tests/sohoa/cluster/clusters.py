"""A cluster for a test: started in the test's own folder on free ports, and always
stopped (even when the test fails), with a check that nothing it started is left."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sohoa.cluster import control, state

BOOK = ("25920", "birth", 2024, "01")
# Compose variables of a small test run: manual runs only, a pool slot per worker, one
# task at a time per worker (so two batches go to two workers), batches of two pages.
TEST_VARIABLES = {
    "SOHOA_DIGITIZE_SCHEDULE": "none",
    "SOHOA_OCR_POOL_SLOTS": "2",
    "AIRFLOW_WORKER_CONCURRENCY": "1",
    "SOHOA_BATCH_PAGES": "2",
    "SOHOA_RETRY_DELAY_SECONDS": "5",
}


@contextmanager
def cluster_folder() -> Iterator[Path]:
    """A folder for a cluster that the postgres OS user can enter (pytest's own temporary
    folders are private to root), removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="sohoa-cluster-test-"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def recorded_pids(folder: state.Folder) -> list[dict]:
    recs = [state.read_pid(p) for p in (folder.root / "pids").glob("*.pid")]
    return [r for r in [*recs, state.read_pid(folder.supervisor_pid)] if r]


@contextmanager
def running_cluster(
    root: Path, workers: int = 2, variables: dict[str, str] | None = None
) -> Iterator[state.Folder]:
    folder = state.Folder(root)
    started: list[dict] = []
    try:
        given = {**TEST_VARIABLES, **(variables or {})}
        control.start(folder, workers, given, timeout=900, stop_with=os.getpid())
        started = recorded_pids(folder)
        yield folder
    finally:
        started = started or recorded_pids(folder)
        control.stop(folder)
        left = [r for r in started if state.is_ours(r)]
        assert not left, f"processes left running after stop: {left}"


def make_pages(out: Path, count: int, seed: int, kind: str = "birth") -> list[Path]:
    subprocess.run(
        [sys.executable, "-m", "sohoa.cli", "samples", "--out", str(out), "--types", kind]
        + ["--count", str(count), "--seed", str(seed), "--profile", "clean"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return sorted(out.glob("*.png"))
