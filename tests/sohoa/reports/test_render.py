"""Every report format holds the same figures, in Vietnamese by default and in English
with ``lang="en"``; the HTML stands alone."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sohoa.dossiers.importer import import_file
from sohoa.kpi.report import build_report, drill_down, write_reports
from sohoa.reports.render import render_drill
from tests.sohoa.reports.report_fixtures import SHEETS_VI, load_one_birth_record

SAMPLE = Path(__file__).resolve().parents[1] / "kpi" / "dossiers_q2.jsonl"
TABLES = ["trend", "register_progress", "data_quality", "definitions", "about"]
E_RESULT = "Tỷ lệ hồ sơ có kết quả điện tử"
REUSE = "Tỷ lệ khai thác, sử dụng lại dữ liệu đã số hóa"
DIGITIZATION = "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"


@pytest.fixture
def engine(sqlite_engine):
    import_file(sqlite_engine, SAMPLE)
    return sqlite_engine


def _csv(path: Path, delimiter: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def test_write_reports_in_english(engine, tmp_path):
    paths = write_reports(engine, "2024-Q2", tmp_path / "out", lang="en")
    names = sorted(p.name for p in paths)
    assert names == sorted(
        [
            "kpi-2024-Q2.json",
            "kpi-2024-Q2.csv",
            *(f"kpi-2024-Q2.{t}.csv" for t in TABLES),
            "kpi-2024-Q2.xlsx",
            "kpi-2024-Q2.html",
        ]
    )
    out = tmp_path / "out"
    report = json.loads((out / "kpi-2024-Q2.json").read_text(encoding="utf-8"))
    assert report["totals"]["indicators"]["reuse_rate"]["rate"] == 28.57

    rows = _csv(out / "kpi-2024-Q2.csv", ",")
    unit = next(r for r in rows if r["unit_code"] == "25920")
    assert (unit["e_result_rate"], unit["reuse_rate_points"], unit["rank"]) == (
        "66.67",
        "0.63",
        "2",
    )
    b = next(r for r in rows if r["unit_code"] == "00004")
    assert b["e_result_rate"] == "" and b["e_result_rate_denominator"] == "0"  # null stays empty

    wb = load_workbook(out / "kpi-2024-Q2.xlsx")
    assert wb.sheetnames == ["indicators", *TABLES]
    sheet = wb["indicators"]
    header = [c.value for c in sheet[1]]
    total = [c.value for c in sheet[2]]
    assert total[header.index("digitization_rate")] == 75.0
    assert sheet.max_row == 1 + 1 + 2 + 3  # header, total, 2 provinces, 3 units
    html = (out / "kpi-2024-Q2.html").read_text(encoding="utf-8")
    assert "Headline figures against targets" in html and "Quý" not in html


def test_the_workbook_is_vietnamese_by_default(engine, tmp_path):
    (path,) = write_reports(engine, "2024-Q2", tmp_path, formats=("xlsx",))
    wb = load_workbook(path)
    assert wb.sheetnames == SHEETS_VI
    sheet = wb["Chỉ tiêu"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == [
        "Cấp",
        "Hạng",
        "Mã tỉnh/thành phố",
        "Tỉnh/thành phố",
        "Mã đơn vị",
        "Tên đơn vị",
        "Số hồ sơ",
    ]
    assert f"{E_RESULT} – tỷ lệ (%)" in header and f"{REUSE} – điểm" in header
    assert header[-1] == "Tổng điểm"
    rows = {r[4]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    total = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "Toàn bộ")
    assert total[header.index(f"{DIGITIZATION} – tỷ lệ (%)")] == 75.0  # a number, not text
    unit = rows["25920"]
    assert unit[0] == "Đơn vị" and unit[header.index(f"{E_RESULT} – tỷ lệ (%)")] == 66.67
    # unit names from the unit list in force in the period (before 1 July 2025)
    assert unit[5] == "Phường Tân Hiệp, Thành phố Tân Uyên"
    assert rows["00004"][5] == "Phường Trúc Bạch, Quận Ba Đình"
    assert all(r[5] for code, r in rows.items() if code)  # every unit has its name
    rate_cell = sheet.cell(row=2, column=header.index(f"{E_RESULT} – tỷ lệ (%)") + 1)
    assert rate_cell.number_format == "0.00"  # shown with the reader's decimal sign
    about = {r[0]: r[1] for r in wb["Thông tin báo cáo"].iter_rows(min_row=2, values_only=True)}
    assert about["Kỳ báo cáo"] == "Quý II/2024"
    assert (about["Từ ngày"], about["Đến hết ngày"]) == ("01/04/2024", "30/06/2024")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", about["Thời điểm lập (giờ Việt Nam)"])
    trend = [r[0] for r in wb["Diễn biến theo tháng"].iter_rows(min_row=2, values_only=True)]
    assert trend[-3:] == ["04/2024", "05/2024", "06/2024"]


def test_the_csv_is_vietnamese_with_a_decimal_comma(engine, tmp_path):
    load_one_birth_record(engine)
    paths = write_reports(engine, "2024-Q2", tmp_path, formats=("csv",))
    assert [p.name for p in paths] == ["kpi-2024-Q2.csv", *(f"kpi-2024-Q2.{t}.csv" for t in TABLES)]
    rows = _csv(paths[0], ";")
    unit = next(r for r in rows if r["Mã đơn vị"] == "25920")
    assert unit["Cấp"] == "Đơn vị" and unit["Tên đơn vị"] == "Phường Tân Hiệp, Thành phố Tân Uyên"
    assert unit[f"{E_RESULT} – tỷ lệ (%)"] == "66,67"
    assert unit[f"{REUSE} – điểm"] == "0,63"
    assert unit["Tổng điểm"] == "8,63"
    assert unit["Tỉnh/thành phố"] == "Thành phố Hồ Chí Minh"
    progress = _csv(tmp_path / "kpi-2024-Q2.register_progress.csv", ";")
    [row] = [r for r in progress if r["Cấp"] == "Đơn vị"]
    assert (row["Loại sổ"], row["Tiến độ (%)"]) == ("Khai sinh", "25,0")
    definitions = _csv(tmp_path / "kpi-2024-Q2.definitions.csv", ";")
    assert [d["Chỉ tiêu"] for d in definitions] == [E_RESULT, DIGITIZATION, REUSE]
    assert definitions[0]["Mẫu số"] == "hồ sơ yêu cầu trả kết quả giấy"


def test_rejected_pages_are_counted_by_their_vietnamese_reason(engine, tmp_path):
    from ocr.book import Book
    from sohoa.load.synthetic import make_book, rejected
    from sohoa.load.transaction import load_records

    records = make_book("birth", 1987, "02", 3, seed=4)
    records[0] = rejected(records[0], "the image is too small to read (300×400 px); scan")
    records[1] = rejected(records[1], "the image is too small to read (200×300 px); scan")
    records[2] = rejected(records[2], "the page is blank")
    book = Book("25920", "birth", 1987, "02")
    load_records(engine, records, book, gate=None, now=datetime(2024, 5, 1, tzinfo=UTC))
    report = build_report(engine, "2024-Q2")
    assert report["register_progress"]  # the book is in the period's progress
    paths = write_reports(engine, "2024-Q2", tmp_path, formats=("csv",))
    progress = _csv(next(p for p in paths if "register_progress" in p.name), ";")
    [row] = [r for r in progress if r["Cấp"] == "Đơn vị"]
    assert row["Trang bị loại theo lý do"] == (
        "Trang trắng: 1; Ảnh quá nhỏ để đọc: hãy quét lại ở 200–300 dpi: 2"
    )
    english = write_reports(engine, "2024-Q2", tmp_path / "en", formats=("csv",), lang="en")
    rows = _csv(next(p for p in english if "register_progress" in p.name), ",")
    [row] = [r for r in rows if r["level"] == "unit"]
    assert "the page is blank: 1" in row["rejected_by_reason"]


def test_html_is_one_self_contained_vietnamese_file(engine, tmp_path):
    load_one_birth_record(engine)
    (path,) = write_reports(engine, "2024-Q2", tmp_path, formats=("html",))
    html = path.read_text(encoding="utf-8")
    assert html.count("<svg") >= 4  # headline, trend, ranking, progress (charts by matplotlib)
    assert not re.search(r"""(src|href)=["']?(https?:|//|file:)""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert "<html lang='vi'>" in html
    for text in (
        "Chỉ tiêu số hóa — Quý II/2024 — tất cả đơn vị",
        "Kết quả so với mục tiêu",
        "Diễn biến theo tháng",
        "Xếp hạng đơn vị",
        "Tiến độ số hóa sổ hộ tịch",
        "Cách tính các chỉ tiêu",
        E_RESULT,
        "66,67 %",
        "mục tiêu 80 %",
        "25920 Phường Tân Hiệp, Thành phố Tân Uyên",
        "từ ngày 01/04/2024 đến hết ngày 30/06/2024",
        "(giờ Việt Nam)",
    ):
        assert text in html, text
    text = re.sub(r"<svg.*?</svg>|<style>.*?</style>|<[^>]+>", " ", html, flags=re.S)
    assert "66.67" not in text and "e_result_rate" not in text  # no English numbers or keys
    generated = build_report(engine, "2024-Q2")["generated_at"]  # UTC in the data
    assert generated.endswith("+00:00")


def test_drill_down_files(engine, tmp_path):
    drill = drill_down(engine, "2024-Q2", "00004")
    (path,) = render_drill(drill, "csv", tmp_path / "d.csv", lang="en")
    rows = _csv(path, ",")
    assert [r["dossier_code"] for r in rows] == [
        "000.00.01.H26-240505-0007",
        "000.00.01.H26-240601-0008",
    ]
    assert [r["reuse_rate_num"] for r in rows] == ["0", "1"]
    report = build_report(engine, "2024-Q2", unit="00004")
    assert report["totals"]["indicators"] == drill["indicators"]
    (path,) = render_drill(drill, "xlsx", tmp_path / "d.xlsx")
    sheet = load_workbook(path)["Hồ sơ chi tiết"]
    header = [c.value for c in sheet[1]]
    first = [c.value for c in sheet[2]]
    assert header[:3] == ["Mã hồ sơ", "Mã đơn vị", "Thời điểm tiếp nhận (giờ Việt Nam)"]
    assert first[header.index("Yêu cầu trả kết quả giấy")] in ("có", "không")
    assert re.fullmatch(r"\d\d/\d\d/2024", first[header.index("Ngày tính vào kỳ")])
