"""``sohoa report`` in each format, with scope and drill-down; bad input exits 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from sohoa.cli import main
from sohoa.db.engine import make_engine
from sohoa.dossiers.importer import import_file

SAMPLE = Path(__file__).resolve().parents[1] / "kpi" / "dossiers_q2.jsonl"


@pytest.fixture
def db(sqlite_url, monkeypatch):
    engine = make_engine(sqlite_url)
    import_file(engine, SAMPLE)
    engine.dispose()
    monkeypatch.setenv("SOHOA_DB_URL", sqlite_url)
    return sqlite_url


def test_json_to_stdout(db, capsys):
    assert main(["report", "--period", "2024-Q2", "--unit", "25920"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["totals"]["indicators"]["e_result_rate"]["rate"] == 66.67


def test_csv_to_stdout_and_files(db, capsys, tmp_path):
    assert main(["report", "--period", "2024-Q2", "--format", "csv", "--lang", "en"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["level"] == "all" and rows[0]["reuse_rate"] == "28.57"
    for fmt in ("xlsx", "html"):
        out = tmp_path / f"r.{fmt}"
        assert main(["report", "--period", "2024-Q2", "--format", fmt, "--out", str(out)]) == 0
        assert out.stat().st_size > 1000
    assert "wrote" in capsys.readouterr().err


def test_vietnamese_is_the_default(db, capsys, tmp_path):
    assert main(["report", "--period", "2024-Q2", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    total = rows[0]
    assert total["Cấp"] == "Toàn bộ"
    assert total["Tỷ lệ khai thác, sử dụng lại dữ liệu đã số hóa – tỷ lệ (%)"] == "28,57"
    out = tmp_path / "r.html"
    assert main(["report", "--period", "2024-Q2", "--format", "html", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Chỉ tiêu số hóa — Quý II/2024" in page and "Digitization KPIs" not in page
    out_en = tmp_path / "r-en.html"
    argv = ["report", "--period", "2024-Q2", "--format", "html", "--lang", "en"]
    assert main([*argv, "--out", str(out_en)]) == 0
    assert "Digitization KPIs — Q2 2024" in out_en.read_text(encoding="utf-8")


def test_drill_down(db, capsys, tmp_path):
    assert main(["report", "--period", "2024-Q2", "--unit", "01", "--drill-down"]) == 0
    drill = json.loads(capsys.readouterr().out)
    assert len(drill["dossiers"]) == 3
    assert drill["indicators"]["reuse_rate"]["numerator"] == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--period", "2024-Q9"],
        ["report", "--period", "2024", "--unit", "12345678"],
        ["report", "--period", "2024", "--drill-down"],
    ],
)
def test_bad_arguments_exit_2(db, capsys, argv):
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("sohoa: error:")


def test_an_unknown_language_exits_2(db, capsys):
    with pytest.raises(SystemExit) as stop:  # argparse refuses a choice it does not offer
        main(["report", "--period", "2024", "--lang", "fr"])
    assert stop.value.code == 2 and "--lang" in capsys.readouterr().err
