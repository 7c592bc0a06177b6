"""Page statuses of an upload, read from where the pipeline writes them: the ``scan``
table (loaded, in review, rejected, and what review did to them) and, for a file the
pipeline quarantined, the landing zone. Real scans, the real loader and the real
pipeline steps (``sohoa.orchestration.tasks``) on a damaged file."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image

from ocr.book import Book
from sohoa.landing.store import open_landing
from sohoa.landing.zone import mark_processed
from sohoa.load.synthetic import make_book, needs_review, rejected
from sohoa.load.transaction import load_records
from sohoa.review.queue import confirm, reject_page
from sohoa.web.access import Principal
from sohoa.web.accounts import create_user
from sohoa.web.upload_status import (
    MISSING_PAGE,
    explain,
    file_pages,
    get_upload,
    list_uploads,
    upload_counts,
    upload_status,
)
from sohoa.web.uploads import IncomingFile, receive_upload
from tests.sohoa.review.overrides import AS_PRINTED
from tests.sohoa.web.upload_fixtures import sample_scans

# The generated records' registration authority names its commune alone, and their
# mother's residence is blank: warnings a person answers with a reason when confirming.

HOME, OTHER, PROVINCE = "25920", "26734", "79"  # both communes are in province 79
BOOK = Book(book_type="birth", year=2001, volume="01", declared_entries=3)


@pytest.fixture(scope="session")
def scans(tmp_path_factory):
    return sample_scans(tmp_path_factory)


@pytest.fixture
def landing(tmp_path):
    return open_landing(str(tmp_path / "landing"))


@pytest.fixture
def clerk_id(sqlite_engine) -> int:
    return create_user(sqlite_engine, "lan", "a-long-password-1", "archive_staff", [HOME])


def upload(engine, landing, user_id, files, unit=HOME, now=None) -> int:
    batch_id, _ = receive_upload(
        engine,
        landing,
        user_id=user_id,
        unit=unit,
        uploader="lan",
        book=BOOK,
        files=[IncomingFile(name, BytesIO(content)) for name, content in files],
        max_bytes=5 * 1024 * 1024,
        now=now,
    )
    return batch_id


def statuses(engine, landing, batch_id):
    status = upload_status(engine, landing, get_upload(engine, batch_id))
    return status, [(p.file, p.page, p.status) for p in status.pages]


def test_pages_go_from_queued_to_their_fate_in_the_database(
    sqlite_engine, landing, clerk_id, scans
):
    engine = sqlite_engine
    jpeg, pdf = scans["jpeg"].read_bytes(), scans["pdf2"].read_bytes()
    batch_id = upload(
        engine, landing, clerk_id, [("a.jpg", jpeg), ("b.pdf", pdf), ("c.jpg", b"<html>")]
    )
    status, pages = statuses(engine, landing, batch_id)
    assert pages == [(1, 1, "queued"), (2, 1, "queued"), (2, 2, "queued")]
    assert not status.done and status.counts["queued"] == 3
    assert [f.filename for f in status.refused] == ["c.jpg"]

    # The loader writes what the pipeline decided, keyed by each file's hash and page.
    files = {f.position: f for f in status.files}
    sha = {pos: get_sha(engine, batch_id, pos) for pos in files}
    records = make_book("birth", 2001, "01", 3, seed=9)
    for rec, (pos, page) in zip(records, [(1, 1), (2, 1), (2, 2)], strict=True):
        rec["source"].update(sha256=sha[pos], page=page)
    records[1] = needs_review(records[1], "full_name", "low_confidence", "name unclear")
    records[2] = rejected(records[2], "the page is blank")
    load_records(engine, records, Book(HOME, "birth", 2001, "01"), gate=None)

    status, pages = statuses(engine, landing, batch_id)
    assert pages == [(1, 1, "loaded"), (2, 1, "in_review"), (2, 2, "rejected")]
    assert status.done  # in review is final for the pipeline: a person takes over
    review, blank = status.pages[1], status.pages[2]
    assert review.review_item_id is not None
    assert blank.reason == "the page is blank" and blank.explanation == "Trang trắng."

    # Review decides the rest: a confirmed page is loaded, a rejected one says why.
    confirm(engine, review.review_item_id, actor="lan", overrides=AS_PRINTED)
    status, pages = statuses(engine, landing, batch_id)
    assert pages[1] == (2, 1, "loaded") and status.pages[1].review_item_id is None
    assert upload_counts(engine, landing, [get_upload(engine, batch_id)]) == {
        batch_id: {"queued": 0, "loaded": 2, "in_review": 0, "rejected": 1}
    }


def test_review_rejection_shows_the_reviewers_reason(sqlite_engine, landing, clerk_id, scans):
    engine = sqlite_engine
    batch_id = upload(engine, landing, clerk_id, [("a.jpg", scans["jpeg"].read_bytes())])
    [rec] = make_book("birth", 2001, "01", 1, seed=10)
    rec["source"].update(sha256=get_sha(engine, batch_id, 1), page=1)
    load_records(
        engine,
        [needs_review(rec, "sex", "invalid", "?")],
        Book(HOME, "birth", 2001, "01"),
        gate=None,
    )
    [page] = statuses(engine, landing, batch_id)[0].pages
    reject_page(engine, page.review_item_id, "trang bìa sổ", actor="lan")
    [page] = statuses(engine, landing, batch_id)[0].pages
    assert (page.status, page.reason, page.review_item_id) == ("rejected", "trang bìa sổ", None)


def damaged_tiff(pages: int = 2) -> bytes:
    """A multi-page TIFF whose page count reads fine but whose first page is garbage:
    the pipeline rejects page 1 and quarantines the file; later pages get no scan row."""
    frames = [Image.effect_noise((300, 400), 60).convert("L") for _ in range(pages)]
    buf = BytesIO()
    frames[0].save(
        buf, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw"
    )
    data = bytearray(buf.getvalue())
    first = Image.open(BytesIO(bytes(data)))
    rnd = random.Random(1)
    for offset in first.tag_v2[273]:  # the first page's strips
        data[offset : offset + 300] = bytes(rnd.randrange(256) for _ in range(300))
    return bytes(data)


def test_a_file_the_pipeline_quarantines_rejects_every_page(
    sqlite_engine, sqlite_url, landing, clerk_id, monkeypatch
):
    from sohoa.orchestration import tasks

    engine = sqlite_engine
    monkeypatch.setenv("SOHOA_DB_URL", sqlite_url)
    batch_id = upload(engine, landing, clerk_id, [("hong.tif", damaged_tiff(2))])
    assert statuses(engine, landing, batch_id)[1] == [(1, 1, "queued"), (1, 2, "queued")]

    # The real steps of `sohoa run` (without Airflow around them).
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-1", landing), landing=landing)
    loaded = tasks.load_batch(
        tasks.gate_batch(tasks.extract_batch(plan, landing=landing), landing=landing),
        landing=landing,
    )
    # Loaded but not yet marked processed: page 1 has its row, page 2 still waits.
    status, pages = statuses(engine, landing, batch_id)
    assert pages == [(1, 1, "rejected"), (1, 2, "queued")] and not status.done
    assert "moved to quarantine" in status.pages[0].reason
    assert "hỏng" in status.pages[0].explanation

    tasks.queue_review(loaded, landing=landing)
    status, pages = statuses(engine, landing, batch_id)
    assert pages == [(1, 1, "rejected"), (1, 2, "rejected")] and status.done
    assert "incomplete or damaged" in status.pages[1].reason  # the quarantine reason


def test_a_processed_file_without_a_page_row_ends_rejected(landing):
    sha = "ab" * 32
    key = f"incoming/{HOME}/birth/2001/01/{sha}/a.pdf"
    rows = {1: ("loaded", None, None)}
    assert [p.status for p in file_pages(1, sha, 2, rows, landing)] == ["loaded", "queued"]
    mark_processed(landing, key, "run-1", "processed")
    last = file_pages(1, sha, 2, rows, landing)[1]
    assert (last.status, last.reason) == ("rejected", MISSING_PAGE)
    # more rows than counted at upload: every page the database knows is shown
    rows[3] = ("in_review", None, 7)
    assert [p.page for p in file_pages(1, sha, 2, rows, landing)] == [1, 2, 3]


def test_each_person_lists_the_uploads_of_their_units_newest_first(
    sqlite_engine, landing, clerk_id, scans
):
    engine = sqlite_engine
    other = create_user(engine, "minh", "a-long-password-1", "archive_staff", [OTHER])
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    old = upload(engine, landing, clerk_id, [("x.jpg", b"\xff\xd8\xff1")], now=t0)
    new = upload(
        engine, landing, clerk_id, [("y.jpg", b"\xff\xd8\xff2")], now=t0 + timedelta(days=1)
    )
    theirs = upload(engine, landing, other, [("z.jpg", b"\xff\xd8\xff3")], unit=OTHER)

    def seen(role: str, *units: str) -> list[int]:
        who = Principal(1, "x", None, role, units, "t")
        return [b.id for b in list_uploads(engine, who)]

    assert seen("archive_staff", HOME) == [new, old]
    assert seen("archive_staff", OTHER) == [theirs]
    assert seen("reviewer", OTHER) == [theirs]
    assert seen("reviewer", PROVINCE) == [theirs, new, old]
    assert seen("reviewer", "01") == []  # Hà Nội covers neither commune
    [first] = list_uploads(engine, Principal(1, "x", None, "archive_staff", (HOME,), "t"), limit=1)
    assert (first.id, first.files, first.uploader, first.created_local) == (
        new,
        1,
        "lan",
        "02/01/2026 07:00",
    )


def test_reasons_are_explained_in_vietnamese():
    assert explain(None) is None
    assert explain("x.pdf: the PDF is password-protected; ask").startswith("PDF có mật khẩu")
    assert "mờ" in explain("the page is too blurred to read; re-scan")
    assert explain("something new") == "Trang bị loại khi xử lý."


def get_sha(engine, batch_id: int, position: int) -> str:
    from sqlalchemy import select

    from sohoa.db.tables import upload_file

    with engine.connect() as conn:
        return conn.execute(
            select(upload_file.c.sha256).where(
                upload_file.c.batch_id == batch_id, upload_file.c.position == position
            )
        ).scalar_one()
