"""Every report format holds the same figures; the HTML stands alone."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sohoa.dossiers.importer import import_file
from sohoa.kpi.report import build_report, drill_down, write_reports
from sohoa.reports.render import render_drill
from tests.sohoa.reports.report_fixtures import load_one_birth_record

SAMPLE = Path(__file__).resolve().parents[1] / "kpi" / "dossiers_q2.jsonl"


@pytest.fixture
def engine(sqlite_engine):
    import_file(sqlite_engine, SAMPLE)
    return sqlite_engine


def test_write_reports_in_every_format(engine, tmp_path):
    paths = write_reports(engine, "2024-Q2", tmp_path / "out")
    names = sorted(p.name for p in paths)
    assert names == sorted(
        [
            "kpi-2024-Q2.json",
            "kpi-2024-Q2.csv",
            "kpi-2024-Q2.trend.csv",
            "kpi-2024-Q2.register_progress.csv",
            "kpi-2024-Q2.data_quality.csv",
            "kpi-2024-Q2.definitions.csv",
            "kpi-2024-Q2.xlsx",
            "kpi-2024-Q2.html",
        ]
    )
    out = tmp_path / "out"
    report = json.loads((out / "kpi-2024-Q2.json").read_text(encoding="utf-8"))
    assert report["totals"]["indicators"]["reuse_rate"]["rate"] == 28.57

    with (out / "kpi-2024-Q2.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    unit = next(r for r in rows if r["unit_code"] == "25920")
    assert (unit["e_result_rate"], unit["reuse_rate_points"], unit["rank"]) == (
        "66.67",
        "0.63",
        "2",
    )
    b = next(r for r in rows if r["unit_code"] == "00004")
    assert b["e_result_rate"] == "" and b["e_result_rate_denominator"] == "0"  # null stays empty

    wb = load_workbook(out / "kpi-2024-Q2.xlsx")
    assert wb.sheetnames == [
        "indicators",
        "trend",
        "register_progress",
        "data_quality",
        "definitions",
    ]
    sheet = wb["indicators"]
    header = [c.value for c in sheet[1]]
    total = [c.value for c in sheet[2]]
    assert total[header.index("digitization_rate")] == 75.0
    assert sheet.max_row == 1 + 1 + 2 + 3  # header, total, 2 provinces, 3 units


def test_html_is_one_self_contained_file(engine, tmp_path):
    load_one_birth_record(engine)
    (path,) = write_reports(engine, "2024-Q2", tmp_path, formats=("html",))
    html = path.read_text(encoding="utf-8")
    assert html.count("<svg") >= 4  # headline, trend, ranking, progress (charts by matplotlib)
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", html)
    assert "<script" not in html and "<link" not in html
    for text in (
        "Headline figures against targets",
        "Trend by month",
        "Units ranked",
        "Civil-register progress",
        "Definitions",
        "66.67",
        "target 80 %",
    ):
        assert text in html


def test_drill_down_files(engine, tmp_path):
    drill = drill_down(engine, "2024-Q2", "00004")
    (path,) = render_drill(drill, "csv", tmp_path / "d.csv")
    with path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["dossier_code"] for r in rows] == [
        "000.00.01.H26-240505-0007",
        "000.00.01.H26-240601-0008",
    ]
    assert [r["reuse_rate_num"] for r in rows] == ["0", "1"]
    report = build_report(engine, "2024-Q2", unit="00004")
    assert report["totals"]["indicators"] == drill["indicators"]
