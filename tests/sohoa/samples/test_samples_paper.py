"""Security paper: guilloche, emblem and border on certificates, never on dossier results."""

from __future__ import annotations

import random

import numpy as np
import pytest

from sohoa.samples import generate_page, paper
from sohoa.samples.realistic import render_realistic


def _fine_pattern(img, truth) -> float:
    """Share of the top margin's pixels that are neither white nor ink: the guilloche."""
    arr = np.asarray(img.convert("RGB"), dtype=np.int16)
    h, w = arr.shape[:2]
    band = arr[int(h * 0.01) : int(h * 0.035), int(w * 0.2) : int(w * 0.8)]
    green = (band[..., 1] - band[..., 0] > 6) & (band[..., 1] > 120)
    return float(green.mean())


def test_sheet_has_lines_emblem_and_border():
    rng = random.Random(2)
    sheet = paper.Sheet("brown", 0.6, 0.2, 1.2)
    img = paper.sheet_image((600, 848), 72, sheet, rng)
    lines = paper.guilloche((600, 848), 72, sheet, random.Random(2))
    assert 0.1 < float((lines > 0.5).mean()) < 0.7  # fine lines, not a flat tint
    assert img[:, :, 1].mean() > img[:, :, 0].mean()  # green paper
    edge = img[8:20, 100:500]  # the border band near the top edge is brown: red > blue
    assert (edge[..., 0] - edge[..., 2]).max() > 40


@pytest.mark.parametrize("doc_type", ["birth", "marriage"])
def test_certificates_on_security_paper_show_the_guilloche(doc_type):
    img, truth = render_realistic(doc_type, 5, captured_as="scan", security_paper=True, dpi=150)
    assert truth["paper"]["security"]
    assert _fine_pattern(img, truth) > 0.15


def test_dossier_results_are_never_on_security_paper():
    for seed in range(30):
        _, truth = render_realistic("dossier_result", seed, dpi=72, captured_as="scan")
        assert truth["paper"]["security"] is None
    img, truth = render_realistic(
        "dossier_result", 3, captured_as="scan", security_paper=True, dpi=150
    )
    assert truth["paper"]["security"] is None
    assert _fine_pattern(img, truth) < 0.02


def test_security_paper_option_on_a_scan_profile_changes_only_the_paper():
    plain_img, plain = generate_page("birth", 12, "clean", dpi=150)
    green_img, green = generate_page("birth", 12, "clean", dpi=150, security_paper=True)
    assert plain["fields"] == green["fields"] and plain["boxes"] == green["boxes"]
    assert "paper" not in plain and green["paper"]["security"]
    assert _fine_pattern(green_img, green) > 0.15 > _fine_pattern(plain_img, plain)
