"""The review queue (docs/review.md), as data operations the CLI and the web app share.

A page in review is a ``review_item`` holding the record as extracted (``original``),
the record as being corrected (``working``) and why it is there (``reasons``). Every
change is written to ``review_action``: who, when, which field, old value, new value.
Confirming writes the record through :func:`sohoa.load.store.store_records`, the same
code the loader uses for auto-accepted records; lineage says which values a person
confirmed, corrected or typed.

Each operation is one transaction. Values are put in canonical form (docs/record.md)
before they are stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import Connection, Engine, func, insert, select, text, update

from ocr.book import Book
from ocr.checks import parse_date
from ocr.text import nfc, squash_spaces
from sohoa.coded_errors import CodedError
from sohoa.db.tables import (
    BOOK_TYPES,
    book_entry,
    civil_record,
    person,
    person_duplicate_flag,
    register_book,
    review_action,
    review_item,
    scan,
    unit,
)
from sohoa.load.store import Accepted, store_records
from sohoa.load.values import registration_number
from sohoa.review import checks

_LOCK_KEY = 7_460_823  # the loader's advisory lock: confirmations and loads do not interleave


class ReviewError(CodedError):
    """The operation is not possible in the item's current state, or a value is invalid.

    Raised as ``ReviewError(code, **params)``; the web pages translate the code (see
    :mod:`sohoa.coded_errors`), the CLI prints the English message below."""

    exit_code = 2
    MESSAGES: ClassVar[Mapping[str, str]] = {
        "value_required": "{field}: a value is required",
        "year_digits": "{field}: a year is four digits, got {value!r}",
        "not_a_date": "{field}: not a real date in YYYY-MM-DD form: {value!r}",
        "sex_value": "{field}: must be male or female",
        "personal_id_digits": "{field}: a personal ID is 12 digits",
        "unknown_field": "a {doc_type} record has no field {fields}",
        "doc_type_choice": "doc type must be one of {choices}",
        "no_item": "no review item {item}",
        "item_resolved": "review item {item} is already {state}",
        "no_book": "review item {item} has no register book",
        "type_mismatch": (
            "a {doc_type} record cannot go into a {book_type} book; "
            "enter it with the right type or reject the page"
        ),
        "number_missing": "the registration number is missing; correct it first",
        "number_taken": "number {number} is already loaded in this book (record {record})",
        "reason_required": "a rejection needs a reason a person can read",
        "actor_required": "every change needs the name of the person making it",
        "no_flag": "no duplicate flag {flag}",
        "flag_resolved": "flag {flag} is already resolved ({state})",
        "value_refused": "{field}: {message} ({rule})",
        "default_invalid": "{field}: {value!r} is not in its list and cannot be a default",
        "double_entry_book": (
            "review item {item} is in a book typed twice: two people key it in the web app "
            "and a reviewer settles where they differ"
        ),
        "already_keyed": "you keyed review item {item} already; the second keying is another's",
        "keying_done": "review item {item} was keyed twice already",
        "not_arbitrable": "review item {item} has no two keyings to arbitrate",
        "not_double": "review item {item} is not in a book typed twice",
        "arbiter_keyed": "a keyer of review item {item} cannot arbitrate it",
        "choice_missing": "no value chosen for {fields}",
        "checks_failed": "not loaded, the checks refuse {fields}: {problems}",
        "warnings_unanswered": (
            "not loaded without a reason for {fields}: {problems}; if the page says so, "
            "give the reason with --override FIELD=REASON"
        ),
    }


@dataclass
class ReviewItem:
    id: int
    scan_id: int
    state: str
    doc_type: str
    scan_uri: str
    page: int
    sha256: str
    book: dict[str, Any] | None
    reasons: list[dict[str, Any]]
    fields: dict[str, dict[str, Any]]  # working copy: value, confidence, bbox, origin, by
    record_id: int | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
    book_id: int | None = None
    quality: dict[str, Any] = field(default_factory=dict)  # the scan's: rotation, skew...


def canonical_value(name: str, raw: Any) -> Any:
    """A typed-in value in record form (docs/record.md); :class:`ReviewError` when it
    cannot be one."""
    if raw is None:
        raise ReviewError("value_required", field=name)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        text_value = str(raw)
    else:
        text_value = squash_spaces(nfc(str(raw)))
    if not text_value:
        raise ReviewError("value_required", field=name)
    if name.endswith("birth_year"):
        if not text_value.isdigit() or len(text_value) != 4:
            raise ReviewError("year_digits", field=name, value=text_value)
        return int(text_value)
    if name.endswith("date") or "date_of" in name:
        if parse_date(text_value) is None:
            raise ReviewError("not_a_date", field=name, value=text_value)
        return text_value
    if name == "sex" or name.endswith("_sex"):
        if text_value not in ("male", "female"):
            raise ReviewError("sex_value", field=name)
        return text_value
    if name.endswith("personal_id") and not (text_value.isdigit() and len(text_value) == 12):
        raise ReviewError("personal_id_digits", field=name)
    if name.endswith("name") and name not in ("document_title",):
        return text_value.upper()
    return text_value


def known_fields(doc_type: str) -> frozenset[str]:
    """Field names a record of ``doc_type`` may carry (from its JSON Schema)."""
    from sohoa.gate.contracts import validator

    return frozenset(validator(doc_type).schema["properties"]["fields"]["properties"])


def _check_fields(doc_type: str, names) -> None:
    if doc_type not in BOOK_TYPES:
        return  # an unknown page: the type is chosen when it is typed in
    unknown = sorted(set(names) - known_fields(doc_type))
    if unknown:
        raise ReviewError("unknown_field", doc_type=doc_type, fields=tuple(unknown))


def list_pending(
    engine: Engine, *, unit_code: str | None = None, limit: int = 50
) -> list[ReviewItem]:
    """Items waiting for a person, oldest first."""
    with engine.connect() as conn:
        query = _item_query().where(review_item.c.state == "pending")
        if unit_code:
            query = query.where(unit.c.code == unit_code)
        rows = conn.execute(query.order_by(review_item.c.id).limit(limit)).mappings().all()
    return [_item(r) for r in rows]


def count_pending(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(review_item).where(review_item.c.state == "pending")
        ).scalar_one()


def show(engine: Engine, item_id: int) -> ReviewItem:
    """One item with its fields, reasons and the history of what people did to it."""
    with engine.connect() as conn:
        row = conn.execute(_item_query().where(review_item.c.id == item_id)).mappings().first()
        if row is None:
            raise ReviewError("no_item", item=item_id)
        item = _item(row)
        item.actions = [
            dict(a)
            for a in conn.execute(
                select(review_action)
                .where(review_action.c.review_item_id == item_id)
                .order_by(review_action.c.id)
            ).mappings()
        ]
    return item


def correct_field(engine: Engine, item_id: int, name: str, value: Any, *, actor: str) -> None:
    """Set one field of the working copy; the machine's bbox is kept as the value's place."""
    new = canonical_value(name, value)
    with engine.begin() as conn:
        row = pending_row(conn, item_id)
        _single_entry(conn, item_id)
        _check_fields(row.doc_type, [name])
        working = dict(row.working)
        current = {n: f.get("value") for n, f in working.items()}
        for wrong in checks.field_errors(row.doc_type, name, new, current):
            raise ReviewError("value_refused", field=name, rule=wrong.rule, message=wrong.message)
        old = working.get(name, {})
        working[name] = {
            k: v
            for k, v in {
                "value": new,
                "bbox": old.get("bbox"),
                "origin": "corrected",
                "by": actor,
            }.items()
            if v is not None
        }
        conn.execute(update(review_item).where(review_item.c.id == item_id).values(working=working))
        audit(conn, item_id, actor, "correct", name, old.get("value"), new)


def enter_record(
    engine: Engine,
    item_id: int,
    doc_type: str,
    values: dict[str, Any],
    *,
    actor: str,
    overrides: Mapping[str, str] | None = None,
) -> int:
    """Type a whole record in by hand (handwritten or unreadable page) and load it.

    The record passes the checks of a machine-read one first (:mod:`sohoa.review.checks`);
    when it does not, nothing is saved and the :class:`ReviewError` carries the
    ``findings``. ``overrides`` (field -> reason) load it despite the warnings named."""
    typed = typed_record(doc_type, values)
    with engine.begin() as conn:
        _single_entry(conn, item_id)
        return enter_typed(conn, item_id, doc_type, typed, actor=actor, overrides=overrides or {})


def typed_record(doc_type: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Typed-in values of a ``doc_type`` record in canonical form; :class:`ReviewError`
    for an unknown type or field, or a value that cannot be one."""
    if doc_type not in BOOK_TYPES:
        raise ReviewError("doc_type_choice", choices=tuple(BOOK_TYPES))
    _check_fields(doc_type, values)
    return {name: canonical_value(name, v) for name, v in values.items()}


def enter_typed(
    conn: Connection,
    item_id: int,
    doc_type: str,
    typed: Mapping[str, Any],
    *,
    actor: str,
    overrides: Mapping[str, str],
) -> int:
    """:func:`enter_record` inside the caller's transaction, ``typed`` already canonical
    (:func:`typed_record`): double keying loads its record through it."""
    row = pending_row(conn, item_id)
    for name in sorted(set(typed) | set(row.working)):
        old = row.working.get(name, {}).get("value")
        if typed.get(name) != old:
            audit(conn, item_id, actor, "enter", name, old, typed.get(name))
    working = {name: {"value": v, "origin": "typed", "by": actor} for name, v in typed.items()}
    conn.execute(
        update(review_item)
        .where(review_item.c.id == item_id)
        .values(working=working, doc_type=doc_type)
    )
    conn.execute(update(scan).where(scan.c.id == row.scan_id).values(doc_type=doc_type))
    return _confirm(conn, item_id, actor, "typed", overrides)


def confirm(
    engine: Engine, item_id: int, *, actor: str, overrides: Mapping[str, str] | None = None
) -> int:
    """Accept the working copy as the record; returns the new ``civil_record`` id.

    As :func:`enter_record`: the working copy passes the checks first, and a warning
    loads only with a reason in ``overrides`` (field -> reason), kept in the audit trail."""
    with engine.begin() as conn:
        _single_entry(conn, item_id)
        return _confirm(conn, item_id, actor, "reviewed", overrides or {})


def check_item(
    engine: Engine,
    item_id: int,
    doc_type: str | None = None,
    values: Mapping[str, Any] | None = None,
) -> list[checks.Finding]:
    """What the checks say of the item's working copy (or of ``values`` being typed in
    as ``doc_type``), without the gate and without saving anything: for showing the
    errors and warnings before a person confirms."""
    item = show(engine, item_id)
    doc_type = doc_type or item.doc_type
    if values is None:
        values = {n: f.get("value") for n, f in item.fields.items()}
    return checks.check_entry(doc_type, values, _book_of(item.book), gate=False)


def reject_page(engine: Engine, item_id: int, reason: str, *, actor: str) -> None:
    """Not a record page (blank, cover, duplicate...): the page ends rejected, with why."""
    reason = squash_spaces(reason or "")
    if not reason:
        raise ReviewError("reason_required")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        row = pending_row(conn, item_id)
        conn.execute(
            update(review_item)
            .where(review_item.c.id == item_id)
            .values(state="rejected", resolved_by=actor, resolved_at=now)
        )
        conn.execute(
            update(scan)
            .where(scan.c.id == row.scan_id)
            .values(status="rejected", reject_reason=reason, updated_at=now)
        )
        audit(conn, item_id, actor, "reject", None, None, None, note=reason)


def open_duplicates(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """Open "possible duplicate" flags, each with both persons' names and dates of birth."""
    a, b = person.alias("a"), person.alias("b")
    with engine.connect() as conn:
        rows = (
            conn.execute(
                select(
                    person_duplicate_flag.c.id,
                    person_duplicate_flag.c.reason,
                    person_duplicate_flag.c.score,
                    a.c.full_name.label("name"),
                    a.c.date_of_birth.label("dob"),
                    b.c.full_name.label("candidate_name"),
                    b.c.date_of_birth.label("candidate_dob"),
                )
                .join(a, a.c.id == person_duplicate_flag.c.person_id)
                .join(b, b.c.id == person_duplicate_flag.c.candidate_id)
                .where(person_duplicate_flag.c.status == "open")
                .order_by(person_duplicate_flag.c.id)
                .limit(limit)
            )
            .mappings()
            .all()
        )
    return [dict(r) for r in rows]


def resolve_duplicate(engine: Engine, flag_id: int, same_person: bool, *, actor: str) -> None:
    """Record a person's verdict on a flag. Persons are not merged here: a verdict of
    "same person" is kept for the national database's own merge procedure."""
    status = "same_person" if same_person else "different"
    with engine.begin() as conn:
        current = conn.execute(
            select(person_duplicate_flag.c.status).where(person_duplicate_flag.c.id == flag_id)
        ).scalar()
        if current is None:
            raise ReviewError("no_flag", flag=flag_id)
        if current != "open":
            raise ReviewError("flag_resolved", flag=flag_id, state=current)
        conn.execute(
            update(person_duplicate_flag)
            .where(person_duplicate_flag.c.id == flag_id)
            .values(status=status, resolved_by=actor, resolved_at=datetime.now(UTC))
        )
        conn.execute(
            insert(review_action).values(
                flag_id=flag_id,
                actor=actor,
                at=datetime.now(UTC),
                action="resolve_duplicate",
                field="status",
                old_value="open",
                new_value=status,
            )
        )


# --- internals ---------------------------------------------------------------------------


def _confirm(
    conn: Connection, item_id: int, actor: str, record_origin: str, overrides: Mapping[str, str]
) -> int:
    checked = pending_row(conn, item_id)
    book = conn.execute(
        select(register_book, unit.c.code.label("unit_code"))
        .join(unit, unit.c.id == register_book.c.unit_id)
        .where(register_book.c.id == checked.book_id)
    ).first()
    if book is None:
        raise ReviewError("no_book", item=item_id)
    if checked.doc_type != book.book_type:
        raise ReviewError("type_mismatch", doc_type=checked.doc_type, book_type=book.book_type)
    overridden = _passed_checks(conn, checked, book, overrides)  # before the lock: ~1 s
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    row = pending_row(conn, item_id)
    if (row.working, row.doc_type) != (checked.working, checked.doc_type):
        overridden = _passed_checks(conn, row, book, overrides)  # changed meanwhile
    fields = {}
    for name, f in row.working.items():
        if f.get("value") in (None, ""):
            continue
        if "origin" not in f or f["origin"] == "auto_accepted":  # seen and left as read
            f = {
                **{k: v for k, v in f.items() if k in ("value", "confidence", "bbox")},
                "origin": "confirmed",
                "by": actor,
            }
        fields[name] = f
    values = {k: f["value"] for k, f in fields.items()}
    number = registration_number(values, row.doc_type)
    if number is None:
        raise ReviewError("number_missing")
    taken = conn.execute(
        select(civil_record.c.id).where(
            civil_record.c.book_id == row.book_id, civil_record.c.registration_number == number
        )
    ).scalar()
    if taken is not None:
        raise ReviewError("number_taken", number=number, record=taken)
    now = datetime.now(UTC)
    (record_id,), _ = store_records(
        conn,
        row.book_id,
        [Accepted(row.scan_id, row.doc_type, fields, origin=record_origin, reviewed_by=actor)],
        now,
    )
    conn.execute(
        update(review_item)
        .where(review_item.c.id == item_id)
        .values(
            state="confirmed",
            record_id=record_id,
            resolved_by=actor,
            resolved_at=now,
            working=fields,
        )
    )
    conn.execute(
        update(scan).where(scan.c.id == row.scan_id).values(status="loaded", updated_at=now)
    )
    for warning in overridden:
        reason = squash_spaces(overrides[warning.field or "record"])
        audit(
            conn,
            item_id,
            actor,
            "override",
            warning.field,
            None,
            values.get(warning.field or ""),
            note=f"{warning.rule}: {reason}",
        )
    audit(conn, item_id, actor, "confirm", None, None, None, note=f"record {record_id}")
    return record_id


def _passed_checks(
    conn: Connection, row, book, overrides: Mapping[str, str]
) -> list[checks.Finding]:
    """Run the checks on the working copy; raise on an error or on a warning without a
    reason. Returns the warnings the reasons in ``overrides`` answer."""
    source = conn.execute(
        select(scan.c.uri, scan.c.page, scan.c.sha256).where(scan.c.id == row.scan_id)
    ).one()
    named = Book(book.unit_code, book.book_type, book.year, book.volume)
    values = {n: f.get("value") for n, f in row.working.items()}
    findings = checks.check_entry(row.doc_type, values, named, source=dict(source._mapping))
    wrong, left = checks.errors(findings), checks.unanswered(findings, overrides)
    if wrong:  # the warnings too, so that one refusal names everything to look at
        raise ReviewError(
            "checks_failed",
            fields=tuple(dict.fromkeys(f.field or "record" for f in wrong)),
            problems="; ".join(f"{f} ({f.severity})" for f in (*wrong, *left)),
            findings=tuple(findings),
        )
    if left:
        raise ReviewError(
            "warnings_unanswered",
            fields=tuple(dict.fromkeys(f.field or "record" for f in left)),
            problems="; ".join(f"{f} ({f.severity})" for f in left),
            findings=tuple(findings),
        )
    return checks.warnings(findings)


def _book_of(book: dict[str, Any] | None) -> Book | None:
    """The book of a review item's ``book`` (the review's own keys: ``type``, not
    ``book_type``)."""
    if not book:
        return None
    return Book(book["unit"], book["type"], int(book["year"]), book["volume"])


def _single_entry(conn: Connection, item_id: int) -> None:
    """Refuse a page of a book typed twice (``sohoa.review.double_keying``): its record
    is loaded from two independent keyings and, where they differ, an arbitrator's choice."""
    double = conn.execute(
        select(book_entry.c.double_entry)
        .join(review_item, review_item.c.book_id == book_entry.c.book_id)
        .where(review_item.c.id == item_id)
    ).scalar()
    if double:
        raise ReviewError("double_entry_book", item=item_id)


def pending_row(conn: Connection, item_id: int):
    row = conn.execute(select(review_item).where(review_item.c.id == item_id)).first()
    if row is None:
        raise ReviewError("no_item", item=item_id)
    if row.state != "pending":
        raise ReviewError("item_resolved", item=item_id, state=row.state)
    return row


def audit(
    conn: Connection,
    item_id: int,
    actor: str,
    action: str,
    name: str | None,
    old: Any,
    new: Any,
    note: str | None = None,
) -> None:
    if not actor or not actor.strip():
        raise ReviewError("actor_required")
    conn.execute(
        insert(review_action).values(
            review_item_id=item_id,
            actor=actor.strip(),
            at=datetime.now(UTC),
            action=action,
            field=name,
            old_value=None if old is None else str(old),
            new_value=None if new is None else str(new),
            note=note,
        )
    )


def _item_query():
    return (
        select(
            review_item,
            scan.c.uri,
            scan.c.page,
            scan.c.sha256,
            scan.c.quality,
            register_book.c.book_type,
            register_book.c.year,
            register_book.c.volume,
            unit.c.code.label("unit_code"),
        )
        .join(scan, scan.c.id == review_item.c.scan_id)
        .outerjoin(register_book, register_book.c.id == review_item.c.book_id)
        .outerjoin(unit, unit.c.id == register_book.c.unit_id)
    )


def _item(r) -> ReviewItem:
    book = (
        None
        if r["book_type"] is None
        else {
            "unit": r["unit_code"],
            "type": r["book_type"],
            "year": r["year"],
            "volume": r["volume"],
        }
    )
    return ReviewItem(
        r["id"],
        r["scan_id"],
        r["state"],
        r["doc_type"],
        r["uri"],
        r["page"],
        r["sha256"],
        book,
        list(r["reasons"]),
        dict(r["working"]),
        r["record_id"],
        book_id=r["book_id"],
        quality=dict(r["quality"] or {}),
    )
