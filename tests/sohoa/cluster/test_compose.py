"""The compose file as ``sohoa cluster`` reads it is the compose file as Compose reads it:
every service's environment, command, health check and dependencies agree with what
``docker-compose config`` (Debian's, an independent parser) makes of the same file."""

from __future__ import annotations

import shlex
import shutil
import subprocess

import pytest
import yaml

from sohoa.cluster import compose

VARIABLES = {"SOHOA_BATCH_PAGES": "3", "AIRFLOW_WORKER_CONCURRENCY": "1", "SOHOA_DB_NAME": "pop"}


@pytest.fixture(scope="module")
def by_compose(tmp_path_factory) -> dict:
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is missing: scripts/setup.sh installs Debian's docker-compose"
    path = compose.compose_path()
    env = {"PATH": "/usr/bin:/bin", **VARIABLES}
    out = subprocess.run(
        [exe, "-f", str(path), "config"],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return yaml.safe_load(out.stdout)["services"]


@pytest.fixture(scope="module")
def ours(monkeypatch_module) -> dict[str, compose.Service]:
    return compose.load(given=VARIABLES)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        for name in list(__import__("os").environ):
            if name.startswith(("SOHOA_", "AIRFLOW", "MINIO_", "_AIRFLOW")):
                mp.delenv(name)  # interpolation must see only VARIABLES, as Compose here
        yield mp


def _unescape(value) -> str:
    return "" if value is None else str(value).replace("$$", "$")


def test_same_services(by_compose, ours):
    assert list(ours) and set(ours) == set(by_compose)


def test_same_environment(by_compose, ours):
    for name, svc in ours.items():
        theirs = {k: _unescape(v) for k, v in (by_compose[name].get("environment") or {}).items()}
        assert svc.environment == theirs, name
    worker = ours["airflow-worker"].environment
    assert worker["AIRFLOW__CELERY__WORKER_CONCURRENCY"] == "1"  # a variable was applied
    assert worker["SOHOA_DB_URL"].endswith("/pop")


def test_same_health_checks(by_compose, ours):
    for name, svc in ours.items():
        raw = by_compose[name].get("healthcheck")
        if raw is None:
            assert svc.healthcheck is None, name
            continue
        assert svc.healthcheck.test == [_unescape(t) for t in raw["test"]], name
        assert svc.healthcheck.retries == raw.get("retries", 3)


def test_same_commands_and_dependencies(by_compose, ours):
    for name, svc in ours.items():
        raw = by_compose[name]
        command = raw.get("command")
        if isinstance(command, str):
            command = shlex.split(command)  # as Compose splits a string
        expected = None if command is None else [_unescape(c) for c in command]
        assert svc.command == expected, name
        wanted = {
            d: (spec or {}).get("condition") for d, spec in (raw.get("depends_on") or {}).items()
        }
        assert svc.depends_on == wanted, name


def test_interpolation_rules():
    values = {"SET": "x", "EMPTY": ""}
    assert compose.interpolate("${SET:-d} ${EMPTY:-d} ${UNSET:-d}", values) == "x d d"
    assert compose.interpolate("${EMPTY-d} ${UNSET-d} ${SET}", values) == " d x"
    assert compose.interpolate("$$HOSTNAME $${HOSTNAME} $SET", values) == "$HOSTNAME ${HOSTNAME} x"


def test_dependencies_come_first(ours):
    order = compose.start_order(ours)
    for name, svc in ours.items():
        for dep in svc.depends_on:
            assert order.index(dep) < order.index(name)
