"""The quality gate: is this page worth reading, and if not, what should the clerk do?

Runs before OCR and costs milliseconds, so that blank pages, thumbnails, out-of-focus
scans and photos are rejected with a reason a person can act on instead of producing a
record of garbage. It must never reject a page that is merely old or imperfect: yellowed
paper, faint ink, JPEG noise, mild blur, skew and pages turned by 90/180/270 degrees all
pass. Every threshold below was chosen by measurement (see the module's tests and the
calibration numbers reported with it), with a wide margin on the readable side.

How it looks at a page, on a copy about :data:`_WORK_SIDE` pixels on its long side:

* ink: pixels clearly darker than the paper around them (the paper is a grayscale closing,
  so shading and yellowing do not count as ink);
* text-like marks: connected ink components of a letter's size and shape;
* paper and mid-tones: the share of the page close to the slowly varying paper tone, and
  the share between paper and ink (a document is paper and ink, a photo is mid-tones);
* smudge: how far below the paper tone the darkest 1 % of the page goes (a blank sheet's
  noise and dust barely register);
* sharpness: measured at full resolution on a few crops of dense text, after scaling them
  so that letters have a standard size, i.e. blur is judged relative to the size of the
  writing (a 3 px blur ruins 10 px letters but not 40 px ones).

Decisions, in order: too small (a thumbnail, or a page photographed from too far); too dark
(a photo taken without light); blank (few marks, no smudge, no mid-tones); not letters on
paper, unless enough letters stand in rows (guilloche security paper fails the paper
tests but not this one) -> "blurred" if only soft smears are left, else "not a document
page"; finally the sharpness of the letters. Each rejection carries exactly one reason.
A declared dpi decides nothing: phones write 72 dpi into photos that read well; the size
of the page or of its print is measured instead (:mod:`ocr.capture`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

# Thresholds. The numbers in brackets were measured on 40 generated "mixed"/"harsh" record
# pages (sohoa.samples: all four document types, 200-300 dpi, noise, JPEG, blur <= 1.5 px,
# skew, page turns, faint ink, yellowing) and 30 generated rejects (10 blank, 10 blurred,
# 10 photos), plus the pages of tests/ocr/test_quality.py.

MIN_SHORT_SIDE = 300
"""Pages narrower than this (pixels) are too small whatever they show: a thumbnail. A 720 px
wide phone photo of a certificate is read (its letters measure about 5 px)."""

MIN_DPI = 36
"""A page whose print comes to fewer pixels per inch than this is too small to read [an A4
page 300 px wide: 10 pt letters 5 px tall]. Only :mod:`ocr.capture`'s estimate comes
this low (an A4 page found in a photo, measured by its edges); a scanner's declared
resolution never does, and a declared 72 dpi decides nothing."""

MIN_LIGHT = 35
"""A photo whose paper is darker than this (grey level, before the light is evened) was
taken in the dark: evening it out only raises the noise [a lit page: 150 or more]."""

MIN_ROW_MARKS = 100
"""A page with at least this many letter-sized marks standing in rows is writing, even
when its paper is not plain [records 340 or more; grey scans of guilloche security paper
450 or more, where every other test takes the guilloche for a picture; photos and
drawings 0]."""

MIN_TEXT_MARKS = 25
"""Fewer letter-sized marks than this: no writing to read [records 148 or more; blanks 8
or fewer]."""

BLANK_SMUDGE = 15
"""A page without letters whose darkest 1 % stays within this many gray levels of the
paper is blank [blanks, with noise up to sigma 25 and dust: 10 or less; pages blurred
past reading: 25 or more]..."""

BLANK_MID_SHARE = 0.1
"""...and so is one whose mid-tones cover less than this share [blanks: 0.00; a page
blurred past reading: 0.09-0.33]. Both conditions are needed."""

MIN_PAPER_SHARE = 0.7
"""A document page is mostly paper [records 0.79 or more; photos 0.65 or less, real
camera photos 0.17]."""

MAX_MID_SHARE = 0.25
"""A document page is paper and ink with few tones between [records 0.17 or less; a
certificate on an open scanner lid: 0.13]; photos are mid-tones [0.32 or more]."""

MIN_TEXT_INK_SHARE = 0.25
"""At least this share of the ink must be in letter-sized marks [records 0.60 or more;
real camera photos 0.34-0.40]."""

SMEAR_EDGE_BLUR = 1.8
"""A page that is not letters on paper, and whose steepest edges are softer than this
(work pixels), is a page blurred past reading rather than a picture [blurred 2.45 or more;
photos and drawings 1.44 or less]."""

MIN_SHARPNESS = 0.45
"""Below this (see :func:`_sharpness`: edge blur ~2 px on 16 px letters) OCR reads little
[records 0.90 or more; blurred rejects 0.03 or less]."""

_WORK_SIDE = 1200  # analysis copy: long side in pixels
_PAPER_KERNEL = 15  # closing kernel (work pixels): wider than any stroke, so it erases ink
_MIN_INK_CONTRAST = 20  # gray levels below the paper before a pixel counts as ink
_PAPER_REACH = 41  # paper tone: brightest within a quarter of the page (160 px copy)
_FLAT_BORDER_SPREAD = 6.0  # gray-level spread under which a dark area is a border, not ink
_MIN_SPAN = 60.0  # paper-to-ink range assumed at least, so noise on a blank sheet is not "mid-tone"
_LETTER_SIZE = 16  # crops are scaled so that letters (_Marks.letter_size) measure this
_CRISP_SIGMA = 0.6  # edge blur (px at _LETTER_SIZE) that counts as perfectly sharp
_BLUR_SCALE = 1.6  # edge blur beyond _CRISP_SIGMA at which the score falls to 1/e
_CROP = 256  # side of the crops blur is judged on, after that scaling
_CROPS = 3


BLURRED = "the page is too blurred to read; scan or photograph it again, flat and in focus"
_TOO_DARK = "the photo is too dark to read; take it again in better light"
_NOT_A_DOCUMENT = "this does not look like a document page (photo or drawing)"


@dataclass
class QualityReport:
    readable: bool
    sharpness: float  # 0..1, higher is sharper; 0 when there is no text to judge
    reasons: list[str] = field(default_factory=list)  # why not readable, for the clerk


@dataclass
class _Marks:
    ink_share: float  # share of work pixels that are ink
    text_marks: int  # number of character-sized components
    text_ink_share: float  # share of the ink that is in character-sized components
    letter_size: float  # median shorter side of character-sized marks (any page turn), work px
    density: np.ndarray  # coarse map of text marks, to find dense crops
    in_rows: int = 0  # text marks standing in rows of four or more


def assess(
    image: np.ndarray,
    dpi: int | None = None,
    *,
    light: float | None = None,
    plain: np.ndarray | None = None,
) -> QualityReport:
    """Judge one page (grayscale or BGR ``uint8``), as :mod:`ocr.capture` hands it on.

    ``dpi`` is the resolution the print is read at (:mod:`ocr.capture` estimates it for
    photos); only an estimate below :data:`MIN_DPI` turns a page away.
    When the page was cleaned (:mod:`ocr.paper`), ``light`` is its paper's grey level
    before the light was evened, and ``plain`` the page in grey before cleaning: blur is
    judged on it, since evening out the light sharpens a blurred page's edges.
    """
    if image.dtype != np.uint8:
        raise TypeError(f"assess() takes uint8 images, not {image.dtype}")
    gray = np.ascontiguousarray(_to_gray(image))
    height, width = gray.shape
    if min(height, width) < MIN_SHORT_SIDE or (dpi is not None and dpi < MIN_DPI):
        return QualityReport(
            readable=False,
            sharpness=0.0,
            reasons=[
                f"the image is too small to read ({width}×{height} px); photograph the page "
                "from closer, or scan it at 200 dpi or more"
            ],
        )
    if light is not None and light < MIN_LIGHT:
        return QualityReport(readable=False, sharpness=0.0, reasons=[_TOO_DARK])
    survey = _survey(gray)
    scale, marks = survey.scale, survey.marks
    few_marks = marks.text_marks < MIN_TEXT_MARKS
    if few_marks and survey.smudge < BLANK_SMUDGE and survey.mid_share < BLANK_MID_SHARE:
        return QualityReport(readable=False, sharpness=0.0, reasons=["the page is blank"])
    looks_like_paper = not (
        few_marks
        or survey.paper_share < MIN_PAPER_SHARE
        or survey.mid_share > MAX_MID_SHARE
        or marks.text_ink_share < MIN_TEXT_INK_SHARE
    )
    if not looks_like_paper and marks.in_rows < MIN_ROW_MARKS:
        # Not letters on paper. A page blurred past recognition also looks like this, but
        # only soft smears are left on it; a photo or a drawing keeps some crisp edges.
        # The clerk's action differs (re-scan in focus vs. upload the right file).
        if _edge_blur(survey.work, survey.smudge) > SMEAR_EDGE_BLUR:
            return QualityReport(readable=False, sharpness=0.0, reasons=[BLURRED])
        return QualityReport(readable=False, sharpness=0.0, reasons=[_NOT_A_DOCUMENT])
    if plain is not None and plain.shape == gray.shape:
        gray = np.ascontiguousarray(_to_gray(plain))
    sharpness = round(_sharpness(gray, scale, marks), 3)
    if sharpness < MIN_SHARPNESS:
        return QualityReport(readable=False, sharpness=sharpness, reasons=[BLURRED])
    return QualityReport(readable=True, sharpness=sharpness, reasons=[])


def measure(image: np.ndarray) -> dict[str, float]:
    """The raw numbers behind :func:`assess`, for calibration and for reports."""
    gray = np.ascontiguousarray(_to_gray(image))
    survey = _survey(gray)
    marks = survey.marks
    return {
        "ink_share": marks.ink_share,
        "text_marks": marks.text_marks,
        "text_ink_share": marks.text_ink_share,
        "letter_size": marks.letter_size / survey.scale,
        "paper_share": survey.paper_share,
        "mid_share": survey.mid_share,
        "smudge": survey.smudge,
        "edge_blur": _edge_blur(survey.work, survey.smudge),
        "sharpness": _sharpness(gray, survey.scale, marks) if marks.text_marks else 0.0,
        "in_rows": marks.in_rows,
    }


@dataclass
class _Survey:
    scale: float  # work copy / full resolution
    work: np.ndarray  # the work copy
    marks: _Marks
    paper_share: float  # share of the page close to the paper tone
    mid_share: float  # share of the page in mid-tones, neither paper nor ink
    smudge: float  # how much darker than the paper the darkest 1 % of the page is, gray levels


def _survey(gray: np.ndarray) -> _Survey:
    # An integer factor lets OpenCV average whole blocks: 5x faster than a fractional one.
    factor = max(1, math.ceil(max(gray.shape) / _WORK_SIDE))
    height, width = gray.shape[0] // factor, gray.shape[1] // factor
    work = cv2.resize(
        gray[: height * factor, : width * factor], (width, height), interpolation=cv2.INTER_AREA
    )
    work = cv2.medianBlur(work, 3)  # scanner speckle and JPEG ringing are not ink
    paper_share, mid_share, smudge = _paper_share(work)
    return _Survey(1.0 / factor, work, _find_marks(work), paper_share, mid_share, smudge)


def _to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 1:
        return image[:, :, 0]
    code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
    return cv2.cvtColor(image, code)


def _ink_mask(work: np.ndarray) -> np.ndarray:
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (_PAPER_KERNEL, _PAPER_KERNEL))
    paper = cv2.morphologyEx(work, cv2.MORPH_CLOSE, kernel)
    contrast = cv2.subtract(paper, work)
    # Paper texture and noise leave a floor of small contrasts everywhere; ink is well above.
    floor = _percentile(contrast, 50)
    threshold = max(_MIN_INK_CONTRAST, 3.0 * floor)
    return (contrast > threshold).astype(np.uint8)


def _find_marks(work: np.ndarray) -> _Marks:
    mask = _ink_mask(work)
    count, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    widths, heights = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    areas = stats[1:, cv2.CC_STAT_AREA]
    side = max(work.shape)
    longest = np.maximum(widths, heights)
    fill = areas / np.maximum(widths * heights, 1)
    textlike = (
        (longest >= 3)
        & (heights <= side * 0.06)
        & (widths <= side * 0.1)
        & (areas >= 4)
        & (fill >= 0.08)
        & (fill <= 0.95)
    )
    ink = int(areas.sum())
    density = np.zeros((max(1, work.shape[0] // 32) + 1, max(1, work.shape[1] // 32) + 1))
    centres = centroids[1:][textlike].astype(int) // 32
    np.add.at(density, (centres[:, 1], centres[:, 0]), 1)
    small_side = np.minimum(widths, heights)[textlike]
    letter = float(np.median(np.maximum(small_side, 1))) if textlike.any() else 0.0
    return _Marks(
        ink_share=ink / mask.size,
        text_marks=int(textlike.sum()),
        text_ink_share=float(areas[textlike].sum() / ink) if ink else 0.0,
        letter_size=letter,
        density=density,
        in_rows=_in_rows(centroids[1:][textlike], letter, work.shape),
    )


def _in_rows(centres: np.ndarray, letter: float, shape: tuple[int, ...]) -> int:
    """How many marks stand in rows of four or more, level or turned by 90°.

    Writing is letters in lines; a photo's or a drawing's letter-sized bits are not.
    Marks whose centres lie within three letters along and half a letter across of
    each other are chained; a chain of four or more is a row.
    """
    if len(centres) < MIN_TEXT_MARKS:
        return 0
    points = np.zeros(shape[:2], np.uint8)
    xs = np.clip(centres[:, 0].astype(int), 0, shape[1] - 1)
    ys = np.clip(centres[:, 1].astype(int), 0, shape[0] - 1)
    points[ys, xs] = 1
    along, across = max(3, round(3 * letter)), max(1, round(0.5 * letter)) | 1
    best = 0
    for kernel in ((across, along), (along, across)):  # rows of a level, a turned page
        chained = cv2.dilate(points, np.ones(kernel, np.uint8))
        count, labels = cv2.connectedComponents(chained, connectivity=8)
        per_chain = np.bincount(labels[ys, xs], minlength=count)
        best = max(best, int((per_chain[labels[ys, xs]] >= 4).sum()))
    return best


def _paper_share(work: np.ndarray) -> tuple[float, float, float]:
    """Share of the page close to the paper tone, and the page's smudge (see ``_Survey``).

    The paper tone is the brightest level within a quarter of the page, so shading and
    yellowing follow it. Flat dark areas (the scanner lid left open around a small
    certificate) are not part of the page and are left out of both numbers. The smudge
    tells a blank sheet (noise and dust only) from one with something on it.
    """
    tiny_scale = 160 / max(work.shape)
    tiny = cv2.resize(work, None, fx=tiny_scale, fy=tiny_scale, interpolation=cv2.INTER_AREA)
    tiny = tiny.astype(np.float32)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (_PAPER_REACH, _PAPER_REACH))
    paper = cv2.morphologyEx(tiny, cv2.MORPH_CLOSE, kernel, borderType=cv2.BORDER_REPLICATE)
    paper = cv2.GaussianBlur(paper, (0, 0), _PAPER_REACH / 4)
    dark = _percentile(tiny.astype(np.uint8), 1)
    span = np.maximum(paper - dark, _MIN_SPAN)
    mean = cv2.blur(tiny, (5, 5))
    spread = np.sqrt(np.maximum(cv2.blur(tiny * tiny, (5, 5)) - mean * mean, 0.0))
    page = ~(((paper - tiny) / span > 0.6) & (spread < _FLAT_BORDER_SPREAD))
    if page.mean() < 0.2:  # almost all flat and dark: judge the whole image
        page[:] = True
    # "Close to paper": less than a quarter of the way from the paper tone to the darkest.
    size = (work.shape[1], work.shape[0])
    below = cv2.subtract(cv2.resize(paper, size).astype(np.uint8), work)
    span_full = cv2.resize(span, size)
    quarter = (0.25 * span_full).astype(np.uint8)
    three_quarters = (0.75 * span_full).astype(np.uint8)
    if not page.all():
        inside = cv2.resize(page.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) > 0
        below, quarter, three_quarters = below[inside], quarter[inside], three_quarters[inside]
    near = below < quarter
    mid = ~near & (below < three_quarters)
    return float(near.mean()), float(mid.mean()), _percentile(below, 99)


def _edge_blur(work: np.ndarray, smudge: float) -> float:
    """Blur (work pixels) of the steepest edges on the page, for pages without letters.

    Same Gaussian-edge model as :func:`_sharpness`, over the whole work copy: a page blurred
    beyond reading has only soft smears; a photo or drawing keeps some crisp edges.
    """
    gx = cv2.Sobel(work, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(work, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    slope = float(np.percentile(np.hypot(gx, gy), 99.9))
    return smudge / max(slope, 1e-3) / math.sqrt(2 * math.pi)


def _sharpness(gray: np.ndarray, scale: float, marks: _Marks) -> float:
    """0..1 from the steepness of ink edges, with characters scaled to a standard height.

    A step edge blurred by a Gaussian of ``sigma`` pixels has a steepest slope of
    ``contrast / (sigma * sqrt(2 pi))``, so ``sigma`` is estimated from the steepest slopes
    and the contrast on a few crops of dense text scaled to :data:`_LETTER_SIZE` px letters.
    Crisp print measures sigma ~0.8 (sampling alone); the score is
    ``exp(-((sigma - 0.6) / 1.6) ** 2)``: ~1 when crisp, 0.5 at sigma 1.9.

    Measured against Tesseract (vie) on rendered 10-12 pt pages at 150-300 dpi blurred by
    0-8 px at 300 dpi: character accuracy was 0.85 or more wherever the score was 0.83 or
    more, 0.13 or less wherever it was 0.27 or less, and mixed (0.25-0.72) in between.
    :data:`MIN_SHARPNESS` sits low in that band: pages OCR can partly read go on to OCR and
    review rather than being turned away.
    """
    char_px = marks.letter_size / scale  # in full-resolution pixels
    zoom = min(1.0, _LETTER_SIZE / max(char_px, 1.0))
    crop_full = int(_CROP / zoom)
    sigmas = []
    for cy, cx in _densest_cells(marks.density, _CROPS):
        y0 = int(max(0, min(gray.shape[0] - crop_full, (cy + 0.5) * 32 / scale - crop_full / 2)))
        x0 = int(max(0, min(gray.shape[1] - crop_full, (cx + 0.5) * 32 / scale - crop_full / 2)))
        crop = gray[y0 : y0 + crop_full, x0 : x0 + crop_full]
        if zoom < 1.0:
            crop = cv2.resize(crop, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_AREA)
        crop = crop.astype(np.float32)
        low, high = np.percentile(crop, (2, 98))
        contrast = float(high - low)
        if contrast < _MIN_INK_CONTRAST:
            continue
        gx = cv2.Sobel(crop, cv2.CV_32F, 1, 0, ksize=3) / 8.0
        gy = cv2.Sobel(crop, cv2.CV_32F, 0, 1, ksize=3) / 8.0
        slope = float(np.percentile(np.hypot(gx, gy), 99.5))
        sigmas.append(contrast / max(slope, 1e-3) / math.sqrt(2 * math.pi))
    if not sigmas:
        return 0.0
    sigma = float(np.median(sigmas))
    return math.exp(-((max(sigma - _CRISP_SIGMA, 0.0) / _BLUR_SCALE) ** 2))


def _percentile(values: np.ndarray, percent: float) -> float:
    """Percentile of ``uint8`` values from their histogram: linear time, no sorting."""
    counts = np.bincount(values.ravel(), minlength=256)
    return float(np.searchsorted(np.cumsum(counts), values.size * percent / 100.0))


def _densest_cells(density: np.ndarray, count: int) -> list[tuple[int, int]]:
    smooth = cv2.blur(density.astype(np.float32), (3, 3))
    order = np.argsort(smooth, axis=None)[::-1]
    picked: list[tuple[int, int]] = []
    for flat in order:
        cy, cx = divmod(int(flat), smooth.shape[1])
        if smooth[cy, cx] <= 0:
            break
        if all(abs(cy - py) > 4 or abs(cx - px) > 4 for py, px in picked):
            picked.append((cy, cx))
        if len(picked) == count:
            break
    return picked
