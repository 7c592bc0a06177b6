"""Pages the quality gate must turn away: blank, blurred beyond reading, not a document.

Their truth says ``"expect": "rejected"`` and carries no fields.
"""

from __future__ import annotations

import random
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image

from ocr import doctypes
from sohoa.samples import degrade
from sohoa.samples.page import A4_INCHES, render_document

REJECT_KINDS = ("blank", "blurred", "photo")


def reject_page(kind: str, seed: int, dpi: int | None = None) -> tuple[Image.Image, dict]:
    if kind not in REJECT_KINDS:
        raise ValueError(f"unknown reject kind {kind!r}; choose from {', '.join(REJECT_KINDS)}")
    rng = random.Random(f"{seed}/reject/{kind}")
    gen = np.random.default_rng(rng.getrandbits(63))
    dpi = dpi or rng.choice([200, 240, 300])
    size = (round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi))
    knobs = degrade.Knobs(dpi=dpi, noise_sigma=round(rng.uniform(1, 5), 1))
    if kind == "blank":
        arr = _blank(size, rng, gen)
    elif kind == "blurred":
        page, _ = render_document(
            rng.choice(doctypes.civil_names()), rng.getrandbits(32), "clean", dpi=dpi
        )
        sigma = round(dpi * rng.uniform(0.045, 0.07), 1)
        arr = _heavy_blur(np.asarray(page, dtype=np.float32), sigma)
        knobs = degrade.Knobs(dpi=dpi, blur_px=sigma, noise_sigma=knobs.noise_sigma)
    else:
        arr = _photo(size, rng, gen)
    out = degrade.finish(arr, replace(knobs, blur_px=0.0), gen)  # blur done already
    truth = {
        "page": 1,
        "doc_type": "unknown",
        "fields": {},
        "boxes": {},
        "expect": "rejected",
        "reject_kind": kind,
        "degradations": knobs.as_dict(),
        "dpi": dpi,
    }
    return Image.fromarray(out, "RGB"), truth


def _heavy_blur(arr: np.ndarray, sigma: float) -> np.ndarray:
    """A wide gaussian, computed on a quarter-size copy (same look, a fraction of the time)."""
    h, w = arr.shape[:2]
    small = cv2.resize(arr, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / 4)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _blank(size: tuple[int, int], rng: random.Random, gen: np.random.Generator) -> np.ndarray:
    """An empty sheet: paper tone, a faint fold shadow, a few specks of dust."""
    w, h = size
    arr = np.full((h, w, 3), 250.0, dtype=np.float32)
    if rng.random() < 0.5:
        arr = degrade.yellow_paper(arr, rng.uniform(0.1, 0.5), gen)
    fold = int(h * rng.uniform(0.3, 0.7))
    arr[fold : fold + max(2, h // 400)] *= 0.96
    for _ in range(rng.randint(0, 12)):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randint(1, 4)
        cv2.circle(arr, (x, y), r, (90.0, 90.0, 90.0), -1)
    return arr


def _photo(size: tuple[int, int], rng: random.Random, gen: np.random.Generator) -> np.ndarray:
    """A landscape-like colour picture: sky gradient, hills, sun, foliage texture."""
    w, h = size
    top = np.array([rng.uniform(90, 160), rng.uniform(150, 200), rng.uniform(210, 250)])
    bottom = np.array([rng.uniform(200, 240), rng.uniform(210, 235), rng.uniform(220, 250)])
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    arr = np.broadcast_to(top * (1 - t) + bottom * t, (h, w, 3)).astype(np.float32).copy()
    cv2.circle(
        arr,
        (rng.randrange(w), rng.randrange(h // 3)),
        rng.randint(w // 14, w // 8),
        (250.0, 225.0, 120.0),
        -1,
    )
    for layer in range(rng.randint(2, 4)):
        base = h * (0.45 + 0.12 * layer)
        xs = np.linspace(0, w, 24)
        ys = base + gen.normal(0, h * 0.04, xs.shape).cumsum() * 0.4
        pts = np.array([[0, h], *zip(xs, ys, strict=True), [w, h]], dtype=np.int32)
        green = (rng.uniform(30, 90), rng.uniform(90, 160), rng.uniform(30, 80))
        cv2.fillPoly(arr, [pts], green)
    texture = cv2.resize(gen.normal(0, 18, (h // 8, w // 8)).astype(np.float32), (w, h))
    arr += texture[..., None]
    return cv2.GaussianBlur(arr, (0, 0), 1.2)
