"""Digits written by hand into the typed slots of an official text.

A decision is typed, signed, and only then numbered and dated, often by hand on the
typed line: "Số: 47 /QĐ-UBND", "Quảng Ngãi, ngày 17 tháng 01 năm 2025". The typed words
of the line pin the handwriting down: the number sits between "Số:" and its suffix, the
day between "ngày" and "tháng", the month between "tháng" and "năm". And they say what
it must be: a number of one to five digits, a day of 1-31, a month of 1-12.

Each slot is cut out of the page and read as digits alone (:func:`read_slot_digits`).
A reading that fits the slot replaces a value the page's reading got wrong or lost. It
is never sure by itself: the slot's readings and the page's come from one reader, so a
person confirms the handwriting (its confidence still says how well the readings agree).
A slot that cannot be read sends only its own field to review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import cv2
import numpy as np

from ocr.acceptance import CHECK, DISAGREE, DOUBTFUL, FURTHER_READING, ONE_READING, SURE
from ocr.dateline import header_date
from ocr.engines import Word, page_reader
from ocr.layout import Segment, segments
from ocr.normalize import fix_digits
from ocr.record import AUTO_ACCEPT_CONFIDENCE, FieldValue, Issue
from ocr.rules import Rule
from ocr.text import fold

AGREED = AUTO_ACCEPT_CONFIDENCE + 0.02  # two readings of the slot agree
SUGGESTION = AUTO_ACCEPT_CONFIDENCE - 0.1  # one reading: for a person to confirm
_SUFFIX = re.compile(r"/?\s*(?P<suffix>[A-ZĐ][A-ZĐ0-9\-.]*)\s*$")
_NUMBER = re.compile(r"^(\d{1,5})/(\S+)$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Slot:
    """Where a handwritten value sits on the prepared page, and what it may be."""

    box: tuple[int, int, int, int]  # x0, y0, x1, y1
    digits: tuple[int, int]  # fewest and most digits it may have
    low: int
    high: int
    # Typed text the crop reaches into, whose reading marks where the digits end: the
    # stroke before a number's suffix is often lost to the handwriting beside it.
    until: str = ""

    def fits(self, text: str) -> bool:
        return (
            text.isdigit()
            and self.digits[0] <= len(text) <= self.digits[1]
            and self.low <= int(text) <= self.high
        )


def read_slot_digits(image: np.ndarray, slot: Slot) -> str | None:
    """The digits in ``slot`` as the English model reads its crop (as a line, else as a
    word), grey and binarized by Otsu's threshold: the digits both give, or the one that
    fits when the other does not; ``None`` when they disagree or none fits."""
    x0, y0, x1, y1 = slot.box
    crop = image[max(0, y0) : y1, max(0, x0) : x1]
    if crop.size == 0 or crop.shape[1] < 4:
        return None
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    gray = gray.astype(np.uint8, copy=False)
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    pad = max(4, gray.shape[0] // 3)
    found = set()
    for img in (gray, bw):
        framed = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
        for layout in ("line", "block"):
            words = page_reader().read_words(framed, dpi=300, layout=layout, script="digits")
            text = _before(" ".join(w.text for w in words), slot.until)
            text = re.sub(r"\D", "", fix_digits(text))
            if slot.fits(text):
                found.add(str(int(text)))
                break
    return found.pop() if len(found) == 1 else None


def number_slot(words: list[Word]) -> tuple[Slot, str, list[Word]] | None:
    """The slot of "Số: __ /QĐ-UBND", its suffix as typed, and the words read in it.

    The suffix is the first word after "Số:" that ends in capitals ("/QĐ-UBND",
    "1026/QĐ-UBND", also "QĐ-UBND" with its stroke lost to the handwriting beside it).
    """
    segs = segments(words)
    for seg in segs:
        label = seg.words[0]
        first = fold(label.text)
        if not first.startswith("so") or ":" not in label.text and first != "so":
            continue
        colon = label.text.find(":") + 1 or len(label.text)
        height = _height(seg)
        # A short number written in a wide gap leaves the suffix a segment of its own.
        row = seg.words + [
            w
            for other in segs
            if other is not seg
            and other.x > seg.right
            and other.x < seg.right + 12 * height
            and seg.y <= (other.y + other.bottom) / 2 <= seg.bottom
            for w in other.words
        ]
        for i, w in enumerate(row):
            text = label.text[colon:] if i == 0 else w.text
            match = _SUFFIX.search(text)
            if match is None or sum(c.isupper() for c in match["suffix"]) < 2:
                continue
            suffix = match["suffix"]
            if suffix.endswith("-") and i + 1 < len(row):
                suffix += row[i + 1].text  # "QĐ-" "UBND": the suffix read as two words
            cut = len(w.text) - len(match[0])
            slash_x = w.x + round(w.w * cut / len(w.text))
            start = label.x + round(label.w * colon / len(label.text)) + 2
            if slash_x - start < 4:
                break  # "Số:/QĐ": no room for a number
            # Through the suffix's first letters: where its reading starts, digits end.
            end = min(w.right, slash_x + round(2.5 * height))
            box = (start, seg.y - round(0.5 * height), end, seg.bottom + round(0.5 * height))
            head = w.text[colon if i == 0 else 0 : cut]
            before = row[1:i] + ([Word(head, w.confidence, 0, 0, 1, 1, 0, 0)] if head else [])
            return Slot(box, (1, 5), 1, 99999, until=suffix), suffix, before
    return None


def date_slots(words: list[Word]) -> dict[str, tuple[Slot, list[Word]]]:
    """The day's and the month's slots of the "<place>, ngày __ tháng __ năm 2025" line
    of the header (never a recital's: those cite other papers), with the words read in
    each. The line may wrap after the day: the day's slot then ends with its line."""
    line = header_date(segments(words))
    if line is None:
        return {}
    w = line.words
    day, month, nam = w[line.day_at], w[line.month_at], w[line.year_at]
    if _same_row(day, month):
        day_end = month.x - 2
    else:  # the slot runs to the end of the day's line, and a little beyond
        after = [x.right for x in w[line.day_at + 1 : line.month_at] if _same_row(x, day)]
        day_end = max([*after, day.right + 3 * day.h])
    return {
        "day": (
            Slot(_slot_box(w, day, day.right + 2, day_end), (1, 2), 1, 31),
            w[line.day_at + 1 : line.month_at],
        ),
        "month": (
            Slot(_slot_box(w, month, month.right + 2, nam.x - 2), (1, 2), 1, 12),
            w[line.month_at + 1 : line.year_at],
        ),
    }


def _same_row(a: Word, b: Word) -> bool:
    return abs((a.y + a.bottom) - (b.y + b.bottom)) < max(a.h, b.h)


def _slot_box(words: list[Word], anchor: Word, x0: int, x1: int) -> tuple[int, int, int, int]:
    """From ``x0`` to ``x1`` on the row of ``anchor``, half a line higher and lower."""
    row = [w for w in words if _same_row(w, anchor)]
    height = _height(Segment(row))
    top, bottom = min(w.y for w in row), max(w.bottom for w in row)
    return (x0, top - round(0.5 * height), x1, bottom + round(0.5 * height))


def _before(text: str, until: str) -> str:
    """``text`` up to where the typed ``until`` starts, the whole of it when ``until``
    is empty: "305/QD-UB" -> "305", "30 5Qp-|" -> "30 5" (the stroke lost)."""
    if not until:
        return text
    # The suffix ends the crop: its first letter's last occurrence, or the stroke.
    cuts = [i for i in (fold(text).rfind(fold(until)[0]), text.rfind("/")) if i >= 0]
    return text[: min(cuts)] if cuts else ""


def _height(seg: Segment) -> float:
    return float(np.median([w.h for w in seg.words]))


def settle_result_slots(
    fields: dict[str, FieldValue], image: np.ndarray, words: list[Word]
) -> list[Issue]:
    """Read the number's and the date's slots, typed or written in: the slot's reading
    and the page's must agree for the value to be sure. Returns issues for the slots
    that could not be read; their fields alone go to review, the rest of the page
    stands."""
    issues: list[Issue] = []
    found = number_slot(words)
    if found is not None:
        slot, suffix, inside = found
        old = fields.get("result_number")
        page = _NUMBER.match(str(old.value)) if old else None
        if page:
            suffix = page[2]  # the page's reading of the typed suffix, settled already
        digits = page[1] if page else str(old.value) if old and str(old.value).isdigit() else None
        read = read_slot_digits(image, slot)
        value = _settle(read, digits, old)
        if value is None:
            fields.pop("result_number", None)
            issues.append(_unread("result_number", "number", "Số: …"))
        else:
            digits, confidence = value
            if not page:
                # The suffix as the line's words spell it: one reading, for a person.
                confidence = min(confidence, SUGGESTION)
            bbox = old.bbox if old else None
            kept = _handwritten(old, f"{digits}/{suffix}", confidence, bbox)
            if read is None:
                kept = _unconfirmed(kept, garbled=not _plain_digits(inside))
            fields["result_number"] = kept
    slots = date_slots(words)
    if slots:
        old = fields.get("result_date")
        parts = _ISO.match(str(old.value)) if old else None
        page = {"day": parts[3], "month": parts[2]} if parts else {}
        year = _slot_year(words) or (int(parts[1]) if parts else None)
        settled = {}
        unread = garbled = False
        for part, (slot, inside) in slots.items():
            read = read_slot_digits(image, slot)
            unread = unread or read is None
            garbled = garbled or read is None and not _plain_digits(inside)
            if (got := _settle(read, page.get(part), old)) is not None:
                settled[part] = got
        when = _date(year, settled)
        if when is None:
            fields.pop("result_date", None)
            issues.append(_unread("result_date", "date", "ngày … tháng … năm …"))
        else:
            confidence = min(c for _, c in settled.values())
            if old is not None and old.value == when.isoformat():
                confidence = max(confidence, old.confidence)
            kept = _handwritten(old, when.isoformat(), confidence, old.bbox if old else None)
            fields["result_date"] = _unconfirmed(kept, garbled=garbled) if unread else kept
    return issues


def _unconfirmed(field: FieldValue, *, garbled: bool) -> FieldValue:
    """The page's value when its slot could not be read to confirm it. It is not sure
    when a further reading made it so, the page reader's first reading having said
    otherwise (handwriting is where the readers split), nor when the page read the slot
    as digits mixed with other marks ("2Ì" for a handwritten 27): the value is what
    normalization kept of a broken reading, and two readers can break it alike."""
    if field.status != SURE:
        return field
    if field.reason == FURTHER_READING:
        return replace(field, status=CHECK, reason=DISAGREE)
    if garbled:
        return replace(field, status=CHECK, reason=DOUBTFUL)
    return field


def _plain_digits(words: list[Word]) -> bool:
    """The slot's words as the page read them are digits alone (or nothing)."""
    text = "".join(w.text for w in words).strip(" .,;:")
    return text == "" or text.isdigit()


def _handwritten(old: FieldValue | None, value: str, confidence: float, bbox: Any) -> FieldValue:
    """The slot's value: the page's field as it was when that already says it (its
    status is the readers' verdict on it); otherwise for a person to check, since the
    slot's readings come from the page reader alone, one reader checking itself rather
    than two independent readings (docs/acceptance.md)."""
    if old is not None and old.value == value:
        return old
    return FieldValue(value, confidence, bbox, CHECK, ONE_READING)


def _settle(slot: str | None, page: str | None, old: FieldValue | None) -> tuple[str, float] | None:
    """(digits, confidence) from the slot's reading and the page's: sure when both
    give the same digits; the page's own as it was when the slot could not be read;
    for a person to confirm when one alone gives them, or when they disagree (the
    slot's, read for the purpose, goes first)."""
    page = str(int(page)) if page and page.isdigit() else None
    sure = old.confidence if old is not None and page is not None else 0.0
    if slot is None and page is None:
        return None
    if slot == page:
        return page, max(AGREED, sure)  # type: ignore[return-value]
    if slot is None:
        return page, sure  # type: ignore[return-value]
    return slot, SUGGESTION


def _slot_year(words: list[Word]) -> int | None:
    line = header_date(segments(words))
    return line.year if line else None


def _date(year: int | None, parts: dict[str, tuple[str, float]]) -> date | None:
    if year is None or "day" not in parts or "month" not in parts:
        return None
    try:
        return date(year, int(parts["month"][0]), int(parts["day"][0]))
    except ValueError:
        return None


def _unread(field: str, what: str, slot: str) -> Issue:
    return Issue(
        field=field,
        rule=Rule.HANDWRITTEN_UNREAD,
        message=(
            f"The {what} written by hand in “{slot}” could not be read; type it in from the page."
        ),
    )
