"""Import a dossier export (docs/kpis.md): upsert by ``dossier_code``.

- Idempotent: a second import of the same file changes nothing (rows are compared first).
- Bad rows are listed with their line number and reason; good rows are imported.
- All good rows are written in one transaction: a failure leaves none of them.
- What sohoa learnt itself wins over an export that does not know it yet: a result file
  set from a scanned dossier result, and a component marked ``reused`` by a reuse lookup
  (``reuse_event``), are kept when the export has them blank.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, update

from sohoa.db.tables import dossier, dossier_component, reuse_event, unit
from sohoa.dossiers.rows import BadRow, DossierRow, read_rows
from sohoa.load.bulk import allocate_ids, insert_rows, rows_where_in

_DOSSIER_COLS = (
    "unit_id",
    "procedure_code",
    "procedure_name",
    "received_at",
    "channel",
    "paper_result_required",
    "result_issued_at",
    "result_file",
)


@dataclass
class ImportSummary:
    path: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0  # the same row twice in the file
    units_created: int = 0
    bad: list[BadRow] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.bad

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["bad"] = [asdict(b) for b in self.bad]
        return out


def import_file(
    engine: Engine, path: Path | str, on_row: Callable[[], object] | None = None
) -> ImportSummary:
    """Upsert the dossiers of ``path`` (JSONL or CSV); see the module docstring.
    ``on_row`` is called after each row is read (a progress bar's tick)."""
    started = time.perf_counter()
    path = Path(path)
    summary = ImportSummary(path=str(path))
    good = _good_rows(path, summary, on_row)
    with engine.begin() as conn:
        unit_ids = _ensure_units(conn, sorted({r.unit_code for r in good.values()}), summary)
        _upsert(conn, list(good.values()), unit_ids, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _good_rows(
    path: Path, summary: ImportSummary, on_row: Callable[[], object] | None = None
) -> dict[str, DossierRow]:
    good: dict[str, DossierRow] = {}
    first_line: dict[str, int] = {}
    for line_no, row in read_rows(path):
        summary.rows += 1
        if on_row is not None:
            on_row()
        if isinstance(row, BadRow):
            summary.bad.append(row)
            continue
        seen = good.get(row.dossier_code)
        if seen is None:
            good[row.dossier_code] = row
            first_line[row.dossier_code] = line_no
        elif seen == row:
            summary.duplicates += 1
        else:
            summary.bad.append(
                BadRow(
                    line_no,
                    f"dossier_code repeats line {first_line[row.dossier_code]} with other values",
                    row.dossier_code,
                )
            )
    return good


def _ensure_units(conn: Connection, codes: list[str], summary: ImportSummary) -> dict[str, int]:
    known = dict(rows_where_in(conn, unit, ["code", "id"], "code", codes))
    missing = [c for c in codes if c not in known]
    if missing:
        conn.execute(insert(unit), [{"code": c} for c in missing])
        known.update(rows_where_in(conn, unit, ["code", "id"], "code", missing))
        summary.units_created = len(missing)
    return known


def _upsert(
    conn: Connection, rows: list[DossierRow], unit_ids: dict[str, int], summary: ImportSummary
) -> None:
    existing = {
        r[0]: r[1:]
        for r in rows_where_in(
            conn,
            dossier,
            ["dossier_code", "id", *_DOSSIER_COLS],
            "dossier_code",
            [r.dossier_code for r in rows],
        )
    }
    old_components = _components_of(conn, [v[0] for v in existing.values()])
    new_rows = [r for r in rows if r.dossier_code not in existing]
    _insert_new(conn, new_rows, unit_ids)
    summary.inserted = len(new_rows)
    for row in rows:
        if row.dossier_code not in existing:
            continue
        did, *old_values = existing[row.dossier_code]
        values = _dossier_values(row, unit_ids)
        if values["result_file"] is None and old_values[-1]:
            values["result_file"] = old_values[-1]  # set by a scanned result: keep it
        changed = any(
            not _same(values[c], old) for c, old in zip(_DOSSIER_COLS, old_values, strict=True)
        )
        if changed:
            conn.execute(update(dossier).where(dossier.c.id == did).values(**values))
        if _sync_components(conn, did, row, old_components.get(did, {})) or changed:
            summary.updated += 1
        else:
            summary.unchanged += 1


def _insert_new(conn: Connection, rows: list[DossierRow], unit_ids: dict[str, int]) -> None:
    ids = allocate_ids(conn, dossier, len(rows))
    dossiers, components = [], []
    for did, row in zip(ids, rows, strict=True):
        dossiers.append(
            {"id": did, "dossier_code": row.dossier_code, **_dossier_values(row, unit_ids)}
        )
        for pos, comp in enumerate(row.components):
            components.append(
                {
                    "dossier_id": did,
                    "position": pos,
                    "name": comp.name,
                    "file": comp.file,
                    "reused": comp.reused,
                }
            )
    insert_rows(conn, dossier, dossiers)
    for row, cid in zip(
        components, allocate_ids(conn, dossier_component, len(components)), strict=True
    ):
        row["id"] = cid
    insert_rows(conn, dossier_component, components)


def _dossier_values(row: DossierRow, unit_ids: dict[str, int]) -> dict[str, Any]:
    return {
        "unit_id": unit_ids[row.unit_code],
        "procedure_code": row.procedure_code,
        "procedure_name": row.procedure_name,
        "received_at": row.received_at,
        "channel": row.channel,
        "paper_result_required": row.paper_result_required,
        "result_issued_at": row.result_issued_at,
        "result_file": row.result_file,
    }


def _components_of(conn: Connection, dossier_ids: list[int]) -> dict[int, dict[int, tuple]]:
    """dossier id -> position -> (component id, name, file, reused, has a reuse event)."""
    out: dict[int, dict[int, tuple]] = {}
    if not dossier_ids:
        return out
    comps = rows_where_in(
        conn,
        dossier_component,
        ["id", "dossier_id", "position", "name", "file", "reused"],
        "dossier_id",
        dossier_ids,
    )
    logged = {
        r[0]
        for r in rows_where_in(
            conn, reuse_event, ["component_id"], "component_id", [c[0] for c in comps]
        )
    }
    for cid, did, pos, name, file, reused in comps:
        out.setdefault(did, {})[pos] = (cid, name, file, reused, cid in logged)
    return out


def _sync_components(conn: Connection, did: int, row: DossierRow, old: dict[int, tuple]) -> bool:
    """Bring the dossier's components in line with the export; True when anything changed."""
    changed = False
    for pos, comp in enumerate(row.components):
        if pos not in old:
            conn.execute(
                insert(dossier_component).values(
                    dossier_id=did,
                    position=pos,
                    name=comp.name,
                    file=comp.file,
                    reused=comp.reused,
                )
            )
            changed = True
            continue
        cid, name, file, reused, logged = old[pos]
        want = (comp.name, comp.file, comp.reused or logged)
        if want != (name, file, reused):
            conn.execute(
                update(dossier_component)
                .where(dossier_component.c.id == cid)
                .values(name=want[0], file=want[1], reused=want[2])
            )
            changed = True
    stale = [v[0] for pos, v in old.items() if pos >= len(row.components) and not v[4]]
    if stale:
        conn.execute(delete(dossier_component).where(dossier_component.c.id.in_(stale)))
        changed = True
    return changed


def _same(new: Any, old: Any) -> bool:
    """Equal values; SQLite hands timestamps back without their (UTC) offset."""
    if hasattr(new, "tzinfo") and hasattr(old, "tzinfo") and new is not None and old is not None:
        if old.tzinfo is None:
            old = old.replace(tzinfo=new.tzinfo)
        return new == old
    return new == old
