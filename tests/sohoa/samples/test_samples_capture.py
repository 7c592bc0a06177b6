"""Phone photos and screenshots: frame sizes, the page quad, boxes on the value ink."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from sohoa.samples import capture
from sohoa.samples.realistic import CAPTURE_SHARES, draw_style, render_realistic


def _inside(quad: list[list[float]], x: float, y: float, tol: float) -> bool:
    contour = np.array(quad, dtype=np.float32).reshape(-1, 1, 2)
    return cv2.pointPolygonTest(contour, (float(x), float(y)), True) >= -tol


@pytest.fixture(scope="module", params=["birth", "dossier_result"])
def photo(request):
    return render_realistic(request.param, 21, captured_as="photo")


def test_a_photo_is_a_phone_frame_the_page_fills_most_of(photo):
    img, truth = photo
    cap = truth["capture"]
    assert cap["capture"] == "photo"
    assert tuple(cap["frame"]) == img.size
    assert 720 <= img.width <= 1920 and 1280 <= img.height <= 2560
    assert 0.6 <= cap["fill"] <= 0.95
    assert cap["background"] in capture.BACKGROUNDS
    quad = np.array(cap["page_quad"])
    assert (
        (quad >= 0).all() and (quad[:, 0] <= img.width).all() and (quad[:, 1] <= img.height).all()
    )
    spans = quad.max(axis=0) - quad.min(axis=0)
    assert max(spans[0] / img.width, spans[1] / img.height) > 0.55


def test_photo_corners_are_a_few_per_cent_off_a_rectangle(photo):
    img, truth = photo
    quad = np.array(truth["capture"]["page_quad"])
    top = np.linalg.norm(quad[1] - quad[0])
    bottom = np.linalg.norm(quad[2] - quad[3])
    assert top != pytest.approx(bottom, abs=0.5)  # perspective: opposite sides differ
    assert abs(top - bottom) / max(top, bottom) < 0.15


def test_photo_boxes_lie_in_the_page_quad_and_on_ink(photo):
    img, truth = photo
    quad = truth["capture"]["page_quad"]
    gray = np.asarray(img.convert("L"), dtype=np.float32)
    assert truth["boxes"]
    for name, (x, y, w, h) in truth["boxes"].items():
        for cx, cy in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
            assert _inside(quad, cx, cy, tol=3), name
        region = gray[y : y + h, x : x + w]
        # Print is darker than the paper round it: the darkest pixels of a value's box.
        assert np.percentile(region, 5) < np.percentile(region, 95) - 40, name


def test_a_held_page_keeps_the_thumb_on_the_margin():
    for seed in range(60):
        style = draw_style("death", random.Random(f"{seed}/death/style"))
        img, truth = render_realistic("death", seed, captured_as="photo")
        if truth["capture"]["background"] != "hand":
            continue
        edge, tip = (np.array(p) for p in truth["capture"]["thumb"])
        for x, y, w, h in truth["boxes"].values():
            assert not (x <= tip[0] <= x + w and y <= tip[1] <= y + h)
        assert style.margins_cm
        return
    pytest.fail("no hand-held photo in 60 seeds")


def test_photos_are_about_half_of_the_realistic_pages():
    draws = [draw_style("birth", random.Random(f"{s}/birth/style")).capture for s in range(1000)]
    assert draws.count("photo") / len(draws) >= 0.42
    assert set(draws) == set(CAPTURE_SHARES)


def test_a_screenshot_is_the_page_across_a_phone_screen_with_a_qr_code():
    img, truth = render_realistic("birth", 8, captured_as="screenshot")
    cap = truth["capture"]
    assert cap["capture"] == "screenshot" and tuple(cap["frame"]) == img.size
    assert img.size in capture.SCREEN_FRAMES
    assert truth["paper"]["security"] is None  # an electronic copy has no paper
    x, y, w, h = truth["qr"]
    crop = np.asarray(img)[max(0, y - 10) : y + h + 10, max(0, x - 10) : x + w + 10]
    crop = cv2.resize(crop, None, fx=3, fy=3, interpolation=cv2.INTER_NEAREST)
    payload, _, _ = cv2.QRCodeDetector().detectAndDecode(crop)
    assert payload.startswith("BIRTH-")
    qx0, qy0 = cap["page_quad"][0]
    qx1, qy1 = cap["page_quad"][2]
    for bx, by, bw, bh in truth["boxes"].values():
        assert qx0 <= bx and bx + bw <= qx1 and qy0 <= by and by + bh <= qy1


def test_photos_keep_the_page_large_enough_to_read():
    rng = random.Random(8)
    for _ in range(500):
        frame, fill = capture.photo_frame(rng)
        assert 0.6 <= fill <= 0.95
        assert capture.page_pixels(frame, fill, 11.69 / 8.27) >= 640  # ≥ 77 pixels an inch
