"""Find the page in a phone photo or a screenshot, flatten it, and say how large its print is.

Clerks photograph certificates lying on a table, a floor or a tablecloth, with other
papers around and a few per cent of perspective; they also send screenshots of
electronic copies. A flatbed scan, whose page fills the frame, must pass through
untouched. So:

* the page is the region of paper grown from the middle of the frame, on a copy where
  the print has been closed away; it must fill 20-97 % of the frame and be a convex
  quadrilateral, or nothing is found (the upload is taken as the page);
* when the edges cannot be seen but the print sits in a busy frame (table, cloth), the
  page is cut to the text block's hull, axis-aligned, with a margin;
* the found quadrilateral is warped to a rectangle at the photo's own resolution; the
  homography is kept so that boxes map back to the page as uploaded;
* the resolution to read at comes from the page's size (A4) when its edges were found,
  else from the print itself (the size of its letters), wherever the file's dpi cannot
  be trusted: phones write 72 dpi or nothing, and a screenshot has no dpi at all.

Colour is kept: :mod:`ocr.paper` separates print from security paper, seals and
signatures, and evens out the light.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr import paper
from ocr.prepare import to_gray

_MIN_SEARCH_SIDE = 300  # in a thumbnail no page is looked for: the gate turns it away whole
_WORK_SIDE = 480  # the page is looked for on a copy this long: ~4 px of a 1920 px photo
_MIN_PAGE_SHARE = 0.2  # a page filling less of the frame than this is not what was meant
_FULL_FRAME_SHARE = 0.97  # above this the page fills the frame: a scan, left alone
_FILL_STEP = 4  # grey levels between neighbours the paper region may grow across
_EDGE_WALL = 6.0  # grey levels per pixel: steeper than this is an edge the region stops at
_QUAD_FIT = 0.08  # share of the page's quadrilateral the paper region may leave out
_MIN_CORNER_DEG = 55.0  # a page seen at a slant keeps its corners near 90 degrees
_EDGE_STRIP = 0.035  # share of a found page's width whitened along its edges (a border)
_HULL_MARGIN = 0.04  # margin round the text block, as a share of the frame's long side
_BUSY_FRAME = 0.35  # share of the frame outside the text that is not paper -> cut to text

TRUSTED_DPI = 150
"""A declared resolution at or above this is a scanner's and is believed; phones write 72."""

LETTER_AT_300_DPI = 20.0
"""Median short side (px) of letter-sized marks on the forms at 300 dpi (11-13 pt print)."""

MIN_DPI, MAX_DPI = 15, 600  # bounds of an estimated resolution (the gate judges it)

A4_LONG_INCHES = 11.69
"""A page found by its edges is taken for A4 (certificates and decisions are): its long
side in pixels over this is its resolution, sharper than the letters' estimate."""


@dataclass
class Page:
    """The page as the reader will see it, and how it was found."""

    image: np.ndarray  # grayscale, print dark on white paper (see :mod:`ocr.paper`)
    dpi: int | None  # resolution to read it at; None: unknown and no print to tell
    homography: np.ndarray | None = None  # 3x3, uploaded pixels -> ``image``; None: same
    found: str = "frame"  # "frame" (the upload is the page), "edges" or "text"
    marks: paper.Marks | None = None  # seals and signatures, in ``image`` pixels
    letter_px: float = 0.0  # letters' median short side (px) when they set the dpi, else 0
    light: float = 255.0  # the paper's grey level as uploaded (see :mod:`ocr.paper`)
    plain: np.ndarray | None = None  # the page in grey before :mod:`ocr.paper` (its blur)
    notes: list[str] = field(default_factory=list)  # what was done, for logs and tests

    def to_upload(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """An ``(x, y, w, h)`` box on ``image`` as a box on the page as uploaded."""
        if self.homography is None:
            return box
        return map_box(np.linalg.inv(self.homography), box)

    def from_upload(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """An ``(x, y, w, h)`` box of the upload as a box on ``image``."""
        if self.homography is None:
            return box
        return map_box(self.homography, box)


def capture(image: np.ndarray, dpi: int | None) -> Page:
    """The page of an upload (grayscale or BGR ``uint8``), found, flattened and cleaned."""
    homography, found, page_dpi = None, "frame", None
    searched = min(image.shape[:2]) >= _MIN_SEARCH_SIDE  # a thumbnail is turned away whole
    edges = page_edges(image) if searched else None
    if edges is not None:
        corners, seen = edges
        homography, size = _rectifier(corners)
        page_dpi = max(size) / A4_LONG_INCHES
        image = cv2.warpPerspective(
            image, homography, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        found = "edges"
    else:
        # A scanner's page without visible edges fills its frame: no table round it.
        box = text_block(image) if searched and not _trusted(dpi) else None
        if box is not None:
            x, y, w, h = box
            image = image[y : y + h, x : x + w]
            homography = np.array([[1, 0, -x], [0, 1, -y], [0, 0, 1]], float)
            found = "text"
    cleaned = paper.separate(image, photo=found != "frame" or not _trusted(dpi))
    if found == "edges":
        _clear_edges(cleaned.image, seen)
    letter = 0.0
    if _trusted(dpi):
        read_dpi = dpi  # a scanner's: cutting the page out of it changes no scale
    elif page_dpi is not None:
        read_dpi = round(min(MAX_DPI, max(MIN_DPI, page_dpi)))
    else:
        letter = letter_size(cleaned.image)
        read_dpi = _dpi_from_letters(letter)
    return Page(
        image=cleaned.image,
        dpi=read_dpi,
        homography=homography,
        found=found,
        marks=cleaned.marks,
        letter_px=letter,
        light=cleaned.light,
        plain=to_gray(image) if cleaned.notes else cleaned.image,
        notes=cleaned.notes,
    )


def _clear_edges(gray: np.ndarray, sides: list[bool]) -> None:
    """Whiten a strip along the whole edges of a page cut out of a photo, in place.

    A certificate's decorative border runs there, and the shadow of the page's edge;
    OCR reads both as letters glued to the ends of the values. Print keeps a margin of
    1.5 cm or more (7 % of an A4 page's width); the strip is half that. An edge the
    frame cut off is left alone: print may run up to it.
    """
    h, w = gray.shape[:2]
    side = round(_EDGE_STRIP * min(h, w))
    top, right, bottom, left = sides
    if top:
        gray[:side] = 255
    if right:
        gray[:, w - side :] = 255
    if bottom:
        gray[h - side :] = 255
    if left:
        gray[:, :side] = 255


def _trusted(dpi: int | None) -> bool:
    return dpi is not None and dpi >= TRUSTED_DPI


def _dpi_from_letters(letter: float) -> int | None:
    if letter <= 0:
        return None  # no print to measure, and the declared figure is not trusted
    return round(min(MAX_DPI, max(MIN_DPI, 300.0 * letter / LETTER_AT_300_DPI)))


# --- the page's edges -----------------------------------------------------------------


def find_page(image: np.ndarray) -> np.ndarray | None:
    """The page's corners in upload pixels (top-left, top-right, bottom-right, bottom-left),
    or None when the page fills the frame or no clean quadrilateral of paper is seen."""
    found = page_edges(image)
    return None if found is None else found[0]


def page_edges(image: np.ndarray) -> tuple[np.ndarray, list[bool]] | None:
    """:func:`find_page`'s corners, and for the top, right, bottom and left sides whether
    the page's own edge was seen there (False: the frame cut the page off there)."""
    small, scale = _small(image, _WORK_SIDE)
    region = _paper_region(small)
    if region is None:
        return None
    share = float(region.mean())
    if not _MIN_PAGE_SHARE <= share <= _FULL_FRAME_SHARE:
        return None
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea)
    rough = _quadrilateral(cv2.convexHull(outline))
    if rough is None:
        return None
    points = outline.reshape(-1, 2)
    h, w = region.shape
    on_frame = (points[:, 0] <= 1) | (points[:, 1] <= 1)
    on_frame |= (points[:, 0] >= w - 2) | (points[:, 1] >= h - 2)
    fitted = _fit_sides(points.astype(np.float64), on_frame, rough.reshape(4, 2))
    if fitted is None:
        return None
    quad, seen = fitted
    inside = np.zeros_like(region)
    cv2.fillConvexPoly(inside, np.round(quad).astype(np.int32), 1)
    if not inside.any() or (region & inside).sum() < (1 - _QUAD_FIT) * inside.sum():
        return None  # the edges found do not enclose the paper: not one clean sheet
    corners = quad / scale
    if _min_corner_angle(corners) < _MIN_CORNER_DEG:
        return None
    return corners, seen


def _small(image: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    scale = min(1.0, side / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return small, scale


def _paper_region(small: np.ndarray) -> np.ndarray | None:
    """The paper round the middle of the frame as a 0/1 mask, holes filled.

    Print is closed away first (a grey closing wider than any stroke); the region then
    grows from the brightest spot near the centre across steps of at most
    :data:`_FILL_STEP` grey levels per channel, so slow shading and glare are crossed but
    the step at the page's edge is not.
    """
    k = max(5, round(max(small.shape[:2]) / 60)) | 1
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    closed = cv2.GaussianBlur(closed, (0, 0), 1.2)
    h, w = closed.shape[:2]
    luma = closed if closed.ndim == 2 else cv2.cvtColor(closed, cv2.COLOR_BGR2GRAY)
    y0, y1, x0, x1 = int(h * 0.35), int(h * 0.65), int(w * 0.35), int(w * 0.65)
    _, _, _, (sx, sy) = cv2.minMaxLoc(cv2.blur(luma[y0:y1, x0:x1], (9, 9)))
    # Edges are walls: along a slanted edge the tone changes by small steps, and a fill
    # that only looks at steps would creep along it into the table.
    mask = np.zeros((h + 2, w + 2), np.uint8)
    mask[1:-1, 1:-1] = _steepness(closed) > _EDGE_WALL
    step = (_FILL_STEP,) * (1 if closed.ndim == 2 else 3)
    flags = 8 | cv2.FLOODFILL_MASK_ONLY | (2 << 8)
    cv2.floodFill(closed, mask, (x0 + sx, y0 + sy), 0, step, step, flags)
    region = (mask[1:-1, 1:-1] == 2).astype(np.uint8)
    region = cv2.dilate(region, np.ones((3, 3), np.uint8))  # give back the wall's width
    # Holes (a photo, a QR code, a dark seal the closing kept) belong to the page.
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    filled = np.zeros_like(region)
    cv2.drawContours(filled, [max(contours, key=cv2.contourArea)], -1, 1, cv2.FILLED)
    return filled


def _steepness(image: np.ndarray) -> np.ndarray:
    """Grey levels per pixel of the steepest channel."""
    image = image.astype(np.float32)
    gx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3) / 4
    gy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=3) / 4
    slope = cv2.magnitude(gx, gy)
    return slope if slope.ndim == 2 else slope.max(axis=2)


def _quadrilateral(hull: np.ndarray) -> np.ndarray | None:
    perimeter = cv2.arcLength(hull, True)
    for share in (0.01, 0.02, 0.03, 0.04, 0.06):
        approx = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(approx) == 4:
            return approx if cv2.isContourConvex(approx) else None
        if len(approx) < 4:
            return None
    return None


def _fit_sides(
    points: np.ndarray, on_frame: np.ndarray, rough: np.ndarray
) -> tuple[np.ndarray, list[bool]] | None:
    """The quadrilateral of the four straight edges found near the sides of ``rough``.

    The paper region is ragged where a decorative border or a leak into a pale cloth bends
    it, and longer where another sheet touches the page; near each side, the line with
    the most outline points close to it (RANSAC) is the page's edge, and the corners are
    where those lines meet. A convex hull would follow every bump. The outline along the
    frame's own border is no edge of the page; a side seen only there (the page is cut
    off) is that border.
    """
    rough = _ordered(rough.astype(np.float64))
    size = max(np.ptp(points[:, 0]), np.ptp(points[:, 1]))
    reach, tolerance = 0.06 * size, max(1.5, 0.004 * size)
    rng = np.random.default_rng(0)
    lines, seen = [], []
    for i in range(4):
        a, b = rough[i], rough[(i + 1) % 4]
        length = np.linalg.norm(b - a)
        direction = (b - a) / max(length, 1e-9)
        normal = np.array([-direction[1], direction[0]])
        rel = points - a
        along = rel @ direction
        close = (np.abs(rel @ normal) < reach) & (along > -reach) & (along < length + reach)
        near = points[close & ~on_frame]
        seen.append(len(near) >= max(20, 0.3 * close.sum()))
        if not seen[-1]:
            near = points[close]  # a side the frame cut off: its border stands in
        if len(near) < 20:
            return None
        line = _ransac_line(near, tolerance, rng)
        if line is None:
            return None
        lines.append(line)
    corners = []
    for i in range(4):
        (p, u), (q, v) = lines[i - 1], lines[i]
        det = u[1] * v[0] - u[0] * v[1]
        if abs(det) < 1e-6:
            return None
        t = ((q - p)[1] * v[0] - (q - p)[0] * v[1]) / det
        corners.append(p + t * u)
    return np.array(corners), seen


def _ransac_line(
    points: np.ndarray, tolerance: float, rng: np.random.Generator, tries: int = 150
) -> tuple[np.ndarray, np.ndarray] | None:
    """(point, unit direction) of the line most points lie within ``tolerance`` of."""
    best, best_count = None, 0
    pairs = rng.integers(0, len(points), (tries, 2))
    for i, j in pairs:
        d = points[j] - points[i]
        norm = np.linalg.norm(d)
        if norm < 10 * tolerance:
            continue
        normal = np.array([-d[1], d[0]]) / norm
        inliers = np.abs((points - points[i]) @ normal) < tolerance
        count = int(inliers.sum())
        if count > best_count:
            best, best_count = inliers, count
    if best is None or best_count < 10:
        return None
    vx, vy, x0, y0 = cv2.fitLine(points[best].astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01)
    return np.array([x0[0], y0[0]], float), np.array([vx[0], vy[0]], float)


def _ordered(points: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    total = points.sum(axis=1)
    diff = points[:, 1] - points[:, 0]
    return np.array(
        [
            points[np.argmin(total)],
            points[np.argmin(diff)],
            points[np.argmax(total)],
            points[np.argmax(diff)],
        ]
    )


def _min_corner_angle(corners: np.ndarray) -> float:
    angles = []
    for i in range(4):
        a, b, c = corners[i - 1], corners[i], corners[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(u @ v / max(np.linalg.norm(u) * np.linalg.norm(v), 1e-9))
        angles.append(math.degrees(math.acos(max(-1.0, min(1.0, cos)))))
    return min(angles)


def _rectifier(corners: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """Homography from the upload to an upright rectangle as large as the page's longer
    edges (the near edge of a slanted page keeps its resolution)."""
    tl, tr, br, bl = corners
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    w, h = round(width), round(height)
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    return cv2.getPerspectiveTransform(corners.astype(np.float32), target), (w, h)


def map_box(matrix: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The bounding box of an ``(x, y, w, h)`` box's corners moved by a 3x3 homography."""
    x, y, w, h = box
    pts = np.array([[[x, y]], [[x + w, y]], [[x, y + h]], [[x + w, y + h]]], np.float64)
    moved = cv2.perspectiveTransform(pts, matrix.astype(np.float64))[:, 0]
    x0, y0 = moved.min(axis=0)
    x1, y1 = moved.max(axis=0)
    return round(x0), round(y0), round(x1 - x0), round(y1 - y0)


# --- the text block, when the edges cannot be seen -------------------------------------


def text_block(image: np.ndarray) -> tuple[int, int, int, int] | None:
    """``(x, y, w, h)`` round the text block with a margin, when the frame round it is busy
    (a table or a cloth rather than the paper's own margins); else None."""
    small, scale = _small(image, _WORK_SIDE)
    gray = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    ink = _letters(gray)
    if ink.sum() < 50:
        return None
    # The text block: the largest cluster of letters once lines are smeared together.
    reach = max(3, round(max(gray.shape) / 40))
    smeared = cv2.dilate(ink, np.ones((reach, reach), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    if count <= 1:
        return None
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = (int(v) for v in stats[biggest, :4])
    margin = round(_HULL_MARGIN * max(gray.shape))
    x0, y0 = max(0, x - margin), max(0, y - margin)
    x1, y1 = min(gray.shape[1], x + w + margin), min(gray.shape[0], y + h + margin)
    if (x1 - x0) * (y1 - y0) > 0.85 * gray.size:
        return None
    outside = np.ones(gray.shape, bool)
    outside[y0:y1, x0:x1] = False
    if _busy_share(small, outside) < _BUSY_FRAME:
        return None
    return (
        round(x0 / scale),
        round(y0 / scale),
        round((x1 - x0) / scale),
        round((y1 - y0) / scale),
    )


def _letters(gray: np.ndarray) -> np.ndarray:
    """Letter-sized dark marks (0/1) on a small grey copy."""
    k = max(5, round(max(gray.shape) / 60)) | 1
    background = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    ink = (cv2.subtract(background, gray) > 30).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    hs, ws = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    keep = np.zeros(count, np.uint8)
    keep[1:] = (hs <= k * 2) & (ws <= k * 4) & (stats[1:, cv2.CC_STAT_AREA] >= 2)
    return keep[labels]


def _busy_share(small: np.ndarray, where: np.ndarray) -> float:
    """Share of ``where`` that does not look like the paper inside the text block: far
    from its tone or colour, or textured."""
    inside = ~where
    if not where.any() or not inside.any():
        return 0.0
    pixels = small.reshape(-1, 1 if small.ndim == 2 else 3).astype(np.float32)
    k = max(5, round(max(small.shape[:2]) / 60)) | 1
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    tone = np.median(closed.reshape(pixels.shape)[inside.ravel()], axis=0)
    far = np.abs(pixels - tone).max(axis=1) > 40
    return float(far.reshape(where.shape)[where].mean())


# --- how large the print is -------------------------------------------------------------


def letter_size(gray: np.ndarray) -> float:
    """Median short side (px) of the letter-sized marks of a page with dark print, or 0.0
    when there are too few to tell. Measured on a copy about 1600 px long, to a fraction
    of a pixel (the mean of the middle fifth of the sizes)."""
    scale = min(1.0, 1600 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    hs, ws = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    side = max(small.shape)
    fill = stats[1:, cv2.CC_STAT_AREA] / np.maximum(hs * ws, 1)
    text = (np.maximum(hs, ws) >= 3) & (hs <= side * 0.05) & (ws <= side * 0.08)
    text &= (fill >= 0.1) & (fill <= 0.9)
    if text.sum() < 40:
        return 0.0
    # Heights and widths apart: small print runs letters together into words, which
    # are as tall as their letters (or as wide, on a page turned by 90 degrees).
    return min(_middle_mean(hs[text]), _middle_mean(ws[text])) / scale


def _middle_mean(values: np.ndarray) -> float:
    """Mean of the middle fifth of ``values``: a median to a fraction of a pixel."""
    ordered = np.sort(values.astype(np.float64))
    n = len(ordered)
    return float(ordered[int(n * 0.4) : max(int(n * 0.6), int(n * 0.4) + 1)].mean())
