"""The register book a page was read from, and what it tells the reader about the page.

A page of a register book says less than the book does: its registration authority may
name only its commune ("Ủy ban nhân dân xã Hữu Liên"), which only the book's unit places,
and its registration date must fall in the book's year. The uploader gives the book
(the landing zone's ``meta.json``, or ``sohoa extract --unit CODE --book-type TYPE --year
YEAR``); without it a page is read as before, and such an authority goes to review.

The book itself, and its rules, are :mod:`ocr.book`.

:func:`settle` runs on a record once its fields and record checks are done: it gives each
place its unit on today's map, resolves a commune-only authority against the book's unit,
offers the lists' spelling where a value was read otherwise, and adds the book's checks.
"""

from __future__ import annotations

from ocr import acceptance, lexicon
from ocr.book import CIVIL_TYPES, Book
from ocr.checks import label, parse_date
from ocr.normalize import field_kind
from ocr.record import Issue, PageRecord
from ocr.rules import Rule
from ocr.units import place_in_book, place_unit


def settle(record: PageRecord, book: Book | None = None) -> None:
    """Units, the book's unit, suggestions and the book's checks for one read record."""
    for name, f in record.fields.items():
        kind = field_kind(name)
        if kind == "place" and isinstance(f.value, str):
            _place(record, name, book)
        _suggest(record, name)
    if book is not None:
        record.issues += book_issues(record, book)


def _place(record: PageRecord, name: str, book: Book | None) -> None:
    """Today's unit of a place; an authority naming only its commune, by the book's unit."""
    f = record.fields[name]
    unit = place_unit(f.value)
    if unit is None and name == "registration_place" and book is not None and book.unit:
        found = place_in_book(f.value, book.unit)
        if found is not None:
            reading, unit = found
            if reading.value != f.value:  # marks the reading lost, from the book's unit
                f.value = reading.value
                f.confidence = min(f.confidence, lexicon.RESTORED_CAP)
                # Restored by a list, not read: a person confirms it (docs/acceptance.md).
                f.status, f.reason = acceptance.CHECK, acceptance.ARBITRATED
            unresolved = (name, Rule.PLACE_UNRESOLVED)
            record.issues = [i for i in record.issues if (i.field, i.rule) != unresolved]
    if unit is not None:
        f.unit = unit.to_json()


def _suggest(record: PageRecord, name: str) -> None:
    """An issue offering the lists' spelling where the value was read otherwise."""
    value = record.fields[name].value
    if not isinstance(value, str) or name == "document_title":  # titles get no suggestion
        return
    reading = acceptance.list_reading(name, value)
    suggestion = reading.suggestion if reading is not None else None
    if suggestion is None or suggestion == value:
        return
    record.issues.append(
        Issue(
            field=name,
            rule=Rule.SPELLED_OTHERWISE,
            message=(
                f"The {label(name)} is read with marks or letters the lists do not have "
                "for it: it is kept as read; compare it with the page, and take the "
                "suggested spelling only if the page has it."
            ),
            suggestion=suggestion,
        )
    )


def book_issues(record: PageRecord, book: Book) -> list[Issue]:
    """What the page says against its book: a registration outside the book's year, a
    book number of another year, a page of another type."""
    issues: list[Issue] = []
    fields = record.fields
    if book.book_type and record.doc_type in CIVIL_TYPES and record.doc_type != book.book_type:
        issues.append(
            Issue(
                rule=Rule.DOC_TYPE_NOT_BOOK_TYPE,
                message=(
                    f"A {record.doc_type} record in a {book.book_type} book: check the page "
                    "belongs to this book."
                ),
            )
        )
    if book.year is None or record.doc_type not in CIVIL_TYPES:
        return issues
    registered = fields.get("registration_date")
    day = parse_date(registered.value) if registered else None
    if day is not None and day.year != book.year:
        issues.append(
            Issue(
                field="registration_date",
                rule=Rule.REGISTRATION_YEAR_OUTSIDE_BOOK,
                message=(
                    "The registration date is not in the book's year: check the date, "
                    "and that the page belongs to this book."
                ),
            )
        )
    number = fields.get("book_number")
    year = str(number.value).rsplit("/", 1)[-1] if number and "/" in str(number.value) else ""
    if year.isdigit() and len(year) == 4 and int(year) != book.year:
        issues.append(
            Issue(
                field="book_number",
                rule=Rule.BOOK_NUMBER_OUTSIDE_BOOK,
                message=(
                    "The book number names another year than the book's: check it, and "
                    "that the page belongs to this book."
                ),
            )
        )
    return issues
