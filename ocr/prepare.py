"""Image preparation with OpenCV: upright, deskewed, and a map back to the uploaded page.

Each step keeps the affine transform it applied, so every box read on the prepared image
can be mapped back to pixels of the page as uploaded (docs/record.md: ``bbox`` is "before any
rotation").

Orientation comes from cheap image statistics rather than Tesseract's OSD: OSD took about
as long as reading the page itself (0.4-0.6 s a page), these take milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_WORK_SIZE = 900  # analysis happens on a copy about this large: fast and precise enough
_MIN_SKEW = 0.15  # degrees; below this, rotating the image costs more than it helps
OCR_DPI = 300  # the resolution pages are read at
_LEADER_DOTS = 5  # a run of this many aligned dots is a leader (an ellipsis has three)


@dataclass
class Prepared:
    image: np.ndarray  # grayscale, upright, deskewed
    matrix: np.ndarray  # 2x3 affine: uploaded page -> prepared image
    rotation: int  # clockwise degrees the uploaded page was turned to make it upright
    skew_deg: float  # tilt of the text on the upright page, counter-clockwise positive
    homography: np.ndarray | None = None  # 3x3: upload -> the page ``matrix`` starts from

    def to_original(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """Map an ``(x, y, w, h)`` box on the prepared image back to the uploaded page.

        The affine ``matrix`` is undone first; then, for a page found in a photo
        (:mod:`ocr.capture`), the perspective correction: the box's four corners are
        moved through both and the result is their bounding box.
        """
        inverse = np.vstack([cv2.invertAffineTransform(self.matrix), [0, 0, 1]])
        if self.homography is not None:
            inverse = np.linalg.inv(self.homography) @ inverse
        x, y, w, h = box
        corners = np.array([[[x, y]], [[x + w, y]], [[x, y + h]], [[x + w, y + h]]], float)
        mapped = cv2.perspectiveTransform(corners, inverse)[:, 0]
        x0, y0 = mapped.min(axis=0)
        x1, y1 = mapped.max(axis=0)
        return round(x0), round(y0), round(x1 - x0), round(y1 - y0)


def to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark-on-light text ink as 1s, on a copy about ``_WORK_SIZE`` on its long side.

    Long straight lines (a form's frame, table rules, underlines) are removed: a frame's
    two long sides would otherwise outweigh the text and pass for vertical text lines.
    On a skewed scan the lines are tilted too, and an upright line filter would only
    nibble them into a column of dashes, so the lines are also looked for level with
    their own tilt.
    """
    scale = min(1.0, _WORK_SIZE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, mask = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    reach = max(20, max(mask.shape) // 12)
    lines = _straight_lines(mask, reach)
    tilt = _line_tilt(mask, reach)
    if tilt:
        h, w = mask.shape
        pad = round(max(h, w) * np.sin(np.deg2rad(abs(tilt)))) + 2
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), tilt, 1.0)
        turn[:, 2] += pad
        size = (w + 2 * pad, h + 2 * pad)
        level = cv2.warpAffine(mask, turn, size, flags=cv2.INTER_NEAREST)
        back = cv2.warpAffine(
            _straight_lines(level, reach, band=3),
            turn,
            (w, h),
            flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP,
        )
        lines |= back
    lines = cv2.dilate(lines, np.ones((3, 3), np.uint8))
    return _letter_sized(mask & (1 - lines))


def _straight_lines(mask: np.ndarray, reach: int, band: int = 1) -> np.ndarray:
    """Ink of horizontal and vertical runs at least ``reach`` long (letters are shorter).

    With ``band`` > 1 the ink is first thickened across each direction, so that a thin
    line whose pixels step by a row (as a turned line does) still counts as one run, and
    each line found is widened by ``band`` pixels either side: a certificate's double
    frame has a faint second rule that close, which thresholding breaks into dashes.
    """
    wide = 2 * band + 1
    lines = np.zeros_like(mask)
    for run, thicken, widen in (
        ((1, reach), (3, 1), (wide, 1)),  # horizontal lines
        ((reach, 1), (1, 3), (1, wide)),
    ):  # vertical lines
        if band > 1:
            ink = cv2.dilate(mask, np.ones(thicken, np.uint8))
            found = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones(run, np.uint8))
            lines |= cv2.dilate(found, np.ones(widen, np.uint8))
        else:
            lines |= cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones(run, np.uint8))
    return lines


def _line_tilt(mask: np.ndarray, reach: int) -> float:
    """Tilt of the page's long line work (frame, rules), 0.0 when level or absent.

    Only blobs longer than any letter are measured, so it costs little; their rows (or
    columns, on a page turned 90°) line up sharpest at the scan's skew. A wrong tilt is
    harmless: a line filter at any angle still leaves letters alone.
    """
    coarse = cv2.dilate(mask, np.ones((2, 2), np.uint8))[::2, ::2]  # half size, lines kept whole
    reach //= 2
    count, labels, stats, _ = cv2.connectedComponentsWithStats(coarse, connectivity=8)
    if count <= 1:
        return 0.0
    long_side = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    keep = np.zeros(count, bool)
    keep[1:] = long_side >= reach
    if not keep.any():
        return 0.0
    xs, ys = _ink_points(keep[labels], cap=6_000)  # straight lines need few points
    if len(xs) < reach:
        return 0.0
    rows_sharpness, rows_angle = _best_angle(xs, ys)
    cols_sharpness, cols_angle = _best_angle(ys, xs)
    tilt = rows_angle if rows_sharpness >= cols_sharpness else -cols_angle
    return tilt if abs(tilt) >= 0.5 else 0.0


def _letter_sized(mask: np.ndarray) -> np.ndarray:
    """Only blobs about the size of letters: seals, signatures and photos carry no
    reading direction, and a large seal would otherwise outvote the text."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 2:
        return mask
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    typical = float(np.median(heights[heights >= 3])) if (heights >= 3).any() else 3.0
    keep = np.zeros(count, np.uint8)
    keep[1:] = (heights <= 2.5 * typical) & (widths <= 6 * typical)
    return keep[labels]


def _ink_points(mask: np.ndarray, cap: int = 30_000) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.nonzero(mask)
    if len(xs) > cap:
        pick = np.random.default_rng(0).choice(len(xs), cap, replace=False)
        xs, ys = xs[pick], ys[pick]
    return xs.astype(np.float32), ys.astype(np.float32)


def _best_angle(xs: np.ndarray, ys: np.ndarray, limit: float = 6.0) -> tuple[float, float]:
    """(sharpness, angle): the angle at which the row histogram of the points is sharpest.

    Text lines give the sharpest row histogram when they are level. Rotating the ink
    coordinates instead of the image keeps a search over ~60 angles cheap.
    """

    def score(angle: float) -> float:
        t = np.deg2rad(angle)
        rows = ys * np.cos(t) - xs * np.sin(t)
        hist = np.bincount((rows - rows.min()).astype(np.int32))
        return float(np.square(np.diff(hist.astype(np.float32))).sum())

    coarse = np.arange(-limit, limit + 1e-6, 0.5)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-6, 0.05)
    angle = float(max(fine, key=score))
    return score(angle), angle


def _lines_run_vertically(mask: np.ndarray) -> bool:
    """True when text lines are vertical (page turned 90° or 270°), skew allowed for."""
    xs, ys = _ink_points(mask)
    if len(xs) < 200:
        return False
    return _best_angle(ys, xs)[0] > _best_angle(xs, ys)[0]


def _upside_down_score(mask: np.ndarray) -> float:
    """Positive when the text looks upside down.

    In Latin script, and even more in Vietnamese with its stacked tone marks, a line has
    much more ink above its x-height band (capitals, ascenders, diacritics) than below it
    (descenders). Turned 180°, that asymmetry flips.
    """
    profile = mask.sum(axis=1).astype(np.float32)
    inked = profile > 0
    above = below = 0.0
    y, n = 0, len(profile)
    while y < n:
        if not inked[y]:
            y += 1
            continue
        start = y
        while y < n and inked[y]:
            y += 1
        line = profile[start:y]
        if len(line) < 4:
            continue
        core = np.nonzero(line >= 0.5 * line.max())[0]
        above += float(line[: core.min()].sum())
        below += float(line[core.max() + 1 :].sum())
    total = above + below
    return 0.0 if total == 0 else (below - above) / total


def _rotation_matrix(shape: tuple[int, ...], rotation: int) -> np.ndarray:
    h, w = shape[:2]
    return {
        0: np.array([[1, 0, 0], [0, 1, 0]], float),
        90: np.array([[0, -1, h - 1], [1, 0, 0]], float),  # clockwise
        180: np.array([[-1, 0, w - 1], [0, -1, h - 1]], float),
        270: np.array([[0, 1, 0], [-1, 0, w - 1]], float),
    }[rotation]


def _rotate(gray: np.ndarray, rotation: int) -> np.ndarray:
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return cv2.rotate(gray, codes[rotation]) if rotation else gray


def _compose(second: np.ndarray, first: np.ndarray) -> np.ndarray:
    return (np.vstack([second, [0, 0, 1]]) @ np.vstack([first, [0, 0, 1]]))[:2]


def remove_leaders(gray: np.ndarray) -> np.ndarray:
    """White out dotted leader lines and thin rules, which Tesseract reads as junk.

    Forms fill blank space with rows of dots (".........") and underlines. A run of at
    least five dot-sized blobs on one baseline at a steady pitch is a leader; an ink
    run far wider than tall and only a few pixels high is a rule. Lone dots (the dot of
    an "i", a full stop, the dot below "ạ") never form such runs and are kept. The
    search runs at half size, which finds the same dots in a quarter of the time.
    """
    half = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(half, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count <= 1:
        return gray
    xs, ys, ws, hs, areas = (stats[1:, i] for i in range(5))
    cx, cy = centroids[1:, 0], centroids[1:, 1]
    side = max(3, round(max(half.shape) / 1750 * 5))  # a dot is about 5 px here (300 dpi)
    dots = np.nonzero(
        (ws <= 1.6 * side) & (hs <= 1.6 * side) & (areas >= 1) & (ws <= 2.5 * hs) & (hs <= 2.5 * ws)
    )[0]
    erase: list[int] = []
    if len(dots):
        order = dots[np.lexsort((cx[dots], np.round(cy[dots] / side)))]
        run = [order[0]]
        for prev, cur in zip(order, order[1:], strict=False):
            if abs(cy[cur] - cy[prev]) <= side * 0.6 and 0 < cx[cur] - cx[prev] <= 4 * side:
                run.append(cur)
                continue
            if len(run) >= _LEADER_DOTS:
                erase += _without_colon(run, dots, cx, cy, side)
            run = [cur]
        if len(run) >= _LEADER_DOTS:
            erase += _without_colon(run, dots, cx, cy, side)
    rules = np.nonzero((ws >= 40 * side) & (hs <= side))[0]
    if not erase and not len(rules):
        return gray
    out = gray.copy()
    m = 3  # anti-aliased edges fall outside the thresholded blob
    for i in [*erase, *rules]:
        x, y, w, h = 2 * xs[i], 2 * ys[i], 2 * ws[i], 2 * hs[i]
        out[max(0, y - m) : y + h + m, max(0, x - m) : x + w + m] = 255
    return out


def _without_colon(
    run: list[int], dots: np.ndarray, cx: np.ndarray, cy: np.ndarray, side: int
) -> list[int]:
    """A leader run minus its first dot when that dot is a colon's lower half ("Số:....").

    Erasing it would turn the label's colon into a lone dot, and the label would no
    longer read as one.
    """
    first = run[0]
    above = dots[
        (np.abs(cx[dots] - cx[first]) <= side)
        & (cy[dots] < cy[first] - side)
        & (cy[dots] > cy[first] - 5 * side)
    ]
    return run[1:] if len(above) else run


def _orientation(gray: np.ndarray, rotation: int | None) -> tuple[int, float]:
    """(clockwise rotation, skew to undo) from one small ink mask of the upload."""
    mask = _ink_mask(gray)
    auto = rotation is None
    if rotation is None:
        rotation = 90 if _lines_run_vertically(mask) else 0
    upright = np.ascontiguousarray(np.rot90(mask, k=-(rotation // 90)))
    xs, ys = _ink_points(upright)
    skew = _best_angle(xs, ys)[1] if len(xs) >= 200 else 0.0
    if abs(skew) < _MIN_SKEW:
        skew = 0.0
    if auto:
        level = upright
        if skew:
            mh, mw = upright.shape
            turn = cv2.getRotationMatrix2D((mw / 2, mh / 2), skew, 1.0)
            level = cv2.warpAffine(upright, turn, (mw, mh), flags=cv2.INTER_NEAREST)
        if _upside_down_score(level) > 0:
            rotation = (rotation + 180) % 360
    return rotation, skew


def prepare(image: np.ndarray, *, rotation: int | None = None, dpi: int | None = None) -> Prepared:
    """Upright, level and at reading resolution, in one resampling of the upload.

    Orientation and skew are measured on a small copy; then scaling, turning and
    deskewing are applied as one affine transform, which the result keeps to map boxes
    back to the upload. Pages scanned below ``OCR_DPI`` are enlarged to it: Tesseract
    misreads small digits (0 as 9, 1 as 4) far more often at 200 dpi than at 300. Pass
    ``rotation`` to force one (the pipeline does when OCR confidence disagrees).
    """
    gray = to_gray(image)
    rotation, skew = _orientation(gray, rotation)
    factor = OCR_DPI / dpi if dpi and dpi < OCR_DPI * 0.93 else 1.0
    h, w = round(gray.shape[0] * factor), round(gray.shape[1] * factor)
    scaling = np.array([[factor, 0, 0], [0, factor, 0]])
    matrix = _compose(_rotation_matrix((h, w), rotation), scaling)
    size = (h, w) if rotation in (90, 270) else (w, h)
    if skew:
        turn = cv2.getRotationMatrix2D((size[0] / 2, size[1] / 2), skew, 1.0)
        matrix = _compose(turn, matrix)
    if factor == 1.0 and not skew:
        upright = _rotate(gray, rotation)
    else:
        flags = cv2.INTER_CUBIC if factor > 1 else cv2.INTER_LINEAR
        upright = cv2.warpAffine(gray, matrix, size, flags=flags, borderValue=255)
    upright = remove_leaders(upright)
    # Report the page's own tilt (counter-clockwise positive), the opposite of the fix.
    return Prepared(image=upright, matrix=matrix, rotation=rotation, skew_deg=-skew)
