"""The fields of a dossier result that have no label of their own (docs/documents.md).

The title is the largest heading, the issuing authority the top-left block, and the
result date the "..., ngày ... tháng ... năm ..." line. The dossier code may also be in
a QR code, which is read exactly, so it outranks the printed text.
"""

from __future__ import annotations

import re
import statistics

import cv2
import numpy as np

from ocr.classify import result_titles
from ocr.dateline import header_date
from ocr.engines import Word
from ocr.fields import RawField, clean_value_words
from ocr.layout import Segment, segments
from ocr.text import fold

_MOTTO = ("cong hoa xa hoi", "doc lap", "tu do", "hanh phuc")
# "Số: 47/QĐ-UBND", also with the number written in by hand ("Số: ý4 /QĐ-UBND").
_NUMBER_LINE = re.compile(r"^so\s*[:;.]?\s*\d|^so\s*[:;]|^so\s*[:;.]?$")
_SUFFIX_PART = re.compile(r"^/\s*[A-ZĐ]")  # "/QĐ-UBND" read apart from its line
# A unit named by its number ("PHƯỜNG 10", "QUẬN 5"): the only digits an authority has.
_NUMBERED_UNIT = re.compile(r"^(phuong|quan|xa|thi tran|huyen)\s+\d{1,2}$")


def _motto_at(seg: Segment) -> int | None:
    """Where the national motto starts among the segment's words, if it is there (a
    stray mark glued to its first word, "_CỘNG", does not hide it)."""
    keys = [_LEADING_MARKS.sub("", fold(w.text)) for w in seg.words]
    for i in range(len(keys)):
        tail = " ".join(keys[i:])
        if any(tail.startswith(m) for m in _MOTTO):
            return i
    return None


_LEADING_MARKS = re.compile(r"^[\W_]+")


def _field(name: str, segs: list[Segment]) -> RawField:
    words = clean_value_words([w for s in segs for w in s.words])
    return RawField(name, " ".join(w.text for w in words), words)


def _title(segs: list[Segment], page_height: int) -> list[Segment]:
    """The largest confident heading in the upper half, with its continuation lines."""

    def height(s: Segment) -> float:
        return statistics.median(w.h for w in s.words)

    candidates = [
        s
        for s in segs
        if s.y < page_height * 0.5
        and len(s.words) >= 2
        and statistics.fmean(w.confidence for w in s.words) >= 0.5
        and not any(c.isdigit() for c in s.text)
        and not _FILE_NAME.search(s.text)  # a viewer's file name above a screenshot
    ]
    if not candidates:
        return []
    # A line that opens with a known title is the title, whatever a subtitle in
    # parentheses or a stray large line measures; otherwise the largest line is.
    known = [s for s in candidates if _opens_with_title(s)]
    top = max(known or candidates, key=height)
    size = height(top)
    lines = [s for s in candidates if height(s) >= 0.85 * size and 0 <= s.y - top.y < 2.5 * size]
    lines += [
        s
        for s in segs
        if s not in lines and 0 < s.y - top.y < 2.5 * size and _continues_title(s, top, size)
    ]
    return sorted(lines, key=lambda s: s.y)


def _opens_with_title(seg: Segment) -> bool:
    text = fold(seg.text)
    return any(text == t or text.startswith(t + " ") for t in result_titles())


def _until_subtitle(words: list[Word]) -> list[Word]:
    """The title's words before a subtitle read onto its line ("THÔNG BÁO Về việc ...",
    "GIẤY PHÉP Theo đề nghị của ..."): what follows is the text's subject, not its title."""
    keys = [fold(w.text) for w in words]
    for i in range(1, len(keys)):
        if " ".join(keys[i : i + 3]).startswith(_SUBTITLE_OPENINGS) or keys[i] in ("v/v", "(v/v"):
            return words[:i]
    return words


_SUBTITLE_OPENINGS = ("ve viec", "theo de nghi", "can cu", "(su dung")
_FILE_NAME = re.compile(r"\.\s*(pdf|jpe?g|png|docx?)\b", re.IGNORECASE)


def _continues_title(seg: Segment, top: Segment, size: float) -> bool:
    """A short capitalised line centred under the title (``DOANH`` under ``GIẤY CHỨNG
    NHẬN ĐĂNG KÝ HỘ KINH``): the title's last word, wrapped.

    Its capitals can measure well under the title's median height, which the stacked
    accents of ``Ấ``, ``Ứ``, ``Ậ`` inflate; a subtitle ("Về việc ...") is not in capitals.
    """
    letters = [c for c in seg.text if c.isalpha()]
    centre, top_centre = (seg.x + seg.right) / 2, (top.x + top.right) / 2
    return (
        len(letters) >= 2
        and all(c.isupper() for c in letters)
        and not any(c.isdigit() for c in seg.text)
        and statistics.fmean(w.confidence for w in seg.words) >= 0.5
        and statistics.median(w.h for w in seg.words) >= 0.5 * size
        and abs(centre - top_centre) < 0.15 * (top.right - top.x)
    )


def unlabelled_fields(words: list[Word], page_width: int, page_height: int) -> dict[str, RawField]:
    segs: list[Segment] = []
    beside_motto: list[Segment] = []  # what shares a line with the motto, before it
    motto_top: int | None = None
    for seg in segments(words):
        at = _motto_at(seg)
        if at is None:
            segs.append(seg)
            continue
        motto_top = seg.y if motto_top is None else min(motto_top, seg.y)
        if at:
            segs.append(Segment(seg.words[:at]))
            beside_motto.append(segs[-1])
    out: dict[str, RawField] = {}
    title = _title(segs, page_height)
    if title:
        out["document_title"] = _field("document_title", title)
        kept = _until_subtitle(out["document_title"].words)
        out["document_title"] = RawField("document_title", " ".join(w.text for w in kept), kept)
        # Issuing authority: the left-hand block above the title, beside the motto. The
        # "Số: ..." line sits under it: nothing level with or below that line (a part
        # of it read apart) belongs to the name, whose only digits number a ward.
        number_y = min((s.y for s in segs if _NUMBER_LINE.match(fold(s.text))), default=title[0].y)
        left = [
            s
            for s in segs
            if s.bottom < title[0].y
            and s.right < page_width * 0.55
            and (s.y + s.bottom) / 2 < number_y
            and (not any(c.isdigit() for c in s.text) or _NUMBERED_UNIT.match(fold(s.text)))
            and not _SUFFIX_PART.match(s.text)
            and not _FILE_NAME.search(s.text)  # a viewer's file name above a screenshot
            # The block's first line is level with the motto's: what stands higher is
            # a viewer's bar or an app's name over a screenshot.
            and (motto_top is None or (s.y + s.bottom) / 2 > motto_top)
            # Read beside the motto, the name's words may come with no confidence at
            # all; the layout puts them there, and the second reader reads them again.
            and (statistics.fmean(w.confidence for w in s.words) >= 0.5 or s in beside_motto)
        ]
        if left:
            left.sort(key=lambda s: s.y)
            authority = _field("issuing_authority", left[:3])
            # The "Số:" of the number line below, or a seal's edge, can join the block.
            while authority.words and (
                authority.words[-1].confidence < 0.3
                or fold(authority.words[-1].text).rstrip(":.") == "so"
            ):
                authority.words.pop()
            authority.text = " ".join(w.text for w in authority.words)
            out["issuing_authority"] = authority
    dated = header_date(segs, title[0].y if title else None)
    if dated is not None:
        out["result_date"] = _field("result_date", [Segment(dated.words)])
    return out


# A dossier code anywhere in a QR code's text (alone, or in a link to the dossier).
_CODE_IN_QR = re.compile(r"(?<![\w.])\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}(?![\w-])")


def dossier_code_in(qr_text: str | None) -> str | None:
    """The dossier code a QR code holds, if it holds one. A page's QR code may hold
    something else (a link to the signed text, a viewer's own code on a screenshot):
    that says nothing about the dossier code, and is not taken for it."""
    found = _CODE_IN_QR.search(qr_text or "")
    return found[0] if found else None


def read_qr(image: np.ndarray) -> str | None:
    """The text of a QR code on the page, if one can be decoded."""
    scale = min(1.0, 1600 / max(image.shape[:2]))
    return _decode(cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))


# A phone photo holds the page's QR code in about 120 pixels, too few for OpenCV's
# detector; twice as large it decodes. Larger images are not enlarged (time and memory).
_ENLARGE_UP_TO = 2600


def read_qr_any(*images: np.ndarray) -> str | None:
    """The first QR code decoded from ``images`` (the prepared page, the page found in a
    photo, the upload as it came): each as it is, then the smaller ones twice as large."""
    for image in images:
        if text := read_qr(image):
            return text
    for image in images:
        if max(image.shape[:2]) <= _ENLARGE_UP_TO:
            gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
            if text := _decode(cv2.resize(gray, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)):
                return text
    return None


def _decode(image: np.ndarray) -> str | None:
    try:
        text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    except cv2.error:
        return None
    return text or None
