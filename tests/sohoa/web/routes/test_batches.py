"""The batch pages over HTTP: each upload's pages with their status while the pipeline
works, the JSON the page polls, and unit scope on every batch (issue 6's "another
unit's records")."""

from __future__ import annotations

import re
import sys
from io import BytesIO

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ocr.book import Book
from sohoa.db.tables import upload_file
from sohoa.load.synthetic import make_book, needs_review, rejected
from sohoa.load.transaction import load_records
from sohoa.settings import WebSettings
from sohoa.web.pipeline_trigger import PipelineRunner, install_runner
from sohoa.web.uploads import IncomingFile, receive_upload
from tests.sohoa.web.conftest import HOME_UNIT, OTHER_UNIT
from tests.sohoa.web.helpers import sign_in
from tests.sohoa.web.upload_fixtures import post_upload, sample_scans

REASON = re.compile(r'<td class="reason">([^<]*)</td>')
STATUS = re.compile(r'<tr data-file="(\d+)" data-page="(\d+)">.*?data-status="([a-z_]+)"', re.S)


@pytest.fixture(scope="session")
def scans(tmp_path_factory):
    return sample_scans(tmp_path_factory)


def shas(engine, batch_id: int) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(upload_file.c.sha256)
                .where(upload_file.c.batch_id == batch_id, upload_file.c.outcome != "refused")
                .order_by(upload_file.c.position)
            ).scalars()
        )


def upload_for(web_app, user_id: int, unit: str, content: bytes) -> int:
    """A batch of another clerk, made without their browser."""
    ctx = web_app.state.sohoa
    batch_id, _ = receive_upload(
        ctx.engine,
        ctx.open_landing(),
        user_id=user_id,
        unit=unit,
        uploader="someone",
        book=Book(book_type="birth", year=2001, volume="02"),
        files=[IncomingFile("x.jpg", BytesIO(content))],
        max_bytes=ctx.settings.max_file_bytes,
    )
    return batch_id


def test_the_batch_page_follows_each_page_to_its_fate(web_app, client, make_account, scans):
    token = sign_in(client, make_account("archive_staff"))
    answer = post_upload(
        client,
        token,
        [
            ("a.jpg", scans["jpeg"].read_bytes()),
            ("b.pdf", scans["pdf2"].read_bytes()),
            ("c.jpg", b"plain text"),
        ],
        as_json=True,
    )
    batch_id = answer.json()["batch_id"]

    listing = client.get("/batches")
    assert listing.status_code == 200
    assert re.search(
        rf'<tr data-batch-id="{batch_id}">\s*<td><a class="open" '
        rf'href="/batches/{batch_id}">',
        listing.text,
    )

    page = client.get(f"/batches/{batch_id}")
    assert page.status_code == 200
    assert STATUS.findall(page.text) == [
        ("1", "1", "queued"),
        ("2", "1", "queued"),
        ("2", "2", "queued"),
    ]
    assert 'data-done="false"' in page.text and "/static/batches.js" in page.text
    assert re.search(r'id="refused-files".*c\.jpg.*không phải ảnh quét', page.text, re.S)
    polled = client.get(f"/batches/{batch_id}/status.json").json()
    assert polled["done"] is False and polled["pipeline"] is None  # external pipeline
    assert [p["status"] for p in polled["pages"]] == ["queued"] * 3

    # the pipeline's outcome, written by the real loader
    records = make_book("birth", 2001, "01", 3, seed=21)
    sha = shas(web_app.state.sohoa.engine, batch_id)
    for rec, (s, n) in zip(records, [(sha[0], 1), (sha[1], 1), (sha[1], 2)], strict=True):
        rec["source"].update(sha256=s, page=n)
    records[1] = needs_review(records[1], "full_name", "low_confidence", "unclear")
    records[2] = rejected(records[2], "the page is too blurred to read; re-scan")
    load_records(
        web_app.state.sohoa.engine, records, Book(HOME_UNIT, "birth", 2001, "01"), gate=None
    )

    page = client.get(f"/batches/{batch_id}")
    assert STATUS.findall(page.text) == [
        ("1", "1", "loaded"),
        ("2", "1", "in_review"),
        ("2", "2", "rejected"),
    ]
    assert 'data-done="true"' in page.text and "Đã xử lý xong" in page.text
    item = re.search(r'<a class="review-link" href="/review/(\d+)">', page.text)
    assert item
    # why each page is not loaded, in Vietnamese, never the pipeline's English or codes
    assert REASON.findall(page.text) == [
        "",
        "Đọc chưa chắc chắn: Họ, chữ đệm, tên",
        "Trang bị mờ: hãy quét hoặc chụp lại, giữ tài liệu phẳng và rõ nét.",
    ]
    assert "too blurred" not in page.text and "low_confidence" not in page.text
    polled = client.get(f"/batches/{batch_id}/status.json").json()
    assert polled["done"] is True
    assert polled["counts"] == {"queued": 0, "loaded": 1, "in_review": 1, "rejected": 1}
    assert polled["pages"][1]["review_url"] == f"/review/{item.group(1)}"
    assert polled["pages"][2]["explanation"].startswith("Trang bị mờ")
    assert polled["pages"][1]["explanation"] == "Đọc chưa chắc chắn: Họ, chữ đệm, tên"


def test_a_duplicate_upload_does_not_list_old_pages_again(web_app, client, make_account, scans):
    token = sign_in(client, make_account("archive_staff"))
    old, new = scans["jpeg"].read_bytes(), scans["pdf2"].read_bytes()
    first = post_upload(client, token, [("a.jpg", old)], as_json=True).json()["batch_id"]

    again = post_upload(client, token, [("copy.jpg", old)], as_json=True).json()
    assert again["batch_id"] is None and again["batch_url"] is None  # nothing new: no batch
    [copy] = again["files"]
    assert copy["outcome"] == "skipped_uploaded"
    assert copy["earlier_batch_url"] == f"/batches/{first}"
    assert len(client.get("/batches").text.split("data-batch-id=")) == 2  # still one batch
    shown = client.get("/upload")  # the form page without JavaScript: the results page
    assert shown.status_code == 200
    no_js = post_upload(client, token, [("copy2.jpg", old)])
    assert 'id="nothing-new"' in no_js.text and f'href="/batches/{first}"' in no_js.text
    assert 'id="batch-link"' not in no_js.text

    mixed = post_upload(client, token, [("b.pdf", new), ("copy3.jpg", old)], as_json=True)
    batch_id = mixed.json()["batch_id"]
    page = client.get(f"/batches/{batch_id}")
    assert STATUS.findall(page.text) == [("1", "1", "queued"), ("1", "2", "queued")]
    assert re.search(rf'id="skipped-files".*copy3\.jpg.*href="/batches/{first}"', page.text, re.S)
    listing = client.get("/batches").text
    row = re.search(rf'<tr data-batch-id="{batch_id}">.*?</tr>', listing, re.S).group(0)
    cells = re.findall(r"<td>(\d+)</td>", row)
    assert cells[-2:] == ["2", "2"]  # two files, but only the new file's two pages


def test_another_units_batch_is_refused(web_app, client, make_account):
    clerk = make_account("archive_staff")
    stranger = make_account("archive_staff", (OTHER_UNIT,))
    mine = upload_for(web_app, clerk.id, HOME_UNIT, b"\xff\xd8\xff mine")
    theirs = upload_for(web_app, stranger.id, OTHER_UNIT, b"\xff\xd8\xff theirs")

    sign_in(client, clerk)
    listing = client.get("/batches").text
    assert f'data-batch-id="{mine}"' in listing and f'data-batch-id="{theirs}"' not in listing
    for path in (f"/batches/{theirs}", f"/batches/{theirs}/status.json"):
        refused = client.get(path)
        assert refused.status_code == 403 and "đơn vị khác" in refused.text
        assert "x.jpg" not in refused.text  # nothing about the batch is told
    assert client.get("/batches/99999").status_code == 404

    client.cookies.clear()
    sign_in(client, make_account("reviewer", (OTHER_UNIT,)))
    assert client.get(f"/batches/{theirs}").status_code == 200
    assert client.get(f"/batches/{mine}/status.json").status_code == 403
    listing = client.get("/batches").text
    assert f'data-batch-id="{theirs}"' in listing and f'data-batch-id="{mine}"' not in listing


def test_without_a_session_batches_are_closed(web_app, client):
    page = client.get("/batches/1", headers={"accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"] == "/login"
    assert client.get("/batches/1/status.json").status_code == 401


def test_the_batch_page_tells_while_the_local_pipeline_runs(sqlite_url, tmp_path, scans):
    """With the local pipeline a batch page shows the run; and after a restart (a runner
    that never ran) opening a waiting batch starts one, so nothing waits forever."""
    from sohoa.web.accounts import create_user
    from sohoa.web.app import create_app
    from tests.sohoa.web.helpers import Account

    app = create_app(
        db_url=sqlite_url,
        landing=str(tmp_path / "landing"),
        settings=WebSettings(max_file_mb=2, max_files=5, pipeline="local"),
    )
    gate = tmp_path / "go"
    # A real subprocess standing in for `sohoa run`: it waits until the test lets it end.
    wait = (
        f"import pathlib, time\nwhile not pathlib.Path({str(gate)!r}).exists(): time.sleep(0.05)\n"
    )
    runner = install_runner(app, PipelineRunner([sys.executable, "-c", wait]))
    ctx = app.state.sohoa
    user = create_user(ctx.engine, "clerkp", "a-long-password-1", "archive_staff", [HOME_UNIT])
    batch_id = upload_for(app, user, HOME_UNIT, scans["jpeg"].read_bytes())
    with TestClient(app, follow_redirects=False) as client:
        sign_in(client, Account(user, "clerkp", "a-long-password-1", "archive_staff", (HOME_UNIT,)))
        page = client.get(f"/batches/{batch_id}")
        assert runner.status().running  # opening the waiting batch started a run
        assert 'data-running="true">Đang xử lý' in page.text
        polled = client.get(f"/batches/{batch_id}/status.json").json()
        assert polled["pipeline"]["running"] and polled["pipeline_text"] == "Đang xử lý…"
        gate.touch()
        assert runner.wait(30)
        polled = client.get(f"/batches/{batch_id}/status.json").json()
        assert polled["pipeline"]["running"] is False and polled["pipeline"]["runs"] == 1
        assert polled["pipeline_text"] == "Đang chờ xử lý."  # the stand-in loaded nothing
