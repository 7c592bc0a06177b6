"""``sohoa run`` as a user runs it: a fresh folder, embedded defaults (SQLite for Airflow
and for the population DB, a local landing folder), twice."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sohoa.cli import main
from tests.sohoa.commands.terminal import bar_counts, run_on_terminal

REPO = Path(__file__).resolve().parents[3]


def sohoa_run(cwd: Path, terminal: bool = False) -> subprocess.CompletedProcess:
    """``sohoa run`` in ``cwd``; with ``terminal``, its stderr is a terminal (a pty)."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SOHOA_", "AIRFLOW"))
    }  # nothing but the defaults
    env["SOHOA_BATCH_PAGES"] = "2"  # two batches: the mapping is exercised
    if terminal:
        shown = run_on_terminal([sys.executable, "-m", "sohoa.cli", "run"], env=env, cwd=cwd)
        text = shown.terminal.replace("\r\n", "\n")
        return subprocess.CompletedProcess([], shown.returncode, shown.stdout, text)
    return subprocess.run(
        [sys.executable, "-m", "sohoa.cli", "run"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def figure(text: str, label: str) -> int:
    return int(re.search(rf"^\s*{label}:\s+(\d+)", text, re.M).group(1))


def test_run_from_nothing_to_a_populated_database_then_nothing_more(tmp_path, monkeypatch):
    from sohoa.samples import write_samples

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOHOA_LANDING", raising=False)
    files = write_samples(
        tmp_path / "scans", count=2, seed=21, profile="clean", doc_types=["death"], rejects=1
    )
    assert (
        main(
            [
                "upload",
                *map(str, files),
                "--unit",
                "00001",
                "--book-type",
                "death",
                "--year",
                "2021",
                "--volume",
                "02",
            ]
        )
        == 0
    )

    first = sohoa_run(tmp_path, terminal=True)
    assert first.returncode == 0, first.stderr[-3000:]
    out = first.stderr
    assert bar_counts(out, "page")[-1] == (3, 3)  # a person at a terminal sees the pages
    assert figure(out, "pages in") == 3
    assert figure(out, "loaded") + figure(out, "in review") + figure(out, "rejected") == 3
    assert figure(out, "rejected") >= 1
    assert "new scan file(s)" in out and "batch 2: read" in out  # progress lines
    report = Path(re.search(r"^\s*run report:\s+(\S+)", out, re.M).group(1))
    assert report.is_file() and report.is_relative_to(tmp_path)
    run_report = json.loads(report.read_text())
    assert run_report["validation_results"]  # the gate's results reach the run's report
    assert all(Path(p).is_file() for p in run_report["validation_results"])
    assert not list((tmp_path / ".sohoa" / "landing").rglob("records.jsonl"))  # loaded: gone
    kpi = Path(re.search(r"^\s*KPI report:\s+(\S+)", out, re.M).group(1))
    assert kpi.suffix == ".html" and kpi.is_file() and kpi.is_relative_to(tmp_path)
    assert re.search(r"^\s*Data Docs:\s+\S+\.html", out, re.M)
    assert (tmp_path / ".sohoa" / "airflow" / "airflow.db").is_file()

    db = sqlite3.connect(tmp_path / ".sohoa" / "sohoa.db")
    statuses = dict(db.execute("SELECT status, count(*) FROM scan GROUP BY status"))
    assert sum(statuses.values()) == 3
    assert statuses.get("loaded", 0) == figure(out, "loaded")
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    before = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

    second = sohoa_run(tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "\r" not in second.stderr  # in a pipe: no bar
    assert figure(second.stderr, "pages in") == 0
    assert "initialised" not in second.stderr  # Airflow's DB was ready: no migration
    after = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    assert after == before


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


def test_the_workers_exit_when_sohoa_run_is_killed(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOHOA_", "AIRFLOW"))}
    env["SOHOA_OCR_JOBS"] = "2"
    run = subprocess.Popen(
        [sys.executable, "-m", "sohoa.cli", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
            workers = _children(run.pid)
        assert len(workers) >= 2, "the OCR workers never started"
        os.kill(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if _alive(pid)], "orphaned workers live on"
    finally:
        for pid in [run.pid, *workers]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
