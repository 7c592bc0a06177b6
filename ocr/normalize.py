"""Canonical field values from raw OCR text (docs/record.md).

One function per kind of value. Each takes the text read after a label and returns the
canonical value, or ``None`` when nothing usable is there (a blank line of leader dots is
"absent", not an empty string). Values that are readable but wrong (a 31 February, an ID
with 11 digits) are still returned in canonical shape, so the record checks can say what is
wrong instead of the field silently disappearing.

:func:`normalize_field` dispatches by field name; :func:`correct_field` adds the lexicon
corrections (names, ethnic groups, places) and their confidences.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from typing import Any

from ocr.lexicon import (
    clean_name,
    correct_authority,
    correct_cause_of_death,
    correct_ethnicity,
    correct_name,
    correct_place,
    correct_title,
)
from ocr.text import fold, nfc, squash_spaces

# Leader dots, ellipses and underscores that fill blank lines on printed forms.
_LEADERS = re.compile(r"(?:\.\s*){2,}|…+|(?:_\s*)+|(?:-\s*){3,}")
_EDGE_PUNCT = " \t.,;:·•-–—_|"


def clean_text(raw: str | None) -> str | None:
    """NFC, leaders removed, single spaces, no label punctuation at the edges; None if blank."""
    if raw is None:
        return None
    text = _LEADERS.sub(" ", nfc(raw))
    text = squash_spaces(text).strip(_EDGE_PUNCT).strip()
    return text or None


# --- digits --------------------------------------------------------------------------------

# Letters Tesseract puts in place of digits. Applied only inside tokens that already hold
# a digit, so words are left alone.
_DIGIT_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "l": "1",
        "I": "1",
        "|": "1",
        "i": "1",
        "!": "1",
        "Z": "2",
        "S": "5",
        "B": "8",
        "Ø": "0",
        "ø": "0",
    }
)  # a typewriter's slashed zero
_DIGITISH_TOKEN = re.compile(r"(?<![^\W\d_])[0-9OoDQlIi|!ZSBØø]*\d[0-9OoDQlIi|!ZSBØø]*(?![^\W\d_])")
_SLASHES = str.maketrans({"⁄": "/", "∕": "/", "／": "/"})  # fraction and other look-alikes


def fix_digits(text: str) -> str:
    """'1O/O3/1987' -> '10/03/1987': look-alike letters inside digit runs become digits."""
    text = text.translate(_SLASHES)
    return _DIGITISH_TOKEN.sub(lambda m: m.group(0).translate(_DIGIT_LOOKALIKES), text)


# --- dates and times --------------------------------------------------------------------------

_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/\-.,]\s*(\d{1,2})\s*[/\-.,]\s*(\d{4})(?!\d)")
_AFTER_NGAY = re.compile(r"ngay\D{0,8}?(\d{1,2})\D{1,14}?(\d{1,2})\D{1,14}?(\d{4})(?!\d)")
_WORDED = re.compile(r"(?<!\d)(\d{1,2})\D{1,14}?(\d{1,2})\D{1,14}?(\d{4})(?!\d)")
_TIME = re.compile(r"(?<!\d)(\d{1,2})\s*(?:gio|h|:)\s*(?:(\d{1,2})(?!\d)\s*(?:phut|p\b|')?)?")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalize_date(raw: str | None) -> str | None:
    """'15/03/1987', '15-03-1987', '15.3.1987', 'ngày 15 tháng 03 năm 1987' -> '1987-03-15'.

    The result is shaped ``YYYY-MM-DD`` but not validated as a calendar date: the checks
    report impossible dates by name.
    """
    text = clean_text(raw)
    if text is None:
        return None
    folded = fold(fix_digits(text))
    if _ISO.match(folded):
        return folded
    # "Số 12, ngày 5 tháng 6 năm 2019": the date follows "ngày" when that word is there.
    match = _DMY.search(folded) or _AFTER_NGAY.search(folded) or _WORDED.search(folded)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def normalize_time(raw: str | None) -> str | None:
    """'10 giờ 30 phút' / '10h30' / '10:30' -> '10:30'; '10 giờ' -> '10:00'."""
    text = clean_text(raw)
    if text is None:
        return None
    match = _TIME.search(fold(fix_digits(text)))
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    return f"{hours:02d}:{minutes:02d}"


def normalize_death_time(raw: str | None) -> tuple[str | None, str | None]:
    """'10 giờ 30 phút, ngày 15 tháng 3 năm 2020' -> ('10:30', '2020-03-15').

    Either part may be missing. The time is cut out before the date is read, so its
    numbers are never taken for the day and month.
    """
    text = clean_text(raw)
    if text is None:
        return None, None
    folded = fold(fix_digits(text))
    match = _TIME.search(folded)
    if match is None:
        return None, normalize_date(folded)
    time_value = f"{int(match.group(1)):02d}:{int(match.group(2) or 0):02d}"
    return time_value, normalize_date(folded[: match.start()] + " " + folded[match.end() :])


# --- small values -----------------------------------------------------------------------------


def normalize_year(raw: str | None) -> int | None:
    """'1960' -> 1960; 'Năm sinh: 196O' -> 1960; None without a four-digit number."""
    text = clean_text(raw)
    if text is None:
        return None
    match = re.search(r"(?<!\d)(\d{4})(?!\d)", fix_digits(text))
    return int(match.group(1)) if match else None


_SEX_WORDS = {"nam": "male", "trai": "male", "nu": "female", "gai": "female"}


def normalize_sex(raw: str | None) -> str | None:
    """'Nam' -> 'male', 'Nữ'/'Nu'/'Nừ' -> 'female'; OCR slips such as 'Narn' tolerated."""
    text = clean_text(raw)
    if text is None:
        return None
    word = re.sub(r"[^a-z]", "", fold(text).split()[0]).replace("rn", "m")
    if word in ("male", "female"):  # already canonical (manual entry, re-normalizing)
        return word
    if word in _SEX_WORDS:
        return _SEX_WORDS[word]
    close = difflib.get_close_matches(word, list(_SEX_WORDS), n=1, cutoff=0.5)
    return _SEX_WORDS[close[0]] if close else None


_NUMBER_LABEL = re.compile(r"^(?:quyen\s*so|so|quyen|no)\s*[:.]?\s*", re.IGNORECASE)


def normalize_number(raw: str | None) -> str | None:
    """Registration and book numbers as printed: 'Số: 45' -> '45', 'Quyển số: 03/1987'."""
    text = clean_text(raw)
    if text is None:
        return None
    match = _NUMBER_LABEL.match(fold(text))
    if match:
        text = text[match.end() :]  # fold keeps the length of Vietnamese text
    # No number has a colon: one inside is the end of a misread label ("56:7" for "Số: 7").
    text = text.rsplit(":", 1)[-1].lstrip("=~*'\" ")
    text = fix_digits(re.sub(r"\s*([/\-.])\s*", r"\1", text))
    text = re.sub(r"([/\-.])\1+", r"\1", text)  # '182//1997': a doubled stroke
    return clean_text(text)


def normalize_personal_id(raw: str | None) -> str | None:
    """Digits only: '079 087 001 234' -> '079087001234'; look-alike letters become digits.

    Returns the digits even when there are not 12 of them (the check names that fault);
    ``None`` when the text is not a number at all.
    """
    text = clean_text(raw)
    if text is None:
        return None
    runs = [r for r in _ID_RUN.findall(text) if sum(c.isdigit() for c in r) >= 6]
    if not runs:
        return None
    compact = re.sub(r"[\s.\-]", "", max(runs, key=len)).translate(_DIGIT_LOOKALIKES)
    return compact if compact.isdigit() and compact.isascii() else None


_ID_RUN = re.compile(r"[0-9OoDQlIi|!ZSB](?:[0-9OoDQlIi|!ZSB]|[\s.\-](?=[0-9OoDQlIi|!ZSB]))*")


DOSSIER_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")
_DOSSIER_TEMPLATE = "999.99.99.A99-999999-9999"
_LETTER_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B", "5": "S", "2": "Z", "6": "G"})


def normalize_dossier_code(raw: str | None) -> str | None:
    """'000.00.20.H40-240605-0001' with OCR slips repaired position by position.

    Spaces and dash variants go; where the shape matches the template, look-alike letters
    in digit positions become digits and vice versa. Other text is returned upper-cased
    for the format check to reject.
    """
    text = clean_text(raw)
    if text is None:
        return None
    compact = re.sub(r"\s+", "", text).upper()
    compact = re.sub(r"[–—_]", "-", compact).replace(",", ".")
    compact = _with_lost_dots(compact)
    if len(compact) != len(_DOSSIER_TEMPLATE):
        return compact
    out = []
    for char, slot in zip(compact, _DOSSIER_TEMPLATE, strict=True):
        if slot == "9":
            out.append(char.translate(_DIGIT_LOOKALIKES))
        elif slot == "A":
            out.append(char.translate(_LETTER_LOOKALIKES))
        else:
            out.append(slot)
    return "".join(out)


def _with_lost_dots(code: str) -> str:
    """'0000007H22-190204-1875' -> '000.00.07.H22-190204-1875': the reader lost the code's
    small dots, whose places the fixed shape of the code says, every other character
    read. Any other count of characters is left for the format check."""
    bare = code.replace(".", "")
    if len(bare) != len(_DOSSIER_TEMPLATE) - 3 or not _BARE_CODE.match(bare):
        return code
    return f"{bare[:3]}.{bare[3:5]}.{bare[5:7]}.{bare[7:]}"


_BARE_CODE = re.compile(r"^\w{10}-\w{6}-\w{4}$")


def normalize_name(raw: str | None) -> str | None:
    text = clean_text(raw)
    return clean_name(text) or None if text else None


# --- dispatch ------------------------------------------------------------------------------

_PLACE_FIELDS = ("place_of_birth", "hometown", "residence", "place_of_death", "registration_place")


def field_kind(field_name: str) -> str:
    """Kind of value a field holds, from its name (prefixes such as ``husband_`` ignored)."""
    name = field_name
    for prefix in ("husband_", "wife_", "mother_", "father_", "applicant_"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    if name == "date_of_death":
        return "death_date"
    if name == "cause_of_death":
        return "cause"
    if name.endswith("_date") or name.startswith("date_of"):
        return "date"
    if name.startswith("time_of"):
        return "time"
    if name.endswith("birth_year"):
        return "year"
    if name == "sex":
        return "sex"
    if name.endswith("personal_id"):
        return "personal_id"
    if name == "dossier_code":
        return "dossier_code"
    if name.endswith("_number"):
        return "number"
    if name.endswith("name"):
        return "name"
    if name.endswith("ethnicity"):
        return "ethnicity"
    if name in _PLACE_FIELDS or field_name in _PLACE_FIELDS:
        return "place"
    return "text"


def _death_date(raw: str | None) -> str | None:
    return normalize_death_time(raw)[1]


_NORMALIZERS: dict[str, Callable[[str | None], Any]] = {
    "date": normalize_date,
    "death_date": _death_date,
    "time": normalize_time,
    "year": normalize_year,
    "sex": normalize_sex,
    "personal_id": normalize_personal_id,
    "dossier_code": normalize_dossier_code,
    "number": normalize_number,
    "name": normalize_name,
    "ethnicity": clean_text,
    "place": clean_text,
    "cause": clean_text,
    "text": clean_text,
}


def normalize_field(doc_type: str, field_name: str, raw_text: str | None) -> Any:
    """Canonical value of one field from its raw text; ``None`` when absent or unreadable.

    ``doc_type`` is accepted so type-specific rules can be added; today the field name
    alone decides (``date_of_birth`` is a date on every type).
    """
    del doc_type  # the field name decides today
    return _NORMALIZERS[field_kind(field_name)](raw_text)


def correct_field(
    doc_type: str,
    field_name: str,
    raw_text: str | None,
    confidence: float,
    token_confidences: Sequence[float] | None = None,
) -> tuple[Any, float] | None:
    """Normalized value plus lexicon correction for names, ethnic groups and places.

    Returns ``(value, confidence)``, the confidence never above the OCR one except for a
    name token the lexicon settles alone (``token_confidences``, one per name token, see
    :func:`ocr.lexicon.correct_name`); ``None`` when the field is absent. Use this from
    extraction; :func:`normalize_field` when the text
    is already trusted (manual entry).
    """
    value = normalize_field(doc_type, field_name, raw_text)
    if value is None:
        return None
    kind = field_kind(field_name)
    if kind == "name":
        return correct_name(value, confidence, token_confidences)
    if kind == "ethnicity":
        return correct_ethnicity(value, confidence)
    if kind == "place":
        return correct_place(value, confidence)
    if kind == "cause":
        return correct_cause_of_death(value, confidence)
    if field_name == "document_title":
        return correct_title(value, confidence)
    if field_name == "issuing_authority":
        return correct_authority(value, confidence)
    return value, confidence
