"""Double keying of handwritten books, as FamilySearch Indexing does it.

A register book can be marked to be typed twice (:func:`sohoa.review.books.
set_double_entry`). Then each of its pages in review is keyed by two people, each
without seeing the other's values (nor the machine's). The two keyings are compared
field by field, on canonical values (so "nguyễn" and "NGUYỄN" agree, "Hoà" and "Hòa" do
not: values as printed):

- every field agrees: the record is loaded as typed, after the checks of any typed record
  (:mod:`sohoa.review.checks`); if they refuse it, it waits for an arbitrator like a
  disagreement;
- some field differs: a reviewer who keyed neither sees both values beside the page and
  chooses (one of the two, or what the page really says), and the record is loaded.

Every keying, every choice and the load go to the audit trail (``review_action``: actions
``key`` and ``arbitrate``); the keyings themselves are kept (``entry_key``), for the
agreement rates of the dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from sohoa.db.tables import book_entry, entry_key, register_book, review_item, unit
from sohoa.review import queue
from sohoa.review.books import connected
from sohoa.review.queue import ReviewError

FIRST, SECOND, ARBITRATE = "first", "second", "arbitrate"


@dataclass(frozen=True)
class Keying:
    number: int
    actor: str
    doc_type: str
    values: dict[str, Any]


@dataclass
class Progress:
    """Where a page of a book typed twice stands."""

    keyings: list[Keying] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return (FIRST, SECOND, ARBITRATE)[min(len(self.keyings), 2)]

    @property
    def keyers(self) -> set[str]:
        return {k.actor for k in self.keyings}

    def differences(self) -> dict[str, tuple[Any, Any]]:
        """Field -> (first value, second value) where the two keyings differ; a record
        keyed as two different types differs in its type (field ``doc_type``)."""
        if len(self.keyings) < 2:
            return {}
        a, b = self.keyings
        out: dict[str, tuple[Any, Any]] = {}
        if a.doc_type != b.doc_type:
            out["doc_type"] = (a.doc_type, b.doc_type)
        for name in sorted(set(a.values) | set(b.values)):
            if _same(a.values.get(name), b.values.get(name)):
                continue
            out[name] = (a.values.get(name), b.values.get(name))
        return out

    def agreed(self) -> dict[str, Any]:
        """The values both keyings give the same."""
        if len(self.keyings) < 2:
            return {}
        differ = self.differences()
        return {n: v for n, v in self.keyings[0].values.items() if n not in differ}


@dataclass(frozen=True)
class Outcome:
    """What a keying led to: ``stage`` next, and the record when it was loaded."""

    stage: str
    record_id: int | None = None
    refusal: ReviewError | None = None  # the checks' refusal of an agreed record


def is_double(engine: Engine | Connection, item_id: int) -> bool:
    with connected(engine) as conn:
        return bool(
            conn.execute(
                select(book_entry.c.double_entry)
                .join(review_item, review_item.c.book_id == book_entry.c.book_id)
                .where(review_item.c.id == item_id)
            ).scalar()
        )


def progress(engine: Engine | Connection, item_id: int) -> Progress:
    with connected(engine) as conn:
        rows = conn.execute(
            select(entry_key)
            .where(entry_key.c.review_item_id == item_id)
            .order_by(entry_key.c.keying)
        ).all()
    return Progress([Keying(r.keying, r.actor, r.doc_type, dict(r.typed)) for r in rows])


def key_record(
    engine: Engine,
    item_id: int,
    doc_type: str,
    values: Mapping[str, Any],
    *,
    actor: str,
    overrides: Mapping[str, str] | None = None,
) -> Outcome:
    """Keep one keying of the page; the second one is compared with the first, and an
    agreed record is loaded (``overrides``, the second keyer's answers to its warnings).
    """
    typed = queue.typed_record(doc_type, values)
    with engine.begin() as conn:
        row = queue.pending_row(conn, item_id)
        if not is_double(conn, item_id):
            raise ReviewError("not_double", item=item_id)
        done = progress(conn, item_id)
        if actor in done.keyers:
            raise ReviewError("already_keyed", item=item_id)
        if len(done.keyings) >= 2:
            raise ReviewError("keying_done", item=item_id)
        number = len(done.keyings) + 1
        conn.execute(
            insert(entry_key).values(
                review_item_id=row.id,
                keying=number,
                actor=actor,
                doc_type=doc_type,
                typed=typed,
                created_at=datetime.now(UTC),
            )
        )
        for name, value in sorted(typed.items()):
            queue.audit(conn, item_id, actor, "key", name, None, value, note=f"keying {number}")
    if number == 1:
        return Outcome(SECOND)
    both = progress(engine, item_id)
    if both.differences():
        return Outcome(ARBITRATE)
    try:
        with engine.begin() as conn:
            record_id = queue.enter_typed(
                conn, item_id, doc_type, both.agreed(), actor=actor, overrides=overrides or {}
            )
    except ReviewError as refused:  # agreed, but the checks refuse it: a reviewer decides
        return Outcome(ARBITRATE, refusal=refused)
    return Outcome("loaded", record_id)


def arbitrate(
    engine: Engine,
    item_id: int,
    chosen: Mapping[str, Any],
    *,
    actor: str,
    overrides: Mapping[str, str] | None = None,
) -> int:
    """Load the record of a page keyed twice: the agreed values, and for each field that
    differs the value ``chosen`` (one of the two, or another; "" for none). The
    arbitrator keyed neither. Returns the new record's id."""
    with engine.begin() as conn:
        queue.pending_row(conn, item_id)
        both = progress(conn, item_id)
        if len(both.keyings) < 2:
            raise ReviewError("not_arbitrable", item=item_id)
        if actor in both.keyers:
            raise ReviewError("arbiter_keyed", item=item_id)
        differ = both.differences()
        missing = sorted(n for n in differ if n not in chosen)
        if missing:
            raise ReviewError("choice_missing", fields=tuple(missing))
        doc_type = str(chosen.get("doc_type") or both.keyings[0].doc_type)
        agreed = both.agreed()
        values = dict(agreed)
        for name, value in chosen.items():
            if name == "doc_type":
                continue
            if value in ("", None):
                values.pop(name, None)
            else:
                values[name] = value
        values = queue.typed_record(doc_type, values)
        changed = {n for n in chosen if n not in differ and not _same(chosen[n], agreed.get(n))}
        for name in sorted(set(differ) | changed):
            first, second = differ.get(name, (agreed.get(name), agreed.get(name)))
            queue.audit(
                conn,
                item_id,
                actor,
                "arbitrate",
                name,
                None,
                doc_type if name == "doc_type" else values.get(name),
                note=f"1: {_text(first)} | 2: {_text(second)}",
            )
        return queue.enter_typed(
            conn, item_id, doc_type, values, actor=actor, overrides=overrides or {}
        )


# --- agreement rates ------------------------------------------------------------------------


@dataclass(frozen=True)
class BookRate:
    book_id: int
    unit_code: str
    book_type: str
    year: int
    volume: str
    pages: int  # pages keyed twice
    fields: int  # fields compared
    agreed: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.fields if self.fields else None


@dataclass(frozen=True)
class ClerkRate:
    actor: str
    fields: int  # fields keyed on pages now loaded
    differing: int  # of them, keyed otherwise than the record loaded

    @property
    def rate(self) -> float | None:
        return self.differing / self.fields if self.fields else None


def agreement(
    engine: Engine, covers: Callable[[str], bool]
) -> tuple[list[BookRate], list[ClerkRate]]:
    """Per book typed twice, the share of fields both keyings agreed on; per clerk, the
    share of their keyed fields that differ from the record finally loaded. Only units
    ``covers`` accepts."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                entry_key.c.review_item_id,
                entry_key.c.actor,
                entry_key.c.doc_type,
                entry_key.c.typed,
                review_item.c.state,
                review_item.c.working,
                register_book.c.id.label("book_id"),
                register_book.c.book_type,
                register_book.c.year,
                register_book.c.volume,
                unit.c.code,
            )
            .join(review_item, review_item.c.id == entry_key.c.review_item_id)
            .join(register_book, register_book.c.id == review_item.c.book_id)
            .join(unit, unit.c.id == register_book.c.unit_id)
            .order_by(entry_key.c.review_item_id, entry_key.c.keying)
        ).all()
    pages: dict[int, list] = defaultdict(list)
    for r in rows:
        if covers(r.code):
            pages[r.review_item_id].append(r)
    books: dict[int, list[int]] = {}
    meta: dict[int, Any] = {}
    clerks: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for keyed in pages.values():
        first = keyed[0]
        meta[first.book_id] = first
        if len(keyed) == 2:
            both = Progress(
                [Keying(i + 1, k.actor, k.doc_type, k.typed) for i, k in enumerate(keyed)]
            )
            names = set(keyed[0].typed) | set(keyed[1].typed)
            tally = books.setdefault(first.book_id, [0, 0, 0])
            tally[0] += 1
            tally[1] += len(names)
            tally[2] += len(names - set(both.differences()))
        if first.state == "confirmed":
            final = {n: f.get("value") for n, f in first.working.items()}
            for k in keyed:
                names = set(k.typed) | set(final)
                clerks[k.actor][0] += len(names)
                clerks[k.actor][1] += sum(
                    1 for n in names if not _same(k.typed.get(n), final.get(n))
                )
    book_rates = [
        BookRate(b, meta[b].code, meta[b].book_type, meta[b].year, meta[b].volume, *t)
        for b, t in sorted(books.items())
    ]
    clerk_rates = [ClerkRate(a, *t) for a, t in sorted(clerks.items())]
    return book_rates, clerk_rates


def pending_counts(engine: Engine) -> dict[int, int]:
    """Item id -> keyings made, for the pending pages of books typed twice."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(review_item.c.id, func.count(entry_key.c.id))
            .join(book_entry, book_entry.c.book_id == review_item.c.book_id)
            .outerjoin(entry_key, entry_key.c.review_item_id == review_item.c.id)
            .where(review_item.c.state == "pending", book_entry.c.double_entry.is_(True))
            .group_by(review_item.c.id)
        ).all()
    return {item_id: n for item_id, n in rows}


# --- internals ---------------------------------------------------------------------------


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    return str(a) == str(b)


def _text(value: Any) -> str:
    return "—" if value in (None, "") else str(value)
