"""A run's staged batches in the landing zone, each object parsed once per process.

::

    runs/<run id>/new-scans.json              the scans the run found
    runs/<run id>/batch-NNNN/plan.json        the book and the scan keys of one batch
    runs/<run id>/batch-NNNN/records.jsonl    the pages read (names, ID numbers: see below)
    runs/<run id>/batch-NNNN/replaced.json    scans found replaced after upload, if any
    runs/<run id>/batch-NNNN/gate.json        the gate's outcome
    runs/<run id>/batch-NNNN/load.json        the load's summary and the pages it took
    runs/<run id>/batch-NNNN/review.json      what became of the pages
    runs/<run id>/report.json                 the run's report

``sohoa run`` runs every step in one process: the plan and the records a step reads are
kept for the next step, not parsed again. In Airflow each step may run elsewhere and
parses them once there.

The records hold personal data that the database keeps from then on: they are removed
as soon as their batch is loaded. Those of a run that never loaded them (killed, or
failed and not retried) are removed by a later run once older than
``SOHOA_STAGED_RECORDS_HOURS`` (default 24, the time to retry a failed run).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ocr.book import Book
from ocr.jsontext import json_text
from sohoa.landing.store import Landing
from sohoa.landing.zone import RUNS, discard_staged

PLAN = "plan.json"
RECORDS = "records.jsonl"
LISTING = "new-scans.json"
_KEPT = 16  # parsed objects kept per process (a batch's records are a few MB at most)
_parsed: OrderedDict[tuple[str, str], Any] = OrderedDict()


@dataclass(frozen=True)
class BatchPlan:
    """One batch of a run: the pages of one register book, by scan key."""

    run_id: str
    batch: int
    book: dict[str, Any]  # the sidecar fields that name the book
    keys: list[str]
    pages: int

    @property
    def run_key(self) -> str:
        """The load's ``pipeline_run`` key: one per batch of a run."""
        return f"{self.run_id}/batch-{self.batch:04d}"

    def register_book(self) -> Book:
        """The batch's book, named in full."""
        return (Book.from_meta(self.book) or Book()).complete()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> BatchPlan:
        return cls(doc["run_id"], int(doc["batch"]), doc["book"], list(doc["keys"]), doc["pages"])


def _remember(landing: Landing, key: str, value: Any) -> Any:
    _parsed[(landing.uri(""), key)] = value
    _parsed.move_to_end((landing.uri(""), key))
    while len(_parsed) > _KEPT:
        _parsed.popitem(last=False)
    return value


def _recall(landing: Landing, key: str) -> Any | None:
    return _parsed.get((landing.uri(""), key))


def write_plan(landing: Landing, key: str, plan: BatchPlan) -> None:
    landing.put_json(key, plan.to_json())
    _remember(landing, key, plan)


def read_plan(landing: Landing, key: str) -> BatchPlan:
    found = _recall(landing, key)
    if found is None:
        found = _remember(landing, key, BatchPlan.from_json(landing.read_json(key)))
    return found


def write_records(landing: Landing, key: str, records: list[dict[str, Any]]) -> None:
    landing.put_bytes(key, "".join(json_text(r) + "\n" for r in records).encode())
    _remember(landing, key, records)


def read_records(landing: Landing, key: str) -> list[dict[str, Any]]:
    """A batch's records (shared within the process: do not change them)."""
    found = _recall(landing, key)
    if found is None:
        text = landing.read_bytes(key).decode()
        found = _remember(landing, key, [json.loads(line) for line in text.splitlines() if line])
    return found


def discard_records(landing: Landing, key: str) -> None:
    """Remove a batch's staged records, from the landing zone and from memory."""
    _parsed.pop((landing.uri(""), key), None)
    discard_staged(landing, key)


def sweep_records(landing: Landing, keep_run: str, hours: float) -> int:
    """Remove the staged records of other runs listed more than ``hours`` ago (runs that
    never loaded them); returns how many were removed."""
    cutoff = datetime.now(UTC) - timedelta(hours=hours)
    listed: dict[str, datetime | None] = {}
    removed = 0
    for key in sorted(landing.list(RUNS)):
        parts = key.split("/")
        if len(parts) != 4 or parts[3] != RECORDS or parts[1] == keep_run:
            continue
        run = parts[1]
        if run not in listed:
            listed[run] = _listed_at(landing, f"{RUNS}/{run}/{LISTING}")
        when = listed[run]
        if when is not None and when <= cutoff:
            discard_records(landing, key)
            removed += 1
    return removed


def _listed_at(landing: Landing, key: str) -> datetime | None:
    try:
        return datetime.fromisoformat(landing.read_json(key)["listed_at"])
    except (KeyError, ValueError, TypeError):
        return None
