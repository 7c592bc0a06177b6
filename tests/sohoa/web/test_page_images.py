"""Scan pages as PNG for the review page: the size the boxes are measured in, downscaled
for the browser, cached by content, from a local path or S3, and nothing for a scan that
is gone, changed or damaged."""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pytest
from PIL import Image

from ocr.loading import iter_pages, sha256_of
from sohoa.samples import generate_page
from sohoa.samples.files import save_pages
from sohoa.web import page_images
from sohoa.web.page_images import MAX_WIDTH, PageImage, _Cache, page_image
from tests.sohoa.web.review_fixtures import write_scan


@pytest.fixture(autouse=True)
def empty_cache():
    page_images.cache.clear()
    yield
    page_images.cache.clear()


def _decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image


def test_a_small_page_is_sent_at_its_own_size(tmp_path):
    path, _ = write_scan(tmp_path, "birth", 9)
    shown = page_image(str(path), 1, sha256_of(path))
    (loaded,) = iter_pages(path)
    assert (shown.width, shown.height) == (loaded.image.shape[1], loaded.image.shape[0])
    png = _decoded(shown.png)
    assert png.size == (shown.width, shown.height)
    assert np.array_equal(np.asarray(png.convert("L")), loaded.image)  # the page as read


def test_a_wide_page_is_downscaled_but_keeps_the_size_its_boxes_use(tmp_path):
    image, _ = generate_page("death", 5, "clean", dpi=200)  # A4 at 200 dpi: 1654 px wide
    path = tmp_path / "death.jpg"
    save_pages(path, [image], 200)
    shown = page_image(str(path), 1, sha256_of(path))
    assert (shown.width, shown.height) == image.size
    png = _decoded(shown.png)
    assert png.width == MAX_WIDTH
    assert png.height == round(image.height * MAX_WIDTH / image.width)


def test_pdf_pages_come_out_as_the_reader_rendered_them(tmp_path):
    first, _ = generate_page("birth", 9, "clean", dpi=100)
    second, _ = generate_page("marriage", 4, "clean", dpi=100)
    path = tmp_path / "book.pdf"
    save_pages(path, [first, second], 100)
    sha = sha256_of(path)
    pages = list(iter_pages(path))
    shown = page_image(str(path), 2, sha)
    assert (shown.width, shown.height) == pages[1].image.shape[::-1]
    assert shown.width > MAX_WIDTH  # rendered at the reader's 300 dpi, then downscaled
    assert _decoded(shown.png).width == MAX_WIDTH
    assert shown.png != page_image(str(path), 1, sha).png
    assert page_image(str(path), 3, sha) is None  # no such page


def test_the_cache_serves_a_page_again_without_reading_the_scan(tmp_path):
    path, _ = write_scan(tmp_path, "birth", 9)
    sha = sha256_of(path)
    first = page_image(str(path), 1, sha)
    path.unlink()  # gone from the landing zone: the cached page is still the same content
    assert page_image(str(path), 1, sha) is first
    page_images.cache.clear()
    assert page_image(str(path), 1, sha) is None


def test_a_scan_that_changed_since_it_was_read_is_not_shown(tmp_path):
    path, _ = write_scan(tmp_path, "birth", 9)
    sha = sha256_of(path)
    other, _ = write_scan(tmp_path / "other", "birth", 10)
    path.write_bytes(other.read_bytes())  # same place, other page: its boxes would lie
    assert page_image(str(path), 1, sha) is None


def test_a_damaged_scan_gives_no_image_rather_than_an_error(tmp_path):
    path, _ = write_scan(tmp_path, "birth", 9)
    cut = tmp_path / "cut.png"
    cut.write_bytes(path.read_bytes()[:5000])
    assert page_image(str(cut), 1, sha256_of(cut)) is None
    note = tmp_path / "note.png"
    note.write_bytes(b"<html>not a scan</html>")
    assert page_image(str(note), 1, hashlib.sha256(note.read_bytes()).hexdigest()) is None


def test_the_cache_keeps_the_most_recently_used_pages():
    cache = _Cache(2)
    pages = {k: PageImage(k.encode(), 1, 1) for k in "abc"}
    cache.put(("a", 1), pages["a"])
    cache.put(("b", 1), pages["b"])
    assert cache.get(("a", 1)) is pages["a"]  # a is now the most recent
    cache.put(("c", 1), pages["c"])
    assert cache.get(("b", 1)) is None
    assert cache.get(("a", 1)) is pages["a"] and cache.get(("c", 1)) is pages["c"]


def test_a_scan_in_an_s3_landing_zone_is_read_by_its_uri(tmp_path, s3_landing_uri):
    from sohoa.landing.store import open_landing

    path, _ = write_scan(tmp_path, "birth", 9)
    landing = open_landing(s3_landing_uri)
    landing.put_file("inbox/25920/birth.png", path)
    uri = landing.uri("inbox/25920/birth.png")
    assert uri.startswith("s3://")
    shown = page_image(uri, 1, sha256_of(path))
    (loaded,) = iter_pages(path)
    assert np.array_equal(np.asarray(_decoded(shown.png).convert("L")), loaded.image)
    assert page_image(uri + ".missing", 1, sha256_of(path) + "0") is None


def test_the_viewer_gets_the_page_whole_and_the_queue_a_thumbnail(tmp_path):
    image, _ = generate_page("death", 5, "clean", dpi=200)  # 1654 px wide
    path = tmp_path / "death.png"
    save_pages(path, [image], 200)
    full = page_image(str(path), 1, sha256_of(path), "full")
    assert full.media_type == "image/jpeg" and (full.width, full.height) == image.size
    whole = Image.open(io.BytesIO(full.png))
    assert whole.format == "JPEG" and whole.size == image.size  # not downscaled to 1600
    thumb = page_image(str(path), 1, sha256_of(path), "thumb")
    small = _decoded(thumb.png)
    assert small.width == page_images.THUMB_WIDTH and (thumb.width, thumb.height) == image.size
    assert page_images.thumbs.get((sha256_of(path), 1, "thumb")) is thumb  # kept apart
