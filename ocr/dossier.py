"""The fields of a dossier result that have no label of their own (SPEC 2.4).

The title is the largest heading, the issuing authority the top-left block, and the
result date the "..., ngày ... tháng ... năm ..." line. The dossier code may also be in
a QR code, which is read exactly, so it outranks the printed text.
"""

from __future__ import annotations

import re
import statistics

import cv2
import numpy as np

from ocr.engine import Word
from ocr.fields import RawField
from ocr.layout import Segment, segments
from ocr.text import fold

_MOTTO = ("cong hoa xa hoi", "doc lap", "tu do", "hanh phuc")
_DATE_LINE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")


def _is_motto(seg: Segment) -> bool:
    text = fold(seg.text)
    return any(m in text for m in _MOTTO)


def _field(name: str, segs: list[Segment]) -> RawField:
    words = [w for s in segs for w in s.words]
    return RawField(name, " ".join(s.text for s in segs), words)


def unlabelled_fields(words: list[Word], page_width: int) -> dict[str, RawField]:
    segs = [s for s in segments(words) if not _is_motto(s)]
    if not segs:
        return {}
    out: dict[str, RawField] = {}
    body = statistics.median(w.h for s in segs for w in s.words)
    seg_height = {id(s): statistics.median(w.h for w in s.words) for s in segs}

    # Title: the largest text on the page (and the line right under it if as large).
    big = [s for s in segs if seg_height[id(s)] >= 1.35 * body]
    if big:
        top = max(seg_height[id(s)] for s in big)
        title = [s for s in big if seg_height[id(s)] >= 0.85 * top]
        title.sort(key=lambda s: s.y)
        first = title[0]
        lines = [s for s in title if s.y - first.y < 3 * top]
        out["document_title"] = _field("document_title", lines)
        title_y = first.y
    else:
        title_y = None

    # Issuing authority: the left-hand block above the title, beside the motto.
    if title_y is not None:
        left = [s for s in segs if s.bottom < title_y and s.right < page_width * 0.55
                and not _DATE_LINE.search(fold(s.text)) and not fold(s.text).startswith("so")]
        if left:
            left.sort(key=lambda s: s.y)
            out["issuing_authority"] = _field("issuing_authority", left[:3])

    for s in segs:
        if _DATE_LINE.search(fold(s.text)):
            out["result_date"] = _field("result_date", [s])
            break
    return out


def read_qr(image: np.ndarray) -> str | None:
    """The text of a QR code on the page, if one can be decoded."""
    detector = cv2.QRCodeDetector()
    scale = min(1.0, 1600 / max(image.shape[:2]))
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    try:
        text, _, _ = detector.detectAndDecode(small)
    except cv2.error:
        return None
    return text or None
