"""The "Số: 45   Quyển số: 03/1987" line of civil-status forms, read again on its own.

The registration number is the shortest value on the page, printed beside the book
number. In the page's reading its "Số:" label is often merged with the neighbour or read
as "50:" or "S0:", so the field is missing or garbled. The line is easy to find by its
book label, which is long and reads reliably, so both numbers are read again from tight
crops of that line: by the page reader (for text, and for digits) and by the second
reader. A number is sure when the second reader's reading agrees with one of the page
reader's; otherwise a person decides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from ocr import normalize
from ocr.acceptance import read_crops
from ocr.engines import Script, Word
from ocr.layout import Segment, extent, segments, word_key
from ocr.prepare import Prepared
from ocr.rereading import crop_words

FIELDS = ("registration_number", "book_number")
_LABEL_TOKEN = re.compile(r"^\S{1,4}[:;]$")  # "Số:", read as "50:", "S0:", "$3:"
_YEAR = re.compile(r"/(\d{4})$")
_DIGITS = re.compile(r"\d+")
WELL_FORMED = re.compile(r"^\d{1,4}(?:/\d{4})?$")  # "45", "123/2019", "03/1987"


@dataclass(frozen=True)
class Opinion:
    """What the readings of the line make of one number."""

    value: Any
    agreeing: int  # how many readings gave this value (the page's own among them)
    confirmed: bool  # the second reader's reading is one of them, beside the page reader's


def _book_label(segs: list[Segment]) -> tuple[Segment, int] | None:
    """The segment holding "Quyển số" and the index of the word after the label."""
    for seg in segs:
        keys = [word_key(w) for w in seg.words]
        for i in range(len(keys) - 1):
            if keys[i] in ("quyen", "quyn", "quyem") and keys[i + 1] == "so":
                return seg, i + 2
    return None


def _value_text(texts: list[str]) -> str:
    """The words of a crop after its label: "So: 283" -> "283"."""
    label = next((i for i, t in enumerate(texts) if _LABEL_TOKEN.match(t)), None)
    if label is not None and label < 2:
        texts = texts[label + 1 :]
    elif len(texts) > 1 and not any(c.isdigit() for c in texts[0]):
        texts = texts[1:]
    return " ".join(texts)


def _ink_box(
    prepared: Prepared, box: tuple[int, int, int, int], pad: int
) -> tuple[int, int, int, int] | None:
    """``box`` narrowed to the columns that hold ink, plus ``pad``: a crop mostly of
    blank paper makes Tesseract guess at the few characters it holds."""
    x0, y0, x1, y1 = max(0, box[0]), max(0, box[1]), box[2], box[3]
    crop = prepared.image[y0:y1, x0:x1]
    if crop.size == 0:
        return None
    gray = crop if crop.ndim == 2 else crop.mean(axis=2)
    inked = np.flatnonzero((gray < 128).sum(axis=0) >= 2)
    if inked.size == 0:
        return None
    return x0 + max(0, int(inked[0]) - pad), y0, x0 + int(inked[-1]) + pad, y1


def _reading(prepared: Prepared, box: tuple[int, int, int, int], script: Script) -> Any:
    words = crop_words(prepared, box, "line", line_id=0, scale=1, script=script)
    return _number(_value_text([w.text for w in words]))


def _number(text: str) -> Any:
    value = normalize.normalize_field("birth", "registration_number", text)
    return value if value and any(c.isdigit() for c in value) else None


def _readings(prepared: Prepared, box: tuple[int, int, int, int], pad: int) -> dict[str, Any]:
    """The page reader's readings of a number's crop (text and digits) and the second
    reader's.

    The text model's reading of a few large digits changes with the blank margin around
    them (283 read as 203 in one crop, right in a wider one), so when it differs from the
    digits reading it gets a second chance on a wider crop.
    """
    out = {s: _reading(prepared, box, s) for s in ("digits", "text")}
    if out["text"] != out["digits"]:
        wider = (box[0] - pad, box[1], box[2] + 3 * pad, box[3])
        out["text"] = _reading(prepared, wider, "text") or out["text"]
    line = read_crops(prepared, [_box_word(box)])
    out["second"] = _number(_value_text(line.text.split())) if line else None
    return {source: v for source, v in out.items() if v is not None}


def _box_word(box: tuple[int, int, int, int]) -> Word:
    """A box as a word, for the crop functions that take a value's words."""
    x0, y0, x1, y1 = box
    return Word("", 1.0, x0, y0, x1 - x0, y1 - y0, 0, 0)


def opinions(prepared: Prepared, words: list[Word], first: dict[str, Any]) -> dict[str, Opinion]:
    """Second readings of the registration and book numbers, beside the first ones.

    ``first`` holds the values the page's reading gave (missing fields absent).
    """
    found = _book_label(segments(words))
    if found is None:
        return {}
    seg, after = found
    label_words = seg.words[:after]
    h = max(w.h for w in label_words)
    top = min(w.y for w in label_words) - h // 4
    bottom = max(w.bottom for w in label_words) + h // 4
    left_margin = min(w.x for w in words)
    boxes = {
        "registration_number": (left_margin - h, top, label_words[0].x - h // 2, bottom),
        "book_number": (label_words[0].x - h // 4, top, seg.right + 2 * h, bottom),
    }
    out: dict[str, Opinion] = {}
    for name, box in boxes.items():
        if box[2] - box[0] < h:
            continue
        tight = _ink_box(prepared, box, h // 2)
        if tight is None:
            continue
        readings = _readings(prepared, tight, h)
        page = first.get(name)
        votes = Counter(readings.values())
        if page:
            votes[page] += 1
        if not votes:
            continue
        value, count = votes.most_common(1)[0]
        second = readings.get("second")
        ours = {readings.get("text"), readings.get("digits"), page}
        out[name] = Opinion(value, count, second == value and value in ours)
    return out


def settle(
    name: str, value: Any, sure: bool, opinion: Opinion | None, book: Any = None
) -> tuple[Any, bool]:
    """The value of one number and whether it is sure, given the line's readings.

    A value the second reader and the page reader both give is sure; a value only one
    reading gives replaces a missing or garbled one, for review. A registration number
    with a year ("123/2019") must name the book's year when the book has one.
    """
    if opinion is not None:
        if opinion.confirmed:
            value, sure = opinion.value, True
        elif value in (None, "") or (
            not WELL_FORMED.match(str(value)) and WELL_FORMED.match(str(opinion.value))
        ):
            value, sure = opinion.value, False
        elif opinion.value != value:
            sure = False
    if name == "registration_number" and value and book:
        ours, theirs = _YEAR.search(str(value)), _YEAR.search(str(book))
        if ours and theirs and ours[1] != theirs[1]:
            sure = False
    return value, sure


def result_number(
    prepared: Prepared, authority: list[Word], title: list[Word] | None
) -> tuple[Any, bool] | None:
    """A dossier result's "Số: 977/QĐ-UBND", read from the crop under the authority block,
    and whether it is sure.

    That line sits beside the place-and-date line at a slightly different height, and
    the page's reading often merges the two and loses it. Under the authority's name it
    reads cleanly. The page reader's text reading gives the value; it is sure when the
    second reader reads that line alike.
    """
    box = _result_box(authority, title)
    if box is None:
        return None
    words = _result_words(prepared, box)
    value = _number_of(words)
    if value is None:
        return None
    line = read_crops(prepared, words)
    second = (
        normalize.normalize_field("dossier_result", "result_number", line.text) if line else None
    )
    return value, second == value


def _result_box(
    authority: list[Word], title: list[Word] | None
) -> tuple[int, int, int, int] | None:
    if not authority:
        return None
    h = max(w.h for w in authority)
    x0, _, x1, y1 = extent(authority)
    bottom = y1 + 3 * h
    if title:
        bottom = min(bottom, min(w.y for w in title) - h // 4)
    box = (x0 - 2 * h, y1 + h // 8, x1 + 2 * h, bottom)
    return None if box[3] - box[1] < h else box


def _result_words(prepared: Prepared, box: tuple[int, int, int, int]) -> list[Word]:
    """The number's words ("Số:" and what holds digits) in the block under the authority."""
    words = crop_words(prepared, box, "block", line_id=0, scale=1)
    return [w for w in words if any(c.isdigit() for c in w.text) or _LABEL_TOKEN.match(w.text)]


def _number_of(words: list[Word]) -> str | None:
    text = _value_text([w.text for w in words])
    value = normalize.normalize_field("dossier_result", "result_number", text)
    return value if value and any(c.isdigit() for c in value) else None
