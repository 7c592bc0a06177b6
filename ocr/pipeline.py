"""The scan reader's stages, page by page: load, gate, prepare, read, classify, extract,
normalize and correct, check, decide.

Like OCRmyPDF, each stage is a plain function with typed errors, so the CLI, the Airflow
tasks and the benchmarks run exactly the same code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np

from ocr import book as books
from ocr import checks, normalize, numberline
from ocr.capture import capture
from ocr.classify import classify
from ocr.datewords import words_to_date
from ocr.dossier import read_qr, unlabelled_fields
from ocr.engine import Word, read_words
from ocr.errors import InputFileError
from ocr.fields import RawField, read_form
from ocr.forms import finish_values
from ocr.guards import with_guards
from ocr.layout import extent
from ocr.loading import iter_pages, sha256_of
from ocr.paper import marks_over_values
from ocr.prepare import OCR_DPI, Prepared, prepare
from ocr.quality import assess
from ocr.record import AUTO_ACCEPT_CONFIDENCE, FieldValue, Issue, PageRecord, Quality, Source
from ocr.rereading import (
    CONFIRMED,
    DIGIT_KINDS,
    digits_opinion,
    mean_confidence,
    reread_weak_lines,
    second_reading,
)
from ocr.slots import settle_result_slots
from ocr.values import value_of

_PSM = 3  # Tesseract's automatic layout: keeps the marriage form's two columns apart
_MIN_WORDS = 12  # fewer words than this on a readable page: no record to read
_LOW_MEAN_CONFIDENCE = 0.65  # below this, try the page the other way up
_DIGITS = re.compile(r"\d+")
_TIME = re.compile(r"(\d{1,2})\s*(?:giờ|gio|h)\s*(\d{1,2})\s*(?:phút|phut)?", re.IGNORECASE)


def extract_file(
    path: Path,
    *,
    uri: str | None = None,
    today: date | None = None,
    book: books.Book | None = None,
) -> Iterator[PageRecord]:
    """Records of every page of a file; raises :class:`InputFileError` for a bad file."""
    sha = sha256_of(path)
    for page in iter_pages(path, colour=True):
        source = Source(uri or str(path), page.number, sha)
        yield extract_page(page.image, source, dpi=page.dpi, today=today, book=book)


def rejected_file(
    path: Path, error: InputFileError, *, uri: str | None = None, page: int = 1
) -> PageRecord:
    """The record that stands for the unreadable rest of a file, from ``page`` on.

    Pages before ``page`` were read and have records of their own; for a file that could
    not be opened at all, ``page`` is 1.
    """
    try:
        sha = sha256_of(path)
    except (OSError, InputFileError):  # a missing file is its own record, not a crash
        sha = ""
    return PageRecord(
        source=Source(uri or str(path), page, sha),
        status="rejected",
        quality=Quality(readable=False),
        issues=[Issue(rule="unreadable_file", message=str(error))],
    )


def _read(image: np.ndarray, dpi: int) -> tuple[Prepared, list[Word]]:
    prepared = prepare(image, dpi=dpi)
    read_dpi = max(dpi, OCR_DPI)  # prepare enlarged the page to at least this
    words = read_words(prepared.image, dpi=read_dpi, psm=_PSM)
    if mean_confidence(words) < _LOW_MEAN_CONFIDENCE or len(words) < _MIN_WORDS:
        # The cheap orientation guess may be wrong; Tesseract's confidence has the last word.
        other = prepare(image, rotation=(prepared.rotation + 180) % 360, dpi=dpi)
        other_words = read_words(other.image, dpi=read_dpi, psm=_PSM)
        if mean_confidence(other_words) > mean_confidence(words) + 0.1:
            return other, other_words
    return prepared, words


def extract_page(
    image: np.ndarray,
    source: Source,
    *,
    dpi: int | None = None,
    today: date | None = None,
    book: books.Book | None = None,
) -> PageRecord:
    """One page to one record (docs/record.md); ``book``, when known, is the register
    book the page belongs to (:mod:`ocr.book`)."""
    page = capture(image, dpi)  # the page found in a photo, flattened, print apart from paper
    report = assess(page.image, page.dpi, light=page.light, plain=page.plain)
    quality = Quality(sharpness=report.sharpness, readable=report.readable)
    record = PageRecord(source=source, quality=quality)
    if not report.readable:
        record.status = "rejected"
        record.issues = [Issue(rule="unreadable_page", message=r) for r in report.reasons]
        return record

    prepared, words = _read(page.image, page.dpi or 300)
    prepared.homography = page.homography
    words = reread_weak_lines(prepared, words)
    quality.rotation, quality.skew_deg = prepared.rotation, prepared.skew_deg
    if len(words) < _MIN_WORDS:
        quality.readable = False
        record.status = "rejected"
        record.issues = [
            Issue(
                rule="no_text",
                message=(
                    "no printed text could be read on this page; if it is handwritten, "
                    "type the record in by hand"
                ),
            )
        ]
        return record

    record.doc_type, _ = classify(words)
    if record.doc_type == "unknown":
        record.status = "needs_review"
        record.issues = [
            Issue(
                rule="unknown_type",
                message=(
                    "the document type could not be recognised from the title; choose it in review"
                ),
            )
        ]
        return record

    form = read_form(record.doc_type, words)
    raw = form.raw
    if record.doc_type == "dossier_result":
        height, width = prepared.image.shape[:2]
        raw = {**unlabelled_fields(words, width, height), **raw}
    record.fields, word_texts = _finish_fields(record.doc_type, raw, prepared)
    finish_values(record.doc_type, record.fields)
    _settle_numbers(record, prepared, words)
    slot_issues: list[Issue] = []
    if record.doc_type == "dossier_result":
        _apply_qr(record, prepared)
        _reread_result_number(record, prepared, raw)
        slot_issues = settle_result_slots(record.fields, prepared.image, words)

    values = {name: f.value for name, f in record.fields.items()}
    record.issues = checks.check_record(record.doc_type, values, words=word_texts, today=today)
    record.issues = with_guards(record.issues + slot_issues, form, record.fields, prepared, words)
    books.settle(record, book)  # places' units, the book's unit and year
    _confirm_by_words(record, word_texts)
    record.issues += marks_over_values(record.fields, page.marks, page)
    for name, f in record.fields.items():
        if f.confidence < AUTO_ACCEPT_CONFIDENCE:
            record.issues.append(
                Issue(
                    field=name,
                    rule="low_confidence",
                    message=(
                        f"{name} was read with low confidence ({f.confidence:.2f}); check it "
                        "against the page"
                    ),
                )
            )
    record.status = "needs_review" if record.issues else "auto_accepted"
    return record


def _finish_fields(
    doc_type: str, raw: dict[str, RawField], prepared: Prepared
) -> tuple[dict[str, FieldValue], dict[str, str]]:
    """Normalize and correct raw texts; also return the dates-in-words texts for checks."""
    fields: dict[str, FieldValue] = {}
    words_texts: dict[str, str] = {}
    for name, rf in raw.items():
        if name.endswith("_words"):
            words_texts[name.removesuffix("_words")] = rf.text
            continue
        value, confidence = value_of(doc_type, name, rf)
        if normalize.field_kind(name) in DIGIT_KINDS:
            value, confidence = digits_opinion(doc_type, name, rf, prepared, value, confidence)
        if value in (None, "") or confidence < AUTO_ACCEPT_CONFIDENCE:
            value, confidence = second_reading(doc_type, name, rf, prepared, value, confidence)
        if value in (None, ""):
            continue
        fields[name] = FieldValue(value, confidence, _bbox(rf, prepared))
        if name == "date_of_death":
            match = _TIME.search(rf.text)
            if match and int(match[1]) < 24 and int(match[2]) < 60:
                # The time stands on its own words, once the line's date is sure: a weak
                # digit of the date ("ngày 06") says nothing of "04 giờ 42 phút".
                sure = max(rf.confidence, min(span_confidence(rf, match), confidence))
                fields["time_of_death"] = FieldValue(
                    f"{int(match[1]):02d}:{int(match[2]):02d}", sure, fields[name].bbox
                )
    return fields, words_texts


def span_confidence(rf: RawField, match: re.Match[str]) -> float:
    """The weakest confidence among the words a match in ``rf.text`` covers."""
    confidences, at = [], 0
    for w in rf.words:
        start = rf.text.find(w.text, at)
        if start < 0:
            return rf.confidence  # the text is not the words' own: no span to go by
        at = start + len(w.text)
        if start < match.end() and at > match.start():
            confidences.append(w.confidence)
    return min(confidences, default=rf.confidence)


def _settle_numbers(record: PageRecord, prepared: Prepared, words: list[Word]) -> None:
    """Read the "Số: ... Quyển số: ..." line again when either number is missing or weak."""
    fields = record.fields
    weak = [
        n
        for n in numberline.FIELDS
        if n not in fields or fields[n].confidence < AUTO_ACCEPT_CONFIDENCE
    ]
    if record.doc_type == "dossier_result" or not weak:
        return
    first = {n: f.value for n, f in fields.items() if n in numberline.FIELDS}
    opinions = numberline.opinions(prepared, words, first)
    book = fields["book_number"].value if "book_number" in fields else None
    for name in weak:
        old = fields.get(name)
        value, confidence = numberline.settle(
            name,
            old.value if old else None,
            old.confidence if old else 0.0,
            opinions.get(name),
            book,
        )
        if value not in (None, ""):
            fields[name] = FieldValue(value, confidence, old.bbox if old else None)


def _reread_result_number(record: PageRecord, prepared: Prepared, raw: dict[str, RawField]) -> None:
    """A missing or doubtful result number, read again under the authority's name."""
    old = record.fields.get("result_number")
    if old is not None and old.confidence >= AUTO_ACCEPT_CONFIDENCE:
        return
    authority = raw.get("issuing_authority")
    title = raw.get("document_title")
    again = numberline.result_number(
        prepared, authority.words if authority else [], title.words if title else None
    )
    if again is None:
        return
    value, confidence = again
    if (
        old is not None
        and _DIGITS.sub("", str(old.value)) != _DIGITS.sub("", value)
        and not numberline.result_suffix_confirmed(
            prepared, authority.words if authority else [], title.words if title else None, value
        )
    ):
        # The suffix (QĐ-UBND) is read by the Vietnamese model alone: two readings of it
        # must agree (the page's, or the crop's binarized); the digits were settled by
        # both models.
        confidence = min(confidence, numberline.SUGGESTION)
    record.fields["result_number"] = FieldValue(value, confidence, old.bbox if old else None)


def _confirm_by_words(record: PageRecord, word_texts: dict[str, str]) -> None:
    """A date read twice, in digits and in words, that agrees is as sure as it gets."""
    for name, text in word_texts.items():
        f = record.fields.get(name)
        if f is not None and (read := words_to_date(text)) and read.isoformat() == f.value:
            f.confidence = max(f.confidence, CONFIRMED)


def _bbox(rf: RawField, prepared: Prepared) -> tuple[int, int, int, int] | None:
    if not rf.words:
        return None
    x0, y0, x1, y1 = extent(rf.words)
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
        record.issues.append(
            Issue(
                field="dossier_code",
                rule="qr_mismatch",
                message=(f"the QR code says {qr_value} but the printed code reads {printed.value}"),
            )
        )
        return
    bbox = printed.bbox if printed else None
    record.fields["dossier_code"] = FieldValue(qr_value, 1.0, bbox)
