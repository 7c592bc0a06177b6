"""The scan reader's stages, page by page: load, gate, prepare, read, classify, extract,
normalize and correct, check, decide.

Like OCRmyPDF, each stage is a plain function with typed errors, so the CLI, the Airflow
tasks and the benchmarks run exactly the same code.
"""

from __future__ import annotations

import os
import re
import statistics
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ocr import checks, lexicon, normalize
from ocr.classify import classify
from ocr.datewords import words_to_date
from ocr.dossier import read_qr, unlabelled_fields
from ocr.engine import Word, read_words
from ocr.errors import InputFileError
from ocr.fields import RawField, extract_raw
from ocr.layout import segments
from ocr.loading import iter_pages, sha256_of
from ocr.prepare import OCR_DPI, Prepared, prepare
from ocr.quality import assess
from ocr.record import AUTO_ACCEPT_CONFIDENCE, FieldValue, Issue, PageRecord, Quality, Source

_PSM = int(os.environ.get("SOHOA_PSM", "3"))
_LEXICON_CONFIRMED = AUTO_ACCEPT_CONFIDENCE + 0.05  # every token a unique lexicon entry...
_LEXICON_FLOOR = 0.4  # ...and no word read with less confidence than this
_OLDEST_YEAR = 1850
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DIGITS = re.compile(r"\d+")
_DIGIT_KINDS = {"date", "death_date", "year", "number", "personal_id"}
_WEAK_LINE = 0.75  # a line segment read with less mean confidence is read again alone
_REREAD_LINES = 1 << 30  # line ids of re-read segments, apart from Tesseract's
_CONFIRMED = 0.95  # a value two independent readings agree on
_AGREED = AUTO_ACCEPT_CONFIDENCE + 0.02  # two readings agree: just enough to accept
_SUGGESTION = AUTO_ACCEPT_CONFIDENCE - 0.1  # a value only the second reading made out
_AGREEMENT_EVIDENCE = 0.45  # ...if their mean confidence reaches this (see BENCHMARKS.md)
_MIN_WORDS = 12  # fewer words than this on a readable page: no record to read
_LOW_MEAN_CONFIDENCE = 0.65  # below this, try the page the other way up
_CLOSED_VOCABULARY = {"sex": ("male", "female"), "nationality": ("Việt Nam",)}
_TIME = re.compile(r"(\d{1,2})\s*(?:giờ|gio|h)\s*(\d{1,2})\s*(?:phút|phut)?", re.IGNORECASE)


def extract_file(path: Path, *, uri: str | None = None, today: date | None = None
                 ) -> Iterator[PageRecord]:
    """Records of every page of a file; raises :class:`InputFileError` for a bad file."""
    sha = sha256_of(path)
    for page in iter_pages(path):
        source = Source(uri or str(path), page.number, sha)
        yield extract_page(page.image, source, dpi=page.dpi, today=today)


def rejected_file(path: Path, error: InputFileError, *, uri: str | None = None,
                  page: int = 1) -> PageRecord:
    """The record that stands for the unreadable rest of a file, from ``page`` on.

    Pages before ``page`` were read and have records of their own; for a file that could
    not be opened at all, ``page`` is 1.
    """
    try:
        sha = sha256_of(path)
    except OSError:
        sha = ""
    return PageRecord(
        source=Source(uri or str(path), page, sha),
        status="rejected",
        quality=Quality(readable=False),
        issues=[Issue(rule="unreadable_file", message=str(error))],
    )


def _mean_confidence(words: list[Word]) -> float:
    return statistics.fmean(w.confidence for w in words) if words else 0.0


def _crop_words(prepared: Prepared, box: tuple[int, int, int, int], psm: int,
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


def _reread_weak_lines(prepared: Prepared, words: list[Word]) -> list[Word]:
    """Read again, on its own, every line segment Tesseract read poorly.

    On forms, a block beside another at a slightly different height (``Số: 2138/QĐ-UBND``
    next to the place-and-date line) is often merged into one text line with the wrong
    baseline, and the smaller part comes out as garbage. Alone, it reads cleanly.
    """
    out = list(words)
    for n, seg in enumerate(segments(words)):
        if statistics.fmean(w.confidence for w in seg.words) >= _WEAK_LINE:
            continue
        pad = max(w.h for w in seg.words) // 3
        box = (seg.x - 2 * pad, seg.y - pad, seg.right + 2 * pad, seg.bottom + pad)
        again = _crop_words(prepared, box, psm=7, line_id=_REREAD_LINES + n)
        if again and _mean_confidence(again) > _mean_confidence(seg.words) + 0.05:
            gone = {id(w) for w in seg.words}
            out = [w for w in out if id(w) not in gone] + again
    return out


def _read(image: np.ndarray, dpi: int) -> tuple[Prepared, list[Word]]:
    prepared = prepare(image, dpi=dpi)
    dpi = max(dpi, OCR_DPI)
    words = read_words(prepared.image, dpi=dpi, psm=_PSM)
    if _mean_confidence(words) < _LOW_MEAN_CONFIDENCE or len(words) < _MIN_WORDS:
        # The cheap orientation guess may be wrong; Tesseract's confidence has the last word.
        other = prepare(image, rotation=(prepared.rotation + 180) % 360, dpi=dpi)
        other_words = read_words(other.image, dpi=dpi, psm=_PSM)
        if _mean_confidence(other_words) > _mean_confidence(words) + 0.1:
            return other, other_words
    return prepared, words


def extract_page(image: np.ndarray, source: Source, *, dpi: int | None = None,
                 today: date | None = None) -> PageRecord:
    """One page to one record (SPEC section 3)."""
    report = assess(image, dpi)
    quality = Quality(sharpness=report.sharpness, readable=report.readable)
    record = PageRecord(source=source, quality=quality)
    if not report.readable:
        record.status = "rejected"
        record.issues = [Issue(rule="unreadable_page", message=r) for r in report.reasons]
        return record

    prepared, words = _read(image, dpi or 300)
    words = _reread_weak_lines(prepared, words)
    quality.rotation, quality.skew_deg = prepared.rotation, prepared.skew_deg
    if len(words) < _MIN_WORDS:
        quality.readable = False
        record.status = "rejected"
        record.issues = [Issue(rule="no_text", message=(
            "no printed text could be read on this page; if it is handwritten, "
            "type the record in by hand"))]
        return record

    record.doc_type, _ = classify(words)
    if record.doc_type == "unknown":
        record.status = "needs_review"
        record.issues = [Issue(rule="unknown_type", message=(
            "the document type could not be recognised from the title; choose it in review"))]
        return record

    raw = extract_raw(record.doc_type, words)
    if record.doc_type == "dossier_result":
        height, width = prepared.image.shape[:2]
        raw = {**unlabelled_fields(words, width, height), **raw}
    record.fields, word_texts = _finish_fields(record.doc_type, raw, prepared)
    if record.doc_type == "dossier_result":
        _apply_qr(record, prepared)

    values = {name: f.value for name, f in record.fields.items()}
    record.issues = checks.check_record(record.doc_type, values, words=word_texts, today=today)
    _confirm_by_words(record, word_texts)
    for name, f in record.fields.items():
        if f.confidence < AUTO_ACCEPT_CONFIDENCE:
            record.issues.append(Issue(field=name, rule="low_confidence", message=(
                f"{name} was read with low confidence ({f.confidence:.2f}); check it "
                "against the page")))
    record.status = "needs_review" if record.issues else "auto_accepted"
    return record


def _finish_fields(doc_type: str, raw: dict[str, RawField], prepared: Prepared
                   ) -> tuple[dict[str, FieldValue], dict[str, str]]:
    """Normalize and correct raw texts; also return the dates-in-words texts for checks."""
    fields: dict[str, FieldValue] = {}
    words_texts: dict[str, str] = {}
    for name, rf in raw.items():
        if name.endswith("_words"):
            words_texts[name.removesuffix("_words")] = rf.text
            continue
        value, confidence = _value_of(doc_type, name, rf)
        if normalize.field_kind(name) in _DIGIT_KINDS:
            value, confidence = _digits_opinion(doc_type, name, rf, prepared, value, confidence)
        if value in (None, "") or confidence < AUTO_ACCEPT_CONFIDENCE:
            value, confidence = _second_reading(doc_type, name, rf, prepared, value, confidence)
        if value in (None, ""):
            continue
        fields[name] = FieldValue(value, confidence, _bbox(rf, prepared))
        if name == "date_of_death":
            match = _TIME.search(rf.text)
            if match and int(match[1]) < 24 and int(match[2]) < 60:
                fields["time_of_death"] = FieldValue(
                    f"{int(match[1]):02d}:{int(match[2]):02d}", rf.confidence, fields[name].bbox)
    return fields, words_texts


def _value_of(doc_type: str, name: str, rf: RawField) -> tuple[Any, float]:
    corrected = normalize.correct_field(doc_type, name, rf.text, rf.confidence)
    if corrected is None:
        return None, rf.confidence
    value, confidence = corrected
    kind = normalize.field_kind(name)
    if (kind == "name" and confidence < _LEXICON_CONFIRMED and rf.confidence >= _LEXICON_FLOOR
            and value == lexicon.clean_name(rf.text) and lexicon.name_is_confirmed(value)):
        confidence = _LEXICON_CONFIRMED
    if value in _CLOSED_VOCABULARY.get(name.split("_")[-1], ()):
        # A value of a closed vocabulary, read exactly, is as sure as the vocabulary.
        confidence = max(confidence, AUTO_ACCEPT_CONFIDENCE + 0.05)
    return value, confidence


def _digits_opinion(doc_type: str, name: str, rf: RawField, prepared: Prepared,
                    value: Any, confidence: float) -> tuple[Any, float]:
    """Read the digits of a field again with Tesseract's English model.

    The Vietnamese model turns the slashed or dotted zeros and flagged ones of typewriter
    faces into 9s, 6s and 4s, often with high confidence; the English model, trained on
    far more such faces, reads them right (but not "Đ" in ``123/QĐ-UBND``). Only the
    digits are compared: when they agree the value is sure; when they differ, the English
    digits replace the Vietnamese ones, for a person to confirm.
    """
    again = _crop_words(prepared, _value_box(rf), psm=7, line_id=0, scale=1, lang="eng")
    if not again:
        return value, confidence
    text = " ".join(w.text for w in again)
    second, second_conf = _value_of(doc_type, name, RawField(name, text, again))
    if second in (None, ""):
        return value, confidence
    if value in (None, ""):
        return second, min(second_conf, _SUGGESTION)
    ours, theirs = _DIGITS.findall(str(value)), _DIGITS.findall(str(second))
    if ours == theirs:
        return value, max(confidence, min(second_conf, _CONFIRMED))
    if len(ours) != len(theirs):
        return value, min(confidence, _SUGGESTION)
    spliced = iter(theirs)
    merged = type(value)(_DIGITS.sub(lambda _: next(spliced), str(value)))
    if not _plausible(value) and _plausible(merged):
        # The Vietnamese reading cannot be right (month 19, year 4966); the English one
        # is a real value: it stands on the English model's confidence.
        return merged, min(second_conf, _CONFIRMED)
    return merged, min(second_conf, _SUGGESTION)


def _plausible(value: Any) -> bool:
    """A date or year that can be on a register; other values always pass."""
    if isinstance(value, int):
        return _OLDEST_YEAR <= value <= date.today().year
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return _OLDEST_YEAR <= date.fromisoformat(value).year <= date.today().year
        except ValueError:
            return False
    return True


def _value_box(rf: RawField) -> tuple[int, int, int, int]:
    """The value's words with a margin: (x0, y0, x1, y1) on the prepared page."""
    pad = max(w.h for w in rf.words) // 4
    return (min(w.x for w in rf.words) - 2 * pad, min(w.y for w in rf.words) - pad,
            max(w.right for w in rf.words) + 2 * pad, max(w.bottom for w in rf.words) + pad)


def _second_reading(doc_type: str, name: str, rf: RawField, prepared: Prepared,
                    value: Any, confidence: float) -> tuple[Any, float]:
    """Read a doubtful or unreadable value again, enlarged and as a single block of text.

    Tesseract's word confidence is low for bold capitals full of stacked diacritics even
    when the reading is right. A second reading of the crop at twice the size, segmented
    differently, that gives the same value after correction lifts the confidence to the
    threshold's safe side; any disagreement leaves it low, for a person to decide. A
    value only the second reading could make out is kept as a suggestion for review.
    """
    lines = len({w.line for w in rf.words})
    again = _crop_words(prepared, _value_box(rf), psm=7 if lines == 1 else 6, line_id=0)
    if not again:
        return value, confidence
    text = " ".join(w.text for w in again)
    second, second_conf = _value_of(doc_type, name, RawField(name, text, again))
    if os.environ.get("SOHOA_TRACE"):
        print("REREAD", name, repr(value), confidence, "|", repr(second), second_conf)
    if value in (None, ""):
        return second, min(second_conf, _SUGGESTION)
    if second != value:
        return value, min(confidence, second_conf)
    # A lexicon that lowered either reading found it ambiguous (TUYÊN or TUYỀN?); reading
    # the same pixels again cannot settle that, so only plain OCR doubt is lifted.
    ambiguous = confidence < rf.confidence or second_conf < min(w.confidence for w in again)
    if normalize.field_kind(name) == "name" and not lexicon.name_is_known(str(value)):
        ambiguous = True  # a name the lexicon does not know: nothing to confirm it by
    if not ambiguous and (confidence + second_conf) / 2 >= _AGREEMENT_EVIDENCE:
        return value, max(confidence, _AGREED)
    return value, confidence


def _confirm_by_words(record: PageRecord, word_texts: dict[str, str]) -> None:
    """A date read twice, in digits and in words, that agrees is as sure as it gets."""
    for name, text in word_texts.items():
        f = record.fields.get(name)
        if f is not None and (read := words_to_date(text)) and read.isoformat() == f.value:
            f.confidence = max(f.confidence, _CONFIRMED)


def _bbox(rf: RawField, prepared: Prepared) -> tuple[int, int, int, int] | None:
    if not rf.words:
        return None
    x0 = min(w.x for w in rf.words)
    y0 = min(w.y for w in rf.words)
    x1 = max(w.right for w in rf.words)
    y1 = max(w.bottom for w in rf.words)
    return prepared.to_original((x0, y0, x1 - x0, y1 - y0))


def _apply_qr(record: PageRecord, prepared: Prepared) -> None:
    code = read_qr(prepared.image)
    if not code:
        return
    qr_value = normalize.normalize_field("dossier_result", "dossier_code", code)
    if qr_value is None:
        return
    printed = record.fields.get("dossier_code")
    if printed is not None and printed.value != qr_value:
        record.issues.append(Issue(field="dossier_code", rule="qr_mismatch", message=(
            f"the QR code says {qr_value} but the printed code reads {printed.value}")))
        return
    bbox = printed.bbox if printed else None
    record.fields["dossier_code"] = FieldValue(qr_value, 1.0, bbox)
