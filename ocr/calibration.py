"""A field's confidence as the probability that its value is right.

Recognizers' own confidences are scores, not probabilities: Tesseract says 0.96 of
values it misread, and two readers that agree are right far more often than either
score says. The probability is learnt from benchmark pages with known truth
(``bench/calibration.py`` fits it on some seeds and reports it on others): for each
reason a field was settled with (:mod:`ocr.acceptance`), an isotonic (monotone) map from
the readers' combined score to the share of values that were right, each step smoothed
towards one half by a uniform prior so that no step says 0 or 1 outright.

The fitted map ships as data, ``ocr/data/calibration.json``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "calibration.json"
_UNFITTED = 0.5  # a reason the benchmark never produced: no better guess than a coin


def score(first: float, second: float | None) -> float:
    """The readers' combined score: the chance that not both are wrong, as if their
    confidences were independent probabilities; the first reader's alone without a
    second reading."""
    if second is None:
        return float(first)
    return 1.0 - (1.0 - float(first)) * (1.0 - float(second))


def fit_isotonic(scores: Iterable[float], right: Iterable[bool]) -> list[tuple[float, float, int]]:
    """Steps (highest score of the step, probability, values in the step), by pooling
    adjacent violators: the share right never falls as the score rises."""
    pairs = sorted(zip(scores, right, strict=True))
    blocks: list[list[float]] = []  # [sum right, count, highest score]
    for s, r in pairs:
        blocks.append([float(r), 1.0, s])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            top = blocks.pop()
            blocks[-1] = [blocks[-1][0] + top[0], blocks[-1][1] + top[1], top[2]]
    # Steps that do not differ are one step; the prior keeps a step of 30 right from
    # claiming certainty.
    return [(hi, (ok + 1.0) / (n + 2.0), int(n)) for ok, n, hi in blocks]


def fit(samples: Iterable[tuple[str, float, bool]]) -> dict:
    """The calibration of (reason, score, right) samples, as stored in the data file."""
    by_reason: dict[str, tuple[list[float], list[bool]]] = {}
    for reason, s, ok in samples:
        scores, rights = by_reason.setdefault(reason, ([], []))
        scores.append(s)
        rights.append(ok)
    return {
        reason: [list(step) for step in fit_isotonic(scores, rights)]
        for reason, (scores, rights) in sorted(by_reason.items())
    }


@cache
def _table() -> dict[str, list[tuple[float, float, int]]]:
    if not DATA.is_file():
        return {}
    stored = json.loads(DATA.read_text(encoding="utf-8"))
    return {r: [tuple(step) for step in steps] for r, steps in stored["reasons"].items()}


def probability(reason: str, s: float, table: dict | None = None) -> float:
    """The calibrated probability that a value settled for ``reason`` with combined
    score ``s`` is right."""
    steps = (table if table is not None else _table()).get(reason)
    if not steps:
        return _UNFITTED
    highs = np.array([step[0] for step in steps])
    i = min(int(np.searchsorted(highs, s, side="left")), len(steps) - 1)
    return float(steps[i][1])
