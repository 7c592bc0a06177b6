"""Second looks by the page reader at what its first reading of a page got wrong.

Each is a small reading of one region of the prepared page: a line read alone, or a
value read enlarged. Lines are read again only where the first reading was weak, so a
clean page costs little more than one pass of the page reader.
"""

from __future__ import annotations

import statistics
from dataclasses import replace

import cv2
import numpy as np

from ocr.engines import Layout, Script, Word, page_reader
from ocr.fields import RawField
from ocr.layout import extent, segments
from ocr.prepare import OCR_DPI, Prepared

WEAK_LINE = 0.75  # a line segment read with less mean confidence is read again alone
_REREAD_LINES = 1 << 30  # line ids of re-read segments, apart from the page reader's


def mean_confidence(words: list[Word]) -> float:
    return statistics.fmean(w.confidence for w in words) if words else 0.0


def crop_words(
    prepared: Prepared,
    box: tuple[int, int, int, int],
    layout: Layout,
    line_id: int,
    *,
    scale: int = 2,
    script: Script = "text",
) -> list[Word]:
    """Read one region of the prepared page, enlarged ``scale`` times; boxes in page pixels."""
    x0, y0, x1, y1 = max(0, box[0]), max(0, box[1]), box[2], box[3]
    crop = prepared.image[y0:y1, x0:x1]
    if crop.size == 0:
        return []
    if scale != 1:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return [
        Word(
            w.text,
            w.confidence,
            x0 + w.x // scale,
            y0 + w.y // scale,
            max(1, w.w // scale),
            max(1, w.h // scale),
            w.block,
            line_id,
        )
        for w in page_reader().read_words(crop, dpi=OCR_DPI * scale, layout=layout, script=script)
    ]


def reread_weak_lines(prepared: Prepared, words: list[Word]) -> list[Word]:
    """Read again, on its own, every line segment the page reader read poorly.

    On forms, a block beside another at a slightly different height (``Số: 2138/QĐ-UBND``
    next to the place-and-date line) is often merged into one text line with the wrong
    baseline, and the smaller part comes out as garbage. Alone, it reads cleanly.
    """
    out = list(words)
    for n, seg in enumerate(segments(words)):
        if statistics.fmean(w.confidence for w in seg.words) >= WEAK_LINE:
            continue
        pad = max(w.h for w in seg.words) // 3
        box = (seg.x - 2 * pad, seg.y - pad, seg.right + 2 * pad, seg.bottom + pad)
        again = crop_words(prepared, box, "line", line_id=_REREAD_LINES + n)
        if again and mean_confidence(again) > mean_confidence(seg.words) + 0.05:
            gone = {id(w) for w in seg.words}
            out = [w for w in out if id(w) not in gone] + again
    return out


def value_box(rf: RawField) -> tuple[int, int, int, int]:
    """The value's words with a margin: (x0, y0, x1, y1) on the prepared page."""
    pad = max(w.h for w in rf.words) // 4
    x0, y0, x1, y1 = extent(rf.words)
    return x0 - 2 * pad, y0 - pad, x1 + 2 * pad, y1 + pad


def binarized(prepared: Prepared, box: tuple[int, int, int, int]) -> Prepared:
    """The page with ``box`` binarized by Otsu's threshold: a differently prepared crop
    whose reading errs apart from the grey one's (noise and blur fall either side of one
    threshold instead of shading the strokes)."""
    x0, y0, x1, y1 = max(0, box[0]), max(0, box[1]), box[2], box[3]
    image = prepared.image.copy()
    crop = image[y0:y1, x0:x1]
    if crop.size:
        gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
        _, bw = cv2.threshold(gray.astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        image[y0:y1, x0:x1] = bw if crop.ndim == 2 else bw[..., None]
    return replace(prepared, image=image)  # the same geometry (homography included)
