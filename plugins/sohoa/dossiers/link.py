"""Link scanned dossier results to their dossiers (SPEC 7: the scan fills ``result_file``).

The dossier code of a loaded ``dossier_result`` record comes from the page — its QR code,
read exactly, which the scan reader puts in the ``dossier_code`` field ahead of the printed
"Mã hồ sơ" (a disagreement between the two already sent the page to review) — and from
the upload metadata (``scan.upload_meta["dossier_code"]``). Outcomes per record:

- ``linked``: the dossier gets ``result_record_id`` and, when the export had no result
  file, the scan's URI as ``result_file``;
- ``waiting``: no dossier with that code yet (its export may come later; retried);
- ``conflict``: the page and the metadata disagree, or the dossier already holds another
  record's result. Nothing is changed; a person decides with :func:`link_record`.
- ``no_code``: neither the page nor the metadata carries a code.

Running it again changes nothing: linked records are skipped.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from ocr.errors import ConfigurationError
from sohoa.db.tables import civil_record, dossier, scan


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
    with engine.begin() as conn:
        linked_ids = set(
            conn.execute(
                select(dossier.c.result_record_id).where(dossier.c.result_record_id.is_not(None))
            ).scalars()
        )
        rows = conn.execute(
            select(civil_record.c.id, civil_record.c.fields, scan.c.uri, scan.c.upload_meta)
            .join(scan, scan.c.id == civil_record.c.scan_id)
            .where(civil_record.c.doc_type == "dossier_result")
            .order_by(civil_record.c.id)
        ).all()
        for rid, fields, uri, meta in rows:
            if rid in linked_ids:
                continue
            outcome = _link_one(conn, rid, fields or {}, uri, meta)
            summary.outcomes.append(outcome)
    return summary


def link_record(engine: Engine, record_id: int, dossier_code: str, *, actor: str) -> None:
    """A person's decision on a conflict: this record is the result of that dossier."""
    with engine.begin() as conn:
        uri = conn.execute(
            select(scan.c.uri)
            .join(civil_record, civil_record.c.scan_id == scan.c.id)
            .where(civil_record.c.id == record_id, civil_record.c.doc_type == "dossier_result")
        ).scalar()
        if uri is None:
            raise ConfigurationError(f"record {record_id} is not a loaded dossier result")
        row = conn.execute(
            select(dossier.c.id, dossier.c.result_file).where(
                dossier.c.dossier_code == dossier_code
            )
        ).first()
        if row is None:
            raise ConfigurationError(f"no dossier {dossier_code!r}; import its export first")
        conn.execute(
            update(dossier)
            .where(dossier.c.result_record_id == record_id)
            .values(result_record_id=None)
        )
        conn.execute(
            update(dossier)
            .where(dossier.c.id == row.id)
            .values(result_record_id=record_id, result_file=row.result_file or uri)
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
