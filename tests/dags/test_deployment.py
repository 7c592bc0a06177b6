"""docker-compose.yml and the Dockerfile, checked offline (no Docker engine here):
the file is valid for ``docker-compose config``, and every service's settings match what
the code reads and what the other services provide."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SOHOA_SERVICES = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-worker",
    "airflow-triggerer",
    "airflow-init",
    "sohoa-web",
}
REQUIRED = {"postgres", "redis", "minio", "minio-init", *SOHOA_SERVICES}
# Options of the Celery provider (installed in the image, not in this test environment).
CELERY_OPTIONS = {"broker_url", "result_backend", "worker_concurrency"}


@pytest.fixture(scope="module")
def compose() -> dict:
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is missing: scripts/setup.sh installs Debian's docker-compose"
    out = subprocess.run(
        [exe, "-f", str(REPO / "docker-compose.yml"), "config"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return yaml.safe_load(out.stdout)


def env(compose, service) -> dict[str, str]:
    raw = compose["services"][service].get("environment") or {}
    return {k: "" if v is None else str(v) for k, v in raw.items()}


def test_every_service_is_there_with_a_health_check(compose):
    services = compose["services"]
    assert set(services) >= REQUIRED
    for name, svc in services.items():
        assert svc.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_workers_scale_out(compose):
    worker = compose["services"]["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker
    assert worker["command"] in ("celery worker", ["celery", "worker"])
    for name in SOHOA_SERVICES:
        assert env(compose, name)["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"


def _read_by_code() -> set[str]:
    names: set[str] = set()
    for folder in ("ocr", "plugins", "dags"):
        for path in (REPO / folder).rglob("*.py"):
            names |= set(re.findall(r"SOHOA_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    return names


def test_sohoa_settings_are_ones_the_code_reads(compose):
    read = _read_by_code()
    for name in SOHOA_SERVICES:
        e = env(compose, name)
        for required in ("SOHOA_DB_URL", "SOHOA_LANDING", "SOHOA_S3_ENDPOINT_URL"):
            assert e.get(required), f"{name} lacks {required}"
        unknown = {k for k in e if k.startswith("SOHOA_")} - read
        assert not unknown, f"{name} sets variables no code reads: {unknown}"


def test_airflow_settings_are_real_options(compose):
    from airflow.configuration import conf

    known = conf.configuration_description  # every documented option, set or not
    for name in SOHOA_SERVICES:
        for key in env(compose, name):
            if not key.startswith("AIRFLOW__"):
                continue
            section, option = key.removeprefix("AIRFLOW__").lower().split("__", 1)
            if section == "celery":
                assert option in CELERY_OPTIONS, key
            else:
                assert option in known.get(section, {}).get("options", {}), (
                    f"{name}: {key} is not an Airflow option"
                )


def test_services_point_at_each_other(compose):
    services = compose["services"]
    pg = env(compose, "postgres")
    minio = env(compose, "minio")
    bucket = env(compose, "minio-init")["SOHOA_BUCKET"]
    for name in SOHOA_SERVICES:
        e = env(compose, name)
        db = urlsplit(e["SOHOA_DB_URL"])
        airflow_db = urlsplit(e["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
        assert db.hostname == airflow_db.hostname == "postgres"
        assert db.path.lstrip("/") == pg["SOHOA_DB_NAME"]  # created by the init script
        assert (db.username, db.password) == (pg["SOHOA_DB_USER"], pg["SOHOA_DB_PASSWORD"])
        assert airflow_db.path.lstrip("/") == pg["POSTGRES_DB"] != pg["SOHOA_DB_NAME"]
        assert (airflow_db.username, airflow_db.password) == (
            pg["POSTGRES_USER"],
            pg["POSTGRES_PASSWORD"],
        )
        assert urlsplit(e["AIRFLOW__CELERY__BROKER_URL"]).hostname == "redis"
        api = urlsplit(e["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"])
        assert api.hostname in services and api.port == 8080
        s3 = urlsplit(e["SOHOA_S3_ENDPOINT_URL"])
        assert s3.hostname in services and services[s3.hostname]["image"].startswith("minio/")
        assert e["SOHOA_LANDING"].startswith(f"s3://{bucket}/")
        assert (e["AWS_ACCESS_KEY_ID"], e["AWS_SECRET_ACCESS_KEY"]) == (
            minio["MINIO_ROOT_USER"],
            minio["MINIO_ROOT_PASSWORD"],
        )
    init_script = (REPO / "deploy" / "postgres" / "10-sohoa-database.sh").read_text()
    for var in ("SOHOA_DB_USER", "SOHOA_DB_PASSWORD", "SOHOA_DB_NAME"):
        assert "${" + var + "}" in init_script
    mounts = [str(v) for v in services["postgres"]["volumes"]]
    assert any("docker-entrypoint-initdb.d" in m for m in mounts)


def test_init_creates_the_ocr_pool_the_dag_uses(compose):
    from sohoa.orchestration.settings import OCR_POOL

    command = " ".join(compose["services"]["airflow-init"]["command"])
    assert f"airflow pools set {OCR_POOL}" in command
    assert "SOHOA_OCR_POOL_SLOTS" in command
    assert "sohoa.db.migrate" in command


def test_dockerfile_uses_the_pinned_airflow_and_vietnamese_tesseract():
    pins = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    airflow_pin = next(p for p in pins if p.startswith("apache-airflow==")).split("==")[1]
    text = (REPO / "Dockerfile").read_text()
    assert f"ARG AIRFLOW_VERSION={airflow_pin}" in text
    assert re.search(r"^FROM apache/airflow:\$\{AIRFLOW_VERSION\}", text, re.M)
    assert "tesseract-ocr-vie" in text
    for folder in ("ocr", "plugins", "schemas", "dags"):
        assert re.search(rf"^COPY .*\b{folder}\b", text, re.M), folder
