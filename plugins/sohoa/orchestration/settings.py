"""What the DAGs share: the OCR pool, the batch cap, and the arguments every DAG takes.

Cheap to import: the DAG files read these at parse time, and Airflow parses them often.
The values themselves are :func:`sohoa.settings.get_settings`'s.
"""

from __future__ import annotations

from datetime import timedelta

from sohoa.settings import get_settings

OCR_POOL = "sohoa_ocr"
"""The Airflow pool every OCR task runs in; its slots bound OCR concurrency per deployment
(``sohoa run`` and ``airflow-init`` create it with one slot per worker core)."""


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
    return max(1, min(get_settings().max_batches or airflow_cap, airflow_cap))


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

    settings = get_settings()
    return {
        "owner": "sohoa",
        "retries": settings.task_retries,
        "retry_delay": timedelta(seconds=settings.retry_delay_seconds),
        "retry_exponential_backoff": 2.0,
        "max_retry_delay": timedelta(seconds=settings.max_retry_delay_seconds),
        "on_failure_callback": notify_failure,
    }
