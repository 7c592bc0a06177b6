"""``sohoa run`` as a user runs it: a fresh folder, embedded defaults (SQLite for Airflow
and for the population DB, a local landing folder), twice."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from sohoa.cli import main

REPO = Path(__file__).resolve().parents[3]


def sohoa_run(cwd: Path) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SOHOA_", "AIRFLOW"))
    }  # nothing but the defaults
    env["SOHOA_BATCH_PAGES"] = "2"  # two batches: the mapping is exercised
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

    first = sohoa_run(tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    out = first.stderr
    assert figure(out, "pages in") == 3
    assert figure(out, "loaded") + figure(out, "in review") + figure(out, "rejected") == 3
    assert figure(out, "rejected") >= 1
    assert "new scan file(s)" in out and "batch 2: read" in out  # progress lines
    report = Path(re.search(r"^\s*run report:\s+(\S+)", out, re.M).group(1))
    assert report.is_file() and report.is_relative_to(tmp_path)
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
    assert figure(second.stderr, "pages in") == 0
    assert "initialised" not in second.stderr  # Airflow's DB was ready: no migration
    after = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    assert after == before
