"""The steps of ``sohoa_digitize``; each takes and returns landing keys, never data.

Only keys travel between steps (through XCom): the records themselves are staged in the
landing zone under ``runs/<run id>/batch-NNNN/``, so any worker can pick up any step and
XCom stays small. Every step is idempotent:

- a step whose output already exists returns it without redoing the work (OCR is the
  expensive part, and a retry of a later step must not repeat it);
- the load is idempotent in the database itself (scans are keyed by sha256 + page);
- a scan is marked processed only after its batch is loaded, so a crash before that
  point only means the scan is picked up again and found already loaded.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ocr.rules import Rule
from sohoa.landing.store import Landing, open_landing
from sohoa.landing.zone import (
    RUNS,
    mark_processed,
    pending_scans,
    quarantine,
    quarantine_key,
    quarantine_reason,
    quarantine_replaced,
    read_meta,
    replaced_key,
    safe_part,
    sha_of,
)
from sohoa.orchestration import settings
from sohoa.orchestration.batches import plan
from sohoa.orchestration.progress import pages_done, pages_planned, pages_read, progress
from sohoa.orchestration.staging import (
    LISTING,
    PLAN,
    RECORDS,
    BatchPlan,
    discard_records,
    read_plan,
    read_records,
    sweep_records,
    write_plan,
    write_records,
)
from sohoa.settings import get_settings

GATE = "gate.json"
LOADED = "load.json"
REVIEW = "review.json"
REPORT = "report.json"
REPLACED = "replaced.json"  # scans found replaced after upload: {key: key of what is there}


def run_folder(run_id: str) -> str:
    return f"{RUNS}/{safe_part(run_id)}"


def _folder(key: str) -> str:
    return key.rsplit("/", 1)[0]


def _name(folder: str) -> str:
    return folder.rsplit("/", 1)[-1]


# 1. list new scans ------------------------------------------------------------------------


def list_new_scans(run_id: str, landing: Landing | None = None) -> str:
    """Bring the database schema up to date, then write the run's list of new scans."""
    from sohoa.orchestration.database import ensure_schema

    landing = landing or open_landing()
    ensure_schema()
    swept = sweep_records(landing, safe_part(run_id), get_settings().staged_records_hours)
    if swept:
        progress(f"removed the staged records of {swept} batch(es) that were never loaded")
    keys = list(pending_scans(landing))
    out = f"{run_folder(run_id)}/{LISTING}"
    landing.put_json(
        out, {"run_id": run_id, "keys": keys, "listed_at": datetime.now(UTC).isoformat()}
    )
    progress(f"{len(keys)} new scan file(s) in {landing.uri('')}")
    return out


# 2. plan page batches ---------------------------------------------------------------------


def plan_batches(
    listing_key: str, batch_pages: int | None = None, landing: Landing | None = None
) -> list[str]:
    """Write one plan per batch; returns their keys (what the DAG maps over)."""
    landing = landing or open_landing()
    listing = landing.read_json(listing_key)
    scans = [(key, read_meta(landing, key)) for key in listing["keys"]]
    batches = plan(scans, batch_pages or get_settings().batch_pages)
    cap = settings.max_batches()
    if len(batches) > cap:
        # The rest stay new in the landing zone: the next run lists and plans them.
        progress(f"{len(batches) - cap} batch(es) left for the next run (at most {cap} a run)")
        batches = batches[:cap]
        taken = {key for batch in batches for key in batch.keys}
        scans = [(key, meta) for key, meta in scans if key in taken]
    folder = _folder(listing_key)
    out: list[str] = []
    for n, batch in enumerate(batches, start=1):
        key = f"{folder}/batch-{n:04d}/{PLAN}"
        write_plan(
            landing, key, BatchPlan(listing["run_id"], n, batch.book, batch.keys, batch.pages)
        )
        out.append(key)
    pages = sum(meta.pages for _, meta in scans)
    progress(f"{len(scans)} file(s), {pages} page(s) in {len(out)} batch(es)")
    pages_planned(pages)
    return out


# 3. prepare, OCR and extract --------------------------------------------------------------


def upload_facts(landing: Landing, scan_key: str) -> dict[str, str]:
    """What the uploader said about a scan that the loader keeps with it (a dossier
    result's dossier code), from the scan's sidecar."""
    try:
        meta = read_meta(landing, scan_key)
    except KeyError:
        return {}
    code = meta.book.dossier_code
    return {"dossier_code": code} if code else {}


def extract_batch(plan_key: str, jobs: int | None = None, landing: Landing | None = None) -> str:
    """Read every page of the batch into records (docs/record.md), staged as JSON Lines.

    A file that cannot be read is moved to ``quarantine/`` with its reason and stands in
    the batch as a ``rejected`` record, so it is still accounted for.
    """
    from ocr.book import Book
    from ocr.loading import sha256_of
    from sohoa.orchestration.ocr_pool import extract_files

    landing = landing or open_landing()
    out = f"{_folder(plan_key)}/{RECORDS}"
    if landing.exists(out):
        return out
    doc = read_plan(landing, plan_key)
    replaced_at = f"{_folder(plan_key)}/{REPLACED}"
    replaced: dict[str, str] = landing.read_json(replaced_at) if landing.exists(replaced_at) else {}
    records: list[dict[str, Any]] = []
    with ExitStack() as stack:
        present: list[tuple[str, str, Path]] = []  # (key as uploaded, where it is now, copy)
        for key in doc.keys:
            if key in replaced:  # found replaced by an earlier try of this task
                records.append(_replaced(landing, key, sha_of(replaced[key])))
                pages_read(1)
                continue
            # A file quarantined by an earlier try of this task is read from quarantine.
            where = key if landing.exists(key) else quarantine_key(key)
            if not landing.exists(where):
                records.append(
                    _quarantined_record(
                        landing,
                        key,
                        0,
                        "the uploaded file is no longer in the landing zone",
                        moved=False,
                    )
                )
                pages_read(1)
                continue
            copy = stack.enter_context(landing.local_copy(where))
            content = sha256_of(copy)
            if content != sha_of(key):
                replaced[key] = replaced_key(key, content)
                landing.put_json(replaced_at, replaced)  # before the move: a retry knows
                records.append(_replaced(landing, key, content))
                pages_read(1)
                continue
            present.append((key, where, copy))
        results = extract_files(
            [p for _, _, p in present], jobs or get_settings().ocr_jobs, Book.from_meta(doc.book)
        )
        for (key, where, _path), (recs, error) in zip(present, results, strict=True):
            pages_read(len(recs))
            # The reader's stand-in for an unreadable file is replaced by ours below,
            # which points at the quarantined copy.
            read = [r for r in recs if not (error and _unreadable(r))]
            if error:
                where = quarantine(landing, key, error)
            upload = upload_facts(landing, key)
            for rec in read:
                rec["source"]["uri"] = landing.uri(where)
                if upload:
                    rec["upload"] = upload
            records += read
            if error:
                records.append(_quarantined_record(landing, key, len(read), error))
    records.sort(key=lambda r: (r["source"]["uri"], r["source"]["page"]))
    progress(f"batch {doc.batch}: read {len(records)} page(s) of {len(doc.keys)} file(s)")
    write_records(landing, out, records)
    return out


def _replaced(landing: Landing, key: str, content_sha256: str) -> dict[str, Any]:
    """Quarantine a scan whose content is not the file uploaded (its hash differs from the
    one it was uploaded under); the rejected record that stands for it."""
    reason = (
        f"the file was replaced after upload: its content (sha256 {content_sha256[:12]}…) "
        f"is not the file uploaded (sha256 {sha_of(key)[:12]}…), so it was not read. "
        "Upload the original file again"
    )
    new_key = quarantine_replaced(landing, key, content_sha256, reason)
    record = _quarantined_record(landing, new_key, 0, reason)
    record["issues"][0]["rule"] = str(Rule.SCAN_REPLACED)
    return record


def _unreadable(record: dict[str, Any]) -> bool:
    return any(i.get("rule") == Rule.UNREADABLE_FILE for i in record.get("issues", []))


def _quarantined_record(
    landing: Landing, key: str, pages_read: int, reason: str, *, moved: bool = True
) -> dict[str, Any]:
    """The ``rejected`` record standing for the unreadable rest of a file (page N+1 on)."""
    return {
        "source": {
            "uri": landing.uri(quarantine_key(key) if moved else key),
            "page": pages_read + 1,
            "sha256": sha_of(key),
        },
        "doc_type": "unknown",
        "fields": {},
        "quality": {"rotation": 0, "skew_deg": 0.0, "sharpness": 0.0, "readable": False},
        "status": "rejected",
        "issues": [
            {
                "field": None,
                "rule": str(Rule.UNREADABLE_FILE),
                "message": f"{reason} (moved to quarantine)" if moved else reason,
            }
        ],
    }


# 4. the Great Expectations gate -----------------------------------------------------------


def gate_batch(records_key: str, landing: Landing | None = None) -> str:
    """Validate the batch; stage the gate's outcome whole (which records failed which
    rule, the warnings, where the validation result and its Data Docs are)."""
    from sohoa.orchestration.database import run_gate

    landing = landing or open_landing()
    folder = _folder(records_key)
    out = f"{folder}/{GATE}"
    if landing.exists(out):
        return out
    records = read_records(landing, records_key)
    outcome = run_gate(records, read_plan(landing, f"{folder}/{PLAN}").register_book())
    progress(f"{_name(folder)}: gate flagged {len(outcome.failures)} of {len(records)} record(s)")
    landing.put_json(out, outcome.to_json())
    return out


# 5. load ----------------------------------------------------------------------------------


def load_batch(gate_key: str, landing: Landing | None = None) -> str:
    """Load the batch in one transaction: passing records become civil records, failing
    ones review items (written in the same transaction), rejected pages rejected scans.

    Then the staged records are removed: the database holds them now, and ``load.json``
    names the pages (sha256 and page) for the steps after this one."""
    from sohoa.gate.validate import GateResult
    from sohoa.orchestration.database import load_records

    landing = landing or open_landing()
    folder = _folder(gate_key)
    out = f"{folder}/{LOADED}"
    if landing.exists(out):  # loaded by an earlier try, whose records may be gone
        return out
    doc = read_plan(landing, f"{folder}/{PLAN}")
    records_key = f"{folder}/{RECORDS}"
    records = read_records(landing, records_key)
    gated = GateResult.from_json(landing.read_json(gate_key))
    summary = load_records(records, doc.register_book(), gated, run_key=doc.run_key)
    pages = [[r["source"]["sha256"], int(r["source"]["page"])] for r in records]
    landing.put_json(out, {**summary, "pages": pages})
    discard_records(landing, records_key)
    progress(
        f"{_name(folder)}: loaded {summary.get('loaded', 0)}, "
        f"to review {summary.get('in_review', 0)}, rejected {summary.get('rejected', 0)}"
        f", already known {summary.get('skipped_existing', 0)}"
    )
    return out


# 6. queue the review items ----------------------------------------------------------------


def queue_review(load_key: str, landing: Landing | None = None) -> str:
    """Publish the batch's outcome: its pages' fates as the database now holds them and
    the review items waiting for archive staff; then mark its scans processed.

    The review items themselves are written by the load, in the same transaction as the
    loaded records, so a page can never be neither loaded nor queued.
    """
    from sohoa.orchestration.database import page_outcomes

    landing = landing or open_landing()
    folder = _folder(load_key)
    doc = read_plan(landing, f"{folder}/{PLAN}")
    loaded = landing.read_json(load_key)
    outcome = page_outcomes([(sha, int(page)) for sha, page in loaded["pages"]])
    gate = landing.read_json(f"{folder}/{GATE}")
    landing.put_json(
        f"{folder}/{REVIEW}",
        {
            **outcome,
            "validation_report": gate.get("report_path"),
            "validation_result": gate.get("result_path"),
        },
    )
    replaced_at = f"{folder}/{REPLACED}"
    replaced = landing.read_json(replaced_at) if landing.exists(replaced_at) else {}
    for key in doc.keys:
        key = replaced.get(key, key)  # what was really there, not the upload it replaced
        fate = "quarantined" if quarantine_reason(landing, key) else "processed"
        mark_processed(landing, key, doc.run_id, fate)
    return f"{folder}/{REVIEW}"


# 7. refresh the KPIs ----------------------------------------------------------------------


def refresh_kpis(run_id: str, review_keys: list[str], landing: Landing | None = None) -> str:
    """Write the run's report (pages in, loaded, in review, rejected) and refresh the KPIs
    (see :func:`sohoa.orchestration.database.refresh_kpis`). A run that found nothing new
    changes nothing in the database, not even ``pipeline_run``."""
    from sohoa.orchestration.database import data_docs_index, refresh_kpis

    pages_done()
    landing = landing or open_landing()
    totals = {"pages": 0, "loaded": 0, "in_review": 0, "rejected": 0, "missing": 0}
    reports: list[str] = []
    results: list[str] = []
    review_items: list[int] = []
    for key in review_keys or []:
        doc = landing.read_json(key)
        for name in totals:
            totals[name] += int(doc.get(name, 0))
        review_items += doc.get("review_item_ids", [])
        if doc.get("validation_report"):
            reports.append(doc["validation_report"])
        if doc.get("validation_result"):
            results.append(doc["validation_result"])
    report_key = f"{run_folder(run_id)}/{REPORT}"
    report = {
        "run_id": run_id,
        "batches": len(review_keys or []),
        **totals,
        "review_item_ids": review_items,
        "validation_reports": reports,
        "validation_results": results,
        "data_docs": data_docs_index(),
        "finished_at": datetime.now(UTC).isoformat(),
    }
    if review_keys:
        report.update(refresh_kpis(run_id, totals))
    report["report"] = landing.uri(report_key)
    landing.put_json(report_key, report)
    return report_key
