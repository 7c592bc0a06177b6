"""Record-level checks (docs/checks.md), run on the canonical values of one page.

Each failure is an :class:`ocr.record.Issue` naming the field, a snake_case rule and a
message a clerk understands. The checks never change values; they only say what is wrong.
Messages name the field and the fault but never repeat a name, an ID number or an address
(issues end up in logs and reports); dates are quoted because the clerk must compare them.

Required fields per document type (:data:`REQUIRED`, from :mod:`ocr.doctypes`) are the
ones every form of that type prints and that the population database cannot do without:

- ``birth``: the child's full_name, date_of_birth, sex and place_of_birth, and the
  registration (registration_place, registration_date, registration_number). Parents are
  not required: a father may be blank and a foundling has no known mother.
- ``death``: full_name, date_of_death, place_of_death and the registration. The date of
  birth is not required: old registers often give only an age.
- ``marriage``: both spouses' full_name and date_of_birth, and the registration.
- ``dossier_result``: document_title, result_number, result_date and issuing_authority
  (what, which, when and who: every printed result carries all four). The dossier code
  is not required of the page: most results print none, and their dossier comes from
  the QR code, the upload metadata or review (``sohoa.dossiers.link``).

Severity: every rule blocks auto-acceptance except those in :data:`WARNING_RULES`. A place
that cannot be found in the unit lists (``place_unresolved``) is only a warning: births
abroad, hospitals and renamed hamlets are legitimately absent from the lists, and the
corrector already lowered the confidence of any place it had to guess. Use
:func:`blocking_issues` to decide the status.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ocr import doctypes
from ocr.datewords import words_to_date
from ocr.lexicon import is_ethnic_group
from ocr.normalize import DOSSIER_CODE, field_kind
from ocr.personal_id import birth_year_of, decode_personal_id
from ocr.record import Issue
from ocr.rules import Rule
from ocr.units import legacy_province_codes, resolve_place

REQUIRED: dict[str, tuple[str, ...]] = {t.name: t.required for t in doctypes.REGISTRY.values()}
PARENT_ENTRIES = ("name", "birth_year", "ethnicity", "nationality", "residence")
SPOUSE_ENTRIES = ("date_of_birth", "ethnicity", "nationality", "residence")
WARNING_RULES = frozenset({Rule.PLACE_UNRESOLVED})
OLDEST_YEAR = 1850  # older dates are misreadings, not records
PARENT_MIN_AGE, PARENT_MAX_AGE = 12, 70

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{2}):(\d{2})$")

_LABELS = {
    "full_name": "full name",
    "date_of_birth": "date of birth",
    "sex": "sex",
    "place_of_birth": "place of birth",
    "registration_place": "place of registration",
    "registration_date": "registration date",
    "registration_number": "registration number",
    "book_number": "book number",
    "date_of_death": "date of death",
    "time_of_death": "time of death",
    "place_of_death": "place of death",
    "personal_id": "personal ID number",
    "ethnicity": "ethnic group",
    "dossier_code": "dossier code",
    "document_title": "document title",
    "result_date": "result date",
    "result_number": "result number",
    "hometown": "home town",
    "residence": "residence",
    "birth_year": "year of birth",
    "name": "name",
    "applicant_name": "applicant's name",
}
_OWNERS = {
    "husband_": "husband's ",
    "wife_": "wife's ",
    "mother_": "mother's ",
    "father_": "father's ",
    "applicant_": "applicant's ",
}


def label(field: str) -> str:
    """Plain-English field name for messages: 'wife_date_of_birth' -> "wife's date of birth"."""
    for prefix, owner in _OWNERS.items():
        if field.startswith(prefix):
            rest = field[len(prefix) :]
            return owner + _LABELS.get(rest, rest.replace("_", " "))
    return _LABELS.get(field, field.replace("_", " "))


def blocking_issues(issues: list[Issue]) -> list[Issue]:
    """The issues that keep a record from being auto-accepted."""
    return [i for i in issues if i.rule not in WARNING_RULES]


def parse_date(value: Any) -> date | None:
    """A canonical ``YYYY-MM-DD`` value as a date; ``None`` when it is not a real one."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class _Checker:
    def __init__(self, doc_type: str, values: dict[str, Any], words: dict[str, str], today: date):
        self.doc_type = doc_type
        self.values = {k: v for k, v in values.items() if v is not None and v != ""}
        self.words = words
        self.today = today
        self.issues: list[Issue] = []
        self.dates: dict[str, date] = {}

    def add(self, field: str | None, rule: str, message: str) -> None:
        self.issues.append(Issue(rule=rule, message=message, field=field))

    def run(self) -> list[Issue]:
        if self.doc_type not in REQUIRED:
            self.add(None, Rule.DOC_TYPE_UNKNOWN, "The document type was not recognised.")
            return self.issues
        for field in REQUIRED[self.doc_type]:
            if field not in self.values:
                self.add(field, Rule.REQUIRED_MISSING, f"The {label(field)} is missing.")
        for field, value in self.values.items():
            self.check_format(field, value)
        self.check_order()
        self.check_parents()
        self.check_spouses()
        self.check_parent_entries()
        for field in self.values:
            if field_kind(field) == "personal_id":
                self.check_personal_id(field)
        self.check_date_words()
        return self.issues

    def check_parent_entries(self) -> None:
        """A birth certificate names the mother (a foundling's is the rare exception a
        person should see), and a parent's block prints all its entries: a parent named
        with an entry missing, or entries without the name, means a line was lost."""
        if self.doc_type != "birth":
            return
        if "mother_name" not in self.values:
            self.add(
                "mother_name",
                Rule.MOTHER_MISSING,
                "No mother's name could be read; check the page (a foundling's record has none).",
            )
        for parent in ("mother_", "father_"):
            have = [e for e in PARENT_ENTRIES if parent + e in self.values]
            if parent == "father_" and not have:
                continue  # no father on the record: a legitimate blank
            for entry in PARENT_ENTRIES:
                if entry not in have and (parent != "mother_" or entry != "name"):
                    self.add(
                        parent + entry,
                        Rule.PARENT_ENTRY_MISSING,
                        f"The {label(parent + entry)} could not be read, though other "
                        "entries of the same parent are there.",
                    )

    def check_spouses(self) -> None:
        """A marriage certificate prints the same entries for both spouses: one spouse's
        entry read and the other's not means a value was lost (its line merged with
        another), which a person must type in."""
        if self.doc_type != "marriage":
            return
        for entry in SPOUSE_ENTRIES:
            have = {p for p in ("husband_", "wife_") if p + entry in self.values}
            if len(have) == 1:
                missing = ({"husband_", "wife_"} - have).pop() + entry
                self.add(
                    missing,
                    Rule.SPOUSE_ENTRY_MISSING,
                    f"The {label(missing)} could not be read, though the other spouse's is there.",
                )

    # --- one field at a time -------------------------------------------------------------

    def check_format(self, field: str, value: Any) -> None:
        kind = field_kind(field)
        if kind in ("date", "death_date"):
            self.check_date(field, value)
        elif kind == "time":
            m = _TIME.match(value) if isinstance(value, str) else None
            if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
                self.add(field, Rule.TIME_FORMAT, f"The {label(field)} '{value}' is not a time.")
        elif kind == "year":
            if not isinstance(value, int) or not OLDEST_YEAR <= value <= self.today.year:
                self.add(field, Rule.YEAR_FORMAT, f"The {label(field)} '{value}' is not a year.")
        elif kind == "sex":
            if value not in ("male", "female"):
                self.add(field, Rule.SEX_FORMAT, f"The {label(field)} must be Nam or Nữ.")
        elif kind == "name":
            if not isinstance(value, str) or any(c.isdigit() for c in value):
                self.add(field, Rule.NAME_FORMAT, f"The {label(field)} contains digits.")
        elif kind == "number":
            if not isinstance(value, str) or not any(c.isdigit() for c in value):
                self.add(field, Rule.NUMBER_FORMAT, f"The {label(field)} '{value}' has no digits.")
        elif kind == "ethnicity":
            if not isinstance(value, str) or not is_ethnic_group(value):
                self.add(
                    field,
                    Rule.ETHNICITY_UNKNOWN,
                    f"The {label(field)} '{value}' is not one of the 54 official ethnic groups.",
                )
        elif kind == "place":
            if not isinstance(value, str) or not resolve_place(value)[2]:
                self.add(
                    field,
                    Rule.PLACE_UNRESOLVED,
                    f"The {label(field)} was not found in the list of administrative units; "
                    "please confirm it against the page.",
                )
        elif kind == "dossier_code":
            self.check_dossier_code(field, value)

    def check_date(self, field: str, value: Any) -> None:
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            self.add(field, Rule.DATE_FORMAT, f"The {label(field)} '{value}' is not a date.")
            return
        parsed = parse_date(value)
        if parsed is None:
            self.add(field, Rule.DATE_INVALID, f"The {label(field)} {value} does not exist.")
            return
        if parsed.year < OLDEST_YEAR:
            self.add(
                field,
                Rule.DATE_TOO_OLD,
                f"The {label(field)} {value} is before {OLDEST_YEAR}: a misreading, not a record.",
            )
            return
        if parsed > self.today:
            self.add(field, Rule.DATE_IN_FUTURE, f"The {label(field)} {value} is in the future.")
            return
        self.dates[field] = parsed

    def check_dossier_code(self, field: str, value: Any) -> None:
        if not isinstance(value, str) or not DOSSIER_CODE.match(value):
            self.add(
                field,
                Rule.DOSSIER_CODE_FORMAT,
                f"The {label(field)} '{value}' does not look like 000.00.20.H40-240605-0001.",
            )
            return
        yymmdd = value.split("-")[1]
        try:
            received = date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
        except ValueError:
            received = None
        if received is None or received > self.today:
            self.add(
                field,
                Rule.DOSSIER_CODE_DATE,
                f"The receipt date {yymmdd} inside the {label(field)} is not a real past date.",
            )

    # --- fields against each other -------------------------------------------------------

    def check_order(self) -> None:
        births = [p + "date_of_birth" for p in ("", "husband_", "wife_")]
        for birth in births:
            born = self.dates.get(birth)
            if born is None:
                continue
            later = [("registration_date", Rule.REGISTRATION_BEFORE_BIRTH)]
            if birth == "date_of_birth":
                later.append(("date_of_death", Rule.DEATH_BEFORE_BIRTH))
            for field, rule in later:
                when = self.dates.get(field)
                if when is not None and when < born:
                    self.add(
                        field,
                        rule,
                        f"The {label(field)} {when.isoformat()} is before the "
                        f"{label(birth)} {born.isoformat()}.",
                    )
        died, registered = self.dates.get("date_of_death"), self.dates.get("registration_date")
        if died and registered and registered < died:
            self.add(
                "registration_date",
                Rule.REGISTRATION_BEFORE_DEATH,
                f"The registration date {registered.isoformat()} is before the date of death "
                f"{died.isoformat()}.",
            )

    def check_parents(self) -> None:
        born = self.dates.get("date_of_birth")
        if born is None or self.doc_type != "birth":
            return
        for parent in ("mother", "father"):
            field = f"{parent}_birth_year"
            year = self.values.get(field)
            if not isinstance(year, int):
                continue
            full = self.dates.get(f"{parent}_date_of_birth")
            if full is not None and full.year != year:
                self.add(
                    field,
                    Rule.PARENT_DATE_YEAR,
                    f"The {label(field)} {year} is not the year of the {parent}'s date of "
                    f"birth {full.isoformat()}.",
                )
            age = born.year - year
            if not PARENT_MIN_AGE <= age <= PARENT_MAX_AGE:
                self.add(
                    field,
                    Rule.PARENT_AGE,
                    f"The {label(field)} {year} would make the {parent} {age} years old at the "
                    f"child's birth ({PARENT_MIN_AGE} to {PARENT_MAX_AGE} expected).",
                )

    def _person_of(self, field: str) -> tuple[str, str | None]:
        """(date-of-birth field, sex) belonging to the ID in ``field``."""
        prefix = field[: -len("personal_id")]
        if prefix == "husband_":
            return "husband_date_of_birth", "male"
        if prefix == "wife_":
            return "wife_date_of_birth", "female"
        return prefix + "date_of_birth", self.values.get(prefix + "sex")

    def check_personal_id(self, field: str) -> None:
        pid = self.values[field]
        name = label(field)
        if not isinstance(pid, str) or not re.fullmatch(r"[0-9]{12}", pid):
            self.add(field, Rule.ID_FORMAT, f"The {name} must have exactly 12 digits.")
            return
        if pid[0] != "0" or pid[1:3] not in legacy_province_codes():
            self.add(
                field,
                Rule.ID_PROVINCE,
                f"The {name} starts with {pid[:3]}, which is not 0 + a province code.",
            )
        if int(pid[3]) > 5:
            self.add(
                field,
                Rule.ID_FORMAT,
                f"Digit 4 of the {name} ({pid[3]}) is not a valid century and sex code.",
            )
            return
        decoded = decode_personal_id("0" + pid[1:])  # province faults are reported above
        assert decoded is not None  # 12 ASCII digits with digit 4 <= 5 always decode
        dob_field, sex = self._person_of(field)
        born = self.dates.get(dob_field)
        if born is not None and birth_year_of(decoded) != born.year:
            self.add(
                field,
                Rule.ID_BIRTH_YEAR,
                f"The {name} encodes birth year {birth_year_of(decoded)}, but the "
                f"{label(dob_field)} is {born.isoformat()}.",
            )
        if sex in ("male", "female") and decoded.sex != sex:
            sex_word = {"male": "male (Nam)", "female": "female (Nữ)"}
            self.add(
                field,
                Rule.ID_SEX,
                f"The {name} encodes sex {sex_word[decoded.sex]}, but the record says "
                f"{sex_word[sex]}.",
            )

    def check_date_words(self) -> None:
        for field, text in self.words.items():
            if not text or not text.strip():
                continue
            read = words_to_date(text)
            if read is None:
                self.add(
                    field,
                    Rule.DATE_WORDS_UNREADABLE,
                    f"The {label(field)} written in words could not be read; please compare "
                    "it with the digits.",
                )
                continue
            digits = self.dates.get(field)
            if digits is not None and read != digits:
                self.add(
                    field,
                    Rule.DATE_WORDS_MISMATCH,
                    f"The {label(field)} in words ({read.isoformat()}) does not match the "
                    f"digits ({digits.isoformat()}).",
                )


def check_record(
    doc_type: str,
    values: dict[str, Any],
    *,
    words: dict[str, str] | None = None,
    today: date | None = None,
) -> list[Issue]:
    """All record-level issues of one page; an empty list means every check passed.

    ``values`` holds canonical values (docs/record.md) by field name; ``words`` the dates in words
    as read, e.g. ``{"date_of_birth": "Ngày mười lăm tháng ba năm ..."}``; ``today``
    fixes the clock for "not in the future" (tests, reruns).
    """
    return _Checker(doc_type, values, words or {}, today or date.today()).run()
