"""Link scanned dossier results to their dossiers (docs/kpis.md: the scan fills ``result_file``).

The dossier code of a loaded ``dossier_result`` record comes from the page — its QR code,
read exactly, which the scan reader puts in the ``dossier_code`` field ahead of the printed
"Mã hồ sơ" (a disagreement between the two already sent the page to review) — and from
the upload metadata (``scan.upload_meta["dossier_code"]``). Outcomes per record:

- ``linked``: the dossier gets ``result_record_id`` and, when the export had no result
  file, the scan's URI as ``result_file``;
- ``waiting``: no dossier with that code yet (its export may come later; retried);
- ``conflict``: the page and the metadata disagree, or the dossier already holds another
  record's result. No dossier is changed; the conflict waits in the review queue
  (:func:`pending_conflicts`, ``sohoa review links``) until a person decides with
  :func:`link_record` (this record is that dossier's result) or :func:`dismiss_link`
  (leave it unlinked). Both are audited in ``review_action``.
- ``no_code``: neither the page nor the metadata carries a code.

Each record's outcome is kept in ``dossier_link`` (one row per record). Running it again
changes nothing: linked records and those a person decided are skipped, and an unchanged
outcome is not rewritten.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from ocr.errors import ConfigurationError
from sohoa.db.tables import civil_record, dossier, dossier_link, review_action, scan


@dataclass
class LinkOutcome:
    record_id: int
    scan_uri: str
    status: str  # linked | waiting | conflict | no_code
    dossier_code: str | None = None
    reason: str | None = None


@dataclass
class LinkSummary:
    outcomes: list[LinkOutcome] = field(default_factory=list)
    written: int = 0  # dossier_link rows inserted or changed; 0 on a rerun

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def conflicts(self) -> list[LinkOutcome]:
        return [o for o in self.outcomes if o.status == "conflict"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "linked": self.count("linked"),
            "waiting": self.count("waiting"),
            "conflict": self.count("conflict"),
            "no_code": self.count("no_code"),
            "written": self.written,
            "outcomes": [asdict(o) for o in self.outcomes],
        }

    def describe(self) -> str:
        lines = [
            f"record {o.record_id} ({o.scan_uri}): {o.status}"
            + (f" — {o.reason}" if o.reason else "")
            for o in self.outcomes
            if o.status != "linked"
        ]
        lines.append(
            f"{self.count('linked')} linked, {self.count('waiting')} waiting for their dossier, "
            f"{self.count('conflict')} conflict(s), {self.count('no_code')} without a code"
        )
        return "\n".join(lines)


def page_codes(fields: dict[str, Any], upload_meta: Any) -> tuple[str | None, str | None]:
    """(code read on the page — QR or printed —, code given in the upload metadata)."""
    on_page = (fields.get("dossier_code") or {}).get("value")
    meta = upload_meta.get("dossier_code") if isinstance(upload_meta, dict) else None
    clean = [str(c).strip() or None if c is not None else None for c in (on_page, meta)]
    return clean[0], clean[1]


def link_results(engine: Engine) -> LinkSummary:
    """Link every loaded, not yet linked dossier result; one transaction."""
    summary = LinkSummary()
    now = datetime.now(UTC)
    with engine.begin() as conn:
        holder = dict(
            conn.execute(
                select(dossier.c.result_record_id, dossier.c.dossier_code).where(
                    dossier.c.result_record_id.is_not(None)
                )
            ).all()
        )
        kept = {r.record_id: r for r in conn.execute(select(dossier_link))}
        rows = conn.execute(
            select(civil_record.c.id, civil_record.c.fields, scan.c.uri, scan.c.upload_meta)
            .join(scan, scan.c.id == civil_record.c.scan_id)
            .where(civil_record.c.doc_type == "dossier_result")
            .order_by(civil_record.c.id)
        ).all()
        for rid, fields, uri, meta in rows:
            prior = kept.get(rid)
            if rid in holder:
                linked = LinkOutcome(rid, uri, "linked", holder[rid])
                if prior is None or prior.status != "linked":  # linked before this table
                    summary.written += _keep(conn, prior, linked, now)
                continue
            if prior is not None and prior.decided_by is not None:
                continue  # a person settled it
            outcome = _link_one(conn, rid, fields or {}, uri, meta)
            summary.written += _keep(conn, prior, outcome, now)
            summary.outcomes.append(outcome)
    return summary


def pending_conflicts(engine: Engine, limit: int = 50) -> list[dict[str, Any]]:
    """Conflicts waiting for a person, oldest first: link id, record, code, reason, page."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                dossier_link.c.id,
                dossier_link.c.record_id,
                dossier_link.c.dossier_code,
                dossier_link.c.reason,
                dossier_link.c.created_at,
                scan.c.uri,
                scan.c.page,
                scan.c.upload_meta,
            )
            .join(civil_record, civil_record.c.id == dossier_link.c.record_id)
            .join(scan, scan.c.id == civil_record.c.scan_id)
            .where(dossier_link.c.status == "conflict", dossier_link.c.decided_by.is_(None))
            .order_by(dossier_link.c.id)
            .limit(limit)
        ).mappings()
        return [dict(r) for r in rows]


def count_conflicts(engine: Engine) -> int:
    """How many dossier-link conflicts wait for a person."""
    with engine.connect() as conn:
        return conn.execute(
            select(func.count())
            .select_from(dossier_link)
            .where(dossier_link.c.status == "conflict", dossier_link.c.decided_by.is_(None))
        ).scalar_one()


def link_record(engine: Engine, record_id: int, dossier_code: str, *, actor: str) -> None:
    """A person's decision on a conflict: this record is the result of that dossier.

    A record the dossier held before is displaced and becomes a conflict for a person."""
    actor = _actor(actor)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        uri = _result_uri(conn, record_id)
        row = conn.execute(
            select(dossier.c.id, dossier.c.result_file, dossier.c.result_record_id).where(
                dossier.c.dossier_code == dossier_code
            )
        ).first()
        if row is None:
            raise ConfigurationError(f"no dossier {dossier_code!r}; import its export first")
        prior = _link_row(conn, record_id)
        old_code = conn.execute(
            select(dossier.c.dossier_code).where(dossier.c.result_record_id == record_id)
        ).scalar() or (prior.dossier_code if prior else None)
        conn.execute(  # its former dossier, if any, loses it (and the file that was its scan)
            update(dossier)
            .where(dossier.c.result_record_id == record_id, dossier.c.result_file == uri)
            .values(result_record_id=None, result_file=None)
        )
        conn.execute(
            update(dossier)
            .where(dossier.c.result_record_id == record_id)
            .values(result_record_id=None)
        )
        displaced = row.result_record_id if row.result_record_id != record_id else None
        result_file = row.result_file
        if displaced is not None and result_file == _result_uri(conn, displaced):
            result_file = None
        conn.execute(
            update(dossier)
            .where(dossier.c.id == row.id)
            .values(result_record_id=record_id, result_file=result_file or uri)
        )
        link_id = _decide(conn, prior, record_id, "linked", dossier_code, actor, now)
        _audit(conn, link_id, actor, now, old_code, dossier_code, prior.reason if prior else None)
        if displaced is not None:
            _keep(
                conn,
                _link_row(conn, displaced),
                LinkOutcome(
                    displaced,
                    "",
                    "conflict",
                    dossier_code,
                    f"dossier {dossier_code} was given to record {record_id} by a person",
                ),
                now,
            )


def dismiss_link(engine: Engine, record_id: int, *, actor: str, note: str) -> None:
    """A person's decision on a conflict: leave this record unlinked (e.g. a second scan of
    a result already linked). The linker will not propose it again."""
    actor = _actor(actor)
    note = " ".join((note or "").split())
    if not note:
        raise ConfigurationError("say why the record stays unlinked (a note a person can read)")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        _result_uri(conn, record_id)
        prior = _link_row(conn, record_id)
        if prior is None or prior.status != "conflict" or prior.decided_by is not None:
            raise ConfigurationError(f"record {record_id} has no pending dossier-link conflict")
        link_id = _decide(conn, prior, record_id, "conflict", prior.dossier_code, actor, now)
        _audit(conn, link_id, actor, now, prior.dossier_code, None, note)


# --- internals ---------------------------------------------------------------------------


def _actor(actor: str | None) -> str:
    if not actor or not actor.strip():
        raise ConfigurationError("every decision needs the name of the person making it")
    return actor.strip()


def _result_uri(conn: Connection, record_id: int) -> str:
    uri = conn.execute(
        select(scan.c.uri)
        .join(civil_record, civil_record.c.scan_id == scan.c.id)
        .where(civil_record.c.id == record_id, civil_record.c.doc_type == "dossier_result")
    ).scalar()
    if uri is None:
        raise ConfigurationError(f"record {record_id} is not a loaded dossier result")
    return uri


def _link_row(conn: Connection, record_id: int):
    return conn.execute(select(dossier_link).where(dossier_link.c.record_id == record_id)).first()


def _keep(conn: Connection, prior, outcome: LinkOutcome, now: datetime) -> int:
    """Store an automatic outcome; 1 when a row was written, 0 when it was already so."""
    values = {
        "dossier_code": outcome.dossier_code,
        "status": outcome.status,
        "reason": outcome.reason,
    }
    if prior is None:
        conn.execute(
            insert(dossier_link).values(record_id=outcome.record_id, created_at=now, **values)
        )
        return 1
    if all(getattr(prior, k) == v for k, v in values.items()) and prior.decided_by is None:
        return 0
    conn.execute(
        update(dossier_link)
        .where(dossier_link.c.id == prior.id)
        .values(decided_by=None, decided_at=None, **values)
    )
    return 1


def _decide(
    conn: Connection, prior, record_id: int, status: str, code: str | None, actor: str, now
) -> int:
    values = {"status": status, "dossier_code": code, "decided_by": actor, "decided_at": now}
    if prior is None:
        return conn.execute(
            insert(dossier_link)
            .values(record_id=record_id, created_at=now, **values)
            .returning(dossier_link.c.id)
        ).scalar_one()
    conn.execute(update(dossier_link).where(dossier_link.c.id == prior.id).values(**values))
    return prior.id


def _audit(
    conn: Connection, link_id: int, actor: str, now, old: str | None, new: str | None, note
) -> None:
    conn.execute(
        insert(review_action).values(
            dossier_link_id=link_id,
            actor=actor,
            at=now,
            action="link_dossier",
            field="dossier_code",
            old_value=old,
            new_value=new,
            note=note,
        )
    )


def _link_one(conn: Connection, rid: int, fields: dict, uri: str, meta: Any) -> LinkOutcome:
    on_page, in_meta = page_codes(fields, meta)
    if on_page and in_meta and on_page != in_meta:
        return LinkOutcome(
            rid,
            uri,
            "conflict",
            on_page,
            f"the page says {on_page} but the upload metadata says {in_meta}",
        )
    code = on_page or in_meta
    if code is None:
        return LinkOutcome(rid, uri, "no_code", None, "no dossier code on the page or upload")
    row = conn.execute(
        select(dossier.c.id, dossier.c.result_file, dossier.c.result_record_id).where(
            dossier.c.dossier_code == code
        )
    ).first()
    if row is None:
        return LinkOutcome(rid, uri, "waiting", code, f"no dossier {code} imported yet")
    if row.result_record_id is not None and row.result_record_id != rid:
        return LinkOutcome(
            rid,
            uri,
            "conflict",
            code,
            f"dossier {code} already holds the result of record {row.result_record_id}",
        )
    conn.execute(
        update(dossier)
        .where(dossier.c.id == row.id)
        .values(result_record_id=rid, result_file=row.result_file or uri)
    )
    return LinkOutcome(rid, uri, "linked", code)
