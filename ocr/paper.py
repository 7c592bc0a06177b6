"""Print apart from the paper it is on: security paper, emblems, seals, signatures, light.

Certificates are printed on green (sometimes brown-bordered) security paper, with a
fine guilloche over the whole sheet, a large pale emblem behind the text, and a red
seal and a blue signature over the signer's block. In grey, the seal is as dark as the
print and the guilloche is a field of mid-tones; in colour they are easy to tell apart:

* each channel is divided by its own paper tone (a closing of a small copy, wider than
  any stroke), which evens out the light of a photo and turns any paper white;
* what is left is print where all three channels are dark alike, and coloured marks
  where one channel stays bright: a pixel's darkness is ``1 - max(r, g, b)``, and it is
  kept in proportion as its colourfulness ``max - min`` is small beside that darkness
  (black and dark-blue print: kept; guilloche, emblem, seal, ballpoint: dropped). Print
  under a seal stays dark in every channel, so it stays print.

Seal and signature pixels are kept as a small mask (:class:`Marks`), so that a value they
cross can be sent to review: what the seal hid is not a value anyone read.

A grey page is left as it is unless its light is uneven (a photo), and a colour page
without coloured marks is simply made grey: a flatbed scan passes unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ocr.record import FieldValue, Issue

_SMALL_SIDE = 400  # the paper tone is measured on a copy this long
_KERNEL_SHARE = 1 / 55  # closing kernel, share of the long side: wider than bold strokes
_UNEVEN = 1.25  # brightest / darkest paper tone above this: the light needs evening
_COLOUR_CHROMA = 0.16  # colourfulness (share of full scale) that makes a pixel coloured
_COLOUR_SHARE = 0.0005  # share of coloured pixels that makes a page a colour page
_KEEP_RATIO = 0.3  # colourfulness/darkness up to this: print, kept whole
_DROP_RATIO = 0.6  # from this on: a coloured mark, dropped unless it is dark...
_PHOTO_RATIOS = (0.6, 1.0)  # the same in a photo, whose JPEG blurs colour: seals and pens
_SEAL_RATIO = 1.0  # colourfulness/darkness of seal and pen ink (the marks mask)
_MARK_DARK = 100  # ...: a coloured mark this light (darkness, 0..255) is dropped whole,
_PRINT_DARK = 160  # one this dark is print (dark blue) and kept whole
_MARK_SCALE = 0.25  # the marks mask is kept at this scale of the page
MARK_COVER = 0.02
"""Share of a value's box that seal or signature ink must cover before it is flagged."""

RULE = "mark_over_value"
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
    if image.ndim == 2:
        if _uneven(tone) or (photo and _uneven(tone, 1.1)):
            return Cleaned(_divide(image, tone), None, light, ["light evened"])
        return Cleaned(image, None, light)
    if not photo and _colourless(image, tone):
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        gray_tone = _paper_tone(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY))
        if _uneven(gray_tone) or (photo and _uneven(gray_tone, 1.1)):
            return Cleaned(_divide(gray, gray_tone), None, light, ["light evened"])
        return Cleaned(gray, None, light)
    gray, marks = _print_of(image, tone, _PHOTO_RATIOS if photo else (_KEEP_RATIO, _DROP_RATIO))
    return Cleaned(gray, marks, light, ["colour marks separated"])


def _colourless(image: np.ndarray, tone: np.ndarray) -> bool:
    """True when hardly any pixel differs in colour from the paper under it.

    Judged on every n-th pixel of the page rather than on an averaged copy: a guilloche's
    lines are finer than the averaging and would lose their colour in it.
    """
    step = max(1, round(max(image.shape[:2]) / 900))
    sample = image[::step, ::step].astype(np.float32)
    paper = cv2.resize(tone, (sample.shape[1], sample.shape[0]), interpolation=cv2.INTER_LINEAR)
    reflect = _reflectance(sample, paper.astype(np.float32))
    chroma = reflect.max(axis=2) - reflect.min(axis=2)
    return float((chroma > _COLOUR_CHROMA).mean()) < _COLOUR_SHARE


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
    return cv2.divide(gray, np.maximum(full, 1), scale=255)


def _reflectance(image: np.ndarray, tone: np.ndarray) -> np.ndarray:
    """Each channel over its paper tone, 0..1 (float32)."""
    out = image / np.maximum(tone, 1.0)
    np.clip(out, 0.0, 1.0, out=out)
    return out


def _print_of(
    image: np.ndarray, tone: np.ndarray, ratios: tuple[float, float]
) -> tuple[np.ndarray, Marks]:
    """Grey print of a colour page, and the seal and signature masks (see the module)."""
    h, w = image.shape[:2]
    full = cv2.resize(tone, (w, h), interpolation=cv2.INTER_LINEAR)
    channels = [
        cv2.divide(c, np.maximum(t, 1), scale=255)
        for c, t in zip(cv2.split(image), cv2.split(full), strict=True)
    ]
    high = cv2.max(cv2.max(channels[0], channels[1]), channels[2])
    low = cv2.min(cv2.min(channels[0], channels[1]), channels[2])
    dark = (255 - high).astype(np.float32)  # neutral darkness, 0..255
    # Colourfulness beside darkness, on a half-size copy: a JPEG keeps colour at half
    # the resolution of brightness, so a thin coloured line is only colourful there.
    half = (max(1, w // 2), max(1, h // 2))
    high_half = cv2.resize(high, half, interpolation=cv2.INTER_AREA).astype(np.float32)
    low_half = cv2.resize(low, half, interpolation=cv2.INTER_AREA).astype(np.float32)
    ratio_half = (high_half - low_half) / np.maximum(255 - high_half, 1.0)
    ratio = cv2.resize(ratio_half, (w, h), interpolation=cv2.INTER_LINEAR)
    keep, drop = ratios
    colourful = np.clip((ratio - keep) / (drop - keep), 0.0, 1.0)
    light = np.clip((_PRINT_DARK - dark) / (_PRINT_DARK - _MARK_DARK), 0.0, 1.0)
    gray = (255 - dark * (1 - colourful * light)).astype(np.uint8)
    marks = _marks(channels, high, low, ratio, w, h)
    return gray, marks


def _marks(
    channels: list[np.ndarray],
    high: np.ndarray,
    low: np.ndarray,
    ratio: np.ndarray,
    w: int,
    h: int,
) -> Marks:
    """Red-to-magenta ink is a seal's, strong blue ink a signature's (or a pen's)."""
    size = (max(1, round(w * _MARK_SCALE)), max(1, round(h * _MARK_SCALE)))

    def small(a: np.ndarray) -> np.ndarray:
        return cv2.resize(a, size, interpolation=cv2.INTER_AREA)

    b, g, r = (small(c).astype(np.int16) for c in channels)
    colour = small(cv2.subtract(high, low)).astype(np.int16)
    coloured = (colour > _COLOUR_CHROMA * 255) & (small(ratio) >= _SEAL_RATIO)
    seal = coloured & (r >= g + 40) & (r >= b + 10)  # red, pink, crimson; not brown
    seal &= ~((g > b + 25) & (r < g + 80))  # orange and brown lean to green over blue
    pen = coloured & (b >= r + 40) & (b >= g + 25)
    return Marks(seal.astype(np.uint8), pen.astype(np.uint8), _MARK_SCALE)


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
                rule=RULE,
                message=f"{what} covers part of {name}; check the value against the page",
            )
        )
    return issues
