"""``sohoa export book …`` writes the zip of docs/export.md."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from ocr.book import Book
from sohoa.cli import main
from sohoa.db.engine import make_engine
from sohoa.load.transaction import load_records
from tests.sohoa.commands.terminal import bar_counts, run_on_terminal


def test_export_book(sqlite_url, monkeypatch, capsys, tmp_path):
    engine = make_engine(sqlite_url)
    recs = []
    for n in (1, 2):
        values = {"full_name": f"TRẦN VĂN {n}", "registration_number": str(n)}
        recs.append(
            {
                "source": {
                    "uri": f"gone/{n}.png",
                    "page": 1,
                    "sha256": hashlib.sha256(bytes([n])).hexdigest(),
                },
                "doc_type": "death",
                "status": "auto_accepted",
                "fields": {k: {"value": v, "confidence": 0.9} for k, v in values.items()},
            }
        )
    load_records(engine, recs, Book("25920", "death", 1999, "02"), gate=None)
    engine.dispose()
    monkeypatch.setenv("SOHOA_DB_URL", sqlite_url)
    out = tmp_path / "book.zip"
    argv = [
        "export",
        "book",
        "--unit",
        "25920",
        "--book-type",
        "death",
        "--year",
        "1999",
        "--volume",
        "02",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    assert "2 record(s)" in capsys.readouterr().err

    # A person at a terminal sees a bar of the records written; a pipe gets none.
    sohoa = str(Path(sys.executable).with_name("sohoa"))
    env = {**os.environ, "SOHOA_DB_URL": sqlite_url}
    shown = run_on_terminal([sohoa, *argv], env=env)
    assert shown.returncode == 0, shown.terminal
    assert bar_counts(shown.terminal, "record")[-1] == (2, 2)
    piped = subprocess.run([sohoa, *argv], env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and not bar_counts(piped.stderr, "record")
    assert piped.stderr.startswith("wrote ")
    with zipfile.ZipFile(out) as zf:
        assert sum(n.endswith(".pdf") for n in zf.namelist()) == 2
    argv[argv.index("02")] = "03"
    assert main(argv) == 2
