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
import numpy as np

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
SURE_TOKEN = 0.85  # a name token two readings read with this much: its marks are right
TIE_FLOOR = 0.75  # ...unless a reading of other marks reaches this much
WEAK_LINE = 0.75  # a line segment read with less mean confidence is read again alone
DIGIT_KINDS = {"date", "death_date", "year", "number", "personal_id"}
_REREAD_LINES = 1 << 30  # line ids of re-read segments, apart from Tesseract's
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGITS = re.compile(r"\d+")
_ENGLISH_SETTLES = {"date", "death_date", "personal_id"}  # values of digits alone


def mean_confidence(words: list[Word]) -> float:
    return statistics.fmean(w.confidence for w in words) if words else 0.0


def crop_words(
    prepared: Prepared,
    box: tuple[int, int, int, int],
    psm: int,
    line_id: int,
    *,
    scale: int = 2,
    lang: str = "vie",
) -> list[Word]:
    """OCR one region of the prepared page, enlarged ``scale`` times; boxes in page pixels."""
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


def digits_opinion(
    doc_type: str, name: str, rf: RawField, prepared: Prepared, value: Any, confidence: float
) -> tuple[Any, float]:
    """Read the digits of a field again with Tesseract's English model.

    The Vietnamese model turns the slashed or dotted zeros and flagged ones of typewriter
    faces into 9s, 6s and 4s, often with high confidence; the English model, trained on
    far more such faces, reads them right (but not "Đ" in ``123/QĐ-UBND``). Only the
    digits are compared: when they agree the value is sure; when they differ, the English
    digits replace the Vietnamese ones, for a person to confirm.
    """
    reading = _english_reading(doc_type, name, prepared, value_box(rf))
    if reading is None:
        return value, confidence
    again, second, second_conf = reading
    if second in (None, ""):
        return value, confidence
    if value in (None, ""):
        return second, min(second_conf, SUGGESTION)
    ours, theirs = _DIGITS.findall(str(value)), _DIGITS.findall(str(second))
    if ours == theirs:
        if normalize.field_kind(name) == "death_date":
            # The line's Vietnamese words ("10 giờ 30 phút, ngày ...") are not the English
            # model's to read; only its digits count. Elsewhere the whole reading counts:
            # weak words around the date are the sign of a date taken from the wrong line.
            second_conf = digits_confidence(again, theirs)
        return value, max(confidence, min(second_conf, CONFIRMED))
    if len(ours) != len(theirs):
        return value, min(confidence, SUGGESTION)
    spliced = iter(theirs)
    merged = type(value)(_DIGITS.sub(lambda _: next(spliced), str(value)))
    if (
        normalize.field_kind(name) in _ENGLISH_SETTLES
        and plausible_value(merged)
        and _english_again(doc_type, name, rf, prepared) == theirs
    ):
        # Two English readings of the crop, one of it binarized, give the same digits:
        # the typewriter zeros the Vietnamese model reads as 9 (29 for 20, 1956 for 1950).
        # Not for numbers: the letters of "123/QĐ-UBND" would stay unconfirmed, and the
        # English model reads a book's leading zero as 9 (see ocr.numberline).
        return merged, AGREED
    if not plausible_value(value) and plausible_value(merged):
        # The Vietnamese reading cannot be right (month 19, year 4966); the English one
        # is a real value: it stands on the English model's confidence.
        return merged, min(second_conf, CONFIRMED)
    return merged, min(second_conf, SUGGESTION)


def digits_confidence(words: list[Word], digits: list[str]) -> float:
    """The English reading's confidence in the words that carry the value's digits: in
    "11 giờ 45 phút, ngày 14 tháng 06 năm 1985" the English model stumbles over the
    Vietnamese words ("phit"), which say nothing of how it read 14, 06 and 1985."""
    wanted = set(digits)
    confs = [w.confidence for w in words if set(_DIGITS.findall(w.text)) & wanted]
    return min(confs, default=0.0)


def _english_again(doc_type: str, name: str, rf: RawField, prepared: Prepared) -> list[str] | None:
    """The digits of the English model's reading of the value's crop binarized by Otsu's
    threshold: a reading that errs apart from the grey crop's."""
    box = value_box(rf)
    reading = _english_reading(doc_type, name, binarized(prepared, box), box)
    if reading is None or reading[1] in (None, ""):
        return None
    return _DIGITS.findall(str(reading[1]))


def _english_reading(
    doc_type: str, name: str, prepared: Prepared, box: tuple[int, int, int, int]
) -> tuple[list[Word], Any, float] | None:
    """(words, value, confidence) of the English model's reading of ``box`` as one line."""
    words = crop_words(prepared, box, psm=7, line_id=0, scale=1, lang="eng")
    if not words:
        return None
    value, confidence = value_of(
        doc_type, name, RawField(name, " ".join(w.text for w in words), words)
    )
    return words, value, confidence


def plausible_value(value: Any) -> bool:
    """A date or year that can be on a register; other values always pass."""
    if isinstance(value, int):
        return OLDEST_YEAR <= value <= date.today().year
    if isinstance(value, str) and _ISO_DATE.match(value):
        parsed = parse_date(value)
        return parsed is not None and OLDEST_YEAR <= parsed.year <= date.today().year
    return True


def binarized(prepared: Prepared, box: tuple[int, int, int, int]) -> Prepared:
    """The page with ``box`` binarized by Otsu's threshold: a differently prepared crop
    whose reading errs independently of the grey one's (noise and blur fall either side
    of a fixed threshold instead of shading the strokes)."""
    x0, y0, x1, y1 = max(0, box[0]), max(0, box[1]), box[2], box[3]
    image = prepared.image.copy()
    crop = image[y0:y1, x0:x1]
    if crop.size:
        gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
        _, bw = cv2.threshold(gray.astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        image[y0:y1, x0:x1] = bw if crop.ndim == 2 else bw[..., None]
    return Prepared(image, prepared.matrix, prepared.rotation, prepared.skew_deg)


def value_box(rf: RawField) -> tuple[int, int, int, int]:
    """The value's words with a margin: (x0, y0, x1, y1) on the prepared page."""
    pad = max(w.h for w in rf.words) // 4
    x0, y0, x1, y1 = extent(rf.words)
    return x0 - 2 * pad, y0 - pad, x1 + 2 * pad, y1 + pad


def second_reading(
    doc_type: str, name: str, rf: RawField, prepared: Prepared, value: Any, confidence: float
) -> tuple[Any, float]:
    """Read a doubtful or unreadable value again, enlarged and as a single block of text.

    Tesseract's word confidence is low for bold capitals full of stacked diacritics even
    when the reading is right. A second reading of the crop at twice the size, segmented
    differently, that gives the same value after correction lifts the confidence to the
    threshold's safe side; any disagreement leaves it low, for a person to decide. A
    value only the second reading could make out is kept as a suggestion for review.
    """
    lines = len({w.line for w in rf.words})
    again = crop_words(prepared, value_box(rf), psm=7 if lines == 1 else 6, line_id=0)
    again = inside_value(again, rf.words)
    if not again:
        return value, confidence
    text = " ".join(w.text for w in again)
    second, second_conf = value_of(doc_type, name, RawField(name, text, again))
    if value in (None, ""):
        return second, min(second_conf, SUGGESTION)
    if normalize.field_kind(name) == "place":
        spelled = [normalize.normalize_field(doc_type, name, t) for t in (rf.text, text)]
        if second != value:
            spelled.pop()  # a reading of another place vouches for nothing here
        if prefix_read_surely(spelled, rf.words, again):
            # The lists vouch for the chain as a reading spelled it (a misread mark of
            # the other reading there does not matter); the readings, for the hamlet.
            return value, max(confidence, AGREED)
        if second == value and spelled[1] and lexicon.chain_vouched(spelled[1]):
            # The first reading found a unit by closeness ("Phan S¡ Păng"), the second
            # spells the same chain by its letters.
            return value, max(confidence, AGREED)
    if second != value:
        return value, min(confidence, second_conf)
    name_doubt = False
    if normalize.field_kind(name) == "name":
        readings = [rf, RawField(name, text, again)]
        if needs_tie_break(value, *readings):
            third = _third_reading(prepared, rf, name)
            if third is not None:
                readings.append(third)
        lifted = name_agreement(value, confidence, *readings)
        if lifted[1] > confidence:
            return lifted
        name_doubt = marks_in_doubt(value, *readings)
    # A lexicon that lowered either reading below what a mark it restored costs found it
    # ambiguous (TUYÊN or TUYỀN?); reading the same pixels again cannot settle that, so
    # only plain OCR doubt, or marks restored from one spelling, is lifted.
    restored = lexicon.RESTORED_CAP
    ambiguous = confidence < min(rf.confidence, restored) or second_conf < min(
        min(w.confidence for w in again), restored
    )
    if normalize.field_kind(name) == "name" and (
        not lexicon.name_is_known(str(value))  # nothing to confirm it by
        or any(lexicon.correct_name(t, 1.0)[1] < restored for t in (rf.text, text))
    ):
        ambiguous = True  # unknown to the lexicon, or a spelling it had doubts about
    if normalize.field_kind(name) == "place" and unit_missed(str(value)):
        ambiguous = True  # a commune named but not in the lists: the same misreading twice
    if name_doubt:
        ambiguous = True  # HIẾN read twice, weakly: HIỀN and HIỂN have the same letters
    if not ambiguous and (confidence + second_conf) / 2 >= AGREEMENT_EVIDENCE:
        return value, max(confidence, AGREED)
    return value, confidence


def inside_value(again: list[Word], value_words: list[Word]) -> list[Word]:
    """The second reading's words without those left of the value on its first line.

    A value wrapped onto a second line that starts at the margin has a crop as wide as
    the page's text, which takes in the label beside the first line ("Nơi cư trú:").
    """
    first = [w for w in value_words if w.line == value_words[0].line]
    top, bottom = min(w.y for w in first), max(w.bottom for w in first)
    start = min(w.x for w in first)
    return [
        w for w in again if not (top <= w.y + w.h // 2 <= bottom and w.x + w.w <= start + w.h // 4)
    ]


def prefix_read_surely(readings: list[str | None], *word_lists: list[Word]) -> bool:
    """A place read "Thôn 3, <whole chain>" whose hamlet every reading gives with sure words.

    ``readings`` are the place's texts as read; one must spell the chain by its letters.
    The unit lists vouch for the chain (:func:`ocr.units.whole_chain`) but know no
    hamlets (nor health stations); the words before the chain, read alike and each with
    :data:`SURE_TOKEN` or more by two readings, are vouched for by the readings. The
    chain's words must still reach the floor the lists' vouching asks for in the first
    reading, as for a whole chain.
    """
    prefix = next((p for r in readings if r and (p := lexicon.chain_prefix(r))), None)
    if prefix is None:
        return False
    n = len(prefix.split())
    for i, words in enumerate(word_lists):
        head = [w for w in words if w.text.strip(":;.,_'")]
        if len(head) <= n or accent_key(" ".join(w.text for w in head[:n])) != accent_key(prefix):
            return False
        if any(w.confidence < SURE_TOKEN for w in head[:n]) or (
            i == 0 and min(w.confidence for w in head[n:]) < lexicon.CHAIN_FLOOR
        ):
            return False
    return True


def _third_reading(prepared: Prepared, rf: RawField, name: str) -> RawField | None:
    """The value's crop read alone at the page's own scale: the second reading's crop
    was enlarged, so this one resamples the marks differently, to break a tie on a
    token one reading was unsure of."""
    words = [
        w
        for w in crop_words(prepared, value_box(rf), psm=7, line_id=0, scale=1)
        if lexicon.clean_name(w.text)
    ]
    return RawField(name, " ".join(w.text for w in words), words) if words else None


def name_agreement(value: Any, confidence: float, *readings: RawField) -> tuple[Any, float]:
    """Accept a name two (or three) readings agree on, token by token.

    A token the lexicon settles by its letters alone (:func:`lexicon.token_is_isolated`)
    needs nothing more. Any other token (HƯƠNG has siblings HƯỜNG and HƯỚNG; THỦY has
    THỤY) must be a lexicon entry read exactly so by at least two readings with a token
    confidence of :data:`SURE_TOKEN` or more, and read otherwise by none with
    :data:`TIE_FLOOR` or more: Tesseract's doubt about a mark shows in the confidence of
    the word that carries it, so two sure readings of the same marks, and no sure
    reading of other marks, are the evidence that no mark was lost or added.
    """
    verdicts = _token_verdicts(value, readings)
    if verdicts and all(v == "sure" for v in verdicts):
        return value, max(confidence, AGREED)
    return value, confidence


def needs_tie_break(value: Any, *readings: RawField) -> bool:
    """Whether a third reading could still settle the name: no token is read otherwise
    with confidence, and each unsettled token has one sure reading already."""
    verdicts = _token_verdicts(value, readings)
    return bool(verdicts) and "no" not in verdicts and "short" in verdicts


def marks_in_doubt(value: Any, *readings: RawField) -> bool:
    """Whether a token whose letters several lexicon names share (HIẾN, HIỀN, HIỂN) is
    not settled by the readings: agreeing weak readings of it are not evidence of its
    marks, whatever their mean confidence."""
    tokens = str(value).split()
    verdicts = _token_verdicts(value, readings) or ["no"] * len(tokens)
    return any(
        v != "sure" and lexicon.token_has_siblings(t, i, len(tokens))
        for i, (t, v) in enumerate(zip(tokens, verdicts, strict=True))
    )


def _token_verdicts(value: Any, readings: tuple[RawField, ...]) -> list[str]:
    """Per token: "sure", "short" (one sure reading, no confident dissent) or "no".

    Readings that split the name into another number of tokens are left out; at least
    two must remain.
    """
    tokens = str(value).split()
    n = len(tokens)
    aligned = []
    for rf in readings:
        texts, confs = lexicon.clean_name(rf.text).split(), token_confidences(rf)
        if len(texts) == n and len(confs) == n:
            aligned.append(list(zip(texts, confs, strict=True)))
    if len(aligned) < 2:
        return []
    out = []
    for i, token in enumerate(tokens):
        if lexicon.token_is_isolated(token, i, n):
            out.append("sure")
            continue
        known = lexicon.correct_token(token, i, n, 1.0)[:2] == (token, 1.0)
        agree = [c for r in aligned for t, c in [r[i]] if accent_key(t) == accent_key(token)]
        dissent = [c for r in aligned for t, c in [r[i]] if accent_key(t) != accent_key(token)]
        sure = sum(c >= SURE_TOKEN for c in agree)
        if not known or any(c >= TIE_FLOOR for c in dissent) or sure == 0:
            out.append("no")
        else:
            out.append("sure" if sure >= 2 else "short")
    return out
