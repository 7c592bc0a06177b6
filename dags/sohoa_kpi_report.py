"""``sohoa_kpi_report``: on the first of each month, write last month's KPI reports
(docs/kpis.md) for every unit."""

from __future__ import annotations

from airflow.sdk import dag, get_current_context, task

from sohoa.orchestration import settings


@dag(**settings.dag_arguments("sohoa_kpi_report", "@monthly", __doc__))
def sohoa_kpi_report() -> None:
    @task
    def write_reports() -> dict:
        from sohoa.orchestration.side_dags import previous_month, write_kpi_reports

        ctx = get_current_context()
        when = ctx.get("logical_date") or ctx["dag_run"].run_after
        return write_kpi_reports(previous_month(when.date()))

    write_reports()


sohoa_kpi_report()
