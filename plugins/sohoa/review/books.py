"""How a register book is typed in: the defaults its clerk set, and double entry.

Most records of a commune's book share their ethnicity, nationality and registering
authority, so manual entry starts from defaults a clerk sets per book (until one is set:
Kinh, Việt Nam, and the authority of the book's own unit). A default fills an empty input
on the page, where the clerk sees it and changes it when the page says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from ocr.lexicon import is_ethnic_group
from ocr.text import nfc, squash_spaces
from sohoa.db.tables import book_entry, register_book, unit
from sohoa.review import places

# The kinds of value a book may give a default for, and their default default.
DEFAULT_KINDS = ("ethnicity", "nationality", "registration_place")
STARTING = {"ethnicity": "Kinh", "nationality": "Việt Nam"}


@dataclass(frozen=True)
class BookEntry:
    book_id: int
    double_entry: bool = False
    defaults: dict[str, str] = field(default_factory=dict)  # kind -> value
    set_by: str | None = None


def settings(engine: Engine | Connection, book_id: int) -> BookEntry:
    """The book's settings; defaults not set yet are the starting ones."""
    with connected(engine) as conn:
        row = conn.execute(select(book_entry).where(book_entry.c.book_id == book_id)).first()
        start = _starting(conn, book_id)
    if row is None:
        return BookEntry(book_id, defaults=start)
    return BookEntry(book_id, row.double_entry, {**start, **row.defaults}, row.updated_by)


def set_defaults(engine: Engine, book_id: int, values: Mapping[str, str], *, actor: str) -> None:
    """Keep ``values`` (kind -> value; an empty value removes the default) for the book."""
    from sohoa.review.queue import ReviewError

    clean = {k: squash_spaces(nfc(values.get(k) or "")) for k in DEFAULT_KINDS if k in values}
    if clean.get("ethnicity") and not is_ethnic_group(clean["ethnicity"]):
        raise ReviewError("default_invalid", field="ethnicity", value=clean["ethnicity"])
    with engine.begin() as conn:
        current = settings(conn, book_id)
        _save(conn, book_id, current.double_entry, {**current.defaults, **clean}, actor)


def set_double_entry(engine: Engine, book_id: int, on: bool, *, actor: str) -> None:
    with engine.begin() as conn:
        current = settings(conn, book_id)
        _save(conn, book_id, on, current.defaults, actor)


def field_defaults(book: BookEntry, names: list[str]) -> dict[str, str]:
    """The default of each field of ``names`` that has one (every ``*ethnicity`` field
    takes the book's ethnicity...)."""
    out = {}
    for name in names:
        kind = next((k for k in DEFAULT_KINDS if name.endswith(k)), None)
        if kind and book.defaults.get(kind):
            out[name] = book.defaults[kind]
    return out


# --- internals ---------------------------------------------------------------------------


def _starting(conn: Connection, book_id: int) -> dict[str, str]:
    row = conn.execute(
        select(unit.c.code, register_book.c.year)
        .join(unit, unit.c.id == register_book.c.unit_id)
        .where(register_book.c.id == book_id)
    ).first()
    start = dict(STARTING)
    if row is not None:
        authority = places.authority_of(row.code, places.era_of(None, row.year))
        if authority:
            start["registration_place"] = authority
    return start


def _save(
    conn: Connection, book_id: int, double: bool, defaults: dict[str, Any], actor: str
) -> None:
    values = {
        "double_entry": double,
        "defaults": dict(defaults),  # an empty value: no default, not the starting one
        "updated_by": actor,
        "updated_at": datetime.now(UTC),
    }
    exists = conn.execute(
        select(book_entry.c.book_id).where(book_entry.c.book_id == book_id)
    ).first()
    if exists:
        conn.execute(update(book_entry).where(book_entry.c.book_id == book_id).values(**values))
    else:
        conn.execute(insert(book_entry).values(book_id=book_id, **values))


@contextmanager
def connected(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection from an engine (closed after), or the caller's own connection."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as conn:
        yield conn
