"""Phone photos, security paper, seals and screenshots of generated pages, with their truth.

The page itself comes from the sample generator's plain rendering (``sohoa.samples``, no
seal, no signature); every effect here is drawn by this module and by nothing else, so
the reader is not tuned to the generator's own photo or security-paper rendering. Images
are BGR ``uint8``, as :func:`ocr.loading.iter_pages` hands out colour pages, and every
truth box is mapped to the image's pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from sohoa.samples import Knobs, generate_page

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SCREEN_FONT = "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf"
A4_RATIO = 297 / 210


@dataclass
class Shot:
    """An image as uploaded, the generator's truth with its boxes mapped onto the image,
    and where the page's corners are (top-left, top-right, bottom-right, bottom-left)."""

    image: np.ndarray
    truth: dict
    corners: np.ndarray | None = None
    marks: dict[str, list[int]] = field(default_factory=dict)  # seal/signature boxes, xywh


def clean_page(doc_type: str, seed: int, dpi: int = 200) -> tuple[np.ndarray, dict]:
    """A plain generated page (RGB, white paper, no seal or signature) and its truth."""
    image, truth = generate_page(doc_type, seed, knobs=Knobs(dpi=dpi))
    return np.asarray(image.convert("RGB")).copy(), truth


# --- security paper ------------------------------------------------------------------


def security_paper(
    page: np.ndarray, seed: int, border: str = "green", strength: float = 0.7
) -> np.ndarray:
    """Green security paper under the print: tint, guilloche over the whole sheet, a large
    pale emblem and a decorative border (``"brown"`` for the brown-bordered copies);
    ``strength`` scales the guilloche's ink (1: as dark as the border).

    Print and paper multiply, as inks on paper do, so black text stays black.
    """
    rng = np.random.default_rng(seed)
    h, w = page.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    unit = w / 1654  # patterns scale with the page (1654 px = A4 at 200 dpi)
    # Guilloche: two families of fine wavy lines and a rosette round the centre.
    f = 2 * math.pi / (11 * unit)
    a = rng.uniform(0, math.tau, 4)
    waves = np.cos(f * (xs + 18 * unit * np.sin(ys / (57 * unit) + a[0])) + a[1])
    waves2 = np.cos(f * (ys + 15 * unit * np.sin(xs / (43 * unit) + a[2])) + a[3])
    cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.4, 0.6)
    r = np.hypot(xs - cx, ys - cy)
    theta = np.arctan2(ys - cy, xs - cx)
    rosette = np.cos(r / (6 * unit) + 4.0 * np.sin(12 * theta))
    lines = np.maximum.reduce([_line(waves), 0.8 * _line(waves2), 0.9 * _line(rosette)])
    lines *= strength
    del waves, waves2, rosette, r, theta
    paper = np.empty((h, w, 3), np.float32)
    tint = np.array([232, 243, 226], np.float32) / 255  # pale green sheet
    ink = np.array([120, 175, 130], np.float32) / 255  # green guilloche ink
    paper[:] = tint
    paper *= 1 - lines[..., None] * (1 - ink)
    # A large pale emblem: a disc, a star and a cog-like rim.
    emblem = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(emblem)
    er = w * 0.28
    draw.ellipse([cx - er, cy - er, cx + er, cy + er], fill=120)
    star = [
        (
            cx + (er * (0.7 if k % 2 == 0 else 0.28)) * math.cos(math.radians(-90 + 36 * k)),
            cy + (er * (0.7 if k % 2 == 0 else 0.28)) * math.sin(math.radians(-90 + 36 * k)),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=255)
    for k in range(24):
        phi = math.tau * k / 24
        draw.line(
            [(cx + er * math.cos(phi), cy + er * math.sin(phi))]
            + [(cx + er * 1.12 * math.cos(phi), cy + er * 1.12 * math.sin(phi))],
            fill=200,
            width=max(2, round(14 * unit)),
        )
    alpha = np.asarray(emblem, np.float32)[..., None] / 255 * 0.22
    paper *= 1 - alpha * (1 - np.array([230, 200, 120], np.float32) / 255)
    # A decorative border: a band of dense guilloche near the edge.
    band = round(0.035 * w)
    edge = np.minimum.reduce([xs, ys, w - 1 - xs, h - 1 - ys])
    in_band = (edge > band * 0.5) & (edge < band * 1.5)
    dense = _line(np.cos(edge / (2.5 * unit) + 3 * np.sin((xs + ys) / (21 * unit))), 0.6)
    colour = {"green": (70, 140, 90), "brown": (150, 95, 55)}[border]
    border_ink = np.array(colour, np.float32) / 255
    strength = np.where(in_band, dense, 0.0)[..., None]
    paper *= 1 - strength * (1 - border_ink)
    out = page.astype(np.float32) * paper
    return np.clip(out, 0, 255).astype(np.uint8)


def _line(wave: np.ndarray, width: float = 0.93) -> np.ndarray:
    """Thin anti-aliased lines where a wave is near its crest."""
    return np.clip((wave - width) / (1 - width), 0, 1)


# --- seals and signatures -------------------------------------------------------------


def seal(page: np.ndarray, centre: tuple[float, float], radius: float, text: str) -> list[int]:
    """A red round seal with its text round the rim, multiplied onto ``page`` (RGB) in
    place; returns its box (x, y, w, h)."""
    size = int(2 * radius) + 8
    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    c = size / 2
    ring = max(3, round(radius / 18))
    draw.ellipse([c - radius, c - radius, c + radius, c + radius], outline=255, width=ring)
    inner = radius * 0.68
    draw.ellipse([c - inner, c - inner, c + inner, c + inner], outline=255, width=ring // 2 + 1)
    font = ImageFont.truetype(FONT, max(8, round(radius * 0.16)))
    for i, ch in enumerate(text):
        phi = -150 + 300 * (i + 0.5) / len(text)
        glyph = Image.new("L", (round(radius * 0.3),) * 2, 0)
        ImageDraw.Draw(glyph).text(
            (glyph.width / 2, glyph.height / 2), ch, font=font, fill=255, anchor="mm"
        )
        glyph = glyph.rotate(-phi, resample=Image.Resampling.BICUBIC)
        mid = (radius + inner) / 2
        x = c + mid * math.sin(math.radians(phi)) - glyph.width / 2
        y = c - mid * math.cos(math.radians(phi)) - glyph.height / 2
        layer.paste(255, (round(x), round(y)), glyph)
    draw.regular_polygon((c, c, inner * 0.35), 5, fill=255)
    x0, y0 = round(centre[0] - c), round(centre[1] - c)
    _multiply(page, np.asarray(layer, np.float32) / 255 * 0.85, (215, 40, 50), (x0, y0))
    return [x0, y0, size, size]


def signature(page: np.ndarray, box: tuple[int, int, int, int], seed: int) -> list[int]:
    """A blue ballpoint scribble across ``box`` (x, y, w, h), in place; returns its box."""
    rng = np.random.default_rng(seed)
    x, y, w, h = box
    t = np.linspace(0, 1, 300)
    loops = rng.integers(3, 6)
    px = x + w * t + 0.08 * w * np.cos(t * loops * math.tau)
    py = y + h / 2 + 0.35 * h * np.sin(t * loops * math.tau + rng.uniform(0, 3)) * (1 - 0.4 * t)
    layer = Image.new("L", (page.shape[1], page.shape[0]), 0)
    pen = max(2, round(page.shape[1] / 600))
    ImageDraw.Draw(layer).line(list(zip(px, py, strict=True)), fill=255, width=pen, joint="curve")
    _multiply(page, np.asarray(layer, np.float32) / 255 * 0.9, (30, 45, 150), (0, 0))
    return [int(px.min()), int(py.min()), int(np.ptp(px)) + 1, int(np.ptp(py)) + 1]


def _multiply(page: np.ndarray, alpha: np.ndarray, colour, at: tuple[int, int]) -> None:
    x, y = at
    h, w = alpha.shape
    x0, y0, x1, y1 = max(0, x), max(0, y), min(page.shape[1], x + w), min(page.shape[0], y + h)
    if x1 <= x0 or y1 <= y0:
        return
    a = alpha[y0 - y : y1 - y, x0 - x : x1 - x, None]
    tint = np.array(colour, np.float32) / 255
    region = page[y0:y1, x0:x1].astype(np.float32)
    page[y0:y1, x0:x1] = np.clip(region * (1 - a * (1 - tint)), 0, 255).astype(np.uint8)


# --- the camera -----------------------------------------------------------------------


def photograph(
    page: np.ndarray,
    truth: dict,
    seed: int,
    *,
    frame: tuple[int, int] = (1200, 1600),
    fill: float = 0.8,
    tilt: float = 0.04,
    background: str = "wood",
    light: float = 0.35,
    glare: float = 60.0,
    blur: float = 0.7,
    noise: float = 4.0,
    jpeg: int = 82,
    others: bool = True,
) -> Shot:
    """``page`` (RGB) photographed lying on ``background`` (wood, cloth, floor), filling
    ``fill`` of a ``frame`` (width, height), each corner up to ``tilt`` of the page's size
    off (perspective), light falling off by ``light`` across the frame, a glare spot of
    ``glare`` grey levels, lens blur, sensor noise and JPEG at ``jpeg`` quality."""
    rng = np.random.default_rng(seed)
    fw, fh = frame
    ph, pw = page.shape[:2]
    scene = _background(background, fw, fh, rng)
    if others:
        _other_papers(scene, rng)
    # Page size in the frame: its area is about ``fill`` of the frame, aspect kept.
    scale = math.sqrt(fill * fw * fh / (pw * ph))
    scale = min(scale, 0.98 * fw / pw, 0.98 * fh / ph)
    w, h = pw * scale, ph * scale
    cx = fw / 2 + rng.uniform(-1, 1) * (fw - w) / 2 * 0.8
    cy = fh / 2 + rng.uniform(-1, 1) * (fh - h) / 2 * 0.8
    turn = math.radians(rng.uniform(-3, 3))
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        dx, dy = sx * w / 2, sy * h / 2
        dx += rng.uniform(-1, 1) * tilt * w
        dy += rng.uniform(-1, 1) * tilt * h
        corners.append(
            (
                cx + dx * math.cos(turn) - dy * math.sin(turn),
                cy + dx * math.sin(turn) + dy * math.cos(turn),
            )
        )
    dst = np.array(corners, np.float32)
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, matrix, (fw, fh), flags=cv2.INTER_AREA)
    inside = cv2.warpPerspective(
        np.full((ph, pw), 255, np.uint8), matrix, (fw, fh), flags=cv2.INTER_LINEAR
    )
    a = inside.astype(np.float32)[..., None] / 255
    image = scene * (1 - a) + warped.astype(np.float32) * a
    image = _light(image, rng, light, glare)
    image = _sensor(image, rng, blur, noise)
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    if jpeg:
        ok, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, jpeg])
        assert ok
        bgr = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return Shot(bgr, _mapped_truth(truth, matrix), dst)


def _background(kind: str, w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        grain = np.sin(xs / 7 + 3 * np.sin(ys / 90) + rng.uniform(0, 6)) * 12
        grain += cv2.resize(rng.normal(0, 10, (h // 16, w // 16)).astype(np.float32), (w, h))
        base = np.array([150, 100, 65], np.float32)
        return np.clip(base + grain[..., None] * np.array([1.0, 0.8, 0.6]), 0, 255)
    if kind == "cloth":  # a checked tablecloth
        cell = max(12, w // 30)
        check = ((xs // cell + ys // cell) % 2).astype(np.float32)
        stripe = ((xs // (cell // 3)) % 3 == 0).astype(np.float32)
        red = np.array([200, 60, 60], np.float32)
        white = np.array([235, 225, 220], np.float32)
        out = white + (red - white) * (0.6 * check + 0.3 * stripe)[..., None]
        return np.clip(out + rng.normal(0, 6, (h, w, 1)), 0, 255)
    if kind == "floor":  # beige tiles with grout
        tile = max(40, w // 5)
        grout = ((xs % tile) < 4) | ((ys % tile) < 4)
        base = np.array([196, 184, 160], np.float32)
        mottle = cv2.resize(rng.normal(0, 12, (h // 8, w // 8)).astype(np.float32), (w, h))
        out = base + mottle[..., None]
        out[grout] = (120, 112, 100)
        return np.clip(out, 0, 255)
    raise ValueError(kind)


def _other_papers(scene: np.ndarray, rng: np.random.Generator) -> None:
    """A corner of another sheet, with a few lines of grey "text", peeking in at the edge."""
    h, w = scene.shape[:2]
    side = rng.integers(0, 4)
    sw, sh = w * 0.5, h * 0.3
    cx, cy = [(w * 0.2, -sh * 0.2), (w + sw * 0.2, h * 0.3), (w * 0.8, h + sh * 0.2)][side % 3]
    angle = rng.uniform(-20, 20)
    box = cv2.boxPoints(((cx, cy), (sw, sh), angle)).astype(np.int32)
    cv2.fillConvexPoly(scene, box, (238, 236, 230))
    for k in range(6):
        y = int(cy - sh / 2 + (k + 1) * sh / 8)
        cv2.line(scene, (int(cx - sw / 3), y), (int(cx + sw / 3), y), (110, 110, 110), 3)


def _light(image: np.ndarray, rng: np.random.Generator, fall: float, glare: float) -> np.ndarray:
    h, w = image.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, math.tau)
    ramp = (xs / w - 0.5) * math.cos(angle) + (ys / h - 0.5) * math.sin(angle)
    gain = 1.0 - fall * (ramp + 0.5)
    vignette = 1 - 0.25 * (((xs / w - 0.5) ** 2 + (ys / h - 0.5) ** 2) * 2)
    image = image * (gain * vignette)[..., None]
    if glare:
        gx, gy = rng.uniform(0.25, 0.75) * w, rng.uniform(0.2, 0.8) * h
        spot = np.exp(-((xs - gx) ** 2 + (ys - gy) ** 2) / (2 * (0.08 * w) ** 2))
        image = image + glare * spot[..., None]
    return image


def _sensor(image: np.ndarray, rng: np.random.Generator, blur: float, noise: float) -> np.ndarray:
    if blur:
        image = cv2.GaussianBlur(image, (0, 0), blur)
    if noise:
        image = image + rng.normal(0, noise, image.shape[:2])[..., None]
    return np.clip(image, 0, 255).astype(np.uint8)


def _mapped_truth(truth: dict, matrix: np.ndarray) -> dict:
    out = {**truth, "boxes": {}}
    for name, (x, y, w, h) in truth["boxes"].items():
        out["boxes"][name] = map_box(matrix, (x, y, w, h))
    return out


def map_box(matrix: np.ndarray, box) -> list[int]:
    x, y, w, h = box
    pts = np.array([[[x, y]], [[x + w, y]], [[x, y + h]], [[x + w, y + h]]], np.float32)
    moved = cv2.perspectiveTransform(pts, matrix.astype(np.float64))[:, 0]
    x0, y0 = np.floor(moved.min(axis=0))
    x1, y1 = np.ceil(moved.max(axis=0))
    return [int(x0), int(y0), int(x1 - x0), int(y1 - y0)]


# --- screenshots ----------------------------------------------------------------------


def screenshot(page: np.ndarray, truth: dict, payload: str = "") -> Shot:
    """An electronic copy shown in a phone app, 870×1885: status bar, app bar, the page
    fitted to the width, a QR code on the page, buttons below; PNG-clean pixels."""
    fw, fh = 870, 1885
    screen = Image.new("RGB", (fw, fh), (242, 242, 246))
    draw = ImageDraw.Draw(screen)
    small = ImageFont.truetype(SCREEN_FONT, 30)
    draw.rectangle([0, 0, fw, 70], fill=(20, 20, 24))
    draw.text((30, 16), "10:24", font=small, fill=(255, 255, 255))
    draw.text((fw - 150, 16), "4G 87%", font=small, fill=(255, 255, 255))
    draw.rectangle([0, 70, fw, 180], fill=(190, 30, 45))
    draw.text((90, 105), "Bản sao điện tử", font=ImageFont.truetype(SCREEN_FONT, 40), fill="white")
    ph, pw = page.shape[:2]
    scale = (fw - 20) / pw
    shown = Image.fromarray(page).resize((fw - 20, round(ph * scale)), Image.Resampling.LANCZOS)
    top = 200
    screen.paste(shown, (10, top))
    if payload:
        modules = np.pad(cv2.QRCodeEncoder.create().encode(payload), 2, constant_values=255)
        side = 150
        qr = Image.fromarray(modules).resize((side, side), Image.Resampling.NEAREST)
        screen.paste(qr.convert("RGB"), (fw - side - 40, top + shown.height - side - 40))
    y = top + shown.height + 40
    for label in ("Tải về", "Chia sẻ"):
        draw.rounded_rectangle([40, y, fw - 40, y + 90], 20, fill=(190, 30, 45))
        draw.text((fw / 2, y + 45), label, font=small, fill="white", anchor="mm")
        y += 120
    matrix = np.array([[scale, 0, 10], [0, scale, top], [0, 0, 1]], np.float64)
    corners = np.array(
        [[10, top], [fw - 10, top], [fw - 10, top + shown.height], [10, top + shown.height]],
        np.float32,
    )
    image = cv2.cvtColor(np.asarray(screen), cv2.COLOR_RGB2BGR)
    return Shot(image, _mapped_truth(truth, matrix), corners)
