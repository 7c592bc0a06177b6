"""``sohoa_digitize``: new scans in the landing zone → loaded records, review items, KPIs.

Thin wiring: every step is a function of :mod:`sohoa.orchestration.tasks`, imported inside
the task so parsing this file costs nothing. Only landing keys go through XCom. The OCR
step is mapped over page batches and runs in the ``sohoa_ocr`` pool, whose slots bound
OCR concurrency to the workers' cores.
"""

from __future__ import annotations

from airflow.sdk import dag, get_current_context, task

from sohoa.orchestration import settings
from sohoa.settings import get_settings

SETTINGS = get_settings()
OCR_SLOTS = min(SETTINGS.ocr_jobs, SETTINGS.ocr_pool_slots)


@dag(**settings.dag_arguments("sohoa_digitize", SETTINGS.digitize_schedule, __doc__))
def sohoa_digitize() -> None:
    @task
    def list_new_scans() -> str:
        from sohoa.orchestration import tasks

        return tasks.list_new_scans(get_current_context()["run_id"])

    @task
    def plan_batches(listing: str) -> list[str]:
        from sohoa.orchestration import tasks

        return tasks.plan_batches(listing)

    @task(
        pool=settings.OCR_POOL,
        pool_slots=OCR_SLOTS,
        map_index_template="{{ task.op_kwargs['plan'].split('/')[-2] }}",
    )
    def extract_batch(plan: str) -> str:
        from sohoa.orchestration import tasks

        return tasks.extract_batch(plan)

    @task
    def gate_batch(records: str) -> str:
        from sohoa.orchestration import tasks

        return tasks.gate_batch(records)

    @task
    def load_batch(gate: str) -> str:
        from sohoa.orchestration import tasks

        return tasks.load_batch(gate)

    @task
    def queue_review(loaded: str) -> str:
        from sohoa.orchestration import tasks

        return tasks.queue_review(loaded)

    @task(trigger_rule="none_failed")
    def refresh_kpis(reviews: list[str]) -> str:
        from sohoa.orchestration import tasks

        # One slice fetches every mapped result at once (iterating probes past the end).
        keys = list(reviews[:]) if reviews is not None else []
        return tasks.refresh_kpis(get_current_context()["run_id"], keys)

    plans = plan_batches(list_new_scans())
    staged = extract_batch.expand(plan=plans)
    gated = gate_batch.expand(records=staged)
    loaded = load_batch.expand(gate=gated)
    refresh_kpis(queue_review.expand(loaded=loaded))


sohoa_digitize()
