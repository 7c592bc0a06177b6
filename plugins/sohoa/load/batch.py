"""Load one batch of extracted records (one upload of one register book).

Every page ends as exactly one of: ``loaded`` (a civil record with lineage), ``in_review``
(a review item with its reasons) or ``rejected`` (with a reason a person can read).

- Idempotent: a page already known by its natural key (sha256 + page) is skipped, so a
  rerun of the same input writes nothing. The first version of a page wins; a corrected
  reading goes through review, not through a reload.
- Transactional: the whole batch is one transaction; a crash leaves all of it or none.
- Gated: records pass the Great Expectations gate (``sohoa.gate``) before the
  transaction; failures go to review with the failing field and rule.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, insert, select, text, update

from ocr.errors import InputFileError
from sohoa.db.tables import civil_record, pipeline_run, review_item, scan
from sohoa.load.book import BookMeta, ensure_book
from sohoa.load.bulk import allocate_ids, insert_rows, rows_where_in
from sohoa.load.store import Accepted, store_records
from sohoa.load.values import registration_number

_LOCK_KEY = 7_460_823  # pg_advisory_xact_lock key: loads run one at a time


class GateOutcome(Protocol):
    failures: dict[int, list[dict[str, Any]]]  # record index -> [{field, rule, message}]
    report_path: str | None


Gate = Callable[[Sequence[dict[str, Any]], BookMeta], GateOutcome]


@dataclass
class LoadSummary:
    records: int = 0
    skipped_existing: int = 0
    loaded: int = 0
    in_review: int = 0
    rejected: int = 0
    duplicate_pages: int = 0
    persons_created: int = 0
    persons_linked: int = 0
    duplicate_flags: int = 0
    validation_report: str | None = None  # Data Docs page of the gate run (HTML)
    validation_result: str | None = None  # the gate run's results (JSON)
    warnings: int = 0  # non-blocking findings, e.g. gaps in the numbering
    seconds: float = 0.0
    reasons: Counter = field(default_factory=Counter)  # rule -> count, for review items

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["reasons"] = dict(self.reasons)
        return out


def default_gate() -> Gate:
    from sohoa.gate.validate import run_gate

    return run_gate


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while a batch is built and written.

    A batch allocates hundreds of thousands of small dicts and tuples that live until it
    ends; the collector would rescan them over and over (measured: a quarter of the load
    time). They hold no reference cycles, and the collector runs again right after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_batch(
    engine: Engine,
    records: Sequence[dict[str, Any]],
    book: BookMeta,
    *,
    gate: Gate | None | str = "default",
    run_key: str | None = None,
    now: datetime | None = None,
) -> LoadSummary:
    """Gate and load ``records`` (SPEC-3 dicts) of ``book`` in one transaction.

    ``gate=None`` skips Great Expectations (benchmarks of the writer alone, unit tests);
    the record's own status and the loader's key checks still apply.

    A record may carry what the uploader said about its page beside SPEC 3's keys:
    ``record["upload"] = {"dossier_code": "..."}`` (optional, from the scan's sidecar) is
    stored as ``scan.upload_meta`` and links a dossier result (``sohoa.dossiers.link``).
    """
    with _gc_paused():
        return _load_batch(engine, records, book, gate, run_key, now)


def _load_batch(engine, records, book, gate, run_key, now) -> LoadSummary:
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    _check_shape(records)
    summary = LoadSummary(records=len(records))
    with engine.connect() as conn:
        known = _known_scans(conn, [_scan_key(r) for r in records])
    fresh = [i for i, r in enumerate(records) if _scan_key(r) not in known]
    failures: dict[int, list[dict[str, Any]]] = {}
    gate_fn = default_gate() if gate == "default" else gate
    if gate_fn is not None and fresh:
        outcome = gate_fn([records[i] for i in fresh], book)
        failures = {fresh[j]: issues for j, issues in outcome.failures.items()}
        summary.validation_report = outcome.report_path
        summary.validation_result = getattr(outcome, "result_path", None)
        summary.warnings = len(getattr(outcome, "warnings", []))
    if not fresh and run_key is None:  # a pure rerun: nothing to write
        with engine.begin() as conn:
            ensure_book(conn, book, now)
        summary.skipped_existing = len(records)
        summary.seconds = time.perf_counter() - started
        return summary
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
        run_id, new_run = _start_run(conn, run_key, now)
        book_id = ensure_book(conn, book, now)
        _write(conn, records, book, book_id, failures, run_id, now, summary)
        if new_run:
            conn.execute(
                update(pipeline_run)
                .where(pipeline_run.c.id == run_id)
                .values(
                    status="succeeded",
                    finished_at=datetime.now(UTC),
                    stats={k: v for k, v in summary.as_dict().items() if k != "seconds"},
                    validation_path=summary.validation_report,
                )
            )
    summary.seconds = time.perf_counter() - started
    return summary


def _write(
    conn: Connection,
    records: Sequence[dict[str, Any]],
    book: BookMeta,
    book_id: int,
    failures: dict[int, list[dict[str, Any]]],
    run_id: int | None,
    now: datetime,
    summary: LoadSummary,
) -> None:
    known = _known_scans(conn, [_scan_key(r) for r in records])  # again, under the lock
    taken = {
        r
        for (r,) in conn.execute(
            select(civil_record.c.registration_number).where(civil_record.c.book_id == book_id)
        )
    }
    first_of: dict[tuple[str, int], int] = {}
    for i, rec in enumerate(records):
        first = first_of.setdefault(_scan_key(rec), i)
        if first != i and rec != records[first]:
            failures.setdefault(first, []).append(
                _issue(
                    None,
                    "scan_loaded_twice",
                    "the same page was uploaded twice, with different contents",
                )
            )
    firsts = [
        i
        for i, r in enumerate(records)
        if first_of[_scan_key(r)] == i and _scan_key(r) not in known
    ]
    reasons_of = {i: _review_reasons(records[i], book, failures.get(i)) for i in firsts}
    number_of = {i: registration_number(_values(records[i]), book.book_type) for i in firsts}
    batch_numbers = Counter(
        number_of[i]
        for i in firsts
        if records[i].get("status") == "auto_accepted" and not reasons_of[i]
    )
    scans: list[dict[str, Any]] = []
    reviews: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []
    accepted: list[tuple[int, dict[str, Any]]] = []
    for i, rec in enumerate(records):
        key = _scan_key(rec)
        if key in known:
            summary.skipped_existing += 1
            continue
        if first_of[key] != i:
            summary.duplicate_pages += 1
            continue
        reasons, number = reasons_of[i], number_of[i]
        if not reasons and rec.get("status") != "rejected":
            if number in taken:
                reasons.append(
                    _issue(
                        "registration_number",
                        "registration_number_taken",
                        f"number {number} is already loaded in this book",
                    )
                )
            elif batch_numbers[number] > 1:
                reasons.append(
                    _issue(
                        "registration_number",
                        "duplicate_registration_number",
                        f"number {number} appears more than once in this batch",
                    )
                )
        status = (
            "rejected" if rec.get("status") == "rejected" else "in_review" if reasons else "loaded"
        )
        scans.append(_scan_row(rec, book, book_id, status, run_id, now))
        if status == "in_review":
            reviews.append((len(scans) - 1, rec, reasons))
        elif status == "loaded":
            accepted.append((len(scans) - 1, rec))
    for row, sid in zip(scans, allocate_ids(conn, scan, len(scans)), strict=True):
        row["id"] = sid
    insert_rows(conn, scan, scans)
    summary.rejected = sum(1 for s in scans if s["status"] == "rejected")
    _insert_reviews(conn, scans, reviews, book_id, now, summary)
    items = [Accepted(scans[pos]["id"], rec["doc_type"], rec["fields"]) for pos, rec in accepted]
    _, stats = store_records(conn, book_id, items, now)
    summary.loaded = len(items)
    summary.persons_created = stats.persons_created
    summary.persons_linked = stats.persons_linked
    summary.duplicate_flags = stats.duplicate_flags


def _insert_reviews(
    conn: Connection,
    scans: list[dict[str, Any]],
    reviews: list[tuple[int, dict[str, Any], list[dict[str, Any]]]],
    book_id: int,
    now: datetime,
    summary: LoadSummary,
) -> None:
    rows = []
    for pos, rec, reasons in reviews:
        working = {
            name: {**f, "origin": "auto_accepted", "by": None}
            for name, f in rec.get("fields", {}).items()
        }
        rows.append(
            {
                "scan_id": scans[pos]["id"],
                "book_id": book_id,
                "doc_type": rec.get("doc_type", "unknown"),
                "state": "pending",
                "reasons": reasons,
                "original": rec,
                "working": working,
                "record_id": None,
                "resolved_by": None,
                "resolved_at": None,
                "created_at": now,
            }
        )
        summary.reasons.update(r["rule"] for r in reasons)
    for row, rid in zip(rows, allocate_ids(conn, review_item, len(rows)), strict=True):
        row["id"] = rid
    insert_rows(conn, review_item, rows)
    summary.in_review = len(rows)


def _review_reasons(
    rec: dict[str, Any], book: BookMeta, gate_issues: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Why a (not rejected) record needs a person; empty when it may be loaded."""
    if rec.get("status") == "rejected":
        return []
    reasons = (
        [dict(i) for i in rec.get("issues", [])] if rec.get("status") != "auto_accepted" else []
    )
    doc_type = rec.get("doc_type")
    if doc_type == "unknown":
        reasons.append(_issue(None, "unknown_doc_type", "page type not recognised; type it in"))
    elif doc_type != book.book_type:
        reasons.append(
            _issue(None, "doc_type_mismatch", f"a {doc_type} page in a {book.book_type} book")
        )
    if rec.get("status") == "needs_review" and not reasons:
        reasons.append(_issue(None, "needs_review", "marked for review by extraction"))
    if doc_type == book.book_type and registration_number(_values(rec), doc_type) is None:
        reasons.append(_issue("registration_number", "required", "registration number missing"))
    for issue in gate_issues or []:
        if issue not in reasons:
            reasons.append(issue)
    return reasons


def _scan_row(
    rec: dict[str, Any],
    book: BookMeta,
    book_id: int,
    status: str,
    run_id: int | None,
    now: datetime,
) -> dict[str, Any]:
    src = rec["source"]
    reason = None
    if status == "rejected":
        reason = (
            "; ".join(i.get("message") or i.get("rule") for i in rec.get("issues", []))
            or "rejected by extraction"
        )
    doc_type = rec.get("doc_type") or "unknown"
    return {
        "sha256": src["sha256"],
        "page": int(src["page"]),
        "uri": src["uri"],
        "book_id": book_id,
        "doc_type": doc_type,
        "status": status,
        "reject_reason": reason,
        "uploaded_by": book.uploader,
        "upload_meta": upload_meta(rec),  # unit, type, year and volume are the book's
        "quality": rec.get("quality"),
        "pipeline_run_id": run_id,
        "created_at": now,
        "updated_at": now,
    }


def upload_meta(rec: dict[str, Any]) -> dict[str, Any] | None:
    """What the uploader said about this one page, kept on its scan (``scan.upload_meta``).

    A record may carry ``"upload": {"dossier_code": "..."}`` (from the scan's sidecar):
    the dossier a scanned result belongs to, which ``sohoa.dossiers.link`` uses when the
    page itself carries no code, and checks against the code read on the page.
    """
    meta = rec.get("upload")
    if not meta:
        return None
    meta = dict(meta)
    if isinstance(meta.get("dossier_code"), str):
        meta["dossier_code"] = meta["dossier_code"].strip()
    return {k: v for k, v in meta.items() if v not in (None, "")} or None


def _issue(field_name: str | None, rule: str, message: str) -> dict[str, Any]:
    return {"field": field_name, "rule": rule, "message": message}


def _values(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: f.get("value") for k, f in rec.get("fields", {}).items()}


def _scan_key(rec: dict[str, Any]) -> tuple[str, int]:
    return rec["source"]["sha256"], int(rec["source"]["page"])


def _check_shape(records: Sequence[dict[str, Any]]) -> None:
    for n, rec in enumerate(records, 1):
        src = rec.get("source") if isinstance(rec, dict) else None
        if not isinstance(src, dict) or not {"uri", "sha256", "page"} <= src.keys():
            raise InputFileError(f"record {n}: no source {{uri, page, sha256}}")
        if not isinstance(rec.get("fields", {}), dict):
            raise InputFileError(f"record {n}: 'fields' must be an object")
        upload = rec.get("upload")
        if upload is not None and not isinstance(upload, dict):
            raise InputFileError(f"record {n}: 'upload' must be an object")
        code = (upload or {}).get("dossier_code")
        if code is not None and not isinstance(code, str):
            raise InputFileError(f"record {n}: upload 'dossier_code' must be text")


def _known_scans(conn: Connection, keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
    wanted = set(keys)
    rows = rows_where_in(conn, scan, ["sha256", "page"], "sha256", sorted({k[0] for k in keys}))
    return {(r[0], r[1]) for r in rows} & wanted


def _start_run(conn: Connection, run_key: str | None, now: datetime) -> tuple[int | None, bool]:
    """(id, created) of the ``pipeline_run`` for ``run_key``; a known key is left unchanged."""
    if run_key is None:
        return None, False
    existing = conn.execute(
        select(pipeline_run.c.id).where(pipeline_run.c.run_key == run_key)
    ).scalar()
    if existing is not None:
        return existing, False
    return conn.execute(
        insert(pipeline_run)
        .values(
            run_key=run_key,
            kind="load",
            status="running",
            started_at=now,
        )
        .returning(pipeline_run.c.id)
    ).scalar_one(), True
