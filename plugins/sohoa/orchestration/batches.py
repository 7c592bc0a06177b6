"""Cut the new scans into page batches, one register book per batch.

Batches, not pages, are what the DAG maps over: a mapped task per page would cost more in
scheduling than the OCR it runs. A batch never mixes books (the loader loads one book's
pages in one transaction) and never splits a file (a multi-page TIFF is read as a whole).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sohoa.landing.zone import ScanMeta


@dataclass(frozen=True)
class Batch:
    book: dict  # the sidecar fields that name the book
    keys: list[str]
    pages: int


BOOK_FIELDS = ("unit", "book_type", "year", "volume", "declared_entries", "uploader")


def book_of(meta: ScanMeta) -> dict:
    """The plan's ``book`` (its JSON shape on disk: the fields of :data:`BOOK_FIELDS`)."""
    return {name: getattr(meta.book, name) for name in BOOK_FIELDS}


def book_identity(meta: ScanMeta) -> tuple:
    return meta.book.key


def plan(scans: Iterable[tuple[str, ScanMeta]], batch_pages: int) -> list[Batch]:
    """Group ``(key, sidecar)`` pairs by book, then fill batches up to ``batch_pages``."""
    by_book: dict[tuple, list[tuple[str, ScanMeta]]] = {}
    for key, meta in scans:
        by_book.setdefault(book_identity(meta), []).append((key, meta))
    batches: list[Batch] = []
    for ident in sorted(by_book, key=lambda t: tuple(str(x) for x in t)):
        members = sorted(by_book[ident])
        keys: list[str] = []
        pages = 0
        for key, meta in members:
            if keys and pages + meta.pages > batch_pages:
                batches.append(Batch(book_of(members[0][1]), keys, pages))
                keys, pages = [], 0
            keys.append(key)
            pages += meta.pages
        if keys:
            batches.append(Batch(book_of(members[0][1]), keys, pages))
    return batches
