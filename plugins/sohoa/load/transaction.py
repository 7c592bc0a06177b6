"""One load: extracted records of one register book, gated and written in one transaction.

A pipeline batch's load step and ``sohoa load`` each make one (docs/glossary.md).

Every page ends as exactly one of: ``loaded`` (a civil record with lineage), ``in_review``
(a review item with its reasons) or ``rejected`` (with a reason a person can read).

- Idempotent: a page already known by its natural key (sha256 + page) is skipped, so a
  rerun of the same input writes nothing. The first version of a page wins; a corrected
  reading goes through review, not through a reload.
- Transactional: the whole load is one transaction; a crash leaves all of it or none.
  Loads of different books may run at the same time (see ``_transaction``).
- Gated: records pass the Great Expectations gate (``sohoa.gate``) before the
  transaction; failures go to review with the failing field and rule.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, insert, select, text, update

from ocr import doctypes
from ocr.book import Book
from ocr.errors import InputFileError
from ocr.rules import Rule, fact_of
from sohoa.db.tables import civil_record, pipeline_run, review_item, scan
from sohoa.load.book import book_numbers, ensure_book
from sohoa.load.bulk import allocate_ids, insert_rows, insert_tuples, rows_where_in
from sohoa.load.store import Accepted, store_records
from sohoa.load.values import number_text

_LOCK_KEY = 7_460_823  # advisory lock: shared by loads, exclusive for a review confirmation
_BOOK_LOCK_KEY = 7_460_824  # (this, hash of the book's natural key): one load per book at once
_ATTEMPTS = 3  # a transaction that lost a race with a parallel load is retried


class GateOutcome(Protocol):
    """What the loader takes from the gate (:class:`sohoa.gate.validate.GateResult`)."""

    failures: dict[int, list[dict[str, Any]]]  # record index -> [{field, rule, message}]
    warnings: list[dict[str, Any]]  # non-blocking findings
    report_path: str | None  # Data Docs page (HTML)
    result_path: str | None  # validation result (JSON)

    def subset(self, indices: Sequence[int]) -> GateOutcome: ...


Gate = Callable[[Sequence[dict[str, Any]], Book], GateOutcome]


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
    """Pause the cyclic garbage collector while a load is built and written.

    A load allocates hundreds of thousands of small dicts and tuples that live until it
    ends; the collector would rescan them over and over (measured: a quarter of the load
    time). They hold no reference cycles, and the collector runs again right after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_records(
    engine: Engine,
    records: Sequence[dict[str, Any]],
    book: Book,
    *,
    gate: Gate | GateOutcome | None | str = "default",
    run_key: str | None = None,
    now: datetime | None = None,
) -> LoadSummary:
    """Gate and load ``records`` (record dicts, docs/record.md) of ``book`` in one transaction.

    ``gate`` is the gate to run over the pages not stored yet, or the outcome of a gate
    already run over all of ``records`` (the DAG's gate task stages it for the load).
    ``gate=None`` skips Great Expectations (benchmarks of the writer alone, unit tests);
    the record's own status and the loader's key checks still apply.

    A record may carry what the uploader said about its page beside the record's keys
    (docs/record.md): ``record["upload"] = {"dossier_code": "..."}`` (optional, from the
    scan's sidecar) is stored as ``scan.upload_meta`` and links a dossier result
    (``sohoa.dossiers.link``).
    """
    with _gc_paused():
        return _load(engine, records, book, gate, run_key, now)


def _load(engine, records, book, gate, run_key, now) -> LoadSummary:
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    book.complete()  # the four parts that name the book: its row's key
    _check_shape(records)
    summary = LoadSummary(records=len(records))
    keys = [_scan_key(r) for r in records]
    with engine.connect() as conn:
        known = _known_scans(conn, keys)
        numbers = book_numbers(conn, book) if gate == "default" else []
    fresh = [i for i, key in enumerate(keys) if key not in known]
    failures: dict[int, list[dict[str, Any]]] = {}
    gate_fn = partial(default_gate(), book_numbers=numbers) if gate == "default" else gate
    if gate_fn is not None and fresh:
        if callable(gate_fn):
            outcome = gate_fn([records[i] for i in fresh], book)
        else:  # run already, over all the records
            outcome = gate_fn.subset(fresh)
        failures = {fresh[j]: issues for j, issues in outcome.failures.items()}
        summary.validation_report = outcome.report_path
        summary.validation_result = outcome.result_path
        summary.warnings = len(outcome.warnings)
    if not fresh and run_key is None:  # a pure rerun: nothing to write
        with engine.begin() as conn:
            ensure_book(conn, book, now)
        summary.skipped_existing = len(records)
        summary.seconds = time.perf_counter() - started
        return summary
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            done = _transaction(
                engine, records, keys, known, book, failures, run_key, now, summary, attempt > 1
            )
            break
        except Exception as exc:  # the driver's own error when COPY fails, else SQLAlchemy's
            if attempt == _ATTEMPTS or not _is_race(exc):
                raise
    done.seconds = time.perf_counter() - started
    return done


def _transaction(
    engine: Engine,
    records: Sequence[dict[str, Any]],
    keys: list[tuple[str, int]],
    known: set[tuple[str, int]],
    book: Book,
    failures: dict[int, list[dict[str, Any]]],
    run_key: str | None,
    now: datetime,
    before: LoadSummary,
    retried: bool,
) -> LoadSummary:
    """One attempt at the load's transaction; returns the summary of what it wrote.

    Locks (PostgreSQL): the loads' shared lock (a review confirmation takes it exclusive),
    then the book's own lock (two loads of one book run one after the other, so the
    second sees the first's pages and numbers); the people a load created are checked
    against parallel loads' under a third lock (``sohoa.people.link``), which a retried
    attempt takes before it reads any person. Loads of different books thus write in
    parallel and only take turns for that check and their commit.

    ``known``: the pages found stored before the transaction. They are read again under
    the book's lock only if a load of the same book held it (or on SQLite, or in a retry).
    Otherwise a page another load stored since then fails the scan's unique key, and the
    load is retried (``_is_race``) and reads them again: rare, and never a wrong row.
    """
    summary = replace(before, reasons=Counter(before.reasons))
    failures = {i: list(issues) for i, issues in failures.items()}
    with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        fresh_read = retried or not postgres
        if postgres:
            locks = {"k": _LOCK_KEY, "b": _BOOK_LOCK_KEY, "book": _book_key(book)}
            took = conn.execute(
                text(
                    "SELECT pg_advisory_xact_lock_shared(:k), "
                    "pg_try_advisory_xact_lock(:b, hashtext(:book))"
                ),
                locks,
            ).one()[1]
            if not took:  # another load of this book: wait for it, then read again
                conn.execute(text("SELECT pg_advisory_xact_lock(:b, hashtext(:book))"), locks)
                fresh_read = True
        if fresh_read:
            known = _known_scans(conn, keys)
        run_id, new_run = _start_run(conn, run_key, now)
        book_id = ensure_book(conn, book, now)
        _write(conn, records, keys, known, book, book_id, failures, run_id, now, summary, retried)
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
    return summary


def _book_key(book: Book) -> str:
    return "\x1f".join((book.unit, book.book_type, str(book.year), book.volume))


def _is_race(exc: Exception) -> bool:
    """A conflict with a load running at the same time (the retry sees its rows).

    Two loads of different books may carry the same page, or create the same unit,
    pipeline run or person: the second one's insert then fails on the natural key (or
    the server breaks a deadlock between them, or ``sohoa.people.link`` finds that both
    created one person). The whole transaction is retried; the retry finds the other
    load's rows and treats them as already known.
    """
    state = getattr(getattr(exc, "orig", exc), "sqlstate", None)
    # unique_violation, deadlock_detected, serialization_failure (PeopleRace)
    return state in ("23505", "40P01", "40001")


def _write(
    conn: Connection,
    records: Sequence[dict[str, Any]],
    keys: list[tuple[str, int]],  # each record's scan key (sha256, page)
    known: set[tuple[str, int]],  # those of pages already stored
    book: Book,
    book_id: int,
    failures: dict[int, list[dict[str, Any]]],
    run_id: int | None,
    now: datetime,
    summary: LoadSummary,
    retried: bool,
) -> None:
    taken = {
        r
        for (r,) in conn.execute(
            select(civil_record.c.registration_number).where(civil_record.c.book_id == book_id)
        )
    }
    first_of: dict[tuple[str, int], int] = {}
    for i, key in enumerate(keys):
        first = first_of.setdefault(key, i)
        if first != i and records[i] != records[first]:
            failures.setdefault(first, []).append(
                _issue(
                    None,
                    Rule.SCAN_LOADED_TWICE,
                    "the same page was uploaded twice, with different contents",
                )
            )
    firsts = [i for i, key in enumerate(keys) if first_of[key] == i and key not in known]
    number_of = {i: _number(records[i], book.book_type) for i in firsts}
    reasons_of = {
        i: _review_reasons(records[i], book, failures.get(i), number_of[i]) for i in firsts
    }
    load_numbers = Counter(
        number_of[i]
        for i in firsts
        if records[i].get("status") == "auto_accepted" and not reasons_of[i]
    )
    fresh: list[tuple[dict[str, Any], str]] = []  # (record, scan status), in input order
    reviews: list[tuple[int, dict[str, Any], list[dict[str, Any]]]] = []
    accepted: list[tuple[int, dict[str, Any]]] = []
    for i, rec in enumerate(records):
        key = keys[i]
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
                        Rule.REGISTRATION_NUMBER_TAKEN,
                        f"number {number} is already loaded in this book",
                    )
                )
            elif load_numbers[number] > 1:
                reasons.append(
                    _issue(
                        "registration_number",
                        Rule.DUPLICATE_REGISTRATION_NUMBER,
                        f"number {number} appears more than once in this load",
                    )
                )
        status = (
            "rejected" if rec.get("status") == "rejected" else "in_review" if reasons else "loaded"
        )
        fresh.append((rec, status))
        if status == "in_review":
            reviews.append((len(fresh) - 1, rec, reasons))
        elif status == "loaded":
            accepted.append((len(fresh) - 1, rec))
    scan_ids = allocate_ids(conn, scan, len(fresh))
    insert_tuples(
        conn,
        scan,
        _SCAN_COLUMNS,
        [
            (sid, *_scan_values(rec, book, book_id, status, run_id, now))
            for sid, (rec, status) in zip(scan_ids, fresh, strict=True)
        ],
    )
    summary.rejected = sum(1 for _, status in fresh if status == "rejected")
    _insert_reviews(conn, scan_ids, reviews, book_id, now, summary)
    items = [Accepted(scan_ids[pos], rec["doc_type"], rec["fields"]) for pos, rec in accepted]
    _, stats = store_records(conn, book_id, items, now, lock_people_first=retried)
    summary.loaded = len(items)
    summary.persons_created = stats.persons_created
    summary.persons_linked = stats.persons_linked
    summary.duplicate_flags = stats.duplicate_flags


def _insert_reviews(
    conn: Connection,
    scan_ids: list[int],
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
                "scan_id": scan_ids[pos],
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
    rec: dict[str, Any],
    book: Book,
    gate_issues: list[dict[str, Any]] | None,
    number: str | None,
) -> list[dict[str, Any]]:
    """Why a (not rejected) record needs a person; empty when it may be loaded.

    ``number``: the record's registration number read as the book's type would have it."""
    if rec.get("status") == "rejected":
        return []
    reasons: list[dict[str, Any]] = []
    if rec.get("status") != "auto_accepted":
        _merge(reasons, rec.get("issues", []))
    doc_type = rec.get("doc_type")
    if doc_type == "unknown":
        unknown = _issue(None, Rule.UNKNOWN_DOC_TYPE, "page type not recognised; type it in")
        _merge(reasons, [unknown])
    elif doc_type != book.book_type:
        mismatch = f"a {doc_type} page in a {book.book_type} book"
        _merge(reasons, [_issue(None, Rule.DOC_TYPE_MISMATCH, mismatch)])
    if doc_type == book.book_type and number is None:
        _merge(
            reasons,
            [_issue("registration_number", Rule.REQUIRED_MISSING, "no registration number")],
        )
    _merge(reasons, gate_issues or [], prefer_new=True)  # the suites own the value rules
    if rec.get("status") == "needs_review" and not reasons:
        reasons.append(_issue(None, Rule.NEEDS_REVIEW, "marked for review by extraction"))
    return reasons


def _merge(
    reasons: list[dict[str, Any]], more: Sequence[dict[str, Any]], prefer_new: bool = False
) -> None:
    """Add issues to ``reasons``, each failed rule of a field once: the reader, the gate
    and the loader may find the same fault, some under names of their own
    (:data:`ocr.rules.SAME_FACT`). ``prefer_new``: the new message replaces the one kept
    (the gate's, for the rules its suites own)."""
    at = {(r.get("field"), fact_of(r.get("rule") or "")): n for n, r in enumerate(reasons)}
    for issue in more:
        key = (issue.get("field"), fact_of(issue.get("rule") or ""))
        if key not in at:
            at[key] = len(reasons)
            reasons.append(dict(issue))
        elif prefer_new:
            reasons[at[key]] = dict(issue)


_SCAN_COLUMNS = (
    "id",
    "sha256",
    "page",
    "uri",
    "book_id",
    "book_type",
    "doc_type",
    "status",
    "reject_reason",
    "uploaded_by",
    "upload_meta",
    "quality",
    "pipeline_run_id",
    "created_at",
    "updated_at",
)


def _scan_values(
    rec: dict[str, Any],
    book: Book,
    book_id: int,
    status: str,
    run_id: int | None,
    now: datetime,
) -> tuple[Any, ...]:
    """A scan row without its id, in the order of ``_SCAN_COLUMNS[1:]``."""
    src = rec["source"]
    reason = None
    if status == "rejected":
        reason = (
            "; ".join(i.get("message") or i.get("rule") for i in rec.get("issues", []))
            or "rejected by extraction"
        )
    return (
        src["sha256"],
        int(src["page"]),
        src["uri"],
        book_id,
        book.book_type,
        rec.get("doc_type") or "unknown",
        status,
        reason,
        book.uploader,
        upload_meta(rec),  # unit, type, year and volume are the book's
        rec.get("quality"),
        run_id,
        now,
        now,
    )


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


def _issue(field_name: str | None, rule: Rule, message: str) -> dict[str, Any]:
    return {"field": field_name, "rule": str(rule), "message": message}


def _number(rec: dict[str, Any], doc_type: str | None) -> str | None:
    """The record's registration number (only that field is read: this runs per record)."""
    found = rec.get("fields", {}).get(doctypes.number_field(doc_type))
    return number_text(found.get("value") if found else None)


def _scan_key(rec: dict[str, Any]) -> tuple[str, int]:
    return rec["source"]["sha256"], int(rec["source"]["page"])


_SOURCE_KEYS = frozenset(("uri", "sha256", "page"))


def _check_shape(records: Sequence[dict[str, Any]]) -> None:
    for n, rec in enumerate(records, 1):
        src = rec.get("source") if isinstance(rec, dict) else None
        if not isinstance(src, dict) or not src.keys() >= _SOURCE_KEYS:
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
