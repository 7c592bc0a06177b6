"""A scanned page as a PNG the browser can show beside the review form.

The page is decoded by :mod:`ocr.loading`, the same reader the pipeline used, so its
pixel size is the one the field boxes (``bbox``, docs/record.md) are measured in: the page as
uploaded, a PDF page rendered at the loader's resolution. The PNG sent is downscaled to
at most :data:`MAX_WIDTH` pixels wide for a modest office PC; the review page draws it in
an SVG whose ``viewBox`` keeps the original size, so the boxes need no rescaling.

Two more sizes serve the image viewer of the review pages: the page at its own size (up
to :data:`FULL_WIDTH`, as JPEG, so "đân" can be told from "dân" when a clerk zooms in or
reads a field's region magnified) and a thumbnail for the queue (:data:`THUMB_WIDTH`).

Decoding a 300 dpi page takes around a second, and a reviewer opens the item page and
then its image (and comes back to it after each saved field), so a few rendered pages are
kept in memory, keyed by the file's SHA-256, the page number and the size: the key names
the content, so a changed file can never be served from the cache under an old name.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ocr.errors import SohoaError
from ocr.loading import iter_pages
from sohoa.landing.scans import read_scan

MAX_WIDTH = 1600
FULL_WIDTH = 3600  # a 300 dpi A4 page (2480 px) is sent whole
THUMB_WIDTH = 160
CACHE_SIZE = 12  # a downscaled page is 0.2-0.6 MB of PNG
SIZES = ("view", "full", "thumb")


@dataclass(frozen=True)
class PageImage:
    png: bytes  # the image file (PNG; JPEG for the "full" size, see ``media_type``)
    width: int  # of the page as uploaded: the coordinate space of the field boxes
    height: int
    media_type: str = "image/png"


class _Cache:
    """A small thread-safe LRU (requests are served from a thread pool)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int, str], PageImage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, int, str]) -> PageImage | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, int, str], value: PageImage) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


cache = _Cache(CACHE_SIZE)
thumbs = _Cache(512)  # a thumbnail is a few kB: a whole queue's fit


def page_image(uri: str, page: int, sha256: str, size: str = "view") -> PageImage | None:
    """Page ``page`` (1-based) of the scan at ``uri`` in ``size`` (one of :data:`SIZES`),
    or None when the scan is gone, unreadable, or no longer the file that was read (its
    SHA-256 differs)."""
    store = thumbs if size == "thumb" else cache
    key = (sha256, page, size)
    found = store.get(key)
    if found is not None:
        return found
    pixels = _decode(uri, page, sha256)
    if pixels is None:
        return None
    rendered = _encode(pixels, size)
    store.put(key, rendered)
    return rendered


def _decode(uri: str, page: int, sha256: str):
    data = read_scan(uri)
    if data is None or hashlib.sha256(data).hexdigest() != sha256:
        return None
    # ocr.loading reads files by path (it sniffs, then decodes one page at a time).
    with tempfile.TemporaryDirectory(prefix="sohoa-page-") as tmp:
        path = Path(tmp) / "scan"
        path.write_bytes(data)
        del data
        try:
            for loaded in iter_pages(path, name="scan"):
                if loaded.number == page:
                    return loaded.image
        except SohoaError:  # damaged since it was read: the form still works without it
            return None
    return None


def _encode(pixels, size: str) -> PageImage:
    from PIL import Image

    height, width = pixels.shape[:2]
    image = Image.fromarray(pixels)
    widest = {"view": MAX_WIDTH, "full": FULL_WIDTH, "thumb": THUMB_WIDTH}[size]
    if width > widest:
        image = image.resize(
            (widest, max(1, round(height * widest / width))), Image.Resampling.LANCZOS
        )
    buf = io.BytesIO()
    if size == "full":
        image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(
            buf, format="JPEG", quality=88
        )
        return PageImage(buf.getvalue(), width, height, "image/jpeg")
    image.save(buf, format="PNG", compress_level=6)
    return PageImage(buf.getvalue(), width, height)
