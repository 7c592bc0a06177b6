"""What a real certificate carries besides print: a red seal, a signature, a QR code.

The seal is blended multiplicatively (like ink on ink), so black text under it stays
dark and readable; the signature is a pen scribble in the signing space.
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw

from sohoa.samples.layout import font

STAMP_RED = (205, 35, 45)
PEN_BLUE = (25, 35, 125)


def stamp(
    image: Image.Image,
    center: tuple[float, float],
    radius: float,
    text: str,
    rng: random.Random,
    family: str,
) -> None:
    """A round seal: two rings, the authority's name around, a star in the middle."""
    size = int(radius * 2) + 8
    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    c = size / 2
    ring = max(2, round(radius / 22))
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=ring)
    inner = radius * 0.72
    draw.ellipse([c - inner, c - inner, c + inner, c + inner], outline=255, width=max(1, ring // 2))
    _star(draw, c, c, inner * 0.35)
    glyph_font = font(family, "bold", max(8, round(radius * 0.17)))
    text = f"{text} ★" if len(text) < 30 else text
    sweep = min(330.0, 11.0 * len(text))
    start = -sweep / 2
    mid_r = (radius + inner) / 2
    for i, ch in enumerate(text):
        phi = start + sweep * (i + 0.5) / len(text)
        glyph = Image.new("L", (int(radius * 0.3), int(radius * 0.3)), 0)
        ImageDraw.Draw(glyph).text(
            (glyph.width / 2, glyph.height / 2), ch, font=glyph_font, fill=255, anchor="mm"
        )
        glyph = glyph.rotate(-phi, resample=Image.Resampling.BICUBIC)
        x = c + mid_r * math.sin(math.radians(phi)) - glyph.width / 2
        y = c - mid_r * math.cos(math.radians(phi)) - glyph.height / 2
        layer.paste(255, (round(x), round(y)), glyph)
    layer = layer.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    strength = rng.uniform(0.55, 0.9)
    _multiply(image, layer, STAMP_RED, strength, (round(center[0] - c), round(center[1] - c)))


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    points = []
    for k in range(10):
        rr = r if k % 2 == 0 else r * 0.4
        a = math.radians(-90 + 36 * k)
        points.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    draw.polygon(points, fill=255)


def _multiply(
    image: Image.Image,
    mask: Image.Image,
    color: tuple[int, int, int],
    strength: float,
    offset: tuple[int, int],
) -> None:
    x, y = offset
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(image.width, x + mask.width), min(image.height, y + mask.height)
    if x1 <= x0 or y1 <= y0:
        return
    region = np.asarray(image.crop((x0, y0, x1, y1)), dtype=np.float32)
    alpha = np.asarray(mask, dtype=np.float32)[y0 - y : y1 - y, x0 - x : x1 - x, None] / 255
    tint = np.array(color, dtype=np.float32) / 255
    out = region * (1 - alpha * strength * (1 - tint))
    image.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (x0, y0))


def signature(image: Image.Image, rect: list[int], rng: random.Random, dpi: int) -> None:
    """A looping pen stroke across the middle of ``rect`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = rect
    width = (x1 - x0) * rng.uniform(0.35, 0.6)
    left = (x0 + x1) / 2 - width / 2 + rng.uniform(-0.1, 0.1) * width
    mid = (y0 + y1) / 2 + rng.uniform(-0.15, 0.15) * (y1 - y0)
    amp = (y1 - y0) * rng.uniform(0.15, 0.3)
    loops = rng.randint(3, 7)
    phase = rng.uniform(0, math.tau)
    points = []
    for k in range(160):
        t = k / 159
        x = left + width * t + amp * 0.5 * math.cos(t * loops * math.tau + phase)
        y = mid + amp * math.sin(t * loops * math.tau) * (1 - 0.5 * t) - amp * 0.6 * t
        points.append((x, y))
    draw = ImageDraw.Draw(image)
    pen = max(2, round(dpi / 110))
    draw.line(points, fill=PEN_BLUE, width=pen, joint="curve")
    tail_y = points[-1][1]
    draw.line(
        [(left, tail_y + amp), (left + width * 1.05, tail_y + amp * 0.6)], fill=PEN_BLUE, width=pen
    )


def qr_code(image: Image.Image, payload: str, box: tuple[int, int, int]) -> list[int]:
    """Draw a QR code of ``payload`` with its top-left at (x, y), ``side`` pixels wide."""
    import cv2

    x, y, side = box
    modules = cv2.QRCodeEncoder.create().encode(payload)
    modules = np.pad(modules, 2, constant_values=255)  # quiet zone, so readers find it
    qr = Image.fromarray(modules).convert("L").resize((side, side), Image.Resampling.NEAREST)
    image.paste(qr.convert("RGB"), (x, y))
    return [x, y, x + side, y + side]


def border(image: Image.Image, margins: tuple[int, int, int, int], dpi: int) -> None:
    """The double frame printed round some certificates, halfway into the margins."""
    left, top, right, bottom = (m // 2 for m in margins)
    draw = ImageDraw.Draw(image)
    outer = max(2, round(dpi / 60))
    gap = max(4, round(dpi / 30))
    box = [left, top, image.width - right, image.height - bottom]
    draw.rectangle(box, outline=(40, 40, 40), width=outer)
    inner = [box[0] + gap, box[1] + gap, box[2] - gap, box[3] - gap]
    draw.rectangle(inner, outline=(40, 40, 40), width=max(1, outer // 2))


COPY_INKS = ((200, 30, 40), (40, 60, 170))


def copy_stamp(
    image: Image.Image, box: tuple[float, float, float, float], rng: random.Random, family: str
) -> list[float]:
    """A rectangular "BẢN SAO" stamp (red or blue) fitted in ``box`` (x0, y0, x1, y1), as
    offices mark a certified copy. Returns the box it was drawn in."""
    x0, y0, x1, y1 = box
    text = rng.choice(["BẢN SAO", "BẢN SAO", "SAO Y BẢN CHÍNH"])
    height = y1 - y0
    size = max(8, round(height * 0.45))
    glyphs = font(family, "bold", size)
    while glyphs.getlength(text) > (x1 - x0) - height * 0.6 and size > 8:
        size = max(8, round(size * 0.9))
        glyphs = font(family, "bold", size)
    width = min(x1 - x0, glyphs.getlength(text) + height * 0.6)
    layer = Image.new("L", (round(width) + 8, round(height) + 8), 0)
    draw = ImageDraw.Draw(layer)
    ring = max(2, round(height / 14))
    draw.rectangle([4, 4, 4 + width, 4 + height], outline=255, width=ring)
    draw.text((4 + width / 2, 4 + height / 2), text, font=glyphs, fill=255, anchor="mm")
    layer = layer.rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC, expand=False)
    left = x0 + rng.uniform(0, max(0.0, (x1 - x0) - width))
    _multiply(image, layer, rng.choice(COPY_INKS), rng.uniform(0.6, 0.9), (round(left), round(y0)))
    return [left, y0, left + width + 8, y1 + 8]
