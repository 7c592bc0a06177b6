"""Second looks at what the first reading of a page got wrong or was unsure of.

Each is a small OCR of one region of the prepared page: a line read alone, a value read
enlarged, or its digits read by another model. They run only where the first reading was
weak, so a clean page costs little more than one pass of Tesseract.
"""

from __future__ import annotations

import re
import statistics
from datetime import date
from typing import Any

import cv2

from ocr import lexicon, normalize
from ocr.checks import OLDEST_YEAR, parse_date
from ocr.engine import Word, read_words
from ocr.fields import RawField
from ocr.layout import extent, segments
from ocr.prepare import OCR_DPI, Prepared
from ocr.record import AUTO_ACCEPT_CONFIDENCE
from ocr.units import accent_key, unit_missed
from ocr.values import token_confidences, value_of

CONFIRMED = 0.95  # a value two independent readings agree on
AGREED = AUTO_ACCEPT_CONFIDENCE + 0.02  # two readings agree: just enough to accept
SUGGESTION = AUTO_ACCEPT_CONFIDENCE - 0.1  # a value only the second reading made out
AGREEMENT_EVIDENCE = 0.45  # ...if their mean confidence reaches this (see BENCHMARKS.md)
SURE_TOKEN = 0.85  # a name token both readings read with this much: its marks are right
TIE_FLOOR = 0.75  # ...or one of them a little less, and a third reading with SURE_TOKEN
WEAK_LINE = 0.75  # a line segment read with less mean confidence is read again alone
DIGIT_KINDS = {"date", "death_date", "year", "number", "personal_id"}
_REREAD_LINES = 1 << 30  # line ids of re-read segments, apart from Tesseract's
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGITS = re.compile(r"\d+")


def mean_confidence(words: list[Word]) -> float:
    return statistics.fmean(w.confidence for w in words) if words else 0.0


def crop_words(prepared: Prepared, box: tuple[int, int, int, int], psm: int,
                line_id: int, *, scale: int = 2, lang: str = "vie") -> list[Word]:
    """OCR one region of the prepared page, enlarged ``scale`` times; boxes in page pixels."""
    x0, y0, x1, y1 = max(0, box[0]), max(0, box[1]), box[2], box[3]
    crop = prepared.image[y0:y1, x0:x1]
    if crop.size == 0:
        return []
    if scale != 1:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    return [
        Word(w.text, w.confidence, x0 + w.x // scale, y0 + w.y // scale,
             max(1, w.w // scale), max(1, w.h // scale), w.block, line_id)
        for w in read_words(crop, psm=psm, dpi=OCR_DPI * scale, lang=lang)
    ]


def reread_weak_lines(prepared: Prepared, words: list[Word]) -> list[Word]:
    """Read again, on its own, every line segment Tesseract read poorly.

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
        again = crop_words(prepared, box, psm=7, line_id=_REREAD_LINES + n)
        if again and mean_confidence(again) > mean_confidence(seg.words) + 0.05:
            gone = {id(w) for w in seg.words}
            out = [w for w in out if id(w) not in gone] + again
    return out


def digits_opinion(doc_type: str, name: str, rf: RawField, prepared: Prepared,
                    value: Any, confidence: float) -> tuple[Any, float]:
    """Read the digits of a field again with Tesseract's English model.

    The Vietnamese model turns the slashed or dotted zeros and flagged ones of typewriter
    faces into 9s, 6s and 4s, often with high confidence; the English model, trained on
    far more such faces, reads them right (but not "Đ" in ``123/QĐ-UBND``). Only the
    digits are compared: when they agree the value is sure; when they differ, the English
    digits replace the Vietnamese ones, for a person to confirm.
    """
    again = crop_words(prepared, value_box(rf), psm=7, line_id=0, scale=1, lang="eng")
    if not again:
        return value, confidence
    text = " ".join(w.text for w in again)
    second, second_conf = value_of(doc_type, name, RawField(name, text, again))
    if second in (None, ""):
        return value, confidence
    if value in (None, ""):
        return second, min(second_conf, SUGGESTION)
    ours, theirs = _DIGITS.findall(str(value)), _DIGITS.findall(str(second))
    if ours == theirs:
        return value, max(confidence, min(second_conf, CONFIRMED))
    if len(ours) != len(theirs):
        return value, min(confidence, SUGGESTION)
    spliced = iter(theirs)
    merged = type(value)(_DIGITS.sub(lambda _: next(spliced), str(value)))
    if not plausible_value(value) and plausible_value(merged):
        # The Vietnamese reading cannot be right (month 19, year 4966); the English one
        # is a real value: it stands on the English model's confidence.
        return merged, min(second_conf, CONFIRMED)
    return merged, min(second_conf, SUGGESTION)


def plausible_value(value: Any) -> bool:
    """A date or year that can be on a register; other values always pass."""
    if isinstance(value, int):
        return OLDEST_YEAR <= value <= date.today().year
    if isinstance(value, str) and _ISO_DATE.match(value):
        parsed = parse_date(value)
        return parsed is not None and OLDEST_YEAR <= parsed.year <= date.today().year
    return True


def value_box(rf: RawField) -> tuple[int, int, int, int]:
    """The value's words with a margin: (x0, y0, x1, y1) on the prepared page."""
    pad = max(w.h for w in rf.words) // 4
    x0, y0, x1, y1 = extent(rf.words)
    return x0 - 2 * pad, y0 - pad, x1 + 2 * pad, y1 + pad


def second_reading(doc_type: str, name: str, rf: RawField, prepared: Prepared,
                    value: Any, confidence: float) -> tuple[Any, float]:
    """Read a doubtful or unreadable value again, enlarged and as a single block of text.

    Tesseract's word confidence is low for bold capitals full of stacked diacritics even
    when the reading is right. A second reading of the crop at twice the size, segmented
    differently, that gives the same value after correction lifts the confidence to the
    threshold's safe side; any disagreement leaves it low, for a person to decide. A
    value only the second reading could make out is kept as a suggestion for review.
    """
    lines = len({w.line for w in rf.words})
    again = crop_words(prepared, value_box(rf), psm=7 if lines == 1 else 6, line_id=0)
    if not again:
        return value, confidence
    text = " ".join(w.text for w in again)
    second, second_conf = value_of(doc_type, name, RawField(name, text, again))
    if value in (None, ""):
        return second, min(second_conf, SUGGESTION)
    if second != value:
        return value, min(confidence, second_conf)
    if normalize.field_kind(name) == "name":
        second_rf = RawField(name, text, again)
        lifted = name_agreement(value, confidence, rf, second_rf)
        if lifted[1] <= confidence and needs_tie_break(value, rf, second_rf):
            third = _third_reading(prepared, rf, name)
            if third is not None:
                lifted = name_agreement(value, confidence, rf, second_rf, third)
        if lifted[1] > confidence:
            return lifted
    # A lexicon that lowered either reading found it ambiguous (TUYÊN or TUYỀN?); reading
    # the same pixels again cannot settle that, so only plain OCR doubt is lifted.
    ambiguous = confidence < rf.confidence or second_conf < min(w.confidence for w in again)
    if normalize.field_kind(name) == "name" and (
            not lexicon.name_is_known(str(value))  # nothing to confirm it by
            or any(lexicon.correct_name(t, 1.0)[1] < lexicon.ACCENT_CAP for t in (rf.text, text))):
        ambiguous = True  # unknown to the lexicon, or a spelling it had doubts about
    if normalize.field_kind(name) == "place" and unit_missed(str(value)):
        ambiguous = True  # a commune named but not in the lists: the same misreading twice
    if not ambiguous and (confidence + second_conf) / 2 >= AGREEMENT_EVIDENCE:
        return value, max(confidence, AGREED)
    return value, confidence


def _third_reading(prepared: Prepared, rf: RawField, name: str) -> RawField | None:
    """The value's crop read alone at the page's own scale: the second reading's crop
    was enlarged, so this one resamples the marks differently, to break a tie on a
    token one reading was unsure of."""
    words = [w for w in crop_words(prepared, value_box(rf), psm=7, line_id=0, scale=1)
             if lexicon.clean_name(w.text)]
    return RawField(name, " ".join(w.text for w in words), words) if words else None


def name_agreement(value: Any, confidence: float, *readings: RawField) -> tuple[Any, float]:
    """Accept a name two (or three) readings agree on, token by token.

    A token the lexicon settles by its letters alone (:func:`lexicon.token_is_isolated`)
    needs nothing more. Any other token (HƯƠNG has siblings HƯỜNG and HƯỚNG; THỦY has
    THỤY) must be a lexicon entry read exactly so by every reading, with a token
    confidence of at least :data:`SURE_TOKEN` in two of them and no less than
    :data:`TIE_FLOOR` in any: Tesseract's doubt about a mark shows in the confidence of
    the word that carries it, so two sure readings of the same marks are the evidence
    that no mark was lost.
    """
    verdicts = _token_verdicts(value, readings)
    if verdicts and all(v == "sure" for v in verdicts):
        return value, max(confidence, AGREED)
    return value, confidence


def needs_tie_break(value: Any, *readings: RawField) -> bool:
    """Whether the two readings agree on every mark and only a token's confidence, short
    of :data:`SURE_TOKEN` in one of them, keeps the name from being accepted."""
    verdicts = _token_verdicts(value, readings)
    return bool(verdicts) and "no" not in verdicts and "short" in verdicts


def _token_verdicts(value: Any, readings: tuple[RawField, ...]) -> list[str]:
    """Per token: "sure", "short" (read alike, one confidence short) or "no"."""
    tokens = str(value).split()
    texts = [lexicon.clean_name(rf.text).split() for rf in readings]
    confidences = [token_confidences(rf) for rf in readings]
    if any(len(r) != len(tokens) for r in texts + confidences):
        return []
    n = len(tokens)
    out = []
    for i, token in enumerate(tokens):
        if lexicon.token_is_isolated(token, i, n):
            out.append("sure")
            continue
        known = lexicon.correct_token(token, i, n, 1.0)[:2] == (token, 1.0)
        as_read = all(accent_key(r[i]) == accent_key(token) for r in texts)
        confs = [c[i] for c in confidences]
        if not (known and as_read) or min(confs) < TIE_FLOOR:
            out.append("no")
        else:
            out.append("sure" if sum(c >= SURE_TOKEN for c in confs) >= 2 else "short")
    return out
