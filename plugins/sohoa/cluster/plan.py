"""The compose file's services as local processes (``sohoa cluster``).

Everything a process gets comes from the compose file, the way a container gets it:
its environment, its command, its health check, what it depends on, its restart policy.
What one machine without Docker changes is kept to a short, listed set of translations:

- **addresses**: every service shares this machine's network, so each listening port of a
  container gets a free local port, and ``<service>:<port>`` in any setting becomes
  ``127.0.0.1:<that port>``; the setting that moves a listener is in :data:`LISTENERS`;
- **paths**: a container path becomes the local folder mounted there (``./dags`` stays
  the repository's ``dags/``; a named volume or a bind mount the repository does not hold
  is a folder under the cluster's state folder);
- **the image**: the sohoa image's ``ENV`` (from the ``Dockerfile``) and the official
  Airflow image's ``AIRFLOW_HOME``; ``HOSTNAME`` is the container's name, so each worker
  is told apart (``AIRFLOW__CORE__HOSTNAME_CALLABLE`` reads it);
- **the binaries**: Debian's PostgreSQL and ``redis-server``, MinIO where it is installed
  and moto's S3 server otherwise, this ``.venv``'s ``airflow`` and ``sohoa``.

:func:`plan` refuses a service or a health check it has no translation for, so a change
to the compose file cannot be silently left out here.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ocr.errors import ConfigurationError
from sohoa.cluster.compose import Service, start_order
from sohoa.settings import PROJECT_ROOT

LOCAL_HOST = "127.0.0.1"
AIRFLOW_HOME_IN_IMAGE = "/opt/airflow"  # the official image's AIRFLOW_HOME
SOHOA_IN_IMAGE = "/opt/sohoa"  # the Dockerfile's WORKDIR for sohoa's source
# Settings whose image defaults follow AIRFLOW_HOME; set here so that they follow the mounts.
IMAGE_DEFAULTS = {
    "AIRFLOW_HOME": AIRFLOW_HOME_IN_IMAGE,
    "AIRFLOW__CORE__DAGS_FOLDER": f"{AIRFLOW_HOME_IN_IMAGE}/dags",
    "AIRFLOW__LOGGING__BASE_LOG_FOLDER": f"{AIRFLOW_HOME_IN_IMAGE}/logs",
}
# What an Airflow service listens on in its container, and the setting that moves it.
LISTENERS: dict[str, dict[int, str]] = {
    "api-server": {8080: "AIRFLOW__API__PORT"},
    "scheduler": {8974: "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT"},
    "celery worker": {8793: "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"},
    "triggerer": {8794: "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT"},
}
# Ports the other images listen on without saying so in the compose file.
IMAGE_PORTS = {"postgres": [5432], "redis": [6379], "s3": [9000]}
# Settings added to every local process that are not the compose file's (the test
# ``tests/sohoa/cluster/test_plan.py`` holds the cluster to this list).
LOCAL_ONLY = {"PATH", "HOME", "LANG", "LC_ALL", "HOSTNAME", "AIRFLOW__API__HOST", "PGHOST"}
LOCAL_ONLY |= {name for ports in LISTENERS.values() for name in ports.values()}
LOCAL_ONLY |= set(IMAGE_DEFAULTS)


@dataclass
class Health:
    """A translated health check: ``exec`` (argv, exit 0), ``http`` (URL answers below
    400) or ``s3`` (the endpoint lists its buckets)."""

    how: str
    args: list[str]
    timeout: float
    interval: float
    budget: float  # start_period + interval × retries: when compose would call it unhealthy
    compose_test: list[str]
    retries: int = 3  # consecutive failures before Compose calls a service unhealthy


@dataclass
class Proc:
    """One local process: a service, or one replica of it (``airflow-worker-2``)."""

    name: str
    service: str
    kind: str  # "postgres" | "redis" | "s3" | "make-bucket" | "airflow" | "command" | "init"
    argv: list[str]
    env: dict[str, str]
    oneshot: bool
    restart: bool
    depends_on: dict[str, str]
    ports: dict[int, int] = field(default_factory=dict)  # container port -> local port
    health: Health | None = None
    stop_signal: int = int(signal.SIGTERM)
    user: str | None = None
    data: dict[str, str] = field(default_factory=dict)  # what a kind's preparation needs


@dataclass
class Plan:
    state_dir: str
    procs: list[Proc]
    urls: dict[str, str]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, doc: dict) -> Plan:
        procs = []
        for p in doc["procs"]:
            health = Health(**p["health"]) if p.get("health") else None
            ports = {int(k): v for k, v in p.get("ports", {}).items()}
            procs.append(Proc(**{**p, "health": health, "ports": ports}))
        return cls(doc["state_dir"], procs, doc["urls"])

    def proc(self, name: str) -> Proc:
        for p in self.procs:
            if p.name == name:
                return p
        raise KeyError(name)

    def of_service(self, service: str) -> list[Proc]:
        return [p for p in self.procs if p.service == service]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOCAL_HOST, 0))
        return s.getsockname()[1]


def image_environment(dockerfile: Path) -> dict[str, str]:
    """The ``ENV`` instructions of the sohoa image's ``Dockerfile`` (``K=V`` form)."""
    text = dockerfile.read_text(encoding="utf-8").replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if re.match(r"^\s*ENV\s", line):
            for key, value in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\S+)", line):
                env[key] = value.strip('"')
    return env


def kind_of(service: Service) -> str:
    image = service.image.split(":")[0]
    if service.built:
        if service.entrypoint == []:
            return "command"
        if service.entrypoint and service.entrypoint[0].endswith("bash"):
            return "init"
        return "airflow"
    kinds = {
        "postgres": "postgres",
        "redis": "redis",
        "minio/minio": "s3",
        "minio/mc": "make-bucket",
    }
    if image not in kinds:
        raise ConfigurationError(
            f"sohoa cluster does not know how to run the service {service.name} "
            f"(image {service.image}) without Docker: add it to sohoa.cluster.plan"
        )
    return kinds[image]


class _Localizer:
    """Addresses and paths of the containers, rewritten for this machine."""

    def __init__(self, ports: dict[str, dict[int, int]], paths: dict[str, Path]) -> None:
        self.ports = ports
        self.paths = dict(sorted(paths.items(), key=lambda kv: -len(kv[0])))
        names = "|".join(re.escape(n) for n in sorted(ports, key=len, reverse=True))
        self._address = re.compile(rf"(?<![\w.-])({names}):(\d+)") if names else None

    def address(self, service: str, port: int) -> str:
        try:
            return f"{LOCAL_HOST}:{self.ports[service][port]}"
        except KeyError:
            raise ConfigurationError(
                f"a setting points at {service}:{port}, which that service does not listen on"
            ) from None

    def __call__(self, text: str) -> str:
        if self._address is not None:
            text = self._address.sub(lambda m: self.address(m.group(1), int(m.group(2))), text)
        for inside, outside in self.paths.items():
            text = re.sub(rf"(?<![\w.]){re.escape(inside)}(?=[/\s\"':]|$)", str(outside), text)
        return text


def _mounts(service: Service, compose_dir: Path, state: Path) -> dict[str, Path]:
    """Container path -> local folder, from the service's ``volumes``."""
    out: dict[str, Path] = {}
    for spec in service.volumes:
        parts = spec.split(":")
        if len(parts) < 2:
            continue
        source, target = parts[0], parts[1]
        if source.startswith((".", "/")):
            local = (compose_dir / source).resolve()
            if not local.exists():  # compose would create an empty folder: keep it ours
                local = state / "mounts" / local.name
        else:
            local = state / "volumes" / source
        out[target] = local
    return out


def _base_env() -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join([venv_bin, "/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"])
    return {
        "PATH": path,
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }


def _instances(service: Service, workers: int) -> list[str]:
    if service.name == "airflow-worker":
        return [f"{service.name}-{n}" for n in range(1, workers + 1)]
    return [service.name]


def _airflow_role(service: Service) -> str:
    return " ".join(service.command or [])


def plan(services: dict[str, Service], state_dir: Path, workers: int = 2) -> Plan:
    """The processes that run ``services`` on this machine, in start order."""
    if workers < 1:
        raise ConfigurationError("--workers must be at least 1")
    state = Path(state_dir).resolve()
    compose_dir = PROJECT_ROOT
    kinds = {name: kind_of(svc) for name, svc in services.items()}

    # 1. a free local port for every port a container listens on
    ports: dict[str, dict[int, int]] = {}
    for name, svc in services.items():
        listens = set(svc.published_ports()) | set(IMAGE_PORTS.get(kinds[name], []))
        if kinds[name] == "airflow":
            listens |= set(LISTENERS.get(_airflow_role(svc), {}))
        for inst in _instances(svc, workers):
            ports[inst] = {p: free_port() for p in sorted(listens)}
        if name == "airflow-worker":  # reached by its service name: the first replica
            ports[name] = ports[f"{name}-1"]

    image_env = image_environment(compose_dir / "Dockerfile")
    procs: list[Proc] = []
    for name in start_order(services):
        svc = services[name]
        kind = kinds[name]
        mounts = _mounts(svc, compose_dir, state)
        if svc.built:
            mounts.setdefault(SOHOA_IN_IMAGE, compose_dir)
            mounts.setdefault(AIRFLOW_HOME_IN_IMAGE, state / "airflow")
        localize = _Localizer(ports, mounts)
        for inst in _instances(svc, workers):
            own = ports[inst]
            env = _base_env()
            if svc.built:
                env |= {k: localize(v) for k, v in {**image_env, **IMAGE_DEFAULTS}.items()}
            env |= {k: localize(v) for k, v in svc.environment.items()}
            env["HOSTNAME"] = inst
            argv, data = _argv(svc, kind, inst, own, env, mounts, state, localize)
            procs.append(
                Proc(
                    name=inst,
                    service=name,
                    kind=kind,
                    argv=argv,
                    env=env,
                    oneshot=kind in ("make-bucket", "init"),
                    restart=svc.restart in ("always", "unless-stopped", "on-failure"),
                    depends_on=dict(svc.depends_on),
                    ports=own,
                    health=_health(svc, own, localize),
                    stop_signal=int(signal.SIGINT if kind == "postgres" else signal.SIGTERM),
                    user="postgres" if kind == "postgres" and os.geteuid() == 0 else None,
                    data=data,
                )
            )
    return Plan(str(state), procs, _urls(services, ports))


def _argv(
    svc: Service,
    kind: str,
    inst: str,
    own: dict[int, int],
    env: dict[str, str],
    mounts: dict[str, Path],
    state: Path,
    localize: _Localizer,
) -> tuple[list[str], dict[str, str]]:
    """The command line of one process, and what its preparation needs."""
    if kind == "postgres":
        from sohoa.db.tempserver import pg_bin_dir

        root = mounts.get("/var/lib/postgresql/data", state / "volumes" / "postgres")
        sock = root / "sock"
        env["PGHOST"] = str(sock)
        argv = [str(pg_bin_dir() / "postgres"), "-D", str(root / "data"), "-p", str(own[5432])]
        argv += ["-k", str(sock), "-c", f"listen_addresses={LOCAL_HOST}"]
        initdb = mounts.get("/docker-entrypoint-initdb.d")
        return argv, {"root": str(root), "initdb": str(initdb or "")}
    if kind == "redis":
        exe = shutil.which("redis-server")
        if not exe:
            raise ConfigurationError(
                "redis-server is missing: run ./scripts/setup.sh (installs Debian's redis-server)"
            )
        folder = state / "volumes" / inst
        argv = [exe, "--port", str(own[6379]), "--bind", LOCAL_HOST, "--dir", str(folder)]
        return argv, {"folder": str(folder)}
    if kind == "s3":
        return _s3_argv(svc, own, mounts, state)
    if kind == "make-bucket":
        return [], {"bucket": env.get("SOHOA_BUCKET", "")}
    if kind == "airflow":
        argv = ["airflow", *(svc.command or [])]
        role = _airflow_role(svc)
        for port, setting in LISTENERS.get(role, {}).items():
            env[setting] = str(own[port])
        if role == "api-server":
            env["AIRFLOW__API__HOST"] = LOCAL_HOST
        if role == "celery worker":  # replicas share this machine's host name
            argv += ["--celery-hostname", f"celery@{inst}"]
        return argv, {}
    if kind == "command":
        argv = [localize(a) for a in svc.command or []]
        for container_port, local in own.items():
            argv = [str(local) if a == str(container_port) else a for a in argv]
        return [LOCAL_HOST if a == "0.0.0.0" else a for a in argv], {}
    if kind == "init":
        script = localize((svc.command or ["", ""])[-1])
        return ["bash", "-c", script], {}
    raise ConfigurationError(f"no local command for {svc.name}")  # pragma: no cover


def _s3_argv(
    svc: Service, own: dict[int, int], mounts: dict[str, Path], state: Path
) -> tuple[list[str], dict[str, str]]:
    minio = shutil.which("minio")
    if minio:
        data = mounts.get("/data", state / "volumes" / "minio")
        argv = [minio, "server", str(data), "--address", f"{LOCAL_HOST}:{own[9000]}"]
        if 9001 in own:
            argv += ["--console-address", f"{LOCAL_HOST}:{own[9001]}"]
        return argv, {"server": "minio"}
    moto = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if not moto:
        raise ConfigurationError(
            "neither minio nor moto_server is installed: run ./scripts/setup.sh --test"
        )
    return [moto, "-H", LOCAL_HOST, "-p", str(own[9000])], {"server": "moto"}


def _health(svc: Service, own: dict[int, int], localize: _Localizer) -> Health | None:
    check = svc.healthcheck
    if check is None:
        return None
    test = check.test
    budget = check.start_period + check.interval * check.retries

    def made(how: str, args: list[str]) -> Health:
        return Health(how, args, check.timeout, check.interval, budget, list(test), check.retries)

    def own_address(text: str) -> str:
        return re.sub(
            r"localhost:(\d+)", lambda m: f"{LOCAL_HOST}:{own.get(int(m.group(1)), 0)}", text
        )

    if test[0] == "CMD" and test[1] == "pg_isready":
        return made("exec", [*test[1:], "-h", LOCAL_HOST, "-p", str(own[5432])])
    if test[0] == "CMD" and test[1:] == ["redis-cli", "ping"]:
        return made("exec", ["redis-cli", "-h", LOCAL_HOST, "-p", str(own[6379]), "ping"])
    if test[0] == "CMD" and test[1:3] == ["mc", "ready"]:
        return made("s3", [])  # MinIO's own readiness, asked of whichever server runs
    if test[0] == "CMD" and test[1] == "curl":
        url = next(a for a in test[2:] if a.startswith("http"))
        return made("http", [localize(own_address(url))])
    if test[0] == "CMD-SHELL" and re.match(r"^(airflow|celery) ", test[1]):
        return made("exec", ["bash", "-c", localize(test[1])])
    raise ConfigurationError(
        f"sohoa cluster cannot translate the health check of {svc.name}: {test}"
    )


def _urls(services: dict[str, Service], ports: dict[str, dict[int, int]]) -> dict[str, str]:
    urls: dict[str, str] = {}
    if 8080 in ports.get("airflow-apiserver", {}):
        urls["airflow"] = f"http://{LOCAL_HOST}:{ports['airflow-apiserver'][8080]}"
    if 8000 in ports.get("sohoa-web", {}):
        urls["web"] = f"http://{LOCAL_HOST}:{ports['sohoa-web'][8000]}"
    if 9000 in ports.get("minio", {}):
        urls["s3"] = f"http://{LOCAL_HOST}:{ports['minio'][9000]}"
    return urls
