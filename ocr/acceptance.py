"""When a value is sure: two independent readings that agree, or a closed list.

One reader checking itself is not evidence: a confident misreading is exactly what the
reader does not know about. So a field is *sure* only when

* two independent recognizers read the same value after normalization: the page
  reader's reading and a second reader's reading of the padded value crop, or a further
  reading of the crop that agrees with the second reader's; or
* a closed list (sex, ethnic group, nationality) holds the reading exactly; or
* the page prints the value twice and the two printings agree (a date in digits and in
  words, a dossier code and its QR code),

and every record check passes. Otherwise it is *check*, with the reason. When readings
disagree, the lexicon or the unit lists may choose among them (the reading they know),
but the value stays *check* unless another reading confirms it. The value kept is always
one of the readings as printed, never a list's rewrite of one.

This mirrors double keying: two typists who type the same thing are trusted, a
disagreement goes to a third person.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ocr import lexicon, normalize
from ocr.calibration import probability, score
from ocr.checks import label, parse_date
from ocr.datewords import words_to_date
from ocr.engines import LineReading, Word, second_readers
from ocr.fields import RawField
from ocr.prepare import OCR_DPI, Prepared
from ocr.record import FieldValue, Issue, PageRecord
from ocr.rules import Rule
from ocr.stages import stage
from ocr.text import adds_marks, fold, nfc
from ocr.units import resolve_place, whole_chain

SURE, CHECK = "sure", "check"

# Why a field is sure...
READERS_AGREE = "readers_agree"  # the page reader and a second reader read the same value
FURTHER_READING = "further_reading_agrees"  # the readers disagreed; a further reading sided
CLOSED_LIST = "closed_list"  # the reading is exactly an entry of a closed list
UNIT_LISTS = "unit_lists"  # the reading is exactly a whole chain of units of the lists
PRINTED_TWICE = "printed_twice"  # the page's two printings agree (a date in digits and words)
QR_CODE = "qr_code"  # the page's QR code holds it (error-corrected: no reader's guess)
# ...and why it is to check.
DISAGREE = "readers_disagree"
ARBITRATED = "list_chose_between_readings"
ONE_READING = "one_reading"  # no second reading could be made (or no second reader runs)
FAILED_CHECK = "failed_check"
DOUBTFUL = "doubtful_reading"  # readings agree, but both were so unsure it is not enough
LISTS_OBJECT = "lists_know_it_otherwise"  # readings agree on a spelling the lists do not

# A sure field must also be right this often by the calibration: an agreement of two
# readers that were both unsure is not enough.
SURE_PROBABILITY = 0.95

SURE_REASONS = (
    READERS_AGREE,
    FURTHER_READING,
    CLOSED_LIST,
    UNIT_LISTS,
    PRINTED_TWICE,
    QR_CODE,
)
CHECK_REASONS = (DISAGREE, ARBITRATED, ONE_READING, FAILED_CHECK, DOUBTFUL, LISTS_OBJECT)

_CLOSED = {"sex": ("Nam", "Nữ"), "nationality": ("Việt Nam",)}
_DIGIT_KINDS = {"date", "death_date", "year", "number", "personal_id", "dossier_code"}
_EDGE = " .,;:_'\"`"
_SPACED_PUNCTUATION = re.compile(r"\s*([,;:])\s*")


@dataclass
class Reading:
    """One recognizer's reading of a value: its normalized value and how sure it was."""

    source: str  # "page", "second", "crop", "digits": which reading (engines stay unnamed)
    text: str
    value: Any
    confidence: float


@dataclass
class Settled:
    """A field's value as kept, with its state and the evidence a calibration uses."""

    value: Any
    status: str
    reason: str
    first: float  # the page reader's confidence in the value's words
    second: float | None  # the second reader's weakest character, when it read the crop
    readings: list[Reading] = field(default_factory=list)


def closed_value(name: str, text: str) -> Any:
    """The canonical value when the reading is exactly an entry of the field's closed
    list (sex, ethnic group, nationality); None otherwise."""
    cleaned = normalize.clean_text(text)
    if cleaned is None:
        return None
    kind = normalize.field_kind(name)
    short = name.split("_")[-1]
    if kind == "sex" and cleaned.capitalize() in _CLOSED["sex"]:
        return normalize.normalize_sex(cleaned)
    if short == "nationality" and nfc(cleaned) in _CLOSED["nationality"]:
        return nfc(cleaned)
    if kind == "ethnicity":
        read = nfc(cleaned)
        for g in lexicon.ethnic_groups():
            if g.name.lower() == read.lower():
                # A group's official name, marks and all, as printed ("Tày" or "TÀY");
                # a case no page prints ("TàY") is the reader's, not the page's.
                return read if read in (g.name, g.name.upper()) else g.name
    return None


def units_certify(place: Any) -> bool:
    """Whether a place reading is, letter for letter and mark for mark, a whole chain of
    units of the lists (commune in district in province, or commune in province after
    2025), with nothing before it but a committee's name.

    The unit lists are a closed list of their own: a misreading that is still a real
    unit, inside the same district, inside the same province, with every mark as the
    lists spell it, is too unlikely to need a second reader. A hamlet or a house before
    the chain, or any unit found only by closeness or with other marks, is not certified.
    """
    if not isinstance(place, str):
        return False
    chain = next((place[len(p) :] for p in _COMMITTEE if place.startswith(p)), place)
    if not chain.startswith(_COMMUNE_TYPES) or not whole_chain(chain):
        return False
    spelled, factor, resolved = resolve_place(chain)
    return resolved and factor == 1.0 and spelled == chain


# A committee's name before a place, spelt exactly (the unit lists check only the units'
# spelling, and "Ủy ban nhân dần" is a misreading too).
_COMMITTEE = ("Ủy ban nhân dân ", "Uỷ ban nhân dân ", "UBND ")
_COMMUNE_TYPES = ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ")


def comparable(value: Any) -> Any:
    """The form two readings are compared in: canonical values as they are, text with
    the spacing around punctuation that readers place differently made one ("Hà Nội ,"
    and "Hà Nội,"); letters, marks and punctuation count, and so does a lost "-"."""
    if not isinstance(value, str):
        return value
    text = _SPACED_PUNCTUATION.sub(r"\1 ", nfc(value))
    return " ".join(text.split()).strip(_EDGE)


def agree(a: Any, b: Any) -> bool:
    return a not in (None, "") and comparable(a) == comparable(b)


def line_boxes(words: list[Word]) -> list[tuple[int, int, int, int]]:
    """One padded box per printed line of a value, top to bottom.

    A second reader reads one line at a time; a wrapped place is read line by line and
    joined. The margins keep the marks above capitals (the tilde of NGUYỄN) and the first
    and last letters inside the crop.
    """
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    boxes = []
    for ws in sorted(lines.values(), key=lambda ws: min(w.y for w in ws)):
        h = int(statistics.median(w.h for w in ws))
        x0, y0 = min(w.x for w in ws), min(w.y for w in ws)
        x1, y1 = max(w.right for w in ws), max(w.bottom for w in ws)
        boxes.append((x0 - h * 3 // 10, y0 - h * 35 // 100, x1 + h * 3 // 10, y1 + h // 5))
    return boxes


def crop(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return image[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]


def read_crops(prepared: Prepared, words: list[Word]) -> LineReading | None:
    """The first second reader's reading of the value's lines, joined by spaces."""
    readers = second_readers()
    if not readers or not words:
        return None
    reader = readers[0]
    parts = []
    for box in line_boxes(words):
        with stage("second reader"):  # one count per crop read
            parts.append(reader.read_line(crop(prepared.image, box), dpi=OCR_DPI))
    parts = [p for p in parts if p.text]
    if not parts:
        return None
    text = " ".join(p.text for p in parts)
    confidences: list[float] = []
    for i, p in enumerate(parts):
        confidences += ([min(p.confidence, parts[i - 1].confidence)] if i else []) + list(
            p.char_confidences
        )
    return LineReading(text, tuple(confidences), reader.name)


def further_readings(doc_type: str, name: str, rf: RawField, prepared: Prepared) -> list[Reading]:
    """The page reader's own second looks at the value crop: alone at the page's scale,
    the same crop binarized, and (for values of digits) with its digits model. Each can
    side with the second reader; none can confirm the page reader's first reading, which
    shares its engine. (Read alone, a line is segmented afresh, which undoes most of the
    page reading's slips; enlarging it did far less, see BENCHMARKS.md.)"""
    from ocr.rereading import binarized, crop_words, value_box

    lines = len({w.line for w in rf.words})
    layout = "line" if lines == 1 else "block"
    box = value_box(rf)
    looks: list[tuple[str, Prepared, Any]] = [
        ("crop", prepared, "text"),
        ("binarized", binarized(prepared, box), "text"),
    ]
    if normalize.field_kind(name) in _DIGIT_KINDS:
        looks.append(("digits", prepared, "digits"))
    out = []
    for source, page, script in looks:
        words = crop_words(page, box, layout, line_id=0, scale=1, script=script)
        if words:
            text = " ".join(w.text for w in words)
            confidence = min(w.confidence for w in words)
            out.append(_reading(source, doc_type, name, text, confidence))
    return out


def _reading(source: str, doc_type: str, name: str, text: str, confidence: float) -> Reading:
    return Reading(source, text, normalize.normalize_field(doc_type, name, text), confidence)


def known_to_lists(name: str, value: Any) -> bool:
    """Whether the lexicon or the unit lists know the value exactly as read."""
    kind = normalize.field_kind(name)
    if value in (None, ""):
        return False
    if kind == "name":
        return lexicon.name_is_known(str(value))
    if kind == "place":
        return whole_chain(str(value))
    if kind == "ethnicity":
        return lexicon.is_ethnic_group(str(value))
    if kind in ("date", "death_date"):
        return parse_date(value) is not None
    if name == "document_title":
        return lexicon.is_result_title(str(value))
    if name == "issuing_authority":
        return lexicon.authority_is_known(str(value))
    if kind == "personal_id":
        return len(str(value)) == 12
    return False


def settle(
    doc_type: str,
    name: str,
    rf: RawField,
    prepared: Prepared,
    *,
    in_words: str | None = None,
    further: bool = True,
) -> Settled:
    """Read a field's value crop with the second reader and decide what is kept.

    ``in_words`` is the same date as the page prints it in words, when it does: read
    alike, it certifies the value without a second reader.
    """
    first = _reading("page", doc_type, name, rf.text, rf.confidence)
    listed = closed_value(name, rf.text)
    if listed is not None:
        return Settled(listed, SURE, CLOSED_LIST, rf.confidence, None, [first])
    if normalize.field_kind(name) == "place" and units_certify(first.value):
        return Settled(first.value, SURE, UNIT_LISTS, rf.confidence, None, [first])
    if in_words and (said := words_to_date(in_words)) and said.isoformat() == first.value:
        return Settled(first.value, SURE, PRINTED_TWICE, rf.confidence, None, [first])
    line = read_crops(prepared, rf.words)
    if line is None:
        return Settled(first.value, CHECK, ONE_READING, rf.confidence, None, [first])
    second = _reading("second", doc_type, name, line.text, line.confidence)
    if agree(first.value, second.value):
        readings = [first, second]
        why = LISTS_OBJECT if lists_object(name, first.value) else READERS_AGREE
        value = restore_marks(name, first.value) if why == LISTS_OBJECT else first.value
        return Settled(value, _status(why), why, rf.confidence, line.confidence, readings)
    readings = [first, second]
    if further:
        with stage("further readings"):
            readings += further_readings(doc_type, name, rf, prepared)
        for r in readings[2:]:
            if agree(r.value, second.value):
                why = LISTS_OBJECT if lists_object(name, second.value) else FURTHER_READING
                value = restore_marks(name, second.value) if why == LISTS_OBJECT else second.value
                # The evidence is the further reading's, which agreed, not the first's.
                return Settled(value, _status(why), why, r.confidence, line.confidence, readings)
    value, reason = arbitrate(name, readings)
    return Settled(value, CHECK, reason, rf.confidence, line.confidence, readings)


def _status(reason: str) -> str:
    return SURE if reason in SURE_REASONS else CHECK


def richest_marks(values: list[Any]) -> str | None:
    """Token by token, the reading whose marks include every other reading's: one reader
    lost the tilde of NGUYỄN, the other the acute of YẾN. ``None`` when the readings
    split into different tokens, or two of them read a token's marks otherwise (Điền and
    Điễn): then no reading holds what all saw."""
    texts = [v.split() for v in values if isinstance(v, str)]
    if len(texts) != len(values) or len({len(t) for t in texts}) != 1:
        return None
    out = []
    for tokens in zip(*texts, strict=True):
        rich = next((t for t in tokens if all(o == t or adds_marks(t, o) for o in tokens)), None)
        if rich is None:
            return None
        out.append(rich)
    return " ".join(out)


def restore_marks(name: str, value: Any) -> Any:
    """The value with the marks the lists restore, when that is all they change (NGUYÊN
    for NGUYỄN, Na Ri for Na Rì); otherwise the value as read. Still for a person to
    check: it is the lists' spelling, not a reading."""
    if not isinstance(value, str) or name == "issuing_authority":
        return value
    reading = list_reading(name, value)
    if reading is None:
        return value
    listed = reading.value
    return listed if listed != value and adds_marks(listed, value) else value


def list_reading(name: str, value: str) -> lexicon.Reading | None:
    """What the lists that know a field make of a value read for it (names, places,
    causes of death, authorities, titles); None for a field no list knows."""
    kind = normalize.field_kind(name)
    if kind == "place":
        return lexicon.read_place_value(value, 1.0)
    if kind == "name":
        return lexicon.read_name(value, 1.0)
    if kind == "cause":
        return lexicon.read_cause_of_death(value, 1.0)
    if name == "issuing_authority":
        return lexicon.read_authority(value, 1.0)
    if name == "document_title":
        return lexicon.read_title(value, 1.0)
    return None


def lists_object(name: str, value: Any) -> bool:
    """Whether the lexicon or the unit lists would spell an agreed reading otherwise.

    Two readers can share a misreading where the print itself misleads (an O that looks
    like a 0, a hyphen too faint for both); the lists know how the units, authorities,
    titles, causes and names they hold are spelled, and an agreed reading they would
    change is not sure. They only object: the value kept is still the reading.
    """
    if not isinstance(value, str):
        return False
    kind = normalize.field_kind(name)
    if kind == "ethnicity":
        return closed_value(name, value) is None  # both read "Kihn": not a group
    if name.split("_")[-1] == "nationality":
        return nfc(value) not in lexicon.nationalities()  # "Viết Nam" is no country
    if kind == "place" and misspelt_hamlet(value):
        return True
    reading = list_reading(name, value)
    if reading is None:
        return False
    # The lists restore lost marks (another value) or, for a spelling they know
    # otherwise, keep the reading and suggest theirs: either way they object.
    return reading.value != value or reading.suggestion is not None


# The words that open a hamlet, village or street group ("Thôn 3", "Tổ 11"): a closed
# list the unit lists lack, so its spelling is checked here.
HAMLET_WORDS = (
    "Tổ dân phố",
    "Khu phố",
    "Thôn",
    "Ấp",
    "Xóm",
    "Bản",
    "Buôn",
    "Khóm",
    "Khu",
    "Tổ",
    "Đội",
    "Làng",
    "Plei",
    "Sóc",
)
_FOLDED_HAMLET_WORDS = {fold(w): w for w in HAMLET_WORDS}


def misspelt_hamlet(place: str) -> bool:
    """A place opening with a hamlet word spelt with other marks ("Tố 11" for Tổ 11)."""
    head = place.split(",")[0].split()
    for n in (3, 2, 1):
        words = " ".join(head[:n])
        if len(head) > n and fold(words) in _FOLDED_HAMLET_WORDS:
            return _FOLDED_HAMLET_WORDS[fold(words)] != words
    return False


def arbitrate(name: str, readings: Iterable[Reading]) -> tuple[Any, str]:
    """Choose among disagreeing readings: the surest of those the lists know, when they
    know some but not all; otherwise the surest reading. Never sure.

    Readings by one engine are not counted as votes: the page reader's second look at a
    crop repeats its own mistakes.
    """
    candidates = [r for r in readings if r.value not in (None, "")]
    if not candidates:
        return None, DISAGREE
    merged = richest_marks([r.value for r in candidates])
    if merged is not None and known_to_lists(name, merged):
        return merged, ARBITRATED
    known = [r for r in candidates if known_to_lists(name, r.value)]
    if known and len(known) < len(candidates):
        return max(known, key=lambda r: r.confidence).value, ARBITRATED
    return max(candidates, key=lambda r: r.confidence).value, DISAGREE


def derive(settled: Settled, part: Callable[[str], Any]) -> Settled | None:
    """A value printed inside another's text (the time in a death's date line), settled
    on the same readings of that text."""
    values = {r.source: part(r.text) for r in settled.readings}
    first, second = values.get("page"), values.get("second")
    if first is None:
        return None
    evidence = (settled.first, settled.second)
    if agree(first, second):
        return Settled(first, SURE, READERS_AGREE, *evidence, settled.readings)
    if any(agree(values.get(s), second) for s in ("crop", "digits")):
        return Settled(second, SURE, FURTHER_READING, *evidence, settled.readings)
    return Settled(first, CHECK, DISAGREE if second else ONE_READING, *evidence, settled.readings)


def further(old: FieldValue | None, value: Any, sure: bool) -> FieldValue:
    """A field settled again by a further reading of its own line (the number line)."""
    first = old.evidence["first"] if old is not None and old.evidence else 0.0
    reason = FURTHER_READING if sure else (DISAGREE if old is not None else ONE_READING)
    return FieldValue(
        value,
        0.0,
        old.bbox if old else None,
        SURE if sure else CHECK,
        reason,
        {"first": first, "second": None},
    )


def printed_twice(f: FieldValue) -> None:
    """The page printed the value twice (a date in digits and in words) and both were
    read alike: two readings of different print, as independent as two readers."""
    f.status, f.reason = SURE, PRINTED_TWICE


def from_qr_code(value: str, printed: FieldValue | None) -> FieldValue:
    evidence = {"first": 1.0, "second": None}
    return FieldValue(value, 1.0, printed.bbox if printed else None, SURE, QR_CODE, evidence)


_MESSAGES = {
    DISAGREE: "the two readers read the {label} differently; check it against the page",
    ARBITRATED: (
        "the readers disagree on the {label}; the reading the lists know is shown; check it "
        "against the page"
    ),
    ONE_READING: "the {label} could be read only once; check it against the page",
    DOUBTFUL: "the {label} was not read surely enough; check it against the page",
    LISTS_OBJECT: (
        "both readers read the {label} alike, but the lists spell it otherwise; check it "
        "against the page"
    ),
}


def field_value(settled: Settled, bbox: tuple[int, int, int, int] | None) -> FieldValue:
    """The record's field for a settled value; its confidence is set by :func:`conclude`."""
    evidence = {"first": settled.first, "second": settled.second}
    return FieldValue(settled.value, 0.0, bbox, settled.status, settled.reason, evidence)


# Words of the labels that follow a name on the forms ("Ngày, tháng, năm sinh", "Giới
# tính", "Dân tộc", "Quốc tịch", "Nơi sinh") that are no given name (SINH, TÍNH and QUỐC
# are, so they are not here): a name ending in one ran into the next label, and both
# readers read the same too-wide crop.
_LABEL_WORDS = frozenset({"NGÀY", "GIỚI", "DÂN", "TỘC", "TỊCH", "NƠI"})


def runs_into_label(name: str, value: Any) -> bool:
    """Whether a person's name ends in a word of a label that is never a given name."""
    if normalize.field_kind(name) != "name" or not isinstance(value, str):
        return False
    tokens = value.split()
    return len(tokens) > 1 and tokens[-1].upper() in _LABEL_WORDS


def set_phrase_whole(name: str, value: Any) -> bool:
    """Whether a value has the whole shape its field always has: a result's title is one
    of the titles ("GIẤY PHÉP XÂY DỰNG", not its subtitle or a file name above it); an
    authority names its unit after "ỦY BAN NHÂN DÂN"; a result's number carries its type
    ("2140/GXN-UBND"); a person's name has two words at least and opens with a known
    surname; a place of birth or death, or a residence, names more than its province.
    Readers agree just as well on the wrong line of a page, or on a line cut short, so
    agreement alone cannot vouch for these."""
    if not isinstance(value, str):
        return True
    folded = fold(value)
    if _FILE_NAME.search(value):  # a viewer's file name above a screenshot
        return False
    if name == "document_title":
        return lexicon.is_result_title(value)
    if name == "issuing_authority":
        committee = fold(lexicon.PEOPLES_COMMITTEE)
        return (
            folded != committee
            and not folded.endswith(" " + committee)  # the unit's line lost
            and not _UNIT_FIRST.match(folded)  # the heading's second line alone
        )
    if name == "result_number":
        # "1648/GXN-UBN": the committee's UBND cut short at the line's end, by both readers.
        return bool(_RESULT_NUMBER.match(value)) and not _UBND_CUT.search(value)
    if name == "book_number" and "/" in value:
        return bool(_BOOK_NUMBER.match(value))  # "08/1987", not "08/198"
    if normalize.field_kind(name) == "name":
        # Two words at least, the first a surname the lexicon knows: a name whose
        # surname the layout lost ("THỊ THÌN" for VÕ THỊ THÌN) reads well to both
        # readers. A surname the lexicon lacks is rare enough for a person to confirm.
        tokens = value.split()
        return len(tokens) >= 2 and fold(tokens[0]) in lexicon.name_lexicon().surnames
    if name in ("place_of_birth", "place_of_death") or name.endswith("residence"):
        return "," in value or not _PROVINCE_ALONE.match(folded)
    return True


_FILE_NAME = re.compile(r"\.\s*(pdf|jpe?g|png|docx?)\b", re.IGNORECASE)
_BOOK_NUMBER = re.compile(r"^\d{1,3}/\d{4}$")
_UBND_CUT = re.compile(r"-(U|UB|UBN)$")
_RESULT_NUMBER = re.compile(r"^\d{1,6}(/\d{4})?/[A-ZĐ][A-ZĐ0-9.-]*$")  # 12/2024/QĐ-UBND too
# A place of one unit's name alone ("Quảng Nam", "Tỉnh Quảng Nam"): the line cut to its end.
_PROVINCE_ALONE = re.compile(r"^(tinh |thanh pho )?[a-z]+( [a-z]+)?$")
_UNIT_FIRST = re.compile(r"^(xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh)\b")


def conclude(record: PageRecord) -> None:
    """After the record checks: a field an issue names is to check; every field's
    confidence becomes its calibrated probability (too low a one is never sure); each
    field to check gets an issue saying why; the record is accepted only when every field
    is sure and no issue remains."""
    named = {i.field for i in record.issues if i.field}  # warnings too: a doubt is a doubt
    # Several required fields missing: the page's type or its layout was misread, and
    # two readers agreeing on a crop cannot vouch for which field the crop is.
    form_in_doubt = sum(i.rule == Rule.REQUIRED_MISSING for i in record.issues) >= 2
    for name, f in record.fields.items():
        if name in named:
            f.status, f.reason = CHECK, FAILED_CHECK
        if f.evidence is not None:
            f.evidence["reason"] = f.reason  # what the calibration is fitted by
            s = score(f.evidence["first"], f.evidence["second"])
            f.confidence = probability(f.reason or ONE_READING, s)
        if f.status == SURE and form_in_doubt:
            f.status, f.reason = CHECK, FAILED_CHECK
        if f.status == SURE and (
            not set_phrase_whole(name, f.value) or runs_into_label(name, f.value)
        ):
            f.status, f.reason = CHECK, LISTS_OBJECT
        if f.status == SURE and f.reason != QR_CODE and f.confidence < SURE_PROBABILITY:
            # (A QR code is error-corrected: its decoding is no reader's guess, however few
            # of them the calibration has seen.)
            f.status, f.reason = CHECK, DOUBTFUL
        if f.status != SURE and f.reason in _MESSAGES:
            message = _MESSAGES[f.reason].format(label=label(name))
            record.issues.append(Issue(field=name, rule=Rule.LOW_CONFIDENCE, message=message))
    every_field_sure = all(f.status == SURE for f in record.fields.values())
    record.status = "auto_accepted" if every_field_sure and not record.issues else "needs_review"
