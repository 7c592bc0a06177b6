"""Batches: one book each, files whole, about ``batch_pages`` pages."""

from __future__ import annotations

from ocr.book import Book
from sohoa.landing.zone import ScanMeta
from sohoa.orchestration.batches import plan


def scan(n: int, pages: int, book_type: str = "birth", volume: str = "01"):
    meta = ScanMeta(
        Book(unit="25920", book_type=book_type, year=2019, volume=volume),
        sha256=f"{n:064x}",
        filename=f"{n}.tif",
        pages=pages,
    )
    return meta.scan_key, meta


def test_books_never_mix_and_files_never_split():
    scans = [scan(1, 3), scan(2, 3), scan(3, 1), scan(4, 5, "death"), scan(5, 2, volume="02")]
    batches = plan(scans, batch_pages=4)
    for b in batches:
        books = {(m.book.book_type, m.book.volume) for k, m in scans if k in b.keys}
        assert len(books) == 1
        assert b.pages == sum(m.pages for k, m in scans if k in b.keys)
    assert sorted(k for b in batches for k in b.keys) == sorted(k for k, _ in scans)
    births = [b for b in batches if b.book["book_type"] == "birth" and b.book["volume"] == "01"]
    assert [b.pages for b in births] == [3, 4]  # 3 | 3+1
    big = [b for b in batches if b.book["book_type"] == "death"]
    assert [b.pages for b in big] == [5]  # a file larger than a batch is still one batch


def test_plan_is_deterministic_whatever_the_listing_order():
    scans = [scan(n, 1) for n in range(10)]
    assert plan(scans, 3) == plan(list(reversed(scans)), 3)
    assert [b.pages for b in plan(scans, 3)] == [3, 3, 3, 1]
    assert plan([], 3) == []
