"""Digits written in by hand, as on a decision numbered and dated after it was signed.

No handwriting face ships in Debian, so each digit is a few pen strokes (a skeleton in
a unit box) bent by a random slant, jitter and size, smoothed and drawn with OpenCV in
ballpoint blue or black. No two "4"s come out alike, which is the point.
"""

from __future__ import annotations

import random

import cv2
import numpy as np

# Skeletons: strokes of (x, y) points in a box 0.6 wide and 1 high, y pointing down.
DIGITS: dict[str, list[list[tuple[float, float]]]] = {
    "0": [
        [(0.3, 0.0), (0.08, 0.15), (0.02, 0.5), (0.1, 0.88), (0.3, 1.0), (0.5, 0.88), (0.58, 0.5)]
        + [(0.52, 0.14), (0.3, 0.0)]
    ],
    "1": [[(0.12, 0.25), (0.38, 0.0), (0.38, 1.0)]],
    "2": [
        [(0.05, 0.25), (0.2, 0.03), (0.45, 0.05), (0.56, 0.25), (0.45, 0.5), (0.0, 1.0)]
        + [(0.6, 0.98)]
    ],
    "3": [
        [(0.05, 0.1), (0.3, 0.0), (0.52, 0.12), (0.46, 0.38), (0.22, 0.48), (0.5, 0.58)]
        + [(0.58, 0.8), (0.35, 1.0), (0.02, 0.92)]
    ],
    "4": [[(0.42, 1.0), (0.42, 0.0), (0.0, 0.66), (0.6, 0.66)]],
    "5": [
        [(0.55, 0.0), (0.12, 0.0), (0.06, 0.45), (0.35, 0.38), (0.58, 0.6), (0.5, 0.9)]
        + [(0.25, 1.0), (0.0, 0.9)]
    ],
    "6": [
        [(0.5, 0.03), (0.25, 0.1), (0.05, 0.5), (0.08, 0.85), (0.3, 1.0), (0.52, 0.85)]
        + [(0.5, 0.6), (0.28, 0.5), (0.06, 0.62)]
    ],
    "7": [[(0.0, 0.02), (0.6, 0.0), (0.22, 1.0)]],
    "8": [
        [(0.3, 0.5), (0.08, 0.3), (0.14, 0.05), (0.45, 0.05), (0.5, 0.3), (0.3, 0.5)]
        + [(0.05, 0.72), (0.12, 0.97), (0.48, 0.97), (0.56, 0.72), (0.3, 0.5)]
    ],
    "9": [
        [(0.52, 0.35), (0.3, 0.48), (0.06, 0.35), (0.1, 0.08), (0.35, 0.0), (0.56, 0.15)]
        + [(0.52, 0.6), (0.42, 1.0)]
    ],
}
INKS = ((30, 45, 150), (20, 30, 110), (35, 35, 40))


def _chaikin(points: np.ndarray, rounds: int = 2) -> np.ndarray:
    """Round off the corners of a polyline (a pen does not turn on a point)."""
    for _ in range(rounds):
        if len(points) < 3:
            return points
        q = 0.75 * points[:-1] + 0.25 * points[1:]
        r = 0.25 * points[:-1] + 0.75 * points[1:]
        mid = np.empty((2 * len(q), 2))
        mid[0::2], mid[1::2] = q, r
        points = np.vstack([points[:1], mid, points[-1:]])
    return points


def write_digits(
    image: np.ndarray, text: str, box: list[float], rng: random.Random
) -> list[float] | None:
    """Write ``text`` (digits) by hand into ``box`` (x0, y0, x1, y1: the blank left for it
    on the typed line) of a uint8 RGB image, in place.

    The writing is taller than the print and may stray out of the box, as real writing
    does; returns the bounding box of the ink actually drawn (None if nothing was)."""
    x0, y0, x1, y1 = box
    line_h = y1 - y0
    height = line_h * rng.uniform(1.0, 1.35)
    slant = rng.uniform(-0.35, 0.05)  # most hands lean right
    pen = max(1, round(line_h * rng.uniform(0.06, 0.1)))
    ink = rng.choice(INKS)
    advance = height * rng.uniform(0.62, 0.8)
    total = advance * (len(text) - 0.25)
    left = x0 + max(0.0, (x1 - x0) - total) / 2 + rng.uniform(-0.1, 0.1) * advance
    base = y1 + line_h * rng.uniform(-0.05, 0.12)
    drawn: list[np.ndarray] = []
    for i, ch in enumerate(text):
        if ch not in DIGITS:
            continue
        scale = height * rng.uniform(0.9, 1.1)
        ox = left + i * advance + rng.uniform(-0.06, 0.06) * advance
        oy = base + rng.uniform(-0.06, 0.06) * line_h
        for stroke in DIGITS[ch]:
            pts = np.array(stroke, dtype=np.float64)
            pts += np.array([[rng.gauss(0, 0.03), rng.gauss(0, 0.03)] for _ in pts])
            pts = _chaikin(pts)
            xs = ox + (pts[:, 0] + slant * (1 - pts[:, 1])) * scale
            ys = oy - (1 - pts[:, 1]) * scale
            poly = np.stack([xs, ys], axis=1)
            cv2.polylines(
                image, [np.round(poly * 4).astype(np.int32)], False, ink, pen, cv2.LINE_AA, 2
            )
            drawn.append(poly)
    if not drawn:
        return None
    every = np.vstack(drawn)
    half = pen / 2 + 1
    return [
        float(every[:, 0].min() - half),
        float(every[:, 1].min() - half),
        float(every[:, 0].max() + half),
        float(every[:, 1].max() + half),
    ]
