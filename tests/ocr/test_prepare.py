"""Orientation, deskew and the map back to the uploaded page, on generated pages."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr.engines import page_reader
from ocr.prepare import prepare, remove_leaders
from sohoa.samples import generate_page


@pytest.fixture(scope="module")
def upright() -> np.ndarray:
    image, _ = generate_page("birth", seed=3, profile="clean")
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2GRAY)


def turned(gray: np.ndarray, clockwise: int) -> np.ndarray:
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(gray, codes[clockwise]) if clockwise else gray


def tilted(gray: np.ndarray, degrees: float) -> np.ndarray:
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(gray, m, (w, h), borderValue=255)


def full_prepare(gray: np.ndarray):
    return prepare(gray)


@pytest.mark.parametrize("clockwise", [0, 90, 180, 270])
def test_orientation_is_undone(upright, clockwise):
    prepared = full_prepare(turned(upright, clockwise))
    assert prepared.rotation == (360 - clockwise) % 360
    assert prepared.image.shape == upright.shape


@pytest.mark.parametrize("degrees", [-4.5, -2.0, 1.2, 3.5])
def test_skew_is_measured_and_removed(upright, degrees):
    prepared = full_prepare(tilted(upright, degrees))
    assert prepared.rotation == 0
    assert prepared.skew_deg == pytest.approx(degrees, abs=0.25)


def test_level_page_is_not_rotated(upright):
    prepared = full_prepare(upright)
    assert prepared.skew_deg == 0.0
    assert np.array_equal(prepared.matrix, [[1, 0, 0], [0, 1, 0]])


def test_leader_dots_and_rules_are_removed_but_text_is_kept():
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1600, 300), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 40)
    draw.text((40, 40), "Họ và tên: AN", font=font, fill=0)
    draw.text((420, 40), "." * 60, font=font, fill=0)
    draw.line((40, 200, 1500, 200), fill=0, width=3)
    gray = np.asarray(img)
    clean = remove_leaders(gray)
    assert clean[:, 450:1500].min() == 255  # dots and rule gone
    text_ink = (gray[:150, :400] < 128).sum()
    assert (clean[:150, :400] < 128).sum() >= 0.97 * text_ink  # text and its dots stay


@pytest.mark.parametrize("clockwise", [90, 180, 270])
def test_boxes_map_back_to_the_uploaded_page(upright, clockwise):
    box = (400, 700, 300, 60)
    page = turned(upright, clockwise)
    prepared = full_prepare(page)
    # The same box, cut from the prepared image and from the upload, holds the same ink.
    x, y, w, h = box
    crop = prepared.image[y : y + h, x : x + w]
    ox, oy, ow, oh = prepared.to_original(box)
    original = turned(page[oy : oy + oh, ox : ox + ow], prepared.rotation)
    assert original.shape == crop.shape
    assert np.mean(np.abs(original.astype(int) - crop.astype(int))) < 1.0


def test_blank_page_has_no_skew():
    blank = np.full((1200, 900), 255, np.uint8)
    prepared = prepare(blank)
    assert (prepared.rotation, prepared.skew_deg) == (0, 0.0)


@pytest.mark.parametrize("clockwise", [0, 90])
def test_a_page_frame_is_not_taken_for_text_lines(upright, clockwise):
    framed = upright.copy()
    h, w = framed.shape
    cv2.rectangle(framed, (60, 60), (w - 60, h - 60), 0, 8)
    assert full_prepare(turned(framed, clockwise)).rotation == (360 - clockwise) % 360


@pytest.mark.parametrize("degrees", [-3.0, 3.0])
@pytest.mark.parametrize("clockwise", [0, 90, 180, 270])
def test_a_skewed_double_frame_is_not_taken_for_text_lines(upright, degrees, clockwise):
    # A certificate's double frame (thick rule, faint thin rule inside it), scanned with a
    # tilt: an upright-only line filter leaves the tilted rules as columns of dashes.
    framed = upright.copy()
    h, w = framed.shape
    cv2.rectangle(framed, (60, 60), (w - 60, h - 60), 0, 5)
    cv2.rectangle(framed, (75, 75), (w - 75, h - 75), 60, 2)
    prepared = full_prepare(turned(tilted(framed, degrees), clockwise))
    assert prepared.rotation == (360 - clockwise) % 360
    assert abs(prepared.skew_deg) == pytest.approx(abs(degrees), abs=0.25)


def test_low_resolution_pages_are_enlarged_and_boxes_still_map_back(upright):
    prepared = prepare(upright, dpi=200)
    assert prepared.image.shape[0] == pytest.approx(upright.shape[0] * 1.5, abs=2)
    assert prepared.to_original((300, 600, 150, 60)) == (200, 400, 100, 40)


def test_the_colon_before_leader_dots_is_kept():
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (1600, 200), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 40)
    ImageDraw.Draw(img).text((40, 40), "Số:" + "." * 30 + " 279", font=font, fill=0)
    gray = np.asarray(img)
    words = page_reader().read_words(remove_leaders(gray), dpi=300, layout="line")
    assert words[0].text.startswith("Số:")


def test_boxes_map_back_through_a_perspective_correction(upright):
    # ocr.capture warps a photographed page upright; prepare's affine comes on top.
    corners = np.float32([[120, 80], [1500, 130], [1560, 2250], [60, 2200]])
    target = np.float32([[0, 0], [1400, 0], [1400, 2100], [0, 2100]])
    homography = cv2.getPerspectiveTransform(corners, target)
    prepared = prepare(upright[:2100, :1400], dpi=200)  # enlarged 1.5x on top
    prepared.homography = homography
    x, y, w, h = prepared.to_original((300, 600, 150, 60))
    # The box's corners, moved back by hand: scale down, then the inverse homography.
    back = cv2.perspectiveTransform(
        np.float32([[[200, 400]], [[300, 400]], [[200, 440]], [[300, 440]]]),
        np.linalg.inv(homography),
    )[:, 0]
    assert (x, y) == (round(back[:, 0].min()), round(back[:, 1].min()))
    assert (x + w, y + h) == pytest.approx((back[:, 0].max(), back[:, 1].max()), abs=1)
