"""Scan degradations, each driven by one knob, and the box bookkeeping they need.

Truth boxes are kept in pixels of the page *as written*: skew and rotation move the
corners of every box with the same affine transform as the image, and the truth keeps
the bounding rectangle of the moved corners.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

import cv2
import numpy as np

PROFILES = ("clean", "mixed", "harsh")
SCANNER_BED = (226, 226, 222)  # what shows around a skewed sheet


@dataclass(frozen=True)
class Knobs:
    dpi: int = 300
    rotation: int = 0  # clockwise degrees that make the written page upright (ocr.prepare)
    skew_deg: float = 0.0  # tilt of the text, counter-clockwise positive (ocr.prepare)
    noise_sigma: float = 0.0  # gaussian noise, grey levels
    blur_px: float = 0.0  # gaussian blur sigma in pixels
    jpeg_quality: int = 0  # 0 = no JPEG round trip
    yellow: float = 0.0  # 0..1 strength of aged-paper tint
    contrast: float = 1.0  # 1 = full; lower squeezes ink and paper together
    stamp: bool = False
    signature: bool = False
    leaders: float = 0.0  # share of entries followed by a dotted leader

    def as_dict(self) -> dict:
        return asdict(self)


def sample_knobs(profile: str, rng: random.Random) -> Knobs:
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    if profile == "clean":
        return Knobs(stamp=rng.random() < 0.5, signature=rng.random() < 0.7, leaders=0.25)
    if profile == "harsh" or rng.random() < 0.08:  # "mixed" keeps a few harsh pages
        return Knobs(
            dpi=rng.choice([200, 200, 240]),
            rotation=rng.choice([90, 180, 270]) if rng.random() < 0.3 else 0,
            skew_deg=round(rng.uniform(2, 5) * rng.choice([-1, 1]), 2),
            noise_sigma=round(rng.uniform(8, 14), 1),
            blur_px=round(rng.uniform(0.9, 1.5), 2),
            jpeg_quality=rng.randint(25, 45),
            yellow=round(rng.uniform(0.5, 0.9), 2),
            contrast=round(rng.uniform(0.45, 0.65), 2),
            stamp=True,
            signature=True,
            leaders=0.5,
        )
    skewed = rng.random() < 0.3
    return Knobs(
        dpi=rng.choice([200, 240, 300, 300]),
        rotation=rng.choice([90, 180, 270]) if rng.random() < 0.15 else 0,
        skew_deg=round(
            rng.uniform(1, 5) * rng.choice([-1, 1]) if skewed else rng.uniform(-0.6, 0.6), 2
        ),
        noise_sigma=round(rng.uniform(0, 6), 1),
        blur_px=round(rng.uniform(0.3, 0.9), 2) if rng.random() < 0.5 else 0.0,
        jpeg_quality=rng.randint(45, 80) if rng.random() < 0.3 else 0,
        yellow=round(rng.uniform(0.15, 0.6), 2) if rng.random() < 0.35 else 0.0,
        contrast=round(rng.uniform(0.6, 0.85), 2) if rng.random() < 0.15 else 1.0,
        stamp=rng.random() < 0.75,
        signature=rng.random() < 0.85,
        leaders=0.35,
    )


def _corners(box: list[float]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]], dtype=np.float64)


def _apply(matrix: np.ndarray, boxes: dict[str, list[float]]) -> dict[str, list[float]]:
    out = {}
    for name, box in boxes.items():
        pts = _corners(box) @ matrix[:, :2].T + matrix[:, 2]
        out[name] = [*pts.min(axis=0), *pts.max(axis=0)]
    return out


def yellow_paper(img: np.ndarray, strength: float, gen: np.random.Generator) -> np.ndarray:
    """Aged paper: a warm tint with soft blotches; ink darkens along with the paper.

    Works in place on a float32 image (full pages are large: avoid temporaries).
    """
    h, w = img.shape[:2]
    blotch = cv2.resize(
        gen.uniform(0.93, 1.0, (8, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
    )
    factor = 1 - (1 - blotch) * strength
    tint = np.array([1.0, 1 - 0.07 * strength, 1 - 0.25 * strength], dtype=np.float32)
    img *= factor[..., None]
    img *= tint
    return img


def skew(img: np.ndarray, angle: float, boxes: dict) -> tuple[np.ndarray, dict]:
    """Turn the sheet ``angle`` degrees counter-clockwise on a larger scanner bed."""
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    out = cv2.warpAffine(
        img, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=SCANNER_BED
    )
    return out, _apply(matrix, boxes)


def rotate(img: np.ndarray, rotation: int, boxes: dict) -> tuple[np.ndarray, dict]:
    """Write the page turned so that ``rotation`` degrees clockwise make it upright again."""
    if rotation == 0:
        return img, boxes
    h, w = img.shape[:2]
    code, matrix = {
        90: (cv2.ROTATE_90_COUNTERCLOCKWISE, [[0, 1, 0], [-1, 0, w]]),
        180: (cv2.ROTATE_180, [[-1, 0, w], [0, -1, h]]),
        270: (cv2.ROTATE_90_CLOCKWISE, [[0, -1, h], [1, 0, 0]]),
    }[rotation]
    return cv2.rotate(img, code), _apply(np.array(matrix, dtype=np.float64), boxes)


def finish(img: np.ndarray, knobs: Knobs, gen: np.random.Generator) -> np.ndarray:
    """Photometric damage after the geometry: contrast, blur, noise, JPEG; returns uint8."""
    out = img if img.dtype == np.float32 else img.astype(np.float32)
    if knobs.contrast < 1:
        out *= knobs.contrast
        out += 255 * (1 - knobs.contrast) - (1 - knobs.contrast) * 20
    if knobs.blur_px > 0:
        out = cv2.GaussianBlur(out, (0, 0), knobs.blur_px)
    if knobs.noise_sigma > 0:
        noise = gen.standard_normal(out.shape[:2], dtype=np.float32)
        noise *= knobs.noise_sigma
        out += noise[..., None]
    np.clip(out, 0, 255, out=out)
    out8 = out.astype(np.uint8)
    if knobs.jpeg_quality:
        ok, buf = cv2.imencode(".jpg", out8, [cv2.IMWRITE_JPEG_QUALITY, knobs.jpeg_quality])
        if ok:
            out8 = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    return out8


def to_xywh(boxes: dict[str, list[float]], size: tuple[int, int]) -> dict[str, list[int]]:
    """Round outward and clip to the image; ``size`` is (width, height)."""
    w, h = size
    out = {}
    for name, (x0, y0, x1, y1) in boxes.items():
        ix0, iy0 = max(0, int(np.floor(x0))), max(0, int(np.floor(y0)))
        ix1, iy1 = min(w, int(np.ceil(x1))), min(h, int(np.ceil(y1)))
        out[name] = [ix0, iy0, ix1 - ix0, iy1 - iy0]
    return out
