"""Every DAG file imports cleanly, quickly and without heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DAG_IDS = {"sohoa_digitize", "sohoa_review_load", "sohoa_dossiers", "sohoa_kpi_report"}


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    from sohoa.orchestration.settings import OCR_POOL

    return DagBag(dag_folder=str(REPO / "dags"), known_pools={"default_pool", OCR_POOL})


def test_dagbag_imports_without_errors_or_warnings(dagbag):
    assert dagbag.import_errors == {}
    assert dagbag.captured_warnings == {}
    assert set(dagbag.dag_ids) == DAG_IDS


def test_digitize_maps_batches_through_every_step(dagbag):
    dag = dagbag.dags["sohoa_digitize"]
    order = [
        "list_new_scans",
        "plan_batches",
        "extract_batch",
        "gate_batch",
        "load_batch",
        "queue_review",
        "refresh_kpis",
    ]
    assert set(dag.task_ids) == set(order)
    for up, down in zip(order, order[1:], strict=False):
        assert down in dag.get_task(up).downstream_task_ids
    mapped = {
        t.task_id
        for t in dag.tasks
        if getattr(t, "_is_mapped", False) or type(t).__name__ == "MappedOperator"
    }
    assert mapped == {"extract_batch", "gate_batch", "load_batch", "queue_review"}
    assert dag.get_task("extract_batch").pool == "sohoa_ocr"
    assert dag.max_active_runs == 1


def test_every_task_retries_with_backoff_and_notifies(dagbag):
    from sohoa.orchestration.alerts import notify_failure

    for dag in dagbag.dags.values():
        for t in dag.tasks:
            assert t.retries >= 1, (dag.dag_id, t.task_id)
            assert t.retry_exponential_backoff > 1
            callbacks = t.on_failure_callback
            callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
            assert notify_failure in callbacks


def test_dag_files_import_nothing_heavy():
    """The DAG processor parses these files often: no OCR, GX or database code at parse time."""
    code = (
        "import json, runpy, sys, glob\n"
        "for f in sorted(glob.glob('dags/*.py')): runpy.run_path(f)\n"
        "heavy = ['cv2', 'tesserocr', 'great_expectations', 'pandas', 'ocr.pipeline',\n"
        "         'sohoa.orchestration.tasks', 'sohoa.load.transaction', 'boto3']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
