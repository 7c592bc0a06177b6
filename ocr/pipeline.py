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

import cv2
import numpy as np

from ocr import acceptance, book_reading, checks, numberline
from ocr.book import Book
from ocr.capture import capture
from ocr.classify import classify
from ocr.datewords import words_to_date
from ocr.dossier import dossier_code_in, read_qr_any, unlabelled_fields
from ocr.engines import Word, page_reader
from ocr.errors import InputFileError
from ocr.fields import RawField, read_form
from ocr.forms import finish_values
from ocr.guards import with_guards
from ocr.layout import extent
from ocr.loading import iter_pages, sha256_of
from ocr.paper import marks_over_values
from ocr.prepare import OCR_DPI, Prepared, prepare, to_gray
from ocr.quality import assess
from ocr.record import FieldValue, Issue, PageRecord, Quality, Source
from ocr.rereading import mean_confidence, reread_weak_lines
from ocr.rules import Rule
from ocr.slots import settle_result_slots
from ocr.stages import stage

_MIN_WORDS = 12  # fewer words than this on a readable page: no record to read
_LOW_MEAN_CONFIDENCE = 0.65  # below this, try the page the other way up
_DIGITS = re.compile(r"\d+")
_TIME = re.compile(r"(\d{1,2})\s*(?:giờ|gio|h)\s*(\d{1,2})\s*(?:phút|phut)?", re.IGNORECASE)


def extract_file(
    path: Path,
    *,
    uri: str | None = None,
    today: date | None = None,
    book: Book | None = None,
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
        issues=[Issue(rule=Rule.UNREADABLE_FILE, message=str(error))],
    )


def _read(image: np.ndarray, dpi: int) -> tuple[Prepared, list[Word]]:
    with stage("prepare"):
        prepared = prepare(image, dpi=dpi)
    read_dpi = max(dpi, OCR_DPI)  # prepare enlarged the page to at least this
    with stage("page reading"):
        words = page_reader().read_words(prepared.image, dpi=read_dpi)
    # The cheap orientation guess may be wrong; Tesseract's reading has the last word:
    # upside down (the usual slip) when the reading is weak, and the quarter turns only
    # when no text was found at all (a photo of an upright page on a patterned table was
    # taken as turned by 90°): each costs a page reading.
    guessed = prepared.rotation
    for turn in (180, 90, 270):
        weak = mean_confidence(words) < _LOW_MEAN_CONFIDENCE or len(words) < _MIN_WORDS
        if not weak or (turn != 180 and len(words) >= _MIN_WORDS):
            break
        with stage("prepare"):
            other = prepare(image, rotation=(guessed + turn) % 360, dpi=dpi)
        with stage("page reading"):
            other_words = page_reader().read_words(other.image, dpi=read_dpi)
        found_text = len(other_words) >= _MIN_WORDS > len(words)
        if found_text or mean_confidence(other_words) > mean_confidence(words) + 0.1:
            prepared, words = other, other_words
    if len(words) < _MIN_WORDS:
        # Grain on a faint page (noisy scan, low contrast, yellowed paper) can leave the
        # reader's binarization nothing to find: a median filter of three pixels takes
        # the grain and leaves the strokes, and the page geometry is unchanged.
        with stage("prepare"):
            calmer = prepare(cv2.medianBlur(to_gray(image), 3), dpi=dpi)
        with stage("page reading"):
            calmer_words = page_reader().read_words(calmer.image, dpi=read_dpi)
        if len(calmer_words) > len(words):
            return calmer, calmer_words
    return prepared, words


def extract_page(
    image: np.ndarray,
    source: Source,
    *,
    dpi: int | None = None,
    today: date | None = None,
    book: Book | None = None,
) -> PageRecord:
    """One page to one record (docs/record.md); ``book``, when known, is the register
    book the page belongs to (:mod:`ocr.book_reading`)."""
    with stage("capture"):
        page = capture(image, dpi)  # the page found in a photo, flattened, print apart
    with stage("quality gate"):
        report = assess(page.image, page.dpi, light=page.light, plain=page.plain)
    quality = Quality(sharpness=report.sharpness, readable=report.readable)
    record = PageRecord(source=source, quality=quality)
    if not report.readable:
        record.status = "rejected"
        record.issues = [Issue(rule=Rule.UNREADABLE_PAGE, message=r) for r in report.reasons]
        return record

    prepared, words = _read(page.image, page.dpi or 300)
    prepared.homography = page.homography
    with stage("weak lines read again"):
        words = reread_weak_lines(prepared, words)
    quality.rotation, quality.skew_deg = prepared.rotation, prepared.skew_deg
    if len(words) < _MIN_WORDS:
        quality.readable = False
        record.status = "rejected"
        record.issues = [
            Issue(
                rule=Rule.NO_TEXT,
                message=(
                    "no printed text could be read on this page; if it is handwritten, "
                    "type the record in by hand"
                ),
            )
        ]
        return record

    with stage("layout and fields"):
        record.doc_type, _ = classify(words)
    if record.doc_type == "unknown":
        record.status = "needs_review"
        record.issues = [
            Issue(
                rule=Rule.UNKNOWN_TYPE,
                message=(
                    "the document type could not be recognised from the title; choose it in review"
                ),
            )
        ]
        return record

    with stage("layout and fields"):
        form = read_form(record.doc_type, words)
        raw = form.raw
        if record.doc_type == "dossier_result":
            height, width = prepared.image.shape[:2]
            raw = {**unlabelled_fields(words, width, height), **raw}
    with stage("values settled"):
        record.fields, word_texts = _finish_fields(record.doc_type, raw, prepared)
        finish_values(record.doc_type, record.fields)
    slot_issues: list[Issue] = []
    with stage("number line"):
        _settle_numbers(record, prepared, words)
        if record.doc_type == "dossier_result":
            _apply_qr(record, prepared, page.image, image)
            _reread_result_number(record, prepared, raw)
            slot_issues = settle_result_slots(record.fields, prepared.image, words)

    with stage("checks"):
        values = {name: f.value for name, f in record.fields.items()}
        record.issues = checks.check_record(record.doc_type, values, words=word_texts, today=today)
        record.issues = with_guards(
            record.issues + slot_issues, form, record.fields, prepared, words
        )
        book_reading.settle(record, book)  # places' units, the book's unit and year
        _confirm_by_words(record, word_texts)
        record.issues += marks_over_values(record.fields, page.marks, page)
        acceptance.conclude(record)
    return record


def _finish_fields(
    doc_type: str, raw: dict[str, RawField], prepared: Prepared
) -> tuple[dict[str, FieldValue], dict[str, str]]:
    """Settle each raw text by a second reading; also return the dates-in-words texts."""
    fields: dict[str, FieldValue] = {}
    words_texts: dict[str, str] = {}
    for name, rf in raw.items():
        if name.endswith("_words"):
            words_texts[name.removesuffix("_words")] = rf.text
            continue
        in_words = raw.get(f"{name}_words")
        settled = acceptance.settle(
            doc_type, name, rf, prepared, in_words=in_words.text if in_words else None
        )
        if settled.value in (None, ""):
            continue
        fields[name] = acceptance.field_value(settled, _bbox(rf, prepared))
        if name == "date_of_death" and (time := acceptance.derive(settled, _time_of)):
            # The time stands on its own readings, not on the date's.
            fields["time_of_death"] = acceptance.field_value(time, fields[name].bbox)
    return fields, words_texts


def _time_of(text: str) -> str | None:
    match = _TIME.search(text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return f"{int(match[1]):02d}:{int(match[2]):02d}"
    return None


def _settle_numbers(record: PageRecord, prepared: Prepared, words: list[Word]) -> None:
    """Read the "Số: ... Quyển số: ..." line again when either number is missing or unsure."""
    fields = record.fields
    unsure = [n for n in numberline.FIELDS if n not in fields or fields[n].status != "sure"]
    if record.doc_type == "dossier_result" or not unsure:
        return
    first = {n: f.value for n, f in fields.items() if n in numberline.FIELDS}
    opinions = numberline.opinions(prepared, words, first)
    book = fields["book_number"].value if "book_number" in fields else None
    for name in unsure:
        old = fields.get(name)
        value, sure = numberline.settle(
            name, old.value if old else None, False, opinions.get(name), book
        )
        if value not in (None, ""):
            fields[name] = acceptance.further(old, value, sure)


def _reread_result_number(record: PageRecord, prepared: Prepared, raw: dict[str, RawField]) -> None:
    """A missing or unsure result number, read again under the authority's name."""
    old = record.fields.get("result_number")
    if old is not None and old.status == "sure":
        return
    authority = raw.get("issuing_authority")
    title = raw.get("document_title")
    again = numberline.result_number(
        prepared, authority.words if authority else [], title.words if title else None
    )
    if again is not None:
        record.fields["result_number"] = acceptance.further(old, *again)


def _confirm_by_words(record: PageRecord, word_texts: dict[str, str]) -> None:
    """A date printed twice, in digits and in words, whose two readings agree is sure."""
    for name, text in word_texts.items():
        f = record.fields.get(name)
        if f is not None and (read := words_to_date(text)) and read.isoformat() == f.value:
            acceptance.printed_twice(f)


def _bbox(rf: RawField, prepared: Prepared) -> tuple[int, int, int, int] | None:
    if not rf.words:
        return None
    x0, y0, x1, y1 = extent(rf.words)
    return prepared.to_original((x0, y0, x1 - x0, y1 - y0))


def _apply_qr(record: PageRecord, prepared: Prepared, *more: np.ndarray) -> None:
    """The dossier code from the page's QR code (``more``: the page as captured and as
    uploaded, where the prepared one does not decode)."""
    qr_value = dossier_code_in(read_qr_any(prepared.image, *more))
    if qr_value is None:
        return
    printed = record.fields.get("dossier_code")
    if printed is not None and printed.value != qr_value:
        record.issues.append(
            Issue(
                field="dossier_code",
                rule=Rule.QR_MISMATCH,
                message=(f"the QR code says {qr_value} but the printed code reads {printed.value}"),
            )
        )
        return
    record.fields["dossier_code"] = acceptance.from_qr_code(qr_value, printed)
