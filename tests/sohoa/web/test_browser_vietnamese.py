"""Vietnamese everywhere a person reads (issue 15), in a real browser: the manager's
dashboard and period picker, the HTML report downloaded from it and opened on its own,
a clerk's batch page saying why each page waits or was rejected, in Vietnam time, the
review history, and a duplicate upload that makes no new batch.

The data is put in the database by the real code (dossier import, upload, loader,
review queue) before ``sohoa serve`` starts, so no OCR run is needed and the test stays
quick; ``SOHOA_WEB_PIPELINE=external`` keeps the app from starting one. Screenshots go
to ``.sohoa/test-artifacts/web/vietnamese/``.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sohoa.localtime import vietnam_time
from tests.sohoa.review.overrides import AS_PRINTED
from tests.sohoa.web.browser_fixtures import (
    ARTIFACTS,
    Screenshots,
    Server,
    User,
    server_env,
    sign_in,
)

UNIT = "25920"  # Phường Tân Hiệp
DOSSIERS = Path(__file__).resolve().parents[1] / "kpi" / "dossiers_q2.jsonl"
UPLOADED_AT = datetime(2026, 1, 1, 17, 30, tzinfo=UTC)  # 00:30 on 2 January in Vietnam
# What must never show on a Vietnamese screen: codes and the pipeline's English.
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
ENGLISH = re.compile(
    r"\b(record|the|page|blurred|blank|missing|confidence|rejected|review|unit|points)\b", re.I
)


def leaks(text: str) -> list[str]:
    return CODE.findall(text) + ENGLISH.findall(text)


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    from tests.sohoa.web.upload_fixtures import sample_scans

    return sample_scans(tmp_path_factory)


def _account(engine, role: str, units: list[str]) -> User:
    from sohoa.web.accounts import create_user

    user = User(f"{role.replace('_', '')}{secrets.token_hex(3)}", secrets.token_urlsafe(12), role)
    create_user(engine, user.username, user.password, role, units)
    return user


def _seed(tmp: Path, env: dict[str, str], scans: dict[str, Path]) -> dict:
    """Dossiers of 2024-Q2 and a register book with rejected pages (the dashboard), and
    one upload whose pages wait in review, are loaded or were rejected (the upload page)."""
    from ocr.book import Book
    from sohoa.db.engine import make_engine
    from sohoa.db.migrate import upgrade
    from sohoa.dossiers.importer import import_file
    from sohoa.landing.store import open_landing
    from sohoa.load.synthetic import make_book, needs_review, rejected
    from sohoa.load.transaction import load_records
    from sohoa.review.queue import confirm, correct_field, list_pending
    from sohoa.web.uploads import IncomingFile, receive_upload

    engine = upgrade(make_engine(env["SOHOA_DB_URL"]))
    try:
        import_file(engine, DOSSIERS)
        book = make_book("birth", 1987, "01", 3, seed=3)
        book[1] = rejected(book[1], "the page is blank")
        book[2] = rejected(book[2], "the page is too blurred to read; re-scan")
        load_records(
            engine,
            book,
            Book(UNIT, "birth", 1987, "01", declared_entries=10),
            gate=None,
            now=datetime(2024, 5, 2, tzinfo=UTC),
        )
        clerk = _account(engine, "archive_staff", [UNIT])
        manager = _account(engine, "manager", ["*"])
        landing = open_landing(env["SOHOA_LANDING"])
        files = [("a.jpg", scans["jpeg"].read_bytes()), ("b.pdf", scans["pdf2"].read_bytes())]
        batch_id, results = receive_upload(
            engine,
            landing,
            user_id=1,
            unit=UNIT,
            uploader=clerk.username,
            book=Book(book_type="birth", year=2001, volume="01", declared_entries=3),
            files=[IncomingFile(n, BytesIO(c)) for n, c in files],
            max_bytes=5 * 1024 * 1024,
            now=UPLOADED_AT,
        )
        records = make_book("birth", 2001, "01", 3, seed=21)
        pages = [(results[0], 1), (results[1], 1), (results[1], 2)]
        for rec, (result, n) in zip(records, pages, strict=True):
            rec["source"].update(sha256=result.sha256, page=n, uri=landing.uri(result.landing_key))
        records[0] = needs_review(records[0], "registration_place", "low_confidence", "low")
        records[0] = needs_review(records[0], "father_residence", "parent_entry_missing", "lost")
        records[1] = needs_review(records[1], "personal_id", "id_birth_year", "disagrees")
        records[2] = rejected(records[2], "the page is too blurred to read; re-scan")
        load_records(engine, records, Book(UNIT, "birth", 2001, "01"), gate=None)
        pending = list_pending(engine, unit_code=UNIT)
        rules = {i.id: {r["rule"] for r in i.reasons} for i in pending}
        waiting = next(i for i in pending if "low_confidence" in rules[i.id])
        done = next(i for i in pending if "id_birth_year" in rules[i.id])
        correct_field(engine, done.id, "registration_place", "UBND phường Tân Hiệp", actor="lan")
        record_id = confirm(engine, done.id, actor="lan", overrides=AS_PRINTED)
        return {
            "clerk": clerk,
            "manager": manager,
            "batch": batch_id,
            "waiting": waiting.id,
            "done": done.id,
            "record": record_id,
        }
    finally:
        engine.dispose()


@pytest.fixture
def site(tmp_path, scans):
    env = server_env(tmp_path)
    env["SOHOA_WEB_PIPELINE"] = "external"  # the data is there: no OCR run
    seeded = _seed(tmp_path, env, scans)
    server = Server(tmp_path, env).start()
    yield server, seeded
    server.stop()


def test_the_manager_reads_vietnamese_and_emails_a_vietnamese_report(
    browser, site, tmp_path, scans
):
    server, seeded = site
    shots = Screenshots(ARTIFACTS / "vietnamese")
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        sign_in(page, server.url, seeded["manager"])
        page.goto(f"{server.url}/dashboard")

        # the period picker: a quarter, a month or a year, and never "2026-Q4"
        picker = page.locator("#dashboard-filter")
        assert page.locator("#period-part optgroup[label=Quý] option").all_inner_texts() == [
            "Quý I",
            "Quý II",
            "Quý III",
            "Quý IV",
        ]
        assert "Tháng 5" in page.locator("#period-part").inner_text()
        assert "Cả năm" in page.locator("#period-part").inner_text()
        assert not re.search(r"\d{4}-Q\d|YYYY", picker.inner_text())
        page.select_option("#period-part", "Q2")
        page.fill("#period-year", "2024")
        shots(page, "period-picker")
        with page.expect_navigation():
            page.click("#dashboard-submit")
        assert page.locator("#period-title").inner_text() == "Quý II/2024"
        text = page.locator("main").inner_text()
        assert "Tỷ lệ hồ sơ có kết quả điện tử" in text
        assert "Phường Tân Hiệp" in text  # unit names, not only codes
        assert "66,67 %" in text  # a decimal comma
        assert "Trang trắng" in text and "Trang bị mờ" in text  # rejections in Vietnamese
        assert leaks(text) == [], leaks(text)
        shots(page, "dashboard-quy-ii-2024")

        # a month of the same year
        page.select_option("#period-part", "05")
        with page.expect_navigation():
            page.click("#dashboard-submit")
        assert page.locator("#period-title").inner_text() == "Tháng 5/2024"

        # the HTML report, downloaded and opened on its own, with every network request
        # refused: it must show complete without anything but the file itself
        page.select_option("#period-part", "Q2")
        with page.expect_navigation():
            page.click("#dashboard-submit")
        with page.expect_download() as download:
            page.click("#download-html")
        report = tmp_path / "kpi-email.html"
        download.value.save_as(report)
        with page.expect_download() as download:
            page.click("#download-xlsx")
        workbook = tmp_path / "kpi.xlsx"
        download.value.save_as(workbook)
        assert load_workbook(workbook).sheetnames[0] == "Chỉ tiêu"

        alone = browser.new_context(locale="vi-VN", viewport={"width": 1100, "height": 900})
        requests: list[str] = []
        alone.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file:")
                else (requests.append(route.request.url), route.abort())
            ),
        )
        mail = alone.new_page()
        mail.goto(report.as_uri())
        body = mail.locator("body").inner_text()
        assert body.startswith("Chỉ tiêu số hóa — Quý II/2024 — tất cả đơn vị")
        assert "Kết quả so với mục tiêu" in body and "Xếp hạng đơn vị" in body
        assert "25920 Phường Tân Hiệp" in body and "66,67 %" in body
        assert "(giờ Việt Nam)" in body
        assert mail.locator("svg").count() >= 4
        shown = mail.evaluate("[...document.querySelectorAll('svg')].map(s => s.clientWidth)")
        assert all(w > 100 for w in shown), shown  # the charts draw
        assert requests == []
        shots(mail, "report-html-email")
        alone.close()
    finally:
        context.close()


def test_the_clerk_reads_why_each_page_waits_in_vietnam_time(browser, site, scans):
    server, seeded = site
    shots = Screenshots(ARTIFACTS / "vietnamese-batch")
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        sign_in(page, server.url, seeded["clerk"])

        page.goto(f"{server.url}/batches/{seeded['batch']}")
        assert page.locator("#batch-time").inner_text() == "02/01/2026 00:30"  # not 01/01 17:30
        rows = page.locator("#pages tr[data-page]")
        reasons = {
            rows.nth(i).get_attribute("data-file")
            + "/"
            + rows.nth(i).get_attribute("data-page"): rows.nth(i).locator("td.reason").inner_text()
            for i in range(rows.count())
        }
        assert reasons == {
            "1/1": "Đọc chưa chắc chắn: Nơi đăng ký; "
            "Thiếu thông tin này dù các thông tin khác của cha/mẹ đều có: Nơi cư trú (cha)",
            "2/1": "",  # confirmed in review, so loaded
            "2/2": "Trang bị mờ: hãy quét hoặc chụp lại, giữ tài liệu phẳng và rõ nét.",
        }
        text = page.locator("main").inner_text()
        assert "Phường Tân Hiệp (25920)" in text
        assert leaks(text) == [], leaks(text)
        shots(page, "batch-reasons")

        page.goto(f"{server.url}/batches")
        assert "02/01/2026 00:30" in page.locator("#batches").inner_text()

        # the review history: field names, notes and times as a clerk reads them
        page.goto(f"{server.url}/review/{seeded['done']}")
        history = page.locator("#history")
        lines = history.locator("tbody tr").all_inner_texts()
        assert any("Nơi đăng ký" in line for line in lines), lines
        assert any(f"đã nạp thành bản ghi số {seeded['record']}" in line for line in lines)
        from sohoa.db.engine import make_engine
        from sohoa.review.queue import show

        engine = make_engine(server.env["SOHOA_DB_URL"])
        actions = show(engine, seeded["done"]).actions
        engine.dispose()
        shown_times = history.locator("td.at").all_inner_texts()
        assert shown_times == [vietnam_time(a["at"]) for a in actions]
        assert leaks(history.inner_text()) == [], leaks(history.inner_text())
        shots(page, "review-history")

        # the same file again: no new batch listing the old pages, a link to the first
        page.goto(f"{server.url}/upload")
        page.set_input_files("#files", [str(scans["jpeg"])])
        page.select_option("#book_type", "birth")
        page.fill("#year", "2001")
        page.fill("#volume", "01")
        page.click("#upload-submit")
        page.locator("#nothing-new").wait_for(timeout=60_000)
        assert page.locator("#batch-link").count() == 0
        earlier = page.locator("#upload-results a.earlier-batch")
        assert earlier.get_attribute("href").endswith(f"/batches/{seeded['batch']}")
        shots(page, "duplicate-upload")
        page.goto(f"{server.url}/batches")
        assert page.locator("#batches tr[data-batch-id]").count() == 1
    finally:
        context.close()
