"""``sohoa_dossiers``: import the one-stop system's dossier exports dropped into
``<landing>/dossiers/`` (docs/kpis.md), one mapped task per file."""

from __future__ import annotations

from airflow.sdk import dag, task

from sohoa.orchestration import settings


@dag(**settings.dag_arguments("sohoa_dossiers", "@hourly", __doc__))
def sohoa_dossiers() -> None:
    @task
    def list_exports() -> list[str]:
        from sohoa.orchestration.side_dags import list_dossier_exports

        return list_dossier_exports()

    @task
    def import_export(key: str) -> str:
        from sohoa.orchestration.side_dags import import_dossier_export

        return import_dossier_export(key)

    import_export.expand(key=list_exports())


sohoa_dossiers()
