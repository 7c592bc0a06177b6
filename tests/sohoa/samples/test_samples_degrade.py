"""Degradation knobs: profile mixes, and boxes that follow the image through the geometry."""

from __future__ import annotations

import random

import numpy as np
import pytest

from sohoa.samples import degrade


def _ink_box(img: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(img.min(axis=2) < 128)
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
@pytest.mark.parametrize("angle", [0.0, 3.5, -4.0])
def test_boxes_follow_skew_and_rotation(rotation, angle):
    img = np.full((300, 200, 3), 255.0, dtype=np.float32)
    img[40:70, 30:150] = 0  # a black bar standing in for a value
    boxes = {"bar": [30.0, 40.0, 150.0, 70.0]}
    if angle:
        img, boxes = degrade.skew(img, angle, boxes)
    img, boxes = degrade.rotate(img, rotation, boxes)
    x, y, w, h = degrade.to_xywh(boxes, (img.shape[1], img.shape[0]))["bar"]
    ink = _ink_box(img)
    # The truth box is the bounding rectangle of the moved corners: it holds all the ink,
    # and not much more than the ink's own bounding rectangle.
    assert x <= ink[0] + 1 and y <= ink[1] + 1 and x + w >= ink[2] - 1 and y + h >= ink[3] - 1
    assert w <= (ink[2] - ink[0]) + 4 and h <= (ink[3] - ink[1]) + 4


def test_rotation_is_what_turns_the_page_upright_clockwise():
    """Same convention as ocr.prepare: rotating the written page clockwise by ``rotation``
    restores it, so a page written with 90 has its top on the left."""
    img = np.full((300, 200, 3), 255.0, dtype=np.float32)
    img[0:20] = 0  # mark the top edge
    out, _ = degrade.rotate(img, 90, {})
    assert out.shape[:2] == (200, 300)
    assert out[:, :20].mean() < 10 and out[:, -20:].mean() > 245
    restored = np.rot90(out, k=-1)  # clockwise by 90
    assert np.array_equal(restored, img)


def test_mixed_profile_is_mostly_mild_with_some_rotated_and_skewed():
    rng = random.Random(11)
    knobs = [degrade.sample_knobs("mixed", rng) for _ in range(600)]
    rotated = sum(k.rotation != 0 for k in knobs) / len(knobs)
    skewed = sum(abs(k.skew_deg) >= 1 for k in knobs) / len(knobs)
    harsh = sum(k.noise_sigma >= 8 for k in knobs) / len(knobs)
    assert 0.10 <= rotated <= 0.25
    assert 0.2 <= skewed <= 0.45
    assert 0.03 <= harsh <= 0.15
    assert all(200 <= k.dpi <= 300 and abs(k.skew_deg) <= 5 for k in knobs)


def test_clean_profile_leaves_the_image_alone():
    knobs = degrade.sample_knobs("clean", random.Random(3))
    assert (
        knobs.rotation,
        knobs.skew_deg,
        knobs.noise_sigma,
        knobs.blur_px,
        knobs.jpeg_quality,
        knobs.yellow,
        knobs.contrast,
    ) == (0, 0.0, 0.0, 0.0, 0, 0.0, 1.0)


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="profile"):
        degrade.sample_knobs("dirty", random.Random(0))


def test_finish_lowers_contrast_and_adds_noise():
    gen = np.random.default_rng(0)
    img = np.full((100, 100, 3), 255.0, dtype=np.float32)
    img[:50] = 0
    out = degrade.finish(img.copy(), degrade.Knobs(contrast=0.5, noise_sigma=5), gen)
    assert out.dtype == np.uint8
    assert out[:50].mean() > 100  # black ink lifted towards the paper
    assert out[60:].std() > 2  # noise on the paper
