"""SIGKILL the loader in the middle of a batch, rerun: the database equals a clean run's.

The loader runs in a subprocess with the documented test hook
``SOHOA_TEST_PAUSE_AFTER_ROWS`` (sohoa.load.bulk): once it has written that many rows
inside its transaction it says so on stderr and sleeps, and the test kills it. The gate
is left out (``gate=None``): it runs before the transaction and writes nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from ocr.book import Book
from sohoa.db.engine import make_engine
from sohoa.db.snapshot import canonical_dump
from sohoa.db.tables import scan
from sohoa.load.jsonl import read_records
from sohoa.load.synthetic import make_book, needs_review
from sohoa.load.transaction import load_records

BOOK = Book("25920", "birth", 2017, "03", declared_entries=600, uploader="lan")
NOW = datetime(2026, 5, 1, tzinfo=UTC)
LOADER = """
import sys
from datetime import UTC, datetime
from sohoa.db.engine import make_engine
from sohoa.load.transaction import load_records
from ocr.book import Book
from sohoa.load.jsonl import read_records
records, _ = read_records(sys.argv[2])
book = Book("25920", "birth", 2017, "03", declared_entries=600, uploader="lan")
load_records(make_engine(sys.argv[1]), records, book, gate=None, run_key="fault",
           now=datetime(2026, 5, 1, tzinfo=UTC))
"""


def _batch(tmp_path: Path) -> Path:
    records = make_book("birth", 2017, "03", 600, seed=41)
    for i in range(0, 600, 100):
        records[i] = needs_review(records[i], "full_name", "low_confidence", "check it")
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


def _started_writing(url: str) -> bool:
    """The killed loader really was inside an open, written-to transaction."""
    if url.startswith("sqlite"):
        return Path(url.removeprefix("sqlite:///") + "-journal").is_file()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            states = (
                conn.execute(
                    text(
                        "SELECT state FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
                    )
                )
                .scalars()
                .all()
            )
    finally:
        engine.dispose()
    return len(states) == 1  # a transaction id is only assigned once it has written


def test_killed_mid_batch_then_rerun_equals_a_clean_run(db_factory, tmp_path):
    path = _batch(tmp_path)
    records, _ = read_records(path)
    clean_url, crash_url = db_factory(), db_factory()

    clean = make_engine(clean_url)
    load_records(clean, records, BOOK, gate=None, run_key="fault", now=NOW)
    expected = canonical_dump(clean)
    clean.dispose()

    env = {**os.environ, "SOHOA_TEST_PAUSE_AFTER_ROWS": "800", "SOHOA_TEST_PAUSE_SECONDS": "120"}
    proc = subprocess.Popen(
        [sys.executable, "-c", LOADER, crash_url, str(path)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        line = ""
        while "SOHOA_TEST_PAUSED" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
            assert line or proc.poll() is None, "loader exited before pausing"
        assert "SOHOA_TEST_PAUSED" in line
        assert _started_writing(crash_url)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()

    crashed = make_engine(crash_url)
    try:
        with crashed.connect() as conn:
            assert conn.execute(select(func.count()).select_from(scan)).scalar_one() == 0
        summary = load_records(crashed, records, BOOK, gate=None, run_key="fault", now=NOW)
        assert (summary.loaded, summary.in_review) == (594, 6)
        assert canonical_dump(crashed) == expected
    finally:
        crashed.dispose()
