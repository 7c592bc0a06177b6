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
from ocr.fields import RawField, clean_value_words
from ocr.layout import Segment, segments
from ocr.text import fold

_MOTTO = ("cong hoa xa hoi", "doc lap", "tu do", "hanh phuc")
_DATE_LINE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")


def _without_motto(seg: Segment) -> Segment | None:
    """The segment minus the national motto, which may share a line with the authority."""
    keys = [fold(w.text) for w in seg.words]
    for i in range(len(keys)):
        tail = " ".join(keys[i:])
        if any(tail.startswith(m) for m in _MOTTO):
            return Segment(seg.words[:i]) if i else None
    return seg


def _field(name: str, segs: list[Segment]) -> RawField:
    words = clean_value_words([w for s in segs for w in s.words])
    return RawField(name, " ".join(w.text for w in words), words)


def _title(segs: list[Segment], page_height: int) -> list[Segment]:
    """The largest confident heading in the upper half, with its continuation lines."""
    def height(s: Segment) -> float:
        return statistics.median(w.h for w in s.words)

    candidates = [s for s in segs if s.y < page_height * 0.5 and len(s.words) >= 2
                  and statistics.fmean(w.confidence for w in s.words) >= 0.5
                  and not any(c.isdigit() for c in s.text)]
    if not candidates:
        return []
    top = max(candidates, key=height)
    size = height(top)
    lines = [s for s in candidates if height(s) >= 0.85 * size and 0 <= s.y - top.y < 2.5 * size]
    return sorted(lines, key=lambda s: s.y)


def unlabelled_fields(words: list[Word], page_width: int, page_height: int
                      ) -> dict[str, RawField]:
    segs = [t for s in segments(words) if (t := _without_motto(s)) is not None]
    out: dict[str, RawField] = {}
    title = _title(segs, page_height)
    if title:
        out["document_title"] = _field("document_title", title)
        # Issuing authority: the left-hand block above the title, beside the motto; the
        # "Số: ..." line under it carries digits, the authority's name never does.
        left = [s for s in segs if s.bottom < title[0].y and s.right < page_width * 0.55
                and not any(c.isdigit() for c in s.text)
                and statistics.fmean(w.confidence for w in s.words) >= 0.5]
        if left:
            left.sort(key=lambda s: s.y)
            authority = _field("issuing_authority", left[:3])
            # The "Số:" of the number line below, or a seal's edge, can join the block.
            while authority.words and (authority.words[-1].confidence < 0.3
                                       or fold(authority.words[-1].text).rstrip(":.") == "so"):
                authority.words.pop()
            authority.text = " ".join(w.text for w in authority.words)
            out["issuing_authority"] = authority
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
