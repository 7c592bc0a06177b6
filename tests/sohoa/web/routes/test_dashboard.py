"""The managers' dashboard on real data: dossiers imported and records loaded through the
real code, figures on the page equal to ``build_report``'s, downloads that open, and the
refusals (roles, units out of scope, bad periods)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ocr.book import Book
from sohoa.dossiers.importer import import_file
from sohoa.kpi.report import build_report
from sohoa.load.synthetic import make_book, needs_review
from sohoa.load.transaction import load_records
from sohoa.review.queue import confirm, list_pending
from sohoa.web.dashboard_view import current_quarter
from tests.sohoa.reports.report_fixtures import SHEETS_VI
from tests.sohoa.review.overrides import AS_PRINTED
from tests.sohoa.web.conftest import HOME_UNIT, OTHER_UNIT
from tests.sohoa.web.helpers import sign_in

# The generated records' registration authority names its commune alone, and their
# mother's residence is blank: warnings a person answers with a reason when confirming.

# The hand-computed dossier set of the KPI tests: 2024-Q2, units 25920, 00004, 00001.
DOSSIERS = Path(__file__).resolve().parents[2] / "kpi" / "dossiers_q2.jsonl"
PAGE = {"accept": "text/html"}


def _attr(html: str, selector_attr: str, key: str, attr: str = "data-value") -> str:
    """The ``attr`` of the element carrying ``selector_attr="key"`` (one element)."""
    tags = re.findall(rf"<[^>]*\b{selector_attr}=\"{re.escape(key)}\"[^>]*>", html)
    assert len(tags) == 1, f"{selector_attr}={key}: {len(tags)} elements"
    found = re.search(rf'\b{attr}="([^"]*)"', tags[0])
    assert found, tags[0]
    return found.group(1)


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


@pytest.fixture
def engine(web_app):
    return web_app.state.sohoa.engine


@pytest.fixture
def dossiers(engine):
    summary = import_file(engine, DOSSIERS)
    assert summary.bad == [] and summary.inserted == 9
    return engine


def _load(engine, unit: str, count: int, review: int = 0, volume: str = "01", seed: int = 1):
    """``count`` birth records of one book of ``unit``, the first ``review`` of them sent to
    review (the rest auto-accepted), through the real loader."""
    records = make_book("birth", 2019, volume, count, seed=seed)
    for i in range(review):
        records[i] = needs_review(records[i], "personal_id", "id_birth_year", "year disagrees")
    book = Book(unit, "birth", 2019, volume, declared_entries=20)
    summary = load_records(engine, records, book, gate=None)
    assert summary.loaded == count - review and summary.in_review == review
    return summary


def _manager(make_account, client, units=(HOME_UNIT,)):
    account = make_account("manager", units)
    sign_in(client, account)
    return account


def test_indicator_figures_are_the_reports(client, make_account, dossiers):
    _manager(make_account, client, (HOME_UNIT, "01"))
    for unit in (HOME_UNIT, "01"):
        page = client.get("/dashboard", params={"period": "2024-Q2", "unit": unit})
        assert page.status_code == 200, page.text
        report = build_report(dossiers, "2024-Q2", unit)
        totals = report["totals"]
        for key, block in totals["indicators"].items():
            assert _number(_attr(page.text, "data-indicator", key)) == block["rate"]
            assert (
                int(_attr(page.text, "data-indicator", key, "data-numerator")) == block["numerator"]
            )
            assert (
                int(_attr(page.text, "data-indicator", key, "data-denominator"))
                == block["denominator"]
            )
            assert (
                _number(_attr(page.text, "data-indicator", key, "data-points")) == block["points"]
            )
        assert int(_attr(page.text, "data-metric", "dossiers")) == totals["dossiers"]
        assert _number(_attr(page.text, "data-metric", "points")) == totals["points"]
        assert "<svg" in page.text  # the report's charts, drawn by matplotlib
    # the commune's figures are not the province's: the unit choice is applied
    assert build_report(dossiers, "2024-Q2", HOME_UNIT)["totals"]["dossiers"] == 5
    assert build_report(dossiers, "2024-Q2", "01")["totals"]["dossiers"] == 3


def test_records_loaded_moves_when_a_record_is_confirmed(client, make_account, engine):
    _manager(make_account, client)
    _load(engine, HOME_UNIT, 3, review=1)
    _load(engine, OTHER_UNIT, 2, seed=2)  # another unit's records are not counted

    def figures():
        page = client.get("/dashboard")  # default period: this quarter
        assert page.status_code == 200, page.text
        return (
            int(_attr(page.text, "data-metric", "records_loaded")),
            int(_attr(page.text, "data-metric", "records_loaded_total")),
            page.text,
        )

    before, total_before, text = figures()
    assert (before, total_before) == (2, 2)
    report = build_report(engine, current_quarter(), HOME_UNIT)
    (row,) = [r for r in report["register_progress"] if r["level"] == "unit"]
    assert _attr(text, "data-book-type", "birth", "data-unit") == HOME_UNIT
    assert f'data-loaded="{row["loaded_records"]}"' in text
    shown = re.search(r'class="progress-cell" data-value="([^"]*)"', text).group(1)
    assert _number(shown) == row["progress_rate"] == 10.0  # 2 of 20 declared entries

    (item,) = list_pending(engine, unit_code=HOME_UNIT)
    confirm(engine, item.id, actor="tester", overrides=AS_PRINTED)
    after, total_after, _ = figures()
    assert (after, total_after) == (3, 3)

    # a past period: nothing was loaded in it, and nothing by its end
    old = client.get("/dashboard", params={"period": "2024-Q2"})
    assert int(_attr(old.text, "data-metric", "records_loaded")) == 0
    assert int(_attr(old.text, "data-metric", "records_loaded_total")) == 0


def test_default_period_is_this_quarter_and_first_unit(client, make_account, engine):
    _manager(make_account, client, (OTHER_UNIT, HOME_UNIT))
    page = client.get("/dashboard")
    assert page.status_code == 200
    year, quarter = current_quarter().split("-")  # e.g. 2026, Q4
    assert f'<option value="{quarter}" selected>Quý ' in page.text
    assert f'id="period-year" value="{year}"' in page.text
    assert 'name="period"' not in page.text  # the picker never asks for "2026-Q4"
    first = min(HOME_UNIT, OTHER_UNIT)  # an account's units come in code order
    assert re.search(rf'<option value="{first}" selected>', page.text)
    assert re.search(rf'<option value="{max(HOME_UNIT, OTHER_UNIT)}">', page.text)
    assert 'id="no-data"' in page.text  # no book or dossier of that unit yet
    assert _attr(page.text, "data-metric", "records_loaded") == "0"


def test_the_picker_chooses_a_quarter_a_month_or_a_year(client, make_account, dossiers):
    _manager(make_account, client)
    for part, period, title in (
        ("Q2", "2024-Q2", "Quý II/2024"),
        ("05", "2024-05", "Tháng 5/2024"),
        ("year", "2024", "Năm 2024"),
    ):
        page = client.get("/dashboard", params={"year": "2024", "part": part})
        assert page.status_code == 200, page.text
        assert f'data-period="{period}">{title}</b>' in page.text
        assert f'<option value="{part}" selected>' in page.text
        expected = build_report(dossiers, period, HOME_UNIT)["totals"]["dossiers"]
        assert int(_attr(page.text, "data-metric", "dossiers")) == expected
    # a link in the CLI's form still opens the same page
    linked = client.get("/dashboard", params={"period": "2024-Q2"})
    assert 'data-period="2024-Q2">Quý II/2024</b>' in linked.text
    assert '<option value="Q2" selected>' in linked.text


def test_downloads_open_and_carry_the_scope(client, make_account, dossiers):
    _manager(make_account, client)
    page = client.get("/dashboard", params={"year": "2024", "part": "Q2"})
    expected = build_report(dossiers, "2024-Q2", HOME_UNIT)
    for fmt in ("xlsx", "json", "csv", "html"):
        for lang in ("vi", "en"):
            _check_download(client, page.text, fmt, lang, expected)


def _check_download(client, page: str, fmt: str, lang: str, expected: dict) -> None:
    suffix = "" if lang == "vi" else f"-{lang}"
    link = re.search(rf'id="download-{fmt}{suffix}" href="([^"]+)"', page).group(1)
    answer = client.get(link.replace("&amp;", "&"))
    assert answer.status_code == 200, answer.text
    assert "attachment" in answer.headers["content-disposition"]
    if fmt == "json":  # the same machine-readable data in both
        data = json.loads(answer.content)
        assert data["scope"] == {"level": "unit", "code": HOME_UNIT, "units": 1}
        assert data["totals"]["indicators"] == expected["totals"]["indicators"]
        assert data["names"]["vi"]["period"] == "Quý II/2024"
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(answer.content), read_only=True)
        first = "indicators" if lang == "en" else "Chỉ tiêu"
        assert book.sheetnames == (
            SHEETS_VI
            if lang == "vi"
            else [
                "indicators",
                "trend",
                "register_progress",
                "data_quality",
                "definitions",
                "about",
            ]
        )
        rows = list(book[first].iter_rows(values_only=True))
        units = [row for row in rows if HOME_UNIT in row]
        assert units and all("00004" not in row for row in rows)
        assert "Phường Tân Hiệp, Thành phố Tân Uyên" in units[0]  # the name in the unit list
    elif fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(answer.content)) as zf:
            names = zf.namelist()
            first = zf.read(names[0]).decode("utf-8-sig")
        assert len(names) == 6 and all(n.endswith(".csv") for n in names)
        assert HOME_UNIT in first and "00004" not in first
        assert first.startswith("Cấp;Hạng;" if lang == "vi" else "level,rank,")
    else:
        assert answer.text.startswith("<!DOCTYPE html>") and "<svg" in answer.text
        scope = f"đơn vị {HOME_UNIT} Phường Tân Hiệp" if lang == "vi" else f"unit {HOME_UNIT}"
        assert scope in answer.text
        assert ("Quý II/2024" in answer.text) == (lang == "vi")


def test_all_units_manager_sees_everything(client, make_account, dossiers):
    _manager(make_account, client, ("*",))
    page = client.get("/dashboard", params={"period": "2024-Q2"})
    assert page.status_code == 200
    assert int(_attr(page.text, "data-metric", "dossiers")) == 8
    answer = client.get("/dashboard/report.json", params={"period": "2024-Q2", "unit": "*"})
    assert json.loads(answer.content)["scope"]["level"] == "all"
    one = client.get("/dashboard", params={"period": "2024-Q2", "unit": "00004"})
    assert int(_attr(one.text, "data-metric", "dossiers")) == 2


def test_a_unit_outside_the_scope_is_refused(client, make_account, dossiers):
    _manager(make_account, client, ("01",))  # Hà Nội: 00004 and 00001
    inside = client.get("/dashboard", params={"period": "2024-Q2", "unit": "00004"})
    assert inside.status_code == 200
    for unit in (HOME_UNIT, "79", "*"):
        page = client.get("/dashboard", params={"period": "2024-Q2", "unit": unit}, headers=PAGE)
        assert page.status_code == 403, unit
        assert "không có quyền" in page.text
        answer = client.get("/dashboard/report.json", params={"period": "2024-Q2", "unit": unit})
        assert answer.status_code == 403 and "không có quyền" in answer.text


def test_an_invalid_period_is_a_clear_400(client, make_account, engine):
    _manager(make_account, client)
    picked = [{"year": y, "part": p} for y, p in (("2024", "Q5"), ("abc", "Q1"), ("1200", "Q1"))]
    linked = [{"period": p} for p in ("2024-Q5", "2024-13", "24", "abc", "0000", "2024-q1")]
    for params in picked + linked:
        page = client.get("/dashboard", params=params)
        assert page.status_code == 400, params
        assert 'id="dashboard-error"' in page.text
        assert "Kỳ báo cáo không hợp lệ" in page.text or "Năm của kỳ" in page.text
        assert "YYYY" not in page.text and "-Qn" not in page.text
        answer = client.get("/dashboard/report.xlsx", params=params)
        assert answer.status_code == 400
        assert "Kỳ báo cáo không hợp lệ" in answer.text or "Năm của kỳ" in answer.text
    answer = client.get("/dashboard/report.xlsx", params={"period": "2024", "lang": "fr"})
    assert answer.status_code == 400 and "Ngôn ngữ" in answer.text


def test_other_roles_are_refused(client, make_account):
    for role in ("archive_staff", "reviewer", "admin"):
        client.cookies.clear()
        sign_in(client, make_account(role))
        assert client.get("/dashboard", headers=PAGE).status_code == 403, role
        answer = client.get("/dashboard/report.json", params={"period": "2024"})
        assert answer.status_code == 403, role


def test_without_a_session(client):
    page = client.get("/dashboard", headers=PAGE)
    assert page.status_code == 303 and page.headers["location"].endswith("/login")
    assert client.get("/dashboard/report.json", params={"period": "2024"}).status_code == 401
