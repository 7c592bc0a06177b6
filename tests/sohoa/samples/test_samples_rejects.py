"""Pages the quality gate must reject look like what they claim to be."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from sohoa.samples import Knobs, generate_page


def _sharpness(img) -> float:
    gray = np.asarray(img.convert("L"), dtype=np.float64)
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


@pytest.mark.parametrize("kind", ["blank", "blurred", "photo"])
def test_reject_truth_has_no_fields(kind):
    _, truth = generate_page(f"reject:{kind}", 1, dpi=200)
    assert truth["expect"] == "rejected" and truth["reject_kind"] == kind
    assert truth["fields"] == {} and truth["boxes"] == {}


def test_blank_page_has_almost_no_ink():
    img, _ = generate_page("reject:blank", 2, dpi=200)
    gray = np.asarray(img.convert("L"))
    assert (gray < 128).mean() < 0.001


def test_blurred_page_is_far_less_sharp_than_a_clean_one():
    blurred, _ = generate_page("reject:blurred", 3, dpi=200)
    clean, _ = generate_page("birth", 3, knobs=Knobs(dpi=200))
    assert _sharpness(blurred) * 20 < _sharpness(clean)


def test_photo_is_colourful_unlike_a_document():
    photo, _ = generate_page("reject:photo", 4, dpi=200)
    page, _ = generate_page("death", 4, knobs=Knobs(dpi=200, stamp=True))
    sat = lambda img: float(np.asarray(img.convert("HSV"))[..., 1].mean())  # noqa: E731
    assert sat(photo) > 60 and sat(page) < 15


def test_unknown_reject_kind_is_refused():
    with pytest.raises(ValueError, match="reject kind"):
        generate_page("reject:smudge", 0)
