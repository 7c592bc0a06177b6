"""The checks a typed or corrected record passes before it loads: the machine's own.

A record a person typed in, or corrected in review, goes into the population database
only after the checks a machine-read record passes: the record-level rules of
:func:`ocr.checks.check_record` (formats, real dates in order, parents' ages, the
personal ID's structure, the official ethnic list, places against the unit lists of
both eras), the Great Expectations gate of the loader (:func:`sohoa.gate.validate.
run_gate`, the guard of the database), and the register book's type and year. No rule
is written here a second time; this module only sorts what those checks find:

- an **error** cannot have an exception (a date that does not exist or is still to come,
  a malformed ID, a mother younger than 12): no one may load the record as it is;
- a **warning** can (a hospital or a hamlet is not in the unit lists, the page leaves a
  parent's entry blank, a late registration in an older book): the person may load it
  anyway, with a reason that the audit trail keeps.

A rule this module does not know is an error: a new check blocks until someone decides
it may have exceptions. Rules about how a machine read the page (its confidence, dates
in words) do not apply to values a person typed or vouched for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ocr.book import Book
from ocr.checks import PARENT_MIN_AGE, WARNING_RULES, check_record, parse_date
from ocr.rules import Rule, fact_of
from ocr.units import key
from sohoa.load.book import named_year

ERROR, WARNING = "error", "warning"

# Checks with legitimate exceptions: the page may really say so.
OVERRIDABLE = frozenset(
    {
        *WARNING_RULES,  # a place outside the unit lists: a hospital, a hamlet, abroad
        Rule.MOTHER_MISSING,  # a foundling's record names no mother
        Rule.PARENT_ENTRY_MISSING,  # old registers leave a parent's entry blank
        Rule.SPOUSE_ENTRY_MISSING,
        Rule.ID_BIRTH_YEAR,  # the certificate prints an ID that disagrees with it: as printed
        Rule.ID_SEX,
        Rule.REGISTRATION_YEAR_OUTSIDE_BOOK,  # a late entry in the previous year's book
        Rule.BOOK_NUMBER_OUTSIDE_BOOK,
        Rule.NUMBERING_GAP,
    }
)
# Checks of a machine's reading, answered by a person typing or vouching for the value.
READING_RULES = frozenset(
    {Rule.LOW_CONFIDENCE, Rule.DATE_WORDS_MISMATCH, Rule.DATE_WORDS_UNREADABLE, Rule.NEEDS_REVIEW}
)
_VIETNAMESE = frozenset({"vietnam", "vn"})


def warm_up() -> None:
    """Load what a server's first check would otherwise load while a clerk waits: Great
    Expectations' modules and the unit lists (about 13 s of CPU, against 1.5 s for a check
    once they are loaded)."""
    from sohoa.gate.validate import _import_gx

    _import_gx()
    check_record("birth", {"place_of_birth": "Xã Hữu Liên, Huyện Hữu Lũng, Tỉnh Lạng Sơn"})


@dataclass(frozen=True)
class Finding:
    """One failed check of a typed or corrected record."""

    field: str | None
    rule: str
    message: str  # English, for the CLI and logs (names the fault, never a person)
    severity: str  # ERROR or WARNING

    @property
    def overridable(self) -> bool:
        return self.severity == WARNING

    def __str__(self) -> str:
        return f"{self.field or 'record'}: {self.message}"


def check_entry(
    doc_type: str,
    values: Mapping[str, Any],
    book: Book | None,
    *,
    today: date | None = None,
    gate: bool = True,
    source: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """Every failed check of a record of ``doc_type`` with canonical ``values``, errors
    first. ``gate=False`` leaves out the Great Expectations gate (about a second of CPU):
    for checking as a person types; the record is gated again when it loads.
    ``source`` names the page for the gate's run (``{uri, page, sha256}``)."""
    values = {k: v for k, v in values.items() if v not in (None, "")}
    today = today or date.today()
    found: dict[tuple[str | None, str], tuple[str, str]] = {}  # each fault once
    checked = [(i.field, i.rule, i.message) for i in check_record(doc_type, values, today=today)]
    checked += _book_checks(doc_type, values, book)
    if gate:
        gated = _gate_issues(doc_type, values, book, today, source)
        checked += [(i["field"], i["rule"], i["message"]) for i in gated]
    for field, name, message in checked:
        found.setdefault((field, fact_of(name)), (name, message))
    findings = [
        Finding(field, rule, message, _severity(rule, field, values))
        for (field, _), (rule, message) in found.items()
        if rule not in READING_RULES
    ]
    return sorted(findings, key=lambda f: f.severity != ERROR)


def field_errors(
    doc_type: str, name: str, value: Any, values: Mapping[str, Any], *, today: date | None = None
) -> list[Finding]:
    """The errors ``value`` has on its own as field ``name`` (a format, a date that does
    not exist): what refuses a correction at once. Checks between fields wait for the
    whole record, so a right value is never refused because another field is still wrong.
    ``values``: the rest of the record, for the severity (a foreign parent's ethnicity)."""
    context = {**values, name: value}
    return [
        Finding(i.field, i.rule, i.message, _severity(i.rule, i.field, context))
        for i in check_record(doc_type, {name: value}, today=today or date.today())
        if i.field == name and i.rule not in (Rule.REQUIRED_MISSING, *READING_RULES)
        if _severity(i.rule, i.field, context) == ERROR
    ]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == WARNING]


def unanswered(findings: list[Finding], overrides: Mapping[str, str]) -> list[Finding]:
    """The warnings no reason was given for (``overrides``: field -> reason; a warning
    about the whole record is answered under the key ``"record"``)."""
    return [f for f in warnings(findings) if not (overrides.get(f.field or "record") or "").strip()]


# --- internals ---------------------------------------------------------------------------


def _severity(rule: str, field: str | None, values: Mapping[str, Any]) -> str:
    if rule == Rule.PARENT_AGE:
        return _parent_age_severity(field, values)
    if rule == Rule.ETHNICITY_UNKNOWN and _foreign(field, values):
        return WARNING  # a foreign parent's ethnic group is not one of Vietnam's 54
    return WARNING if rule in OVERRIDABLE else ERROR


def _parent_age_severity(field: str | None, values: Mapping[str, Any]) -> str:
    """Younger than 12 (or born after the child) cannot be; older than 70 is rare."""
    born = parse_date(values.get("date_of_birth"))
    year = values.get(field or "")
    if born is None or not isinstance(year, int):
        return ERROR
    return ERROR if born.year - year < PARENT_MIN_AGE else WARNING


def _foreign(field: str | None, values: Mapping[str, Any]) -> bool:
    owner = (field or "")[: -len("ethnicity")]
    nationality = values.get(owner + "nationality")
    return isinstance(nationality, str) and key(nationality) not in _VIETNAMESE


def _book_checks(
    doc_type: str, values: Mapping[str, Any], book: Book | None
) -> list[tuple[str | None, str, str]]:
    """The register book's type and year against the record."""
    if book is None:
        return []
    out = []
    if doc_type != book.book_type:
        mismatch = f"a {doc_type} record in a {book.book_type} book"
        out.append((None, Rule.DOC_TYPE_MISMATCH, mismatch))
    # The book's year, under the gate suite's rule names (the gate finds the same when
    # the record loads): shown while a person types, where the gate does not run.
    registered = parse_date(values.get("registration_date"))
    if registered is not None and registered.year != book.year:
        out.append(
            (
                "registration_date",
                Rule.REGISTRATION_YEAR_OUTSIDE_BOOK,
                f"registered in {registered.year}, in the book of {book.year}",
            )
        )
    named = named_year(values.get("book_number"))
    if named is not None and named != book.year:
        out.append(
            (
                "book_number",
                Rule.BOOK_NUMBER_OUTSIDE_BOOK,
                f"the book number names {named}, the book is of {book.year}",
            )
        )
    return out


def _gate_issues(
    doc_type: str,
    values: Mapping[str, Any],
    book: Book | None,
    today: date,
    source: Mapping[str, Any] | None,
) -> list[dict[str, Any]]:
    """What the loader's Great Expectations gate says of the record."""
    from sohoa.gate.validate import run_gate

    record = {
        "source": dict(source or {"uri": "typed", "page": 1, "sha256": "0" * 64}),
        "doc_type": doc_type,
        "fields": {name: {"value": value} for name, value in values.items()},
        "status": "auto_accepted",
        "issues": [],
    }
    outcome = run_gate([record], book, today=today, keep=False)
    failed = list(outcome.failures.get(0, []))
    warned = [{k: v for k, v in w.items() if k != "index"} for w in outcome.warnings]
    return failed + [w for w in warned if w not in failed]
