"""Print apart from the paper it is on: security paper, emblems, seals, signatures, light.

Certificates are printed on green (sometimes brown-bordered) security paper, with a
fine guilloche over the whole sheet, a large pale emblem behind the text, and a red
seal and a blue signature over the signer's block. In grey, the seal is as dark as the
print and the guilloche is a field of mid-tones; in colour they are easy to tell apart:

* each channel is divided by its own paper tone (a closing of a small copy, wider than
  any stroke), which evens out the light of a photo and turns any paper white;
* what is left is print where all three channels are dark alike, and coloured marks
  where one channel stays bright: a pixel's darkness is ``1 - max(r, g, b)``, and it is
  dropped in proportion as its colourfulness ``max - min`` is large beside that darkness
  (guilloche, emblem, border, seal: dropped; black print: kept). Print under a seal stays
  dark in every channel, so it stays print. Blue is the exception: dark-blue print and
  a ballpoint are the same colour, near enough, so blue ink is dropped only in strokes
  far longer than a letter (a signature). A phone's JPEG keeps colour at half resolution
  and smears it into the print's edges, so in a photo only strongly coloured, light ink
  is dropped;
* a background pattern left over (guilloche in a photo or a grey scan) is a third
  population of pixels between paper and ink: found by Otsu's criterion with two
  thresholds, it is faded to white by a tone curve that keeps the ink.

Seal and signature pixels are kept as a small mask (:class:`Marks`), so that a value they
cross can be sent to review: what the seal hid is not a value anyone read.

A grey page is left as it is unless its light is uneven (a photo) or it carries a
background pattern, and a colour page without coloured marks is simply made grey: a
flatbed scan passes unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr.record import FieldValue, Issue
from ocr.rules import Rule

_SMALL_SIDE = 400  # the paper tone is measured on a copy this long
_KERNEL_SHARE = 1 / 55  # closing kernel, share of the long side: wider than bold strokes
_UNEVEN = 1.25  # brightest / darkest paper tone above this: the light needs evening
_COLOUR_CHROMA = 0.16  # colourfulness (share of full scale) that makes a pixel coloured
_COLOUR_SHARE = 0.0005  # share of coloured pixels that makes a page a colour page
_KEEP_RATIO = 0.3  # colourfulness/darkness up to this: print, kept whole
_DROP_RATIO = 0.6  # from this on: a coloured mark, dropped (blue letters excepted)
_MARK_DARK = 100  # in a photo, a coloured pixel this light (darkness, 0..255) is dropped
_PRINT_DARK = 160  # whole, one this dark is kept whole (its colour may be a neighbour's)
_PHOTO_RATIOS = (0.6, 1.0)  # _KEEP_RATIO, _DROP_RATIO in a photo [5 photographed security
# papers: 68 of 81 values right with the scan's ratios, 78 with these]
_SEAL_RATIO = 1.0  # colourfulness/darkness of seal and pen ink (the marks mask)
_TEXTURE_SHARE = 0.08  # middle class above this share: a background pattern [print 0.01]
_TEXTURE_LINES = 0.6  # ...lying in lines at least this share [guilloche 0.7-0.97; noise 0.3]
_TEXTURE_FADE = 0.8  # the pattern fades to white up to this point between its two bounds
_BLUE_OVER = (15, 10)  # blue above red and green (grey levels): blue ink, print or pen
_STROKE_SHARE = 0.04  # a blue piece longer than this share of the page is a pen's stroke
_MARK_SCALE = 0.25  # the marks mask is kept at this scale of the page
MARK_COVER = 0.02
"""Share of a value's box that seal or signature ink must cover before it is flagged."""

RULE = Rule.MARK_OVER_VALUE
"""The rule of the issue raised on a value that a seal or a signature crosses."""


@dataclass
class Marks:
    """Seal and signature ink, as 0/1 masks at ``scale`` of the page they were found on."""

    seal: np.ndarray
    signature: np.ndarray
    scale: float

    def cover(self, box: tuple[int, int, int, int]) -> tuple[float, float]:
        """Shares of an ``(x, y, w, h)`` page box covered by seal and by signature ink."""
        x, y, w, h = (v * self.scale for v in box)
        x0, y0 = max(0, int(x)), max(0, int(y))
        x1, y1 = int(np.ceil(x + w)), int(np.ceil(y + h))
        area = max(1, (x1 - x0) * (y1 - y0))
        seal = float(self.seal[y0:y1, x0:x1].sum()) / area
        signature = float(self.signature[y0:y1, x0:x1].sum()) / area
        return seal, signature


@dataclass
class Cleaned:
    image: np.ndarray  # grey, print dark on white
    marks: Marks | None
    light: float = 255.0  # the paper's grey level as uploaded (its brighter parts)
    notes: list[str] = field(default_factory=list)


def separate(image: np.ndarray, *, photo: bool = False) -> Cleaned:
    """The print of a page (grey or BGR ``uint8``) as grey, and its seals and signatures.

    ``photo``: the upload is a photo or a screenshot (no trusted scanner resolution), so
    uneven light is expected; a scan's light is evened only when it is clearly uneven.
    """
    if image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    small = cv2.resize(
        image,
        None,
        fx=min(1.0, _SMALL_SIDE / max(image.shape[:2])),
        fy=min(1.0, _SMALL_SIDE / max(image.shape[:2])),
        interpolation=cv2.INTER_AREA,
    )
    tone = _paper_tone(small)
    light = float(np.percentile(tone if tone.ndim == 2 else tone.max(axis=2), 90))
    marks, notes = None, []
    if image.ndim == 3 and (photo or not _colourless(image, tone)):
        gray, marks = _print_of(image, tone, photo)
        notes.append("colour marks separated")
        evened = gray
    else:
        if image.ndim == 3:
            gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
            tone = _paper_tone(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
        else:
            gray = image
        evened = None
        if _uneven(tone) or (photo and _uneven(tone, 1.1)):
            gray = evened = _divide(gray, tone)
            notes.append("light evened")
    # A pattern is looked for on a half-size copy with the light evened (cheap); only a
    # page that has one pays for the full-size work.
    probe = evened if evened is not None else gray
    probe = cv2.resize(probe, (probe.shape[1] // 2, probe.shape[0] // 2))
    if evened is None:
        probe = _divide(probe, tone)
    if _pattern_classes(probe) is not None:
        flat = _without_texture(evened if evened is not None else _divide(gray, tone))
        if flat is not None:
            gray = flat
            notes.append("background pattern faded")
    return Cleaned(gray, marks, light, notes)


def _without_texture(gray: np.ndarray) -> np.ndarray | None:
    """The page (light evened) with a background pattern faded out, or None when it has
    none.

    A page of print is paper and ink, with few pixels between (anti-aliasing); a page
    on security paper has a third population, the pattern, lighter than the ink. Three
    classes by Otsu's criterion on the darkness histogram tell them apart. When the
    middle class covers more than :data:`_TEXTURE_SHARE` of the page and lies in long
    thin strokes (lines; a scan's noise lies in specks, a shadow in blobs), darkness is
    stretched from the pattern's upper end (faded to white) to the ink's median (black).
    """
    classes = _pattern_classes(gray)
    if classes is None:
        return None
    dark_hist, low, high = classes
    levels = np.arange(256)
    pattern = ((gray < 255 - low) & (gray >= 255 - high)).astype(np.uint8)
    if _in_lines(pattern) < _TEXTURE_LINES:
        return None
    ink = dark_hist[high + 1 :]
    ink_median = high + 1 + int(np.searchsorted(np.cumsum(ink), ink.sum() / 2))
    floor = low + _TEXTURE_FADE * (high - low)
    top = max(ink_median, floor + 1)
    curve = np.clip((levels - floor) / (top - floor), 0.0, 1.0) * 255  # darkness in -> out
    lut = (255 - curve)[::-1].astype(np.uint8)  # as a map of grey levels
    return cv2.LUT(gray, lut)


def _pattern_classes(gray: np.ndarray) -> tuple[np.ndarray, int, int] | None:
    """The darkness histogram and the bounds of its middle class, when that class covers
    more than :data:`_TEXTURE_SHARE` of the page and ink lies beyond it; else None."""
    dark_hist = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel()[::-1].astype(np.float64)
    low, high = _three_classes(dark_hist)
    middle = dark_hist[low + 1 : high + 1].sum() / dark_hist.sum()
    if middle < _TEXTURE_SHARE or dark_hist[high + 1 :].sum() == 0:
        return None
    return dark_hist, low, high


def _in_lines(mask: np.ndarray) -> float:
    """Share of a mask's pixels in long thin pieces (15 px or longer, filling under a
    third of their box)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    longest = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    boxes = stats[1:, cv2.CC_STAT_WIDTH] * stats[1:, cv2.CC_STAT_HEIGHT]
    thin = (longest >= 15) & (areas < 0.35 * boxes)
    return float(areas[thin].sum() / max(areas.sum(), 1))


def _three_classes(hist: np.ndarray) -> tuple[int, int]:
    """Thresholds (t1, t2) splitting a 256-bin histogram into three classes with the
    largest between-class variance (Otsu's criterion, two thresholds); of equal ones, the
    lowest t1, then the lowest t2. Every pair at once: a loop over t1 cost 20 ms a page."""
    p = hist / max(hist.sum(), 1.0)
    levels = np.arange(256)
    weight, mass = np.cumsum(p), np.cumsum(p * levels)
    total = mass[-1]
    t1 = np.arange(0, 254)[:, None]
    t2 = np.arange(1, 255)[None, :]
    w0, m0 = weight[t1], mass[t1]
    w1, m1 = weight[t2] - w0, mass[t2] - m0
    w2, m2 = 1.0 - weight[t2], total - mass[t2]
    with np.errstate(divide="ignore", invalid="ignore"):
        score = m0 * m0 / w0 + np.where(w1 > 0, m1 * m1 / w1, 0) + np.where(w2 > 0, m2 * m2 / w2, 0)
    score[(t2 <= t1) | (w0 <= 0) | (w1 <= 0) | (w2 <= 0)] = -1.0
    best = int(np.argmax(score))  # the first of the largest, row by row
    row, col = divmod(best, score.shape[1])
    if score[row, col] <= -1.0:
        return 0, 1
    return row, col + 1


def _colourless(image: np.ndarray, tone: np.ndarray) -> bool:
    """True when hardly any pixel differs in colour from the paper under it.

    Judged on every n-th pixel of the page rather than on an averaged copy: a guilloche's
    lines are finer than the averaging and would lose their colour in it.
    """
    step = max(1, round(max(image.shape[:2]) / 900))
    sample = np.ascontiguousarray(image[::step, ::step])
    paper = cv2.resize(tone, (sample.shape[1], sample.shape[0]), interpolation=cv2.INTER_LINEAR)
    b, g, r = cv2.split(cv2.divide(sample, cv2.max(paper, 1), scale=255))
    chroma = cv2.subtract(cv2.max(cv2.max(b, g), r), cv2.min(cv2.min(b, g), r))
    coloured = cv2.countNonZero((chroma > _COLOUR_CHROMA * 255).astype(np.uint8))
    return coloured < _COLOUR_SHARE * chroma.size


def _paper_tone(small: np.ndarray) -> np.ndarray:
    """The paper's tone (per channel) on the small copy: dark strokes closed away."""
    k = max(5, round(max(small.shape[:2]) * _KERNEL_SHARE)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
    return cv2.GaussianBlur(closed, (0, 0), k / 2)


def _uneven(tone: np.ndarray, limit: float = _UNEVEN) -> bool:
    luma = tone if tone.ndim == 2 else tone.max(axis=2)
    low, high = np.percentile(luma, (5, 95))
    return high > limit * max(low, 1.0)


def _divide(gray: np.ndarray, tone: np.ndarray) -> np.ndarray:
    full = cv2.resize(tone, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, cv2.max(full, 1), scale=255)


def _print_of(image: np.ndarray, tone: np.ndarray, photo: bool) -> tuple[np.ndarray, Marks]:
    """Grey print of a colour page, and the seal and signature masks (see the module).

    Only the division and the final darkness are computed at full size; which share of
    a pixel's darkness to drop is decided on a half-size copy (a JPEG keeps colour at
    half the resolution of brightness anyway, so a thin coloured line is only colourful
    there) and drawn back up smoothly.
    """
    h, w = image.shape[:2]
    full = cv2.resize(tone, (w, h), interpolation=cv2.INTER_LINEAR)
    page = cv2.divide(image, cv2.max(full, 1), scale=255)
    del full
    b, g, r = cv2.split(page)
    dark = cv2.subtract(255, cv2.max(cv2.max(b, g), r))  # neutral darkness, 0..255
    # Linear at exactly half the size averages each 2x2 block, as INTER_AREA would: faster.
    half = cv2.resize(page, (max(1, w // 2), max(1, h // 2)), interpolation=cv2.INTER_LINEAR)
    hb, hg, hr = cv2.split(half)
    high8, low8 = cv2.max(cv2.max(hb, hg), hr), cv2.min(cv2.min(hb, hg), hr)
    chroma8 = cv2.subtract(high8, low8)
    high, chroma = high8.astype(np.float32), chroma8.astype(np.float32)
    ratio = chroma / np.maximum(255 - high, 1.0)
    keep, drop = _PHOTO_RATIOS if photo else (_KEEP_RATIO, _DROP_RATIO)
    drop_share = np.clip((ratio - keep) / (drop - keep), 0.0, 1.0)
    if photo:  # a dark pixel's colour may have bled in from a line beside it
        drop_share *= np.clip((_PRINT_DARK - (255 - high)) / (_PRINT_DARK - _MARK_DARK), 0, 1)
    bluish = (cv2.subtract(hb, hr) >= _BLUE_OVER[0]) & (cv2.subtract(hb, hg) >= _BLUE_OVER[1])
    drop_share[bluish] = 0.0  # blue letters may be print: only pen strokes go
    vivid = chroma8 > _COLOUR_CHROMA * 255
    strokes = _pen_strokes(bluish & vivid)
    kept = cv2.resize(((1 - drop_share) * 255).astype(np.uint8), (w, h))
    gray = cv2.subtract(255, cv2.multiply(dark, kept, scale=1 / 255))
    if bluish.any():
        blue = (cv2.subtract(b, r) >= _BLUE_OVER[0]) & (cv2.subtract(b, g) >= _BLUE_OVER[1])
        if strokes.any():  # the pen's own pixels go, not the print it crosses
            near = cv2.dilate(strokes, np.ones((3, 3), np.uint8))
            pen = cv2.resize(near, (w, h), interpolation=cv2.INTER_NEAREST).astype(bool) & blue
            blue &= ~pen
            gray[pen] = 255
        # Blue print is as dark as its brightness says, not as its brightest channel
        # (dark blue's blue channel is half bright): its letters keep their weight.
        luma = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
        gray[blue] = np.minimum(gray[blue], luma[blue])
    reddish = (cv2.subtract(hr, hg) >= 40) & (cv2.subtract(hr, hb) >= 10)  # red to pink
    brownish = (cv2.subtract(hg, hb) > 25) & (cv2.subtract(hr, hg) < 80)  # orange, brown
    seal = vivid & (ratio >= _SEAL_RATIO) & reddish & ~brownish
    return gray, _marks(seal, strokes.astype(bool))


def _pen_strokes(blue: np.ndarray) -> np.ndarray:
    """Blue ink in pieces far longer than a letter (0/1): a signature's strokes.

    Dark-blue print and a blue ballpoint are the same colour, near enough; a letter is
    short and a signature's stroke is long, and loose in its box (a rule printed in blue
    is long but fills its box).
    """
    mask = blue.astype(np.uint8)
    if not mask.any():
        return mask
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    widths, heights = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    fill = stats[1:, cv2.CC_STAT_AREA] / np.maximum(widths * heights, 1)
    keep = np.zeros(count, np.uint8)
    keep[1:] = (np.maximum(widths, heights) >= _STROKE_SHARE * max(mask.shape)) & (fill < 0.4)
    return keep[labels]


def _marks(seal: np.ndarray, pen: np.ndarray) -> Marks:
    """Seal and signature masks (half size) kept at :data:`_MARK_SCALE` of the page."""
    h, w = seal.shape
    size = (max(1, round(w * _MARK_SCALE * 2)), max(1, round(h * _MARK_SCALE * 2)))

    def shrink(mask: np.ndarray) -> np.ndarray:
        small = cv2.resize(mask.astype(np.uint8) * 255, size, interpolation=cv2.INTER_AREA)
        return (small > 64).astype(np.uint8)

    return Marks(shrink(seal), shrink(pen), _MARK_SCALE)


def marks_over_values(fields: dict[str, FieldValue], marks: Marks | None, page) -> list[Issue]:
    """An issue for every value whose box a seal or a signature crosses.

    ``page`` maps boxes of the upload to the page ``marks`` were found on (an
    :class:`ocr.capture.Page`). A seal over a value may have hidden a digit or a mark,
    and its ring reads as letters: such a value is never accepted unseen.
    """
    if marks is None:
        return []
    issues = []
    for name, f in fields.items():
        if f.bbox is None:
            continue
        seal, signature = marks.cover(page.from_upload(f.bbox))
        if max(seal, signature) < MARK_COVER:
            continue
        what = "the seal" if seal >= signature else "a signature"
        issues.append(
            Issue(
                field=name,
                rule=Rule.MARK_OVER_VALUE,
                message=f"{what} covers part of {name}; check the value against the page",
            )
        )
    return issues
