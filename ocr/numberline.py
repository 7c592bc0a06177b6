"""The "Số: 45   Quyển số: 03/1987" line of civil-status forms, read again on its own.

The registration number is the shortest value on the page, printed beside the book
number. In the page's reading its "Số:" label is often merged with the neighbour or read
as "50:" or "S0:", so the field is missing or garbled; and Tesseract's confidence in
short runs of digits says little. The line is easy to find by its book label, which is
long and reads reliably, so both numbers are read again from tight crops of that line,
with the Vietnamese model and with the English one (which reads digits of other faces
better), each at the page's own scale. Readings by the two models that agree are as sure
as a value gets; when they disagree, a person decides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from ocr import normalize
from ocr.engines import Script, Word
from ocr.layout import Segment, extent, segments, word_key
from ocr.prepare import Prepared
from ocr.rereading import AGREED, SUGGESTION, binarized, crop_words

FIELDS = ("registration_number", "book_number")
_LABEL_TOKEN = re.compile(r"^\S{1,4}[:;]$")  # "Số:", read as "50:", "S0:", "$3:"
_YEAR = re.compile(r"/(\d{4})$")
_DIGITS = re.compile(r"\d+")
WELL_FORMED = re.compile(r"^\d{1,4}(?:/\d{4})?$")  # "45", "123/2019", "03/1987"


@dataclass(frozen=True)
class Opinion:
    """What the second readings of the line make of one number."""

    value: Any
    agreeing: int  # how many readings (of three) gave this value
    english: bool  # whether the English model's reading is among them
    english_value: Any = None  # the English model's own reading, when it made one


def _book_label(segs: list[Segment]) -> tuple[Segment, int] | None:
    """The segment holding "Quyển số" and the index of the word after the label."""
    for seg in segs:
        keys = [word_key(w) for w in seg.words]
        for i in range(len(keys) - 1):
            if keys[i] in ("quyen", "quyn", "quyem") and keys[i + 1] == "so":
                return seg, i + 2
    return None


def _value_text(words: list[Word]) -> str:
    """The words of a crop after its label: "So: 283" -> "283"."""
    texts = [w.text for w in words]
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
    value = normalize.normalize_field("birth", "registration_number", _value_text(words))
    return value if value and any(c.isdigit() for c in value) else None


def _readings(prepared: Prepared, box: tuple[int, int, int, int], pad: int) -> dict[str, Any]:
    """The English and the Vietnamese readings of a number's crop.

    The Vietnamese model's reading of a few large digits changes with the blank margin
    around them (283 read as 203 in one crop, right in a wider one), so when it differs
    from the English reading it gets a second chance on a wider crop.
    """
    out = {s: _reading(prepared, box, s) for s in ("digits", "text")}
    if out["text"] != out["digits"]:
        wider = (box[0] - pad, box[1], box[2] + 3 * pad, box[3])
        out["text"] = _reading(prepared, wider, "text") or out["text"]
    return {script: v for script, v in out.items() if v is not None}


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
        votes = Counter(readings.values())
        if first.get(name):
            votes[first[name]] += 1
        eng = readings.get("digits")
        # The English reading alone: a second English reading of the crop binarized
        # confirms it or not (the Vietnamese model misreads some serif faces' digits).
        if (
            name == "registration_number"
            and eng is not None
            and votes[eng] < 2
            and WELL_FORMED.match(eng)
            and _reading(binarized(prepared, tight), tight, "digits") == eng
        ):
            votes[eng] += 1
        if not votes:
            continue
        value, count = votes.most_common(1)[0]
        out[name] = Opinion(value, count, readings.get("digits") == value, readings.get("digits"))
    return out


def settle(
    name: str, value: Any, confidence: float, opinion: Opinion | None, book: Any = None
) -> tuple[Any, float]:
    """The value and confidence of one number, given the line's second readings.

    Two readings that agree, one of them by the English model, make the value sure
    enough to accept; a value only one reading gives is kept for review. A registration
    number with a year ("123/2019") must name the book's year when the book has one.
    """
    if opinion is not None:
        if name == "book_number" and _zero_read_as_nine(value, opinion):
            return value, max(confidence, AGREED)
        if opinion.agreeing >= 2 and opinion.english:
            confidence = max(confidence, AGREED) if opinion.value == value else AGREED
            value = opinion.value
        elif value in (None, "") or (
            not WELL_FORMED.match(str(value)) and WELL_FORMED.match(str(opinion.value))
        ):
            value, confidence = opinion.value, SUGGESTION
        elif opinion.value != value:
            confidence = min(confidence, SUGGESTION)
    if name == "registration_number" and value and book:
        ours, theirs = _YEAR.search(str(value)), _YEAR.search(str(book))
        if ours and theirs and ours[1] != theirs[1]:
            confidence = min(confidence, SUGGESTION)
    return value, confidence


def _zero_read_as_nine(value: Any, opinion: Opinion) -> bool:
    """A book number "03/2001" that the Vietnamese readings agree on while the English
    model reads "93/2001": book numbers are printed with a leading zero, and the English
    model reads that zero of the typewriter faces as 9. Every other character must agree."""
    text, eng = str(value or ""), str(opinion.english_value or "")
    return (
        opinion.agreeing >= 2
        and opinion.value == value
        and len(text) == len(eng) >= 2
        and text[0] == "0"
        and eng[0] == "9"
        and text[1:] == eng[1:]
        and WELL_FORMED.match(text) is not None
    )


def result_number(
    prepared: Prepared, authority: list[Word], title: list[Word] | None
) -> tuple[Any, float] | None:
    """A dossier result's "Số: 977/QĐ-UBND", read from the crop under the authority block.

    That line sits beside the place-and-date line at a slightly different height, and
    the page's reading often merges the two and loses it. Under the authority's name it
    reads cleanly. The Vietnamese model reads the "Đ" of the suffix, the English one the
    digits: the value is accepted when both give the same digits.
    """
    box = _result_box(authority, title)
    if box is None:
        return None
    values = {s: _result_reading(prepared, box, s) for s in ("text", "digits")}
    if values["text"] is None:
        return None
    eng = values["digits"]
    if eng is not None and _DIGITS.findall(values["text"]) == _DIGITS.findall(eng):
        return values["text"], AGREED
    return values["text"], SUGGESTION


def result_suffix_confirmed(
    prepared: Prepared, authority: list[Word], title: list[Word] | None, value: str
) -> bool:
    """Whether the crop under the authority, binarized, reads ``value`` again with the
    Vietnamese model: a second reading of the suffix ("TLCC", "QĐ-UBND") that only
    that model reads, for when the page's own reading of it was garbled."""
    box = _result_box(authority, title)
    return box is not None and _result_reading(binarized(prepared, box), box, "text") == value


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


def _result_reading(
    prepared: Prepared, box: tuple[int, int, int, int], script: Script
) -> str | None:
    words = crop_words(prepared, box, "block", line_id=0, scale=1, script=script)
    words = [w for w in words if any(c.isdigit() for c in w.text) or _LABEL_TOKEN.match(w.text)]
    value = normalize.normalize_field("dossier_result", "result_number", _value_text(words))
    return value if value and any(c.isdigit() for c in value) else None
