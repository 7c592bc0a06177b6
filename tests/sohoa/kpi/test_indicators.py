"""Rates and points (docs/kpis.md): exact rounding, full points from 80 %, null on zero."""

from __future__ import annotations

import pytest

from sohoa.kpi.indicators import INDICATORS, block, points, rate, total_points


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [
        (2, 3, 66.67),
        (1, 3, 33.33),
        (1, 8, 12.5),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (0, 0, None),
        (1, 800, 0.13),
    ],  # 0.125 rounds half up, not to even
)
def test_rate(num, den, expected):
    assert rate(num, den) == expected


def test_points_full_from_80_percent_else_proportional():
    assert points(4, 5, 6) == 6.0  # exactly 80 %
    assert points(9, 10, 4) == 4.0
    assert points(3, 5, 6) == 4.5  # 60 % x 6 / 80 %
    assert points(1, 4, 2) == 0.63  # 25 % x 2 / 80 % = 0.625
    assert points(0, 0, 6) is None


def test_block_and_total_points():
    counts = {
        "e_result_rate_num": 1,
        "e_result_rate_den": 2,
        "digitization_rate_num": 0,
        "digitization_rate_den": 0,
        "reuse_rate_num": 2,
        "reuse_rate_den": 2,
    }
    b = block(counts)
    assert [i.key for i in INDICATORS] == list(b)
    assert b["e_result_rate"] == {
        "numerator": 1,
        "denominator": 2,
        "rate": 50.0,
        "points": 3.75,
        "max_points": 6,
    }
    assert b["digitization_rate"]["rate"] is None
    assert total_points(b) == 5.75
