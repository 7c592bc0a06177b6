"""Uploading scans: sidecar, skip by hash, page counts."""

from __future__ import annotations

import hashlib

from PIL import Image

from ocr.book import Book
from sohoa.landing.upload import count_pages, upload_file, upload_files
from sohoa.landing.zone import ScanMeta, mark_processed

BOOK = Book(
    unit="25920", book_type="death", year=2019, volume="02", declared_entries=120, uploader="clerk1"
)


def make_tiff(path, pages: int):
    frames = [Image.new("L", (60, 80), 255 - 40 * i) for i in range(pages)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    return path


def test_count_pages(tmp_path):
    assert count_pages(make_tiff(tmp_path / "three.tif", 3)) == 3
    pdf = tmp_path / "two.pdf"
    frames = [Image.new("RGB", (60, 80), "white") for _ in range(2)]
    frames[0].save(pdf, save_all=True, append_images=frames[1:])
    assert count_pages(pdf) == 2
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"<html>not a scan</html>")
    assert count_pages(junk) == 1  # the pipeline will quarantine it


def test_upload_writes_scan_and_sidecar(landing, tmp_path):
    path = make_tiff(tmp_path / "so 1.tif", 2)
    out = upload_file(landing, path, BOOK)

    assert out.status == "uploaded" and out.pages == 2
    assert landing.read_bytes(out.key) == path.read_bytes()
    side = ScanMeta.from_json(landing.read_json(out.key.rsplit("/", 1)[0] + "/meta.json"))
    assert side.book.key == ("25920", "death", 2019, "02")
    assert (side.book.declared_entries, side.book.uploader, side.pages) == (120, "clerk1", 2)
    assert side.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert side.filename == "so 1.tif"


def test_same_file_twice_is_skipped_by_hash(landing, tmp_path):
    path = make_tiff(tmp_path / "a.tif", 1)
    copy = tmp_path / "renamed.tif"
    copy.write_bytes(path.read_bytes())
    first, second = upload_files(landing, [path, copy], BOOK)
    assert (first.status, second.status) == ("uploaded", "skipped_uploaded")
    assert second.key == first.key
    assert len([k for k in landing.list("incoming") if k.endswith(".tif")]) == 1

    mark_processed(landing, first.key, "run-1", "processed")
    again = upload_file(landing, path, Book("25920", "death", 2020, "09"))
    assert again.status == "skipped_processed"


def test_uploader_defaults_to_environment(landing, tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_UPLOADER", "archive-desk-3")
    out = upload_file(landing, make_tiff(tmp_path / "b.tif", 1), Book("25920", "birth", 2001, "01"))
    meta = landing.read_json(out.key.rsplit("/", 1)[0] + "/meta.json")
    assert meta["uploader"] == "archive-desk-3"


def test_dossier_code_given_at_upload_is_kept_in_the_sidecar(landing, tmp_path):
    book = Book(
        unit="25920",
        book_type="dossier_result",
        year=2024,
        volume="01",
        dossier_code="000.00.20.H40-240605-0001",
    )
    out = upload_file(landing, make_tiff(tmp_path / "kq.tif", 1), book)
    side = ScanMeta.from_json(landing.read_json(out.key.rsplit("/", 1)[0] + "/meta.json"))
    assert side.book.dossier_code == "000.00.20.H40-240605-0001"
