"""Airflow for the DAG tests: one temporary AIRFLOW_HOME with an SQLite metadata DB,
initialised once per session (it takes seconds).

Airflow reads its configuration when first imported, so the environment is set here,
when pytest loads this file, before any test module imports ``airflow``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_HOME = Path(tempfile.mkdtemp(prefix="sohoa-airflow-test-"))
os.environ.update(
    {
        "AIRFLOW_HOME": str(_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_HOME / 'airflow.db'}",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
    }
)
# Task settings read when the DAG file is parsed: fast retries, two workers per OCR task.
os.environ.update(
    {
        "SOHOA_RETRY_DELAY_SECONDS": "1",
        "SOHOA_MAX_RETRY_DELAY_SECONDS": "2",
        "SOHOA_TASK_RETRIES": "2",
        "SOHOA_OCR_JOBS": "2",
        "SOHOA_OCR_POOL_SLOTS": "2",
    }
)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """Airflow's metadata DB, migrated once, with the OCR pool."""
    from sohoa.orchestration.embedded import ensure_metadata_db, ensure_pool

    ensure_metadata_db(_HOME)
    ensure_pool()
    yield _HOME
    shutil.rmtree(_HOME, ignore_errors=True)


@pytest.fixture
def s3_landing(s3_landing_uri, monkeypatch):
    """A fresh bucket on the moto server, named by SOHOA_LANDING as in production."""
    from sohoa.landing.store import open_landing

    monkeypatch.setenv("SOHOA_LANDING", s3_landing_uri)
    return open_landing()


@pytest.fixture(scope="session")
def sample_scans(tmp_path_factory) -> dict:
    """A small register book: record pages, a two-page TIFF, a reject page and a file that
    is not an image at all. ``pages`` is how many pages must be accounted for."""
    from sohoa.samples import write_samples

    out = tmp_path_factory.mktemp("scans")
    files = write_samples(
        out / "single", count=3, seed=11, profile="clean", doc_types=["birth"], rejects=1
    )
    files += write_samples(
        out / "multi",
        count=1,
        seed=12,
        profile="clean",
        doc_types=["birth"],
        formats=["tiff"],
        pages_per_file=2,
    )
    broken = out / "broken.png"
    broken.write_bytes(b"<html>this is an error page, not a scan</html>")
    return {"files": [*files, broken], "pages": 3 + 1 + 2 + 1, "broken": broken}
