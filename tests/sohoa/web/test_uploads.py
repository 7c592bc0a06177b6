"""Receiving uploaded files: names cleaned, type judged by content, size bounded while
the file is streamed, book details checked, and every file's fate recorded."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from ocr.book import Book
from sohoa.db.tables import upload_batch, upload_file
from sohoa.landing.store import open_landing
from sohoa.landing.zone import safe_part
from sohoa.web.accounts import create_user
from sohoa.web.uploads import (
    MAX_NAME_BYTES,
    IncomingFile,
    clean_filename,
    content_refusal,
    landing_name,
    parse_book_form,
    receive_file,
    receive_upload,
    sniff,
)
from tests.sohoa.web.upload_fixtures import sample_scans

HOME = "25920"


@pytest.fixture(scope="session")
def scans(tmp_path_factory):
    return sample_scans(tmp_path_factory)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("/abs/path/to/scan.tif", "scan.tif"),
        ("C:\\Users\\Lan\\Sổ khai sinh 2001.jpg", "Sổ khai sinh 2001.jpg"),
        ("a\x00b\x07c\u202ed.jpg", "abcd.jpg"),  # NUL, bell, right-to-left override
        ("tab\there\r\nnew.jpg", "tab here new.jpg"),
        ("  ..hidden.jpg. ", "hidden.jpg"),
        ("..", "tep-tai-len"),
        ("", "tep-tai-len"),
        (None, "tep-tai-len"),
        (unicodedata.normalize("NFD", "Hộ tịch.pdf"), "Hộ tịch.pdf"),  # NFC, as typed
    ],
)
def test_clean_filename(raw, clean):
    assert clean_filename(raw) == clean


def test_a_long_name_is_cut_to_its_byte_budget_keeping_the_extension():
    name = clean_filename("Quyển sổ đăng ký khai sinh " * 20 + ".tiff")
    assert name.endswith(".tiff") and len(name.encode()) <= MAX_NAME_BYTES
    assert name.startswith("Quyển sổ đăng ký")


def test_the_landing_name_always_gives_a_landing_key():
    assert landing_name("Sổ 1.jpg", "jpeg") == "Sổ 1.jpg"
    assert landing_name("ẢỞ", "jpeg") == "tep-tai-len.jpg"  # nothing ASCII would be left
    assert safe_part(landing_name("ẢỞ", "tiff"))


def image_bytes(fmt: str) -> bytes:
    buf = BytesIO()
    Image.new("L", (40, 40), 255).save(buf, format=fmt)
    return buf.getvalue()


def test_the_type_comes_from_the_content(scans):
    assert sniff(scans["jpeg"].read_bytes()[:1024]) == "jpeg"
    assert sniff(scans["pdf2"].read_bytes()[:1024]) == "pdf"
    assert sniff(image_bytes("PNG")) == "png"
    assert sniff(image_bytes("TIFF")) == "tiff"
    for other in (image_bytes("GIF"), image_bytes("BMP"), b"<html>", b"PK\x03\x04", b""):
        assert sniff(other) is None


@pytest.mark.parametrize(
    ("head", "name", "said"),
    [
        (b"", "a.jpg", "Tệp rỗng"),
        (b"Ho ten: Nguyen\n", "a.jpg", "tệp văn bản dù tên tệp có đuôi .jpg"),
        (b"\n<!doctype html><html>", "a.pdf", "trang web (HTML) dù tên tệp có đuôi .pdf"),
        (b"PK\x03\x04\x14\x00", "so.pdf", "ZIP"),
        (b"GIF89a\x01\x00", "a.png", "ảnh GIF"),
        (b"\x00\x00\x00\x18ftypheic", "IMG_1.jpg", "HEIC"),
        (b"\x00\xff\xfe\x80\x81", "x", "không nhận ra"),
    ],
)
def test_refused_content_is_explained(head, name, said):
    message = content_refusal(head, name)
    assert said in message
    assert "PNG, JPEG, TIFF" in message or "tải lên lại" in message


def test_scans_are_not_refused(scans):
    assert content_refusal(scans["jpeg"].read_bytes()[:1024], "a.jpg") is None


NOW = datetime(2026, 6, 1, tzinfo=UTC)


def test_book_details_are_checked():
    book, errors = parse_book_form(
        {
            "book_type": "dossier_result",
            "year": " 2024 ",
            "volume": "2A",
            "declared_entries": "",
            "dossier_code": "000.00.20.H40-240605-0001",
        },
        NOW,
    )
    assert errors == [] and book == Book(
        book_type="dossier_result",
        year=2024,
        volume="2A",
        declared_entries=None,
        dossier_code="000.00.20.H40-240605-0001",
    )
    _, errors = parse_book_form(
        {
            "book_type": "birth",
            "year": "2027",
            "volume": "///",
            "declared_entries": "-1",
            "dossier_code": "X",
        },
        NOW,
    )
    assert len(errors) == 4
    assert "đến 2026" in errors[0] and "Số quyển" in errors[1]
    assert "không âm" in errors[2] and "Mã hồ sơ chỉ dùng" in errors[3]
    _, errors = parse_book_form(
        {"book_type": "dossier_result", "year": "2020", "volume": "1", "dossier_code": "a b;c"}, NOW
    )
    assert errors and "chỉ gồm chữ, số" in errors[0]
    _, errors = parse_book_form({}, NOW)
    assert errors[0] == "Hãy chọn loại sổ." and len(errors) == 3


def test_a_file_over_the_limit_is_not_kept(tmp_path, scans):
    landing = open_landing(str(tmp_path / "landing"))
    work = tmp_path / "work"
    work.mkdir()
    content = scans["jpeg"].read_bytes()
    book = Book(HOME, "birth", 2001, "01", uploader="lan")
    exact = receive_file(
        landing, IncomingFile("a.jpg", BytesIO(content)), book, 1, len(content), work
    )
    assert exact.outcome == "uploaded" and exact.size == len(content)
    over = receive_file(
        landing, IncomingFile("b.jpg", BytesIO(content + b"!")), book, 2, len(content), work
    )
    assert over.outcome == "refused" and over.size == len(content) + 1
    assert "quá lớn" in over.message and over.sha256 is None
    assert list(work.iterdir()) == []  # no temporary copy is left behind


class BrokenLanding:
    """A landing zone whose storage fails on write. A fake: a full disk or an S3 outage
    cannot be caused in a test run as root."""

    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    def put_file(self, key: str, path: Path) -> None:
        raise OSError("No space left on device")


def test_every_file_is_recorded_even_when_storage_fails(sqlite_engine, tmp_path, scans):
    user = create_user(sqlite_engine, "lan", "a-long-password-1", "archive_staff", [HOME])
    landing = open_landing(str(tmp_path / "landing"))
    files = [
        IncomingFile("../a.jpg", BytesIO(scans["jpeg"].read_bytes())),
        IncomingFile("b.jpg", BytesIO(b"not a scan")),
    ]
    batch_id, results = receive_upload(
        sqlite_engine,
        BrokenLanding(landing),
        user_id=user,
        unit=HOME,
        uploader="lan",
        book=Book(book_type="birth", year=2001, volume="01", declared_entries=2),
        files=files,
        max_bytes=1 << 22,
        now=NOW,
    )
    assert [r.outcome for r in results] == ["refused", "refused"]
    assert "Không lưu được" in results[0].message and "văn bản" in results[1].message
    with sqlite_engine.connect() as conn:
        batch = conn.execute(select(upload_batch)).one()
        rows = conn.execute(select(upload_file).order_by(upload_file.c.position)).all()
    assert (batch.id, batch.unit_code, batch.user_id, batch.declared_entries) == (
        batch_id,
        HOME,
        user,
        2,
    )
    assert [(r.position, r.filename, r.outcome) for r in rows] == [
        (1, "a.jpg", "refused"),
        (2, "b.jpg", "refused"),
    ]
    assert all(r.message for r in rows)


def test_every_kind_the_pipeline_tells_apart_has_words_for_a_clerk():
    from ocr.loading import KIND_WORDS
    from sohoa.web import uploads

    assert set(uploads._KIND_WORDS) == set(KIND_WORDS)
    assert uploads._describe(bytes(64)) == uploads._KIND_WORDS["zeros"]
