"""The manual-entry form of each document type, in the order its paper form prints it.

A clerk types with her eyes on the page: the inputs follow the page from top to bottom,
and the page depends on the form's generation. The generations, as this project models
them (``sohoa.samples`` renders them the same way):

- ``new``, from 2016 (the forms with the personal ID): the number and book at the top,
  the mother before the father, the registration at the bottom;
- ``old``, 1999 to 2015, and ``very_old``, before 1999: the father before the mother, and
  the number and book on the last line, after the registration.

Each input also says what kind of value it takes (a date, a place, one of a list), which
picks its helper on the page: a date mask, the place picker, a list with type-ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocr.normalize import field_kind

GENERATIONS = {
    "new": "Mẫu từ năm 2016",
    "old": "Mẫu 1999–2015",
    "very_old": "Mẫu trước năm 1999",
}
NEW_SINCE, OLD_SINCE = 2016, 1999

_NUMBER = ("registration_number", "book_number")
_REGISTRATION = ("registration_place", "registration_date")
_CHILD = (
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "place_of_birth",
    "hometown",
    "personal_id",
)
_PERSON_DEATH = (
    "full_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "nationality",
    "personal_id",
    "date_of_death",
    "time_of_death",
    "place_of_death",
    "cause_of_death",
)
_PARENT = ("name", "birth_year", "ethnicity", "nationality", "residence")
_SPOUSE = ("full_name", "date_of_birth", "ethnicity", "nationality", "residence", "personal_id")
# Whose block each prefix is, in the order of the newest form.
BLOCKS = {"birth": ("mother_", "father_"), "marriage": ("husband_", "wife_")}


def _block(prefix: str, entries: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(prefix + e for e in entries)


def _body(doc_type: str, generation: str) -> tuple[str, ...]:
    if doc_type == "birth":
        parents = ("mother_", "father_") if generation == "new" else ("father_", "mother_")
        return _CHILD + _block(parents[0], _PARENT) + _block(parents[1], _PARENT)
    if doc_type == "death":
        return _PERSON_DEATH
    if doc_type == "marriage":
        return _block("husband_", _SPOUSE) + _block("wife_", _SPOUSE)
    return ()


def generation_of(year: int | None) -> str:
    """The generation of the forms of a register book's year."""
    if year is None or year >= NEW_SINCE:
        return "new"
    return "old" if year >= OLD_SINCE else "very_old"


def field_order(doc_type: str, generation: str, names: list[str]) -> list[str]:
    """``names`` (the fields of ``doc_type``) in the order the form of ``generation``
    prints them; a field the layout does not place keeps its place after them."""
    body = _body(doc_type, generation)
    if not body:
        return list(names)
    if generation == "new":
        layout = _NUMBER + body + _REGISTRATION
    else:
        layout = body + _REGISTRATION + _NUMBER
    placed = [n for n in layout if n in names]
    return placed + [n for n in names if n not in placed]


@dataclass(frozen=True)
class Input:
    """How one field is typed: its kind picks the helper on the page."""

    name: str
    label: str
    required: bool
    kind: str  # date | year | time | sex | ethnicity | nationality | place | id | text
    block: str | None  # "mother_", "husband_"...: whose block; None for the record's own


def input_kind(name: str) -> str:
    kind = field_kind(name)
    if name.endswith("nationality"):
        return "nationality"
    return {
        "date": "date",
        "death_date": "date",
        "year": "year",
        "time": "time",
        "sex": "sex",
        "ethnicity": "ethnicity",
        "place": "place",
        "personal_id": "id",
        "number": "number",
        "name": "name",
    }.get(kind, "text")


def block_of(doc_type: str, name: str) -> str | None:
    return next((p for p in BLOCKS.get(doc_type, ()) if name.startswith(p)), None)


def other_block(doc_type: str, block: str) -> str | None:
    """The other parent's (or spouse's) block: where a residence can be copied from."""
    pair = BLOCKS.get(doc_type, ())
    return next((p for p in pair if p != block), None) if block in pair else None
