"""The confidence calibration: a monotone map from readers' scores to observed accuracy."""

from __future__ import annotations

import json

import pytest

from ocr import calibration
from ocr.acceptance import CHECK_REASONS, SURE_REASONS


def test_the_combined_score_is_the_chance_that_not_both_readers_are_wrong():
    assert calibration.score(0.9, 0.8) == pytest.approx(0.98)
    assert calibration.score(0.6, None) == 0.6


def test_isotonic_steps_never_fall_and_never_claim_certainty():
    scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]
    right = [False, True, False, False, True, True, True, True, True, True]
    steps = calibration.fit_isotonic(scores, right)
    probabilities = [p for _, p, _ in steps]
    assert probabilities == sorted(probabilities)
    assert all(0 < p < 1 for p in probabilities)
    assert sum(n for _, _, n in steps) == len(scores)
    assert steps[-1][1] == pytest.approx((6 + 1) / (6 + 2))  # six right of six, smoothed


def test_probability_looks_up_the_step_of_a_score():
    table = {"readers_agree": [(0.5, 0.6, 10), (0.9, 0.9, 40), (1.0, 0.99, 300)]}
    assert calibration.probability("readers_agree", 0.3, table) == 0.6
    assert calibration.probability("readers_agree", 0.7, table) == 0.9
    assert calibration.probability("readers_agree", 0.999, table) == 0.99
    assert calibration.probability("readers_agree", 1.0, table) == 0.99
    assert calibration.probability("one_reading", 0.99, table) == 0.5  # never fitted


def test_the_shipped_calibration_covers_the_common_reasons_and_is_monotone():
    stored = json.loads(calibration.DATA.read_text(encoding="utf-8"))
    assert stored["fitted_on"].startswith("python -m bench.acceptance")
    reasons = stored["reasons"]
    assert {"readers_agree", "closed_list"} <= set(reasons)
    assert set(reasons) <= set(SURE_REASONS) | set(CHECK_REASONS)
    for steps in reasons.values():
        probabilities = [p for _, p, _ in steps]
        assert probabilities == sorted(probabilities)
    # Agreement of two readers is worth more than a reading the lists had to choose.
    if "list_chose_between_readings" in reasons:
        assert reasons["readers_agree"][-1][1] > reasons["list_chose_between_readings"][-1][1]
