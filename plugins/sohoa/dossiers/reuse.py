"""The reuse lookup (docs/kpis.md): find a person's digitized records while a dossier is handled.

A lookup by personal ID (or registration number) returns the records, writes one
``reuse_event`` (found or not) and, when made for a dossier's component and something was
found, marks that component ``reused`` — which is what the reuse rate counts. All in one
transaction. The audit row keeps a keyed hash of the looked-up value, never the value
itself (:mod:`sohoa.dossiers.lookup_key`); nothing personal is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select, update

from ocr import doctypes
from ocr.errors import ConfigurationError
from ocr.text import fold
from sohoa.db.tables import (
    civil_record,
    dossier,
    dossier_component,
    person,
    register_book,
    reuse_event,
    scan,
    unit,
)
from sohoa.dossiers.lookup_key import lookup_digest

_TYPE_ORDER = {t.name: t.life_order for t in doctypes.REGISTRY.values()}


@dataclass
class LookupResult:
    kind: str
    records: list[dict[str, Any]] = field(default_factory=list)
    event_id: int | None = None
    dossier_code: str | None = None
    component: str | None = None
    component_marked: bool = False

    @property
    def found(self) -> bool:
        return bool(self.records)

    def as_dict(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "lookup_kind": self.kind,
            "records": self.records,
            "reuse_event_id": self.event_id,
            "dossier_code": self.dossier_code,
            "component": self.component,
            "component_marked_reused": self.component_marked,
        }


def lookup(
    engine: Engine,
    *,
    personal_id: str | None = None,
    registration_number: str | None = None,
    dossier_code: str | None = None,
    component: str | None = None,
    actor: str | None = None,
    visible: Callable[[dict[str, Any]], bool] | None = None,
) -> LookupResult:
    """Records of a person by ``personal_id`` (or by ``registration_number``); logs the reuse.

    ``visible`` limits the answer to the records the caller may see (the web app's unit
    scope); the audit row and the component's "reused" mark follow the same answer, so a
    record the caller cannot see is never recorded as reused by them.
    """
    if bool(personal_id) == bool(registration_number):
        raise ConfigurationError("give exactly one of a personal ID or a registration number")
    if component and not dossier_code:
        raise ConfigurationError("a component needs the dossier it belongs to (--dossier)")
    kind = "personal_id" if personal_id else "registration_number"
    value = (personal_id or registration_number or "").strip()
    if kind == "personal_id" and not (value.isdigit() and len(value) == 12):
        raise ConfigurationError("a personal ID has 12 digits")
    result = LookupResult(kind, dossier_code=dossier_code, component=component)
    with engine.begin() as conn:
        dossier_id, component_id = _target(conn, dossier_code, component)
        result.records = [
            r for r in find_records(conn, kind, value) if visible is None or visible(r)
        ]
        first = result.records[0]["record_id"] if result.records else None
        result.event_id = conn.execute(
            insert(reuse_event)
            .values(
                dossier_id=dossier_id,
                component_id=component_id,
                record_id=first,
                lookup_kind=kind,
                lookup_value=lookup_digest(kind, value),
                found=first is not None,
                actor=actor,
                at=datetime.now(UTC),
            )
            .returning(reuse_event.c.id)
        ).scalar_one()
        if component_id is not None and first is not None:
            conn.execute(
                update(dossier_component)
                .where(dossier_component.c.id == component_id)
                .values(reused=True)
            )
            result.component_marked = True
    return result


def find_records(conn: Connection, kind: str, value: str) -> list[dict[str, Any]]:
    """Digitized records of a personal ID (as subject or spouse) or registration number."""
    cr, rb = civil_record, register_book
    if kind == "personal_id":
        holder = select(person.c.id).where(person.c.personal_id == value).scalar_subquery()
        where = or_(
            cr.c.personal_id == value,
            cr.c.person_id == holder,
            cr.c.spouse_person_id == holder,
        )
    else:
        where = cr.c.registration_number == value
    rows = conn.execute(
        select(
            cr.c.id,
            cr.c.doc_type,
            cr.c.registration_number,
            cr.c.registration_date,
            cr.c.registration_place,
            cr.c.fields,
            cr.c.origin,
            scan.c.uri,
            unit.c.code,
            rb.c.year,
            rb.c.volume,
        )
        .join(rb, rb.c.id == cr.c.book_id)
        .join(unit, unit.c.id == rb.c.unit_id)
        .join(scan, scan.c.id == cr.c.scan_id)
        .where(where)
    ).all()
    out = [
        {
            "record_id": r.id,
            "doc_type": r.doc_type,
            "registration_number": r.registration_number,
            "registration_date": _iso(r.registration_date),
            "registration_place": r.registration_place,
            "book": {"unit": r.code, "year": r.year, "volume": r.volume},
            "origin": r.origin,
            "scan_uri": r.uri,
            "values": {k: f.get("value") for k, f in (r.fields or {}).items()},
        }
        for r in rows
    ]
    out.sort(
        key=lambda x: (
            _TYPE_ORDER.get(x["doc_type"], 9),
            x["registration_date"] or "",
            x["record_id"],
        )
    )
    return out


def _target(
    conn: Connection, dossier_code: str | None, component: str | None
) -> tuple[int | None, int | None]:
    if not dossier_code:
        return None, None
    did = conn.execute(
        select(dossier.c.id).where(dossier.c.dossier_code == dossier_code.strip())
    ).scalar()
    if did is None:
        raise ConfigurationError(f"no dossier {dossier_code!r}; import its export first")
    if not component:
        return did, None
    comps = conn.execute(
        select(dossier_component.c.id, dossier_component.c.position, dossier_component.c.name)
        .where(dossier_component.c.dossier_id == did)
        .order_by(dossier_component.c.position)
    ).all()
    wanted = fold(component)
    for cid, pos, name in comps:
        if fold(name) == wanted or component.strip() == str(pos):
            return did, cid
    names = ", ".join(repr(n) for _, _, n in comps) or "none"
    raise ConfigurationError(
        f"dossier {dossier_code} has no component {component!r} (its components: {names})"
    )


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)
