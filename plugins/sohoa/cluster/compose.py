"""``docker-compose.yml`` read as data: the one description of the production services,
their environment and their health checks, which ``docker compose`` and ``sohoa cluster``
both start (docs/cluster.md).

Variables are interpolated as Compose does it: ``${VAR:-default}`` (default when unset or
empty), ``${VAR-default}`` (when unset), ``${VAR}``, ``$VAR`` and ``$$`` for a literal
``$``; values come from the given variables, else the environment, else a ``.env`` file
beside the compose file.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ocr.errors import ConfigurationError
from sohoa.settings import get_settings

_VARIABLE = re.compile(
    r"\$\$|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?-)(?P<default>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


def compose_path() -> Path:
    """``SOHOA_COMPOSE_FILE``, else ``docker-compose.yml`` at the repository's root."""
    path = get_settings().compose_file
    if not path.is_file():
        raise ConfigurationError(f"the compose file {path} does not exist; set SOHOA_COMPOSE_FILE")
    return path


@dataclass(frozen=True)
class HealthCheck:
    test: list[str]
    interval: float = 30.0
    timeout: float = 30.0
    retries: int = 3
    start_period: float = 0.0


@dataclass(frozen=True)
class Service:
    """One service of the compose file, interpolated and with its anchors merged."""

    name: str
    image: str
    built: bool  # ``build:``: the sohoa image (Dockerfile)
    command: list[str] | None  # None: the image's default command
    entrypoint: list[str] | None  # None: the image's entrypoint; []: none
    environment: dict[str, str]
    healthcheck: HealthCheck | None
    depends_on: dict[str, str]  # service -> condition
    volumes: list[str] = field(default_factory=list)
    ports: list[str] = field(default_factory=list)
    expose: list[str] = field(default_factory=list)
    restart: str | None = None

    def published_ports(self) -> list[int]:
        """Container ports the service listens on, from ``ports`` and ``expose``."""
        found = [int(str(p).split(":")[-1].split("/")[0]) for p in self.ports]
        found += [int(str(p).split("/")[0]) for p in self.expose]
        return found


def dotenv(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines of a ``.env`` file (comments and blank lines skipped)."""
    out: dict[str, str] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key.strip().removeprefix("export ").strip()] = value
    return out


def variables(path: Path, given: Mapping[str, str] | None = None) -> dict[str, str]:
    """What interpolation sees: ``.env`` beside the file, then the environment, then
    ``given`` (each wins over the one before)."""
    return {**dotenv(path.parent / ".env"), **os.environ, **(given or {})}


def interpolate(text: str, values: Mapping[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group("braced") or m.group("bare")
        value = values.get(name)
        op = m.group("op")
        if op == ":-" and not value:
            return m.group("default")
        if op == "-" and value is None:
            return m.group("default")
        return value or ""

    return _VARIABLE.sub(one, text)


def _interpolated(node: Any, values: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, values)
    if isinstance(node, list):
        return [_interpolated(n, values) for n in node]
    if isinstance(node, dict):
        return {k: _interpolated(v, values) for k, v in node.items()}
    return node


def _argv(raw: Any) -> list[str] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return shlex.split(raw)
    return [str(a) for a in raw]


def _seconds(raw: Any, default: float) -> float:
    """``30s``, ``1m30s``, ``500ms`` or a number of seconds."""
    if raw is None:
        return default
    if isinstance(raw, int | float):
        return float(raw)
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", str(raw))
    if not parts:
        raise ConfigurationError(f"not a duration: {raw!r}")
    return sum(float(n) * units[u] for n, u in parts)


def _healthcheck(raw: dict | None) -> HealthCheck | None:
    if not raw or raw.get("disable"):
        return None
    test = raw.get("test")
    if isinstance(test, str):
        test = ["CMD-SHELL", test]
    return HealthCheck(
        test=[str(t) for t in test],
        interval=_seconds(raw.get("interval"), 30.0),
        timeout=_seconds(raw.get("timeout"), 30.0),
        retries=int(raw.get("retries", 3)),
        start_period=_seconds(raw.get("start_period"), 0.0),
    )


def _environment(raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if isinstance(raw, list):  # ["KEY=VALUE", ...]
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {str(k): "" if v is None else str(v) for k, v in raw.items()}


def _depends_on(raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if isinstance(raw, list):
        return {name: "service_started" for name in raw}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in raw.items()}


def load(path: Path | None = None, given: Mapping[str, str] | None = None) -> dict[str, Service]:
    """Every service of the compose file, in file order."""
    import yaml

    path = path or compose_path()
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))  # merges ``<<:`` anchors
    values = variables(path, given)
    services: dict[str, Service] = {}
    for name, raw in (doc.get("services") or {}).items():
        raw = _interpolated(raw, values)
        services[name] = Service(
            name=name,
            image=str(raw.get("image", "")),
            built="build" in raw,
            command=_argv(raw.get("command")),
            entrypoint=_argv(raw.get("entrypoint")),
            environment=_environment(raw.get("environment")),
            healthcheck=_healthcheck(raw.get("healthcheck")),
            depends_on=_depends_on(raw.get("depends_on")),
            volumes=[str(v) for v in raw.get("volumes") or []],
            ports=[str(p) for p in raw.get("ports") or []],
            expose=[str(p) for p in raw.get("expose") or []],
            restart=raw.get("restart"),
        )
    return services


def start_order(services: Mapping[str, Service]) -> list[str]:
    """Services so that each comes after everything it depends on (file order otherwise)."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order:
            return
        if name in visiting:
            raise ConfigurationError(f"the compose file's depends_on has a cycle at {name}")
        if name not in services:
            raise ConfigurationError(f"a service depends on {name}, which is not defined")
        visiting.add(name)
        for dep in services[name].depends_on:
            visit(dep)
        visiting.discard(name)
        order.append(name)

    for name in services:
        visit(name)
    return order
