"""``sohoa_kpi_report``: on the first of each month, write last month's KPI reports
(SPEC section 7) for every unit."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, get_current_context, task

from sohoa.orchestration import settings


@dag(
    dag_id="sohoa_kpi_report",
    schedule="@monthly",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=settings.default_args(),
    tags=["sohoa"],
    doc_md=__doc__,
)
def sohoa_kpi_report() -> None:
    @task
    def write_reports() -> dict:
        from sohoa.orchestration.side_dags import previous_month, write_kpi_reports

        ctx = get_current_context()
        when = ctx.get("logical_date") or ctx["dag_run"].run_after
        return write_kpi_reports(previous_month(when.date()))

    write_reports()


sohoa_kpi_report()
