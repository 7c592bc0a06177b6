"""``sohoa dossiers import FILE`` / ``sohoa dossiers link`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from sohoa.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "kpi" / "dossiers_q2.jsonl"


def test_import_then_again(sqlite_url, monkeypatch, capsys):
    monkeypatch.setenv("SOHOA_DB_URL", sqlite_url)
    assert main(["dossiers", "import", str(SAMPLE)]) == 0
    assert "9 row(s): 9 inserted, 0 updated, 0 unchanged, 0 bad" in capsys.readouterr().err
    assert main(["dossiers", "import", str(SAMPLE), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["inserted"], out["unchanged"]) == (0, 9)


def test_bad_rows_are_listed_and_exit_2(sqlite_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("SOHOA_DB_URL", sqlite_url)
    path = tmp_path / "e.jsonl"
    good = SAMPLE.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(good + '\n{"dossier_code": "X"}\n', encoding="utf-8")
    assert main(["dossiers", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: unit_code is missing" in err and "1 inserted" in err


def test_missing_file_is_one_line_exit_2(sqlite_url, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("SOHOA_DB_URL", sqlite_url)
    assert main(["dossiers", "import", str(tmp_path / "nope.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err


def test_link_with_nothing_to_link(sqlite_url, monkeypatch, capsys):
    monkeypatch.setenv("SOHOA_DB_URL", sqlite_url)
    assert main(["dossiers", "link", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["linked"] == 0


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(sqlite_url):
    import os
    import subprocess
    import sys

    from tests.sohoa.commands.terminal import bar_counts, run_on_terminal

    env = {**os.environ, "SOHOA_DB_URL": sqlite_url}
    argv = [str(Path(sys.executable).with_name("sohoa")), "dossiers", "import", str(SAMPLE)]
    shown = run_on_terminal(argv, env=env)
    assert shown.returncode == 0, shown.terminal
    assert bar_counts(shown.terminal, "row")[-1] == (9, 9)
    piped = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0
    assert piped.stderr.strip() == "9 row(s): 0 inserted, 0 updated, 9 unchanged, 0 bad"
