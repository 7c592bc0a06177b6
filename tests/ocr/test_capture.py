"""Finding the page in phone photos and screenshots, on generated pages with known truth.

The photos are made by ``tests/ocr/camera.py`` (its own perspective, backgrounds, light
and JPEG; not the sample generator's), and read by the real pipeline with Tesseract.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr.capture import capture, find_page, letter_size
from ocr.pipeline import extract_page
from ocr.quality import BLURRED
from ocr.record import Source
from sohoa.samples import Knobs, generate_page
from tests.ocr import camera

SOURCE = Source("test://photo", 1, "0" * 64)


@pytest.fixture(scope="module")
def birth() -> tuple[np.ndarray, dict]:
    return camera.clean_page("birth", 5)


def right_share(record, truth: dict) -> float:
    got = {name: f.value for name, f in record.fields.items()}
    return sum(got.get(k) == v for k, v in truth["fields"].items()) / len(truth["fields"])


def overlap(a, b) -> float:
    """Intersection over the smaller box."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return 0.0 if w <= 0 or h <= 0 else w * h / min(a[2] * a[3], b[2] * b[3])


@pytest.mark.parametrize("background", ["wood", "cloth", "floor"])
@pytest.mark.parametrize("seed", [3, 8])
def test_the_page_is_found_on_a_textured_background(birth, background, seed):
    page, truth = birth
    shot = camera.photograph(page, truth, seed, background=background, tilt=0.05)
    corners = find_page(shot.image)
    assert corners is not None
    height, width = shot.image.shape[:2]
    inside = (shot.corners[:, 0] > 0) & (shot.corners[:, 0] < width)
    inside &= (shot.corners[:, 1] > 0) & (shot.corners[:, 1] < height)
    error = np.abs(corners - shot.corners)[inside].max() / max(height, width)
    assert error < 0.015  # corners within 1.5 % of the frame (a few px at 480 px)


def test_a_photo_with_perspective_is_read_and_its_boxes_point_at_the_photo(birth):
    page, truth = birth
    shot = camera.photograph(page, truth, 4, background="wood", tilt=0.05, light=0.45)
    record = extract_page(shot.image, SOURCE, dpi=72)
    assert record.status != "rejected"
    assert right_share(record, shot.truth) >= 0.9
    name = record.fields["full_name"]
    assert name.value == shot.truth["fields"]["full_name"]
    assert overlap(name.bbox, shot.truth["boxes"]["full_name"]) > 0.6


def test_security_paper_photographed_on_a_cloth_is_read(birth):
    page, truth = birth
    paper = camera.security_paper(page, 7, border="brown")
    shot = camera.photograph(paper, truth, 9, background="cloth", frame=(1536, 2048))
    record = extract_page(shot.image, SOURCE, dpi=None)
    assert record.status != "rejected"
    assert right_share(record, shot.truth) >= 0.85


def test_a_small_legible_photo_720_px_wide_is_read_not_rejected(birth):
    page, truth = birth
    shot = camera.photograph(page, truth, 5, frame=(720, 1280), fill=0.85, background="floor")
    record = extract_page(shot.image, SOURCE, dpi=72)
    assert record.status != "rejected", [i.message for i in record.issues]
    assert right_share(record, shot.truth) >= 0.7


def test_a_screenshot_of_an_electronic_copy_is_read(birth):
    page, truth = birth
    shot = camera.screenshot(page, truth, "https://dichvucong.example.vn/0001")
    found = capture(shot.image, None)
    assert found.found == "edges"  # the page, not the phone's bars and buttons
    assert 90 <= found.dpi <= 120  # 850 px across an A4 page
    record = extract_page(shot.image, SOURCE, dpi=None)
    assert record.status != "rejected"
    assert right_share(record, shot.truth) >= 0.9
    name = record.fields["full_name"]
    assert overlap(name.bbox, shot.truth["boxes"]["full_name"]) > 0.6


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("dark", "the photo is too dark to read; take it again in better light"),
        ("shaken", BLURRED),
        ("thumbnail", "the image is too small to read (180×240 px)"),
        ("far", "the image is too small to read"),  # an A4 page 230 px wide, found
    ],
)
def test_a_photo_nobody_could_read_is_rejected_with_a_reason(birth, how, reason):
    page, truth = birth
    if how == "dark":
        shot = camera.photograph(page, truth, 2, glare=0.0, light=0.0)
        image = (shot.image.astype(np.float32) * 0.06 + 2).astype(np.uint8)
    elif how == "shaken":
        image = camera.photograph(page, truth, 2, blur=9.0).image
    elif how == "far":
        image = camera.photograph(page, truth, 2, frame=(480, 640), fill=0.25, others=False).image
    else:
        image = camera.photograph(page, truth, 2, frame=(180, 240)).image
    record = extract_page(image, SOURCE, dpi=72)
    assert record.status == "rejected"
    assert record.issues[0].rule == "unreadable_page"
    assert record.issues[0].message.startswith(reason)


def test_a_flat_grey_scan_passes_through_unchanged():
    image, truth = generate_page("death", 4, knobs=Knobs(dpi=200, skew_deg=2.5))
    grey = np.asarray(image.convert("L"))
    page = capture(grey, truth["dpi"])
    assert page.found == "frame" and page.homography is None
    assert page.dpi == truth["dpi"]
    assert page.image is grey  # not a copy: not a pixel changed


def test_a_flat_colour_scan_without_marks_is_only_made_grey():
    image, truth = generate_page("marriage", 4, knobs=Knobs(dpi=200, yellow=0.4))
    bgr = np.asarray(image)[:, :, ::-1].copy()
    page = capture(bgr, truth["dpi"])
    assert page.found == "frame" and page.homography is None and page.marks is None
    assert np.array_equal(page.image, cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))


def test_a_scan_declared_at_72_dpi_is_read_at_its_print_size():
    # Many scanners write 72 dpi into 300 dpi scans; enlarging those 4x was waste.
    image, _ = generate_page("birth", 6, knobs=Knobs(dpi=300))
    page = capture(np.asarray(image.convert("L")), 72)
    assert 250 <= page.dpi <= 350


def test_letter_size_follows_the_scale_of_the_print(birth):
    grey = cv2.cvtColor(birth[0], cv2.COLOR_RGB2GRAY)
    full = letter_size(grey)
    half = letter_size(cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))
    assert half == pytest.approx(full / 2, rel=0.1)
    assert letter_size(np.full((800, 600), 255, np.uint8)) == 0.0
