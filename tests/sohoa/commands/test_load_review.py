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
    _out(capsys)
    # The generated record names its registration authority by the commune alone and has
    # no mother's residence: warnings, which load only with a reason.
    assert main(["review", "confirm", item]) == 2
    err = capsys.readouterr().err
    assert "registration_place" in err and "mother_residence" in err and "--override" in err
    overrides = [
        "--override",
        "registration_place=the page names the commune only",
        "--override",
        "mother_residence=blank on the page",
    ]
    assert main(["review", "confirm", item, *overrides]) == 0
    assert "loaded as record" in _out(capsys)
    assert main(["review", "show", item, "--json"]) == 0
    shown = json.loads(_out(capsys))
    assert shown["state"] == "confirmed"
    assert [a["action"] for a in shown["actions"]] == ["correct", "override", "override", "confirm"]
    assert shown["actions"][0]["actor"] == "lan"
    assert shown["actions"][2]["note"] == "parent_entry_missing: blank on the page"


def test_bad_input_exits_2_with_one_line(env, capsys, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": {"uri": "x", "page": 1, "sha256": "' + "a" * 64 + '"}}\nnot json\n')
    assert main(["load", str(bad), *ARGS]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.jsonl:2" in err
    assert main(["review", "confirm", "999"]) == 2


# The record of issue 15 that was typed in and loaded: a child born in 2030, a mother
# born in 2030, ethnic groups misspelt ("Kihn", "Mong" for Mông) and a place that does
# not exist.
IMPOSSIBLE = {
    "full_name": "Lò Văn Pá",
    "date_of_birth": "2030-01-01",
    "sex": "male",
    "ethnicity": "Kihn",
    "nationality": "Việt Nam",
    "place_of_birth": "Xã Không Có, Huyện Ảo, Tỉnh Mơ",
    "mother_name": "Giàng Thị Dợ",
    "mother_birth_year": "2030",
    "mother_ethnicity": "Mong",
    "mother_nationality": "Việt Nam",
    "mother_residence": "Xã Không Có, Huyện Ảo, Tỉnh Mơ",
    "registration_place": "Ủy ban nhân dân Xã Khánh Thiện, Huyện Yên Khánh, Tỉnh Ninh Bình",
    "registration_date": "1987-03-10",
    "registration_number": "77",
}


def _loaded_and_audited(tmp) -> tuple[int, int]:
    import sqlite3

    with sqlite3.connect(tmp / "cli.db") as db:
        records = db.execute("SELECT count(*) FROM civil_record").fetchone()[0]
        actions = db.execute("SELECT count(*) FROM review_action").fetchone()[0]
    return records, actions


def test_an_impossible_typed_record_is_refused_with_exit_2_and_nothing_loaded(env, capsys):
    path, tmp = env
    assert main(["load", str(path), *ARGS]) == 0
    _out(capsys)
    assert main(["review", "list"]) == 0
    item = _out(capsys).strip().splitlines()[0].split("\t")[0]
    before = _loaded_and_audited(tmp)
    pairs = [f"{k}={v}" for k, v in IMPOSSIBLE.items()]
    assert main(["review", "enter", item, "--type", "birth", *pairs]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("sohoa: error: not loaded")
    for field in ("date_of_birth", "mother_birth_year", "ethnicity", "mother_ethnicity"):
        assert f"{field}: " in err and err.count("(error)") >= 4, field
    for field in ("place_of_birth", "mother_residence"):  # named too, as warnings
        assert f"{field}: The" in err and "(warning)" in err, field
    # A reason for every field changes nothing: an error has no exception.
    reasons = [a for k in IMPOSSIBLE for a in ("--override", f"{k}=the page says so")]
    assert main(["review", "enter", item, "--type", "birth", *pairs, *reasons]) == 2
    err = capsys.readouterr().err
    assert "date_of_birth: " in err and "mother_birth_year: " in err
    assert _loaded_and_audited(tmp) == before
    assert main(["review", "show", item, "--json"]) == 0
    shown = json.loads(_out(capsys))
    assert shown["state"] == "pending" and shown["actions"] == []
