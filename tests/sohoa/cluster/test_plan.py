"""Each local process gets its service's settings from the compose file, changed only by
the translations ``sohoa.cluster.plan`` lists (addresses, paths, the image, the binaries);
a service or health check it cannot translate is refused, not left out."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from ocr.errors import ConfigurationError
from sohoa.cluster import compose
from sohoa.cluster.plan import IMAGE_DEFAULTS, LOCAL_ONLY, image_environment, plan
from sohoa.settings import PROJECT_ROOT

ADDRESS = re.compile(r"(127\.0\.0\.1|[a-z][a-z0-9-]*):\d+")


@pytest.fixture(scope="module")
def services() -> dict[str, compose.Service]:
    return compose.load(given={"SOHOA_DIGITIZE_SCHEDULE": "none"})


@pytest.fixture(scope="module")
def the_plan(services, tmp_path_factory):
    return plan(services, tmp_path_factory.mktemp("state"), workers=3)


def _same_but_translated(compose_value: str, local: str) -> bool:
    if compose_value == local:
        return True
    if ADDRESS.sub("ADDR", compose_value) == ADDRESS.sub("ADDR", local):
        return True
    # a container path: the local folder mounted there, ending the same way
    return compose_value.startswith("/") and Path(local).name == Path(compose_value).name


def test_every_service_runs_with_its_replicas(services, the_plan):
    assert {p.service for p in the_plan.procs} == set(services)
    workers = [p.name for p in the_plan.of_service("airflow-worker")]
    assert workers == ["airflow-worker-1", "airflow-worker-2", "airflow-worker-3"]


def test_environment_is_the_compose_files(services, the_plan):
    image = image_environment(PROJECT_ROOT / "Dockerfile")
    for proc in the_plan.procs:
        wanted = services[proc.service].environment
        for key, value in wanted.items():
            assert key in proc.env, f"{proc.name} lacks {key}"
            assert _same_but_translated(value, proc.env[key]), (proc.name, key, proc.env[key])
        extra = set(proc.env) - set(wanted) - LOCAL_ONLY - set(image)
        assert not extra, f"{proc.name} gets settings the compose file does not give: {extra}"
        if services[proc.service].built:
            for key, value in image.items():
                assert _same_but_translated(value, proc.env[key]), (proc.name, key)
            assert set(IMAGE_DEFAULTS) <= set(proc.env)


def test_addresses_point_at_the_local_ports(the_plan):
    pg = the_plan.proc("postgres").ports[5432]
    redis = the_plan.proc("redis").ports[6379]
    api = the_plan.proc("airflow-apiserver").ports[8080]
    env = the_plan.proc("airflow-worker-2").env
    assert f"@127.0.0.1:{pg}/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert env["AIRFLOW__CELERY__BROKER_URL"] == f"redis://:@127.0.0.1:{redis}/0"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == f"http://127.0.0.1:{api}/execution/"
    assert env["HOSTNAME"] == "airflow-worker-2"
    ports = [port for p in the_plan.procs for port in p.ports.values()]
    worker_log_ports = {
        p.env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"]
        for p in the_plan.procs
        if p.service == "airflow-worker"
    }
    assert len(worker_log_ports) == 3  # three workers, one machine: three log servers
    assert len(set(ports)) == len(ports)  # no two processes listen on one port


def test_paths_follow_the_mounts(the_plan, tmp_path_factory):
    env = the_plan.proc("airflow-scheduler").env
    assert Path(env["AIRFLOW__CORE__DAGS_FOLDER"]) == PROJECT_ROOT / "dags"
    assert Path(env["SOHOA_MIGRATIONS_DIR"]) == PROJECT_ROOT / "schemas" / "migrations"
    state = Path(the_plan.state_dir)
    for key in ("SOHOA_VALIDATION_DIR", "SOHOA_LOOKUP_KEY_FILE", "AIRFLOW_HOME", "AIRFLOW_CONFIG"):
        assert state in Path(env[key]).parents, key  # nothing written into the repository


def test_every_health_check_is_translated(services, the_plan):
    for proc in the_plan.procs:
        check = services[proc.service].healthcheck
        assert (proc.health is None) == (check is None), proc.name
        if proc.health:
            assert proc.health.compose_test == check.test
            assert proc.health.how in ("exec", "http", "s3")


def test_an_unknown_service_is_refused(services, tmp_path):
    odd = dataclasses.replace(services["redis"], name="cache", image="memcached:1.6")
    with pytest.raises(ConfigurationError, match="cache"):
        plan({**services, "cache": odd}, tmp_path)


def test_an_untranslatable_health_check_is_refused(services, tmp_path):
    check = dataclasses.replace(services["redis"].healthcheck, test=["CMD", "nc", "-z", "x"])
    odd = dataclasses.replace(services["redis"], healthcheck=check)
    with pytest.raises(ConfigurationError, match="health check of redis"):
        plan({**services, "redis": odd}, tmp_path)
