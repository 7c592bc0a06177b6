"""``sohoa_review_load``: what follows the records archive staff confirmed or typed in
review (docs/review.md). The confirmation itself writes the record through the loader's
code; this DAG checks that each confirmed item is loaded, links confirmed dossier results
to their dossiers and records the run."""

from __future__ import annotations

from airflow.sdk import dag, get_current_context, task

from sohoa.orchestration import settings


@dag(**settings.dag_arguments("sohoa_review_load", "*/15 * * * *", __doc__))
def sohoa_review_load() -> None:
    @task
    def load_confirmed() -> dict:
        from sohoa.orchestration.side_dags import load_confirmed_reviews

        return load_confirmed_reviews(get_current_context()["run_id"])

    load_confirmed()


sohoa_review_load()
