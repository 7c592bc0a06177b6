"""The three public indicators of docs/kpis.md: definitions, rates and points.

Rates are computed in integers and rounded half-up to 2 decimals (not binary floats),
so a hand-computed 2/3 is 66.67 and 1/800 is 0.13 everywhere. A zero denominator gives
``None`` (null), not 0.
"""

from __future__ import annotations

from dataclasses import dataclass

FULL_POINTS_AT = 80  # percent; the scoring rule gives full points from here
TARGET_PERCENT = FULL_POINTS_AT  # the headline target: where full points start


@dataclass(frozen=True)
class Indicator:
    key: str
    title: str
    numerator: str
    denominator: str
    max_points: int


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "e_result_rate",
        "Electronic-results rate",
        "dossiers with paper_result_required that have a result file",
        "dossiers with paper_result_required",
        6,
    ),
    Indicator(
        "digitization_rate",
        "Digitization rate of dossiers and results",
        "dossiers whose every component has a file or is reused, and which, where a paper "
        "result is required, have a result file",
        "all dossiers",
        4,
    ),
    Indicator(
        "reuse_rate",
        "Reuse rate of digitized data",
        "dossiers with at least one component reused",
        "dossiers with a received_at",
        2,
    ),
)
BY_KEY = {i.key: i for i in INDICATORS}
PERIOD_RULE = (
    "A dossier counts in the period (local time, +07:00) of its received_at; one without "
    "received_at counts in the period of the receipt date its dossier code carries "
    "(…-YYMMDD-NNNN), and never in the reuse rate's denominator."
)


def rate(numerator: int, denominator: int) -> float | None:
    """Percent rounded half-up to 2 decimals; ``None`` when the denominator is 0."""
    if denominator == 0:
        return None
    return _half_up_hundredths(10_000 * numerator, denominator)


def points(numerator: int, denominator: int, max_points: int) -> float | None:
    """Full ``max_points`` at a rate of 80 % or more, else rate × max / 80 %."""
    if denominator == 0:
        return None
    if 100 * numerator >= FULL_POINTS_AT * denominator:
        return float(max_points)
    # rate x max / 80 = (100 num / den) x max / 80, in hundredths
    return _half_up_hundredths(10_000 * numerator * max_points, FULL_POINTS_AT * denominator)


def block(counts: dict[str, int]) -> dict[str, dict]:
    """``{key: {numerator, denominator, rate, points, max_points}}`` from raw counts.

    ``counts`` holds ``<key>_num`` and ``<key>_den`` for each indicator.
    """
    out = {}
    for ind in INDICATORS:
        num, den = int(counts[f"{ind.key}_num"]), int(counts[f"{ind.key}_den"])
        out[ind.key] = {
            "numerator": num,
            "denominator": den,
            "rate": rate(num, den),
            "points": points(num, den, ind.max_points),
            "max_points": ind.max_points,
        }
    return out


def total_points(indicators: dict[str, dict]) -> float | None:
    """Sum of the points that exist; ``None`` when no indicator has a denominator."""
    got = [v["points"] for v in indicators.values() if v["points"] is not None]
    return round(sum(got), 2) if got else None


def definitions() -> dict[str, dict]:
    return {
        i.key: {
            "title": i.title,
            "numerator": i.numerator,
            "denominator": i.denominator,
            "max_points": i.max_points,
            "points_rule": f"full at >= {FULL_POINTS_AT} %, else rate x {i.max_points} / "
            f"{FULL_POINTS_AT} %",
            "target_percent": TARGET_PERCENT,
            "period_rule": PERIOD_RULE,
            "zero_denominator": "null",
        }
        for i in INDICATORS
    }


def _half_up_hundredths(hundredths_num: int, den: int) -> float:
    """``hundredths_num / den`` hundredths, rounded half-up, as a float with 2 decimals.

    Integer arithmetic: exact (no binary rounding of 0.125 to 0.12) and fast enough for
    thousands of units.
    """
    units = (2 * hundredths_num + den) // (2 * den)
    return units / 100
