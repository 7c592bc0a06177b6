"""Every rule name an issue can carry, in one enumeration.

A rule name is what an :class:`ocr.record.Issue` (the reader), an expectation's
``meta.rule`` (the Great Expectations suites under ``schemas/expectations/``), a review
item's reason (the loader) and the web app's catalogue of Vietnamese rule names all
share. :class:`Rule` is a ``StrEnum``: a member *is* its string, so records, suites and
stored review items keep plain strings and compare equal to the members.

Each rule is checked where the facts it needs are (``docs/checks.md``):

- :data:`READER_RULES` need the image or the words read from it (extraction);
- :data:`GATE_RULES` are rules on the values alone, owned by the GX suites (the reader
  also applies most of them, to decide whether a page is sure enough to accept alone;
  a review item lists each failed rule of a field once);
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
    REQUIRED = "required"  # review items loaded before the loader said required_missing


READER_RULES = frozenset(
    {
        Rule.UNREADABLE_FILE,
        Rule.UNREADABLE_PAGE,
        Rule.UNREADABLE,
        Rule.NO_TEXT,
        Rule.UNKNOWN_TYPE,
        Rule.DOC_TYPE_UNKNOWN,
        Rule.LOW_CONFIDENCE,
        Rule.QR_MISMATCH,
        Rule.DATE_WORDS_MISMATCH,
        Rule.DATE_WORDS_UNREADABLE,
        Rule.MOTHER_MISSING,
        Rule.PARENT_ENTRY_MISSING,
        Rule.SPOUSE_ENTRY_MISSING,
        Rule.PLACE_UNRESOLVED,
        Rule.MARK_OVER_VALUE,
        Rule.SCAN_REPLACED,
        Rule.VALUE_UNREADABLE,
        Rule.VALUE_UNREAD,
        Rule.ENTRY_OWNER_UNKNOWN,
        Rule.HANDWRITTEN_UNREAD,
    }
)
LOADER_RULES = frozenset(
    {
        Rule.REGISTRATION_NUMBER_TAKEN,
        Rule.DUPLICATE_REGISTRATION_NUMBER,
        Rule.SCAN_LOADED_TWICE,
        Rule.DOC_TYPE_MISMATCH,
        Rule.UNKNOWN_DOC_TYPE,
        Rule.NEEDS_REVIEW,
        Rule.REQUIRED,
    }
)
GATE_RULES = frozenset(Rule) - READER_RULES - LOADER_RULES
# The confidence the reader recorded is also a value the suites check (never below the
# auto-accept threshold for a loaded record): both stages may report it, once per field.
GATE_RULES |= {Rule.LOW_CONFIDENCE}
UNKNOWN_DOC_TYPE_RULES = frozenset(
    {Rule.UNKNOWN_TYPE, Rule.DOC_TYPE_UNKNOWN, Rule.UNKNOWN_DOC_TYPE}
)
"""Three names, one fact (the page's type is not known); reported once."""
