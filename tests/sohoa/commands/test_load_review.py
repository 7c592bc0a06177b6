"""``sohoa load`` and ``sohoa review`` end to end on an SQLite file (gate included)."""

from __future__ import annotations

import json

import pytest

from sohoa.cli import main
from sohoa.load.synthetic import make_book, needs_review

ARGS = ["--unit", "25920", "--book-type", "birth", "--year", "1987", "--volume", "01"]


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SOHOA_VALIDATION_DIR", str(tmp_path / "validation"))
    monkeypatch.setenv("SOHOA_USER", "lan")
    records = make_book("birth", 1987, "01", 12, seed=51)
    records[2] = needs_review(records[2], "full_name", "low_confidence", "check the name")
    records[5]["fields"]["date_of_birth"]["value"] = "1987-02-30"
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path, tmp_path


def _out(capsys) -> str:
    return capsys.readouterr().out


def test_load_reports_every_page_and_a_rerun_changes_nothing(env, capsys):
    path, tmp = env
    assert main(["load", str(path), *ARGS, "--declared-entries", "12"]) == 0
    out = _out(capsys)
    assert "loaded    10" in out and "in review 2" in out
    assert "review reason date_invalid: 1" in out
    assert "data docs " in out and (tmp / "validation" / "runs").is_dir()
    assert main(["load", str(path), *ARGS]) == 0
    out = _out(capsys)
    assert "loaded    0" in out and "already loaded (skipped) 12" in out

    assert main(["review", "list"]) == 0
    lines = _out(capsys).strip().splitlines()
    assert len(lines) == 2 and "date_invalid" in lines[1]
    item = lines[1].split("\t")[0]
    assert main(["review", "show", item]) == 0
    assert "FAILED date_invalid" in _out(capsys)
    assert main(["review", "correct", item, "date_of_birth", "1987-02-28"]) == 0
    assert main(["review", "confirm", item]) == 0
    assert "loaded as record" in _out(capsys)
    assert main(["review", "show", item, "--json"]) == 0
    shown = json.loads(_out(capsys))
    assert shown["state"] == "confirmed"
    assert [a["action"] for a in shown["actions"]] == ["correct", "confirm"]
    assert shown["actions"][0]["actor"] == "lan"


def test_bad_input_exits_2_with_one_line(env, capsys, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": {"uri": "x", "page": 1, "sha256": "' + "a" * 64 + '"}}\nnot json\n')
    assert main(["load", str(bad), *ARGS]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.jsonl:2" in err
    assert main(["review", "confirm", "999"]) == 2
