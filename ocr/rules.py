"""Every rule name an issue can carry, in one enumeration.

A rule name is what an :class:`ocr.record.Issue` (the reader), an expectation's
``meta.rule`` (the Great Expectations suites under ``schemas/expectations/``), a review
item's reason (the loader) and the web app's catalogue of Vietnamese rule names all
share. :class:`Rule` is a ``StrEnum``: a member *is* its string, so records, suites and
stored review items keep plain strings and compare equal to the members.

Each rule is owned by the stage with the facts it needs (:data:`OWNER`,
``docs/checks.md``):

- :data:`READER_RULES` need the image or the words read from it (extraction);
- :data:`GATE_RULES` are rules on the values alone, owned by the GX suites (the reader
  also applies most of them, to decide whether a page is sure enough to accept alone;
  a review item lists each fault of a field once, :func:`fact_of`);
- :data:`LOADER_RULES` need the database: what is already stored, its keys, the book.
"""

from __future__ import annotations

from enum import StrEnum


class Rule(StrEnum):
    # The reader: the file, the page image, the words on it.
    UNREADABLE_FILE = "unreadable_file"
    UNREADABLE_PAGE = "unreadable_page"
    UNREADABLE = "unreadable"  # a rejected page's reason when no finer one is known
    NO_TEXT = "no_text"
    UNKNOWN_TYPE = "unknown_type"
    DOC_TYPE_UNKNOWN = "doc_type_unknown"
    LOW_CONFIDENCE = "low_confidence"
    QR_MISMATCH = "qr_mismatch"
    DATE_WORDS_MISMATCH = "date_words_mismatch"
    DATE_WORDS_UNREADABLE = "date_words_unreadable"
    MOTHER_MISSING = "mother_missing"
    PARENT_ENTRY_MISSING = "parent_entry_missing"
    SPOUSE_ENTRY_MISSING = "spouse_entry_missing"
    PLACE_UNRESOLVED = "place_unresolved"
    MARK_OVER_VALUE = "mark_over_value"  # a seal or a signature crosses the value
    SCAN_REPLACED = "scan_replaced"  # the landing zone's file is not the one uploaded
    VALUE_UNREADABLE = "value_unreadable"  # text after a label that gave no value
    VALUE_UNREAD = "value_unread"  # ink after a label, nothing read
    ENTRY_OWNER_UNKNOWN = "entry_owner_unknown"  # a block whose heading was lost
    HANDWRITTEN_UNREAD = "handwritten_unread"  # a number or day written in by hand

    # The values alone: the Great Expectations suites.
    REQUIRED_MISSING = "required_missing"
    DATE_FORMAT = "date_format"
    DATE_INVALID = "date_invalid"
    DATE_IN_FUTURE = "date_in_future"
    DATE_TOO_OLD = "date_too_old"
    TIME_FORMAT = "time_format"
    YEAR_FORMAT = "year_format"
    SEX_FORMAT = "sex_format"
    NAME_FORMAT = "name_format"
    NUMBER_FORMAT = "number_format"
    ID_FORMAT = "id_format"
    ID_PROVINCE = "id_province"
    ID_SEX = "id_sex"
    ID_BIRTH_YEAR = "id_birth_year"
    ETHNICITY_UNKNOWN = "ethnicity_unknown"
    PARENT_AGE = "parent_age"
    REGISTRATION_BEFORE_BIRTH = "registration_before_birth"
    REGISTRATION_BEFORE_DEATH = "registration_before_death"
    DEATH_BEFORE_BIRTH = "death_before_birth"
    DOSSIER_CODE_FORMAT = "dossier_code_format"
    DOSSIER_CODE_DATE = "dossier_code_date"
    DOSSIER_CODE_MISSING = "dossier_code_missing"  # neither on the page nor in the upload
    PARENT_DATE_YEAR = "parent_date_year"
    NUMBERING_GAP = "numbering_gap"  # a warning: never blocks
    NUMBER_BEYOND_DECLARED_ENTRIES = "number_beyond_declared_entries"  # a warning

    # The register book a page belongs to (ocr.book_reading); a reading the lists spell otherwise.
    DOC_TYPE_NOT_BOOK_TYPE = "doc_type_not_book_type"
    REGISTRATION_YEAR_OUTSIDE_BOOK = "registration_year_outside_book"
    BOOK_NUMBER_OUTSIDE_BOOK = "book_number_outside_book"
    SPELLED_OTHERWISE = "spelled_otherwise"  # kept as read, with the lists' spelling suggested

    # The database: what is stored already, the natural keys, the book.
    REGISTRATION_NUMBER_TAKEN = "registration_number_taken"
    DUPLICATE_REGISTRATION_NUMBER = "duplicate_registration_number"
    SCAN_LOADED_TWICE = "scan_loaded_twice"
    DOC_TYPE_MISMATCH = "doc_type_mismatch"
    UNKNOWN_DOC_TYPE = "unknown_doc_type"
    NEEDS_REVIEW = "needs_review"

    # Names no stage gives any more, kept for the review items and audit notes stored with them.
    REQUIRED = "required"  # the loader's name for a missing registration number
    BOOK_YEAR_MISMATCH = "book_year_mismatch"  # now registration_year_outside_book


class Stage(StrEnum):
    """Where a rule is owned: checked, and named, by the stage with the facts it needs."""

    READER = "reader"  # extraction: the file, the page image, the words read on it
    GATE = "gate"  # the Great Expectations suites: the values alone, and the book's
    LOADER = "loader"  # the database: what is stored, its keys, the book a page goes in
    RETIRED = "retired"  # no stage: names only stored review items carry


_R, _G, _L = Stage.READER, Stage.GATE, Stage.LOADER
OWNER: dict[Rule, Stage] = {
    Rule.UNREADABLE_FILE: _R,
    Rule.UNREADABLE_PAGE: _R,
    Rule.UNREADABLE: _R,
    Rule.NO_TEXT: _R,
    Rule.UNKNOWN_TYPE: _R,
    Rule.DOC_TYPE_UNKNOWN: _R,
    Rule.UNKNOWN_DOC_TYPE: _R,  # the loader's name for it, when a record comes without one
    Rule.LOW_CONFIDENCE: _R,  # the gate checks the recorded confidence again
    Rule.QR_MISMATCH: _R,
    Rule.DATE_WORDS_MISMATCH: _R,
    Rule.DATE_WORDS_UNREADABLE: _R,
    Rule.MOTHER_MISSING: _R,  # a line of a block lost in the reading
    Rule.PARENT_ENTRY_MISSING: _R,
    Rule.SPOUSE_ENTRY_MISSING: _R,
    Rule.PLACE_UNRESOLVED: _R,  # the unit a place is, settled as the page is read
    Rule.MARK_OVER_VALUE: _R,
    Rule.SCAN_REPLACED: _R,
    Rule.VALUE_UNREADABLE: _R,
    Rule.VALUE_UNREAD: _R,
    Rule.ENTRY_OWNER_UNKNOWN: _R,
    Rule.HANDWRITTEN_UNREAD: _R,
    Rule.SPELLED_OTHERWISE: _R,
    Rule.REQUIRED_MISSING: _G,
    Rule.DATE_FORMAT: _G,
    Rule.DATE_INVALID: _G,
    Rule.DATE_IN_FUTURE: _G,
    Rule.DATE_TOO_OLD: _G,
    Rule.TIME_FORMAT: _G,
    Rule.YEAR_FORMAT: _G,
    Rule.SEX_FORMAT: _G,
    Rule.NAME_FORMAT: _G,
    Rule.NUMBER_FORMAT: _G,
    Rule.ID_FORMAT: _G,
    Rule.ID_PROVINCE: _G,
    Rule.ID_SEX: _G,
    Rule.ID_BIRTH_YEAR: _G,
    Rule.ETHNICITY_UNKNOWN: _G,
    Rule.PARENT_AGE: _G,
    Rule.REGISTRATION_BEFORE_BIRTH: _G,
    Rule.REGISTRATION_BEFORE_DEATH: _G,
    Rule.DEATH_BEFORE_BIRTH: _G,
    Rule.DOSSIER_CODE_FORMAT: _G,
    Rule.DOSSIER_CODE_DATE: _G,
    Rule.DOSSIER_CODE_MISSING: _G,
    Rule.PARENT_DATE_YEAR: _G,
    Rule.NUMBERING_GAP: _G,
    Rule.NUMBER_BEYOND_DECLARED_ENTRIES: _G,
    Rule.REGISTRATION_YEAR_OUTSIDE_BOOK: _G,
    Rule.BOOK_NUMBER_OUTSIDE_BOOK: _G,
    Rule.REGISTRATION_NUMBER_TAKEN: _L,
    Rule.DUPLICATE_REGISTRATION_NUMBER: _L,
    Rule.SCAN_LOADED_TWICE: _L,
    Rule.DOC_TYPE_MISMATCH: _L,
    Rule.DOC_TYPE_NOT_BOOK_TYPE: _L,  # the reader's name for it, when told the book
    Rule.NEEDS_REVIEW: _L,
    Rule.REQUIRED: Stage.RETIRED,
    Rule.BOOK_YEAR_MISMATCH: Stage.RETIRED,
}
"""Each rule's owner (``docs/checks.md`` says who else checks it, and why)."""


def _owned_by(stage: Stage) -> frozenset[Rule]:
    return frozenset(rule for rule, owner in OWNER.items() if owner is stage)


READER_RULES = _owned_by(Stage.READER)
GATE_RULES = _owned_by(Stage.GATE)
LOADER_RULES = _owned_by(Stage.LOADER)
RETIRED_RULES = _owned_by(Stage.RETIRED)
SUITE_RULES = GATE_RULES | {Rule.LOW_CONFIDENCE}
"""What an expectation suite may name: the value rules, and the reader's confidence,
which the gate checks again so that no unsure value is loaded unseen."""
SAME_FACT: dict[str, Rule] = {
    # The page's type is not known: the pipeline, the record checks and the loader.
    Rule.DOC_TYPE_UNKNOWN: Rule.UNKNOWN_TYPE,
    Rule.UNKNOWN_DOC_TYPE: Rule.UNKNOWN_TYPE,
    # A page of another type than its book: the reader told the book, and the loader.
    Rule.DOC_TYPE_NOT_BOOK_TYPE: Rule.DOC_TYPE_MISMATCH,
    Rule.REQUIRED: Rule.REQUIRED_MISSING,
    # A date that is no date: the record checks tell its shape apart, the suites do not.
    Rule.DATE_FORMAT: Rule.DATE_INVALID,
}
"""Names that stages give to one fact, by the name that stands for it."""


def fact_of(name: str) -> str:
    """The name standing for the fault the rule ``name`` names: a review item lists a
    field's fault once, whichever stages found it and under whichever of its names."""
    return SAME_FACT.get(name, name)
