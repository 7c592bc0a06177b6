"""Security paper: the green sheet birth and marriage certificates are printed on.

What a reader meets on it (issue 18): a fine guilloche over the whole page, a large pale
national emblem behind the text and a decorative border, green on most sheets and brown
round the edge on some. The print is laid over the paper multiplicatively
(:func:`print_on`), as ink on paper: black stays black, white takes the paper's colour.
"""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

GREEN_PAPER = (231, 242, 226)
GREEN_LINES = (120, 180, 140)
BROWN_BORDER = (150, 100, 62)
EMBLEM_TINT = (222, 190, 150)


@dataclass(frozen=True)
class Sheet:
    """What was drawn, for the truth: border colour and how strong each layer is."""

    border: str  # "green" | "brown"
    guilloche: float  # 0..1 strength of the line pattern
    emblem: float  # 0..1 strength of the emblem
    period_mm: float  # spacing of the guilloche lines

    def as_dict(self) -> dict:
        return asdict(self)


def draw_sheet(rng: random.Random) -> Sheet:
    return Sheet(
        border="brown" if rng.random() < 0.3 else "green",
        guilloche=round(rng.uniform(0.35, 0.7), 2),
        emblem=round(rng.uniform(0.12, 0.25), 2),
        period_mm=round(rng.uniform(0.9, 1.6), 2),
    )


def _lines(phase: np.ndarray, period_px: float, width_px: float) -> np.ndarray:
    """Thin lines where ``phase`` crosses a whole number (1 = on the line, 0 = off)."""
    dist = np.abs(phase - np.round(phase)) * period_px
    return np.clip(1.0 - dist / max(width_px, 0.6), 0.0, 1.0)


def guilloche(size: tuple[int, int], dpi: int, sheet: Sheet, rng: random.Random) -> np.ndarray:
    """A float32 (h, w) mask in 0..1: two crossing families of waves and a rosette."""
    w, h = size
    px_mm = dpi / 25.4
    period = sheet.period_mm * px_mm
    width = max(0.6, 0.11 * px_mm)
    xs = np.arange(w, dtype=np.float32)[None, :]
    ys = np.arange(h, dtype=np.float32)[:, None]
    out = np.zeros((h, w), dtype=np.float32)
    for sign in (1, -1):
        angle = math.radians(rng.uniform(25, 65)) * sign
        amp = rng.uniform(0.8, 2.5)
        wave = rng.uniform(8, 20) * px_mm
        along = xs * math.cos(angle) + ys * math.sin(angle)
        across = -xs * math.sin(angle) + ys * math.cos(angle)
        phase = along / period + amp * np.sin(across * (2 * math.pi / wave) + rng.uniform(0, 6))
        np.maximum(out, _lines(phase, period, width), out=out)
    cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.4, 0.6)
    dx, dy = xs - cx, ys - cy
    radius = np.sqrt(dx * dx + dy * dy)
    theta = np.arctan2(dy, dx)
    lobes = rng.randint(12, 30)
    phase = radius / (period * 1.3) + rng.uniform(1, 3) * np.sin(lobes * theta)
    np.maximum(out, 0.8 * _lines(phase, period * 1.3, width), out=out)
    return out


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: int) -> None:
    points = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.4
        phi = math.pi / 2 + k * math.pi / 5
        points.append((cx + rad * math.cos(phi), cy - rad * math.sin(phi)))
    draw.polygon(points, fill=fill)


def emblem(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """The national emblem's outline, as a float32 (h, w) mask: a round field with a star,
    a cogwheel below and ears of rice round both sides, centred behind the text."""
    w, h = size
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    cx, cy = w * 0.5, h * rng.uniform(0.42, 0.52)
    r = w * rng.uniform(0.26, 0.33)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=70)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=160, width=max(2, round(r / 40)))
    _star(draw, cx, cy - r * 0.18, r * 0.42, 230)
    cog_r, cog_y = r * 0.3, cy + r * 0.55
    for k in range(12):
        phi = k * math.tau / 12
        tx, ty = cx + cog_r * 1.15 * math.cos(phi), cog_y + cog_r * 1.15 * math.sin(phi)
        t = cog_r * 0.17
        draw.rectangle([tx - t, ty - t, tx + t, ty + t], fill=200)
    draw.ellipse([cx - cog_r, cog_y - cog_r, cx + cog_r, cog_y + cog_r], fill=200)
    draw.ellipse(
        [cx - cog_r * 0.4, cog_y - cog_r * 0.4, cx + cog_r * 0.4, cog_y + cog_r * 0.4], fill=90
    )
    grain = r * 0.06
    for side in (-1, 1):
        for k in range(16):
            phi = math.radians(110 + k * 9)
            gx = cx + side * r * 0.88 * math.cos(math.pi - phi)
            gy = cy + r * 0.88 * math.sin(phi - math.pi)
            draw.ellipse([gx - grain, gy - grain * 1.8, gx + grain, gy + grain * 1.8], fill=190)
    draw.rectangle([cx - r * 0.7, cy + r * 0.9, cx + r * 0.7, cy + r * 1.05], fill=170)
    blurred = cv2.GaussianBlur(np.asarray(layer, dtype=np.float32) / 255, (0, 0), max(1, w / 900))
    return blurred


def border(size: tuple[int, int], dpi: int, rng: random.Random) -> np.ndarray:
    """A decorative frame round the sheet (float32 mask): two rules and a twisted rope."""
    w, h = size
    cm = dpi / 2.54
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    outer = cm * rng.uniform(0.3, 0.5)
    band = cm * rng.uniform(0.45, 0.7)
    thin = max(1, round(dpi / 150))
    for inset in (outer, outer + band):
        draw.rectangle([inset, inset, w - inset, h - inset], outline=255, width=thin)
    mid, amp = outer + band / 2, band * 0.38
    period = cm * rng.uniform(0.35, 0.6)
    for shift in (0.0, math.pi):
        for horizontal, fixed in ((True, mid), (True, h - mid), (False, mid), (False, w - mid)):
            length = w if horizontal else h
            steps = np.arange(outer + band, length - outer - band, max(1.0, period / 12))
            wave = fixed + amp * np.sin(steps * math.tau / period + shift)
            pts = (
                list(zip(steps, wave, strict=True))
                if horizontal
                else list(zip(wave, steps, strict=True))
            )
            draw.line(pts, fill=230, width=thin)
    for x in (mid, w - mid):
        for y in (mid, h - mid):
            draw.ellipse([x - band / 2, y - band / 2, x + band / 2, y + band / 2], fill=200)
    return np.asarray(layer, dtype=np.float32) / 255


def sheet_image(size: tuple[int, int], dpi: int, sheet: Sheet, rng: random.Random) -> np.ndarray:
    """The blank sheet, float32 RGB (h, w, 3) in 0..255."""
    w, h = size
    paper = np.empty((h, w, 3), dtype=np.float32)
    paper[:] = GREEN_PAPER
    for mask, colour, strength in (
        (guilloche(size, dpi, sheet, rng), GREEN_LINES, sheet.guilloche),
        (emblem(size, rng), EMBLEM_TINT, sheet.emblem * 2.5),
        (border(size, dpi, rng), BROWN_BORDER if sheet.border == "brown" else GREEN_LINES, 0.9),
    ):
        alpha = np.clip(mask * strength, 0, 1)[..., None]
        paper *= 1 - alpha
        paper += alpha * np.array(colour, dtype=np.float32)
    return paper


def print_on(page: Image.Image, paper: np.ndarray) -> np.ndarray:
    """Lay the printed page (white ground) over the sheet: multiply, as ink does."""
    out = np.asarray(page, dtype=np.float32) * (1 / 255)
    out *= paper
    return out
