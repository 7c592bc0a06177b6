"""Orchestration settings, from the environment (read when the DAG file is parsed).

Cheap to import: the DAG files read these at parse time, and Airflow parses them often.
"""

from __future__ import annotations

import os
from datetime import timedelta

OCR_POOL = "sohoa_ocr"
"""The Airflow pool every OCR task runs in; its slots bound OCR concurrency per deployment
(``sohoa run`` and ``airflow-init`` create it with one slot per worker core)."""


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def batch_pages() -> int:
    """``SOHOA_BATCH_PAGES``: pages per mapped batch (a file is never split)."""
    return max(1, _int("SOHOA_BATCH_PAGES", 25))


def max_batches() -> int:
    """The most batches one run maps: Airflow fails a run whose mapped task has more than
    its ``[core] max_map_length`` (1024 by default), so a backlog larger than that (a
    province's 80,000 batches uploaded before the first run) is taken over several runs.
    ``SOHOA_MAX_BATCHES`` may lower it further."""
    try:
        from airflow.configuration import conf

        airflow_cap = conf.getint("core", "max_map_length", fallback=1024)
    except ImportError:  # the reader alone, without Airflow
        airflow_cap = 1024
    return max(1, min(_int("SOHOA_MAX_BATCHES", airflow_cap), airflow_cap))


def ocr_jobs() -> int:
    """``SOHOA_OCR_JOBS``: worker processes inside one OCR task. 1 in production, where the
    pool and the Celery workers give the parallelism; ``sohoa run`` uses one per core
    because ``dag.test()`` runs tasks one after another."""
    return max(1, _int("SOHOA_OCR_JOBS", 1))


def staged_records_hours() -> float:
    """``SOHOA_STAGED_RECORDS_HOURS``: how long the staged records of a run that did not
    load them (killed, or failed) are kept for a retry; loaded ones are removed at once."""
    raw = os.environ.get("SOHOA_STAGED_RECORDS_HOURS", "").strip()
    return max(0.0, float(raw)) if raw else 24.0


def ocr_pool_slots() -> int:
    """``SOHOA_OCR_POOL_SLOTS``: slots of :data:`OCR_POOL` (default: this machine's cores)."""
    return max(1, _int("SOHOA_OCR_POOL_SLOTS", os.cpu_count() or 1))


def retries() -> int:
    return max(0, _int("SOHOA_TASK_RETRIES", 3))


def retry_delay() -> timedelta:
    """``SOHOA_RETRY_DELAY_SECONDS``: first retry delay; later ones back off exponentially."""
    return timedelta(seconds=max(0, _int("SOHOA_RETRY_DELAY_SECONDS", 30)))


def max_retry_delay() -> timedelta:
    return timedelta(seconds=max(1, _int("SOHOA_MAX_RETRY_DELAY_SECONDS", 600)))


def digitize_schedule() -> str | None:
    """``SOHOA_DIGITIZE_SCHEDULE``: how often ``sohoa_digitize`` looks for new scans (a cron
    expression or preset; ``none`` for manual/asset-triggered runs only)."""
    raw = os.environ.get("SOHOA_DIGITIZE_SCHEDULE", "*/10 * * * *").strip()
    return None if raw.lower() in ("", "none", "manual") else raw


def dag_arguments(dag_id: str, schedule: str | None, doc: str | None) -> dict:
    """What every sohoa DAG shares: no catch-up, one run at a time, the task defaults."""
    from datetime import datetime

    return {
        "dag_id": dag_id,
        "schedule": schedule,
        "start_date": datetime(2024, 1, 1),
        "catchup": False,
        "max_active_runs": 1,
        "default_args": default_args(),
        "tags": ["sohoa"],
        "doc_md": doc,
    }


def default_args() -> dict:
    """Retries with exponential back-off and the configurable failure notice, for every task."""
    from sohoa.orchestration.alerts import notify_failure

    return {
        "owner": "sohoa",
        "retries": retries(),
        "retry_delay": retry_delay(),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": max_retry_delay(),
        "on_failure_callback": notify_failure,
    }
