"""Put scans and their sidecars into the landing zone (``sohoa upload``).

A file whose hash the zone already knows (uploaded before, or already processed) is
skipped: a clerk who uploads the same folder twice must not get every page twice.
Unreadable files are uploaded all the same: the pipeline quarantines them with a reason,
so what happened to every file stays visible in one place.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, replace
from pathlib import Path

from ocr.book import Book
from ocr.jsontext import printable
from ocr.loading import sha256_of
from sohoa.landing.store import Landing
from sohoa.landing.zone import ScanMeta, index_key, processed_key
from sohoa.settings import get_settings


@dataclass(frozen=True)
class UploadOutcome:
    path: Path
    status: str  # uploaded | skipped_uploaded | skipped_processed
    key: str
    pages: int


def default_uploader() -> str:
    """``SOHOA_UPLOADER``, else the login name (recorded as who uploaded the book)."""
    given = get_settings().uploader
    if given:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no passwd entry in some containers
        return "unknown"


def count_pages(path: Path) -> int:
    """Pages in a scan file, cheaply (headers only); 1 when the file cannot be opened,
    which the pipeline will then find out and quarantine."""
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
        if head.startswith(b"%PDF"):
            import pypdfium2

            doc = pypdfium2.PdfDocument(str(path))
            try:
                return max(1, len(doc))
            finally:
                doc.close()
        from PIL import Image

        with Image.open(path) as img:
            return max(1, int(getattr(img, "n_frames", 1)))
    except Exception:  # noqa: BLE001 - any failure here only means "we cannot tell"
        return 1


def upload_file(landing: Landing, path: Path, book: Book) -> UploadOutcome:
    """Put one file of ``book`` (all four parts that name it given) into the zone."""
    sha = sha256_of(path)
    pages = count_pages(path)
    meta = ScanMeta(
        book=replace(book, uploader=book.uploader or default_uploader()),
        sha256=sha,
        filename=printable(path.name),  # as UTF-8 even when the name is not
        pages=pages,
        size=path.stat().st_size,
    )
    if landing.exists(processed_key(sha)):
        return UploadOutcome(path, "skipped_processed", meta.scan_key, pages)
    if landing.exists(index_key(sha)):
        known = landing.read_json(index_key(sha)).get("key", meta.scan_key)
        return UploadOutcome(path, "skipped_uploaded", known, pages)
    # Scan first, sidecar second: the pipeline only picks up scans whose sidecar exists,
    # so a crash in between leaves nothing half-visible. The index entry comes last.
    landing.put_file(meta.scan_key, path)
    landing.put_json(meta.sidecar_key, meta.to_json())
    landing.put_json(index_key(sha), {"key": meta.scan_key, "uploaded_at": meta.uploaded_at})
    return UploadOutcome(path, "uploaded", meta.scan_key, pages)


def upload_files(landing: Landing, paths: list[Path], book: Book) -> list[UploadOutcome]:
    return [upload_file(landing, path, book) for path in paths]
