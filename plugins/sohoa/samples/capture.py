"""How a page reaches sohoa besides a flatbed scan: a phone photo, or a screenshot.

Phone photos (issue 18): 720×1280 to 1920×2560 pixels; the page fills 60-95 % of the frame
and lies on a table, a floor or a tablecloth, or is held in a hand, with other papers
around it; its corners are a few per cent off a rectangle; light is uneven, with glare;
the file is a JPEG. Screenshots of electronic copies: 870×1885, the page across the screen
under a phone's status and title bars.

Truth boxes follow the page through the same homography as its pixels and keep the
bounding rectangle of their moved corners, in pixels of the final image; the page's own
corners are kept as ``page_quad`` (top-left, top-right, bottom-right, bottom-left).
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from sohoa.samples.layout import font

PHONE_FRAMES = [
    (720, 1280),
    (900, 1600),
    (1080, 1920),
    (1200, 1600),
    (1440, 1920),
    (1536, 2048),
    (1920, 2560),
]
SCREEN_FRAMES = [(870, 1885), (870, 1885), (1080, 2340), (828, 1792)]
BACKGROUNDS = ("table", "floor", "tablecloth", "hand")
LEGIBLE_PAGE_PX = 760
SMALL_FRAME = 1000  # narrower frames need larger print to stay legible
CAPTURES = ("scan", "photo", "screenshot")


def _move(matrix: np.ndarray, boxes: dict[str, list[float]]) -> dict[str, list[float]]:
    """Boxes (x0, y0, x1, y1) through a 3×3 homography: the moved corners' bounds."""
    out = {}
    for name, (x0, y0, x1, y1) in boxes.items():
        pts = np.array([[[x0, y0], [x1, y0], [x0, y1], [x1, y1]]], dtype=np.float64)
        moved = cv2.perspectiveTransform(pts, matrix)[0]
        out[name] = [*moved.min(axis=0), *moved.max(axis=0)]
    return out


def photo_frame(rng: random.Random) -> tuple[tuple[int, int], float]:
    """Frame size and how much of it the page fills (the larger of its two spans).

    The page is kept at least :data:`LEGIBLE_PAGE_PX` wide (about 90 pixels an inch), so
    small frames are filled more: a 720-pixel photo of a page held far away is not
    something a clerk could read either, and the benchmark counts every page as legible."""
    frame = rng.choice(PHONE_FRAMES)
    low = min(0.9, max(0.6, LEGIBLE_PAGE_PX / frame[0]))
    return frame, rng.uniform(low, 0.95)


def page_pixels(frame: tuple[int, int], fill: float, aspect: float) -> float:
    """Width in frame pixels of a page of ``aspect`` (height / width) filling ``fill``."""
    fw, fh = frame
    return min(fill * fw, fill * fh / aspect)


# --- backgrounds -----------------------------------------------------------------------


def _noise(gen: np.random.Generator, size: tuple[int, int], cells: int) -> np.ndarray:
    """Smooth noise in -1..1 at about ``cells`` blobs across."""
    w, h = size
    small = gen.uniform(-1, 1, (max(2, cells * h // w), cells)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _table(size, rng, gen) -> np.ndarray:
    """Wood: a brown ground with long wavy grain."""
    w, h = size
    base = np.array([rng.uniform(90, 150), rng.uniform(60, 100), rng.uniform(30, 60)])
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    warp = _noise(gen, size, 4) * h * 0.02
    grain = np.sin((ys + warp + xs * rng.uniform(-0.05, 0.05)) * (2 * math.pi / rng.uniform(9, 25)))
    shade = 1 + 0.12 * grain + 0.1 * _noise(gen, size, 6)
    return base[None, None, :] * shade[..., None]


def _floor(size, rng, gen) -> np.ndarray:
    """Ceramic tiles: light squares with darker grout lines."""
    w, h = size
    tone = rng.uniform(150, 215)
    base = np.array([tone, tone * rng.uniform(0.95, 1.02), tone * rng.uniform(0.88, 1.0)])
    img = np.empty((h, w, 3), dtype=np.float32)
    img[:] = base
    img *= (1 + 0.05 * _noise(gen, size, 12))[..., None]
    tile = int(w * rng.uniform(0.25, 0.45))
    off = rng.randrange(tile)
    grout = base * 0.7
    for x in range(-off, w, tile):
        cv2.line(img, (x, 0), (x + int(h * 0.05), h), grout.tolist(), max(2, w // 300))
    for y in range(-off, h, tile):
        cv2.line(img, (0, y), (w, y - int(w * 0.03)), grout.tolist(), max(2, w // 300))
    return img


def _tablecloth(size, rng, gen) -> np.ndarray:
    """A checked cloth in two colours."""
    w, h = size
    a = np.array([rng.uniform(150, 240) for _ in range(3)])
    b = a * rng.uniform(0.55, 0.8)
    check = max(8, int(w * rng.uniform(0.03, 0.08)))
    ys, xs = np.mgrid[0:h, 0:w]
    mask = (((xs // check) + (ys // check)) % 2).astype(np.float32)
    img = a[None, None, :] * (1 - mask[..., None]) + b[None, None, :] * mask[..., None]
    img *= (1 + 0.06 * _noise(gen, size, 20))[..., None]
    return img.astype(np.float32)


def _other_papers(img: np.ndarray, quad: np.ndarray, rng: random.Random) -> None:
    """One to three other sheets around the page, partly under it, with grey lines of text."""
    h, w = img.shape[:2]
    centre = quad.mean(axis=0)
    for _ in range(rng.randint(1, 3)):
        sw, sh = w * rng.uniform(0.4, 0.7), h * rng.uniform(0.3, 0.5)
        angle = rng.uniform(-30, 30)
        side = rng.choice([(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1)])
        cx = centre[0] + side[0] * w * rng.uniform(0.35, 0.55)
        cy = centre[1] + side[1] * h * rng.uniform(0.35, 0.55)
        rect = cv2.boxPoints(((cx, cy), (sw, sh), angle)).astype(np.int32)
        tone = rng.uniform(215, 250)
        cv2.fillPoly(img, [rect], (tone, tone, tone * rng.uniform(0.92, 1.0)))
        along, across = rect[1] - rect[0], rect[3] - rect[0]
        if np.linalg.norm(along) < np.linalg.norm(across):
            along, across = across, along
        for k in range(1, 12):
            start = rect[0] + across * (k / 12) + along * 0.1
            end = start + along * rng.uniform(0.4, 0.8)
            cv2.line(
                img,
                tuple(map(int, start)),
                tuple(map(int, end)),
                (tone * 0.6,) * 3,
                max(1, w // 500),
            )


def _hand(img: np.ndarray, quad: np.ndarray, rng: random.Random, margin_frac: float) -> list:
    """A hand holding the page by its left or right edge: palm outside, thumb on the margin.

    The thumb reaches at most ``margin_frac`` of the page width in, so it covers margin,
    never print. Returns the thumb's polygon (for the truth)."""
    left = rng.random() < 0.5
    top, bottom = (quad[0], quad[3]) if left else (quad[1], quad[2])
    t = rng.uniform(0.35, 0.75)
    edge = top + (bottom - top) * t
    inward = (quad[1] - quad[0]) if left else (quad[0] - quad[1])
    page_w = float(np.linalg.norm(inward))
    inward = inward / page_w
    skin = np.array([rng.uniform(190, 235), rng.uniform(140, 180), rng.uniform(110, 150)])
    angle = math.degrees(math.atan2(inward[1], inward[0]))
    palm_c = edge - inward * page_w * rng.uniform(0.12, 0.18)
    axes = (int(page_w * 0.13), int(page_w * 0.2))
    cv2.ellipse(img, tuple(map(int, palm_c)), axes, angle, 0, 360, skin.tolist(), -1)
    # The thumb runs from well outside the edge to its tip ``reach`` inside it.
    reach = page_w * margin_frac * rng.uniform(0.4, 0.8)
    base = page_w * 0.08
    thumb_c = edge + inward * ((reach - base) / 2)
    thumb_axes = (int((reach + base) / 2), int(page_w * 0.03))
    cv2.ellipse(
        img, tuple(map(int, thumb_c)), thumb_axes, angle, 0, 360, (skin * 0.93).tolist(), -1
    )
    tip = edge + inward * reach
    return [[float(v) for v in edge], [float(v) for v in tip]]


def _background(kind: str, size, rng, gen) -> np.ndarray:
    if kind == "floor":
        return _floor(size, rng, gen)
    if kind == "tablecloth":
        return _tablecloth(size, rng, gen)
    return _table(size, rng, gen)  # a hand holds the page over a table


# --- the photo -------------------------------------------------------------------------


def _quad(frame: tuple[int, int], page_w: float, aspect: float, rng: random.Random) -> np.ndarray:
    """The page's corners in the frame: a rectangle turned a little, each corner a few
    per cent off, kept inside the frame."""
    fw, fh = frame
    pw, ph = page_w, page_w * aspect
    cx = fw / 2 + rng.uniform(-1, 1) * max(0.0, fw - pw) * 0.4
    cy = fh / 2 + rng.uniform(-1, 1) * max(0.0, fh - ph) * 0.4
    angle = math.radians(rng.uniform(-4, 4))
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x, y = sx * pw / 2, sy * ph / 2
        xr = x * math.cos(angle) - y * math.sin(angle)
        yr = x * math.sin(angle) + y * math.cos(angle)
        off = rng.uniform(0.01, 0.04)
        corners.append(
            [cx + xr + rng.uniform(-off, off) * fw, cy + yr + rng.uniform(-off, off) * fh]
        )
    quad = np.array(corners, dtype=np.float64)
    lo, hi = quad.min(axis=0), quad.max(axis=0)
    pad = np.array([fw, fh]) * 0.01
    scale = min(
        1.0,
        (fw / 2 - pad[0]) / max(1e-6, max(cx - lo[0], hi[0] - cx)),
        (fh / 2 - pad[1]) / max(1e-6, max(cy - lo[1], hi[1] - cy)),
    )
    centre = np.array([cx, cy])
    quad = centre + (quad - centre) * scale
    quad = np.clip(quad, pad, np.array([fw, fh]) - pad)
    return quad


def _light(size, rng: random.Random, gen: np.random.Generator) -> np.ndarray:
    """Uneven light: a gradient across the frame, a darker rim, a soft shadow sometimes."""
    w, h = size
    xs = np.linspace(-1, 1, w, dtype=np.float32)[None, :]
    ys = np.linspace(-1, 1, h, dtype=np.float32)[:, None]
    angle = rng.uniform(0, math.tau)
    field = 1 + rng.uniform(0.08, 0.25) * (xs * math.cos(angle) + ys * math.sin(angle))
    field = field - rng.uniform(0.05, 0.2) * (xs * xs + ys * ys) / 2
    if rng.random() < 0.4:
        sx, sy = rng.uniform(-1, 1), rng.uniform(-1, 1)
        shadow = np.exp(-(((xs - sx) / 0.5) ** 2 + ((ys - sy) / 0.7) ** 2))
        field = field - rng.uniform(0.1, 0.25) * shadow
    field = field + 0.04 * _noise(gen, size, 5)
    return np.clip(field * rng.uniform(0.85, 1.0), 0.45, 1.1).astype(np.float32)


def _glare(img: np.ndarray, quad: np.ndarray, rng: random.Random) -> None:
    """A soft bright patch where a lamp or window reflects off the sheet."""
    h, w = img.shape[:2]
    lo, hi = quad.min(axis=0), quad.max(axis=0)
    gx, gy = rng.uniform(lo[0], hi[0]), rng.uniform(lo[1], hi[1])
    rx, ry = w * rng.uniform(0.08, 0.22), h * rng.uniform(0.05, 0.15)
    xs = (np.arange(w, dtype=np.float32)[None, :] - gx) / rx
    ys = (np.arange(h, dtype=np.float32)[:, None] - gy) / ry
    blob = np.exp(-(xs * xs + ys * ys)) * rng.uniform(0.3, 0.6)
    img += (255 - img) * blob[..., None]


def photograph(
    page: np.ndarray,
    boxes: dict[str, list[float]],
    frame: tuple[int, int],
    fill: float,
    rng: random.Random,
    gen: np.random.Generator,
    margin_frac: float = 0.06,
) -> tuple[np.ndarray, dict[str, list[float]], dict]:
    """A phone photo of ``page`` (uint8 RGB) in a ``frame`` it fills ``fill`` of.

    Returns the JPEG-decoded frame (uint8 RGB), the boxes moved into it and what was done.
    ``margin_frac`` is the page's narrowest margin as a share of its width (how far a
    thumb may reach in)."""
    ph, pw = page.shape[:2]
    aspect = ph / pw
    target = page_pixels(frame, fill, aspect)
    # Down to about the target size first (area averaging), so the warp never aliases.
    factor = min(1.0, target * 1.2 / pw)
    if factor < 1.0:
        page = cv2.resize(
            page, (round(pw * factor), round(ph * factor)), interpolation=cv2.INTER_AREA
        )
        boxes = {k: [v * factor for v in b] for k, b in boxes.items()}
    ph, pw = page.shape[:2]
    quad = _quad(frame, target, aspect, rng)
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, quad.astype(np.float32))

    kind = rng.choice(BACKGROUNDS)
    ground = _background(kind, frame, rng, gen)
    if kind != "floor" or rng.random() < 0.5:
        _other_papers(ground, quad, rng)
    warped = cv2.warpPerspective(
        page, matrix, frame, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
    ).astype(np.float32)
    mask = cv2.warpPerspective(
        np.ones((ph, pw), dtype=np.float32), matrix, frame, flags=cv2.INTER_LINEAR
    )
    shadow = cv2.GaussianBlur(mask, (0, 0), frame[0] * 0.01)
    ground *= (1 - 0.35 * shadow)[..., None]
    img = ground * (1 - mask[..., None]) + warped * mask[..., None]
    thumb = _hand(img, quad, rng, margin_frac) if kind == "hand" else None

    img *= _light(frame, rng, gen)[..., None]
    glare = rng.random() < 0.6
    if glare:
        _glare(img, quad, rng)
    img *= np.array([rng.uniform(0.94, 1.06) for _ in range(3)], dtype=np.float32)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.0) * frame[0] / 1080)
    img += gen.standard_normal(img.shape[:2], dtype=np.float32)[..., None] * rng.uniform(1.5, 4.5)
    out = np.clip(img, 0, 255).astype(np.uint8)
    quality = rng.randint(70, 92)
    ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if ok:
        out = cv2.imdecode(buf, cv2.IMREAD_UNCHANGED)
    area = cv2.contourArea(quad.astype(np.float32)) / (frame[0] * frame[1])
    info = {
        "capture": "photo",
        "frame": list(frame),
        "page_quad": [[round(float(x), 1), round(float(y), 1)] for x, y in quad],
        "fill": round(fill, 3),
        "page_area_share": round(float(area), 3),
        "background": kind,
        "glare": glare,
        "jpeg_quality": quality,
    }
    if thumb:
        info["thumb"] = [[round(v, 1) for v in p] for p in thumb]
    return out, _move(matrix, boxes), info


# --- the screenshot --------------------------------------------------------------------


def screenshot(
    page: Image.Image,
    boxes: dict[str, list[float]],
    frame: tuple[int, int],
    rng: random.Random,
) -> tuple[np.ndarray, dict[str, list[float]], dict]:
    """A phone screenshot of an electronic copy shown across the screen of ``frame``."""
    fw, fh = frame
    dark = rng.random() < 0.3
    screen = Image.new("RGB", frame, (40, 40, 44) if dark else (232, 232, 236))
    draw = ImageDraw.Draw(screen)
    bar = round(fh * 0.028)
    title = round(fh * 0.05)
    ink = (235, 235, 235) if dark else (25, 25, 25)
    ui = font("dejavu-sans", "regular", max(10, round(bar * 0.6)))
    draw.rectangle([0, 0, fw, bar], fill=(20, 20, 22) if dark else (245, 245, 245))
    draw.text(
        (fw * 0.06, bar * 0.2),
        f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}",
        fill=ink,
        font=ui,
    )
    draw.rectangle([fw * 0.85, bar * 0.3, fw * 0.93, bar * 0.7], outline=ink, width=2)
    draw.rectangle([0, bar, fw, bar + title], fill=(30, 30, 34) if dark else (255, 255, 255))
    title_font = font("dejavu-sans", "bold", max(12, round(title * 0.36)))
    name = rng.choice(["Ban sao dien tu.pdf", "Trich luc.pdf", "Ket qua.pdf", "VNeID"])
    draw.text((fw * 0.14, bar + title * 0.3), name, fill=ink, font=title_font)
    draw.line([(fw * 0.04, bar + title * 0.5), (fw * 0.08, bar + title * 0.3)], fill=ink, width=3)
    draw.line([(fw * 0.04, bar + title * 0.5), (fw * 0.08, bar + title * 0.7)], fill=ink, width=3)

    pad = rng.choice([0, 0, round(fw * 0.02)])
    width = fw - 2 * pad
    factor = width / page.width
    height = round(page.height * factor)
    top = bar + title + rng.randint(0, round(fh * 0.03))
    shown = page.resize((width, height), Image.Resampling.LANCZOS)
    screen.paste(shown, (pad, top))
    nav = round(fh * 0.04)
    draw.rectangle([0, fh - nav, fw, fh], fill=(20, 20, 22) if dark else (245, 245, 245))
    draw.rounded_rectangle(
        [fw * 0.35, fh - nav * 0.45, fw * 0.65, fh - nav * 0.3], radius=nav * 0.1, fill=ink
    )
    matrix = np.array([[factor, 0, pad], [0, factor, top], [0, 0, 1]], dtype=np.float64)
    info = {
        "capture": "screenshot",
        "frame": list(frame),
        "page_quad": [
            [pad, top],
            [pad + width, top],
            [pad + width, top + height],
            [pad, top + height],
        ],
        "dark_mode": dark,
    }
    return np.asarray(screen), _move(matrix, boxes), info
