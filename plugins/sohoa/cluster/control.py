"""Start, stop, inspect and drive a cluster from the command line (``sohoa cluster``).

``start`` writes the plan (the compose file's services as local processes) into the
state folder and starts the supervisor, detached, then waits until every service is
healthy or one failed. ``stop`` asks the supervisor to stop everything; processes it
left (a supervisor killed) are found by their pid files and stopped too, and only those.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from ocr.errors import ConfigurationError, SohoaError
from sohoa.cluster import compose, state
from sohoa.cluster.plan import Plan, plan
from sohoa.settings import PROJECT_ROOT, get_settings

DIGITIZE = "sohoa_digitize"
# What the landing zone's clients (``sohoa upload``, ``sohoa report``...) need, taken from
# the web app's environment: it is a client of the same landing zone and database.
CLIENT_PREFIXES = ("SOHOA_", "AWS_")


class ClusterError(SohoaError):
    """The cluster did not start, or is not running."""


def load_plan(folder: state.Folder) -> Plan:
    try:
        return Plan.from_json(json.loads(folder.plan.read_text()))
    except FileNotFoundError:
        raise ClusterError(f"no cluster in {folder.root}: start one with `sohoa cluster`") from None


def read_status(folder: state.Folder) -> dict:
    try:
        return json.loads(folder.status.read_text())
    except (OSError, ValueError):
        return {"phase": "unknown", "processes": {}}


def supervisor_running(folder: state.Folder) -> bool:
    return state.is_ours(state.read_pid(folder.supervisor_pid))


def start(
    folder: state.Folder,
    workers: int = 2,
    variables: Mapping[str, str] | None = None,
    timeout: float = 900.0,
    out: TextIO = sys.stderr,
    stop_with: int | None = None,
) -> Plan:
    """Start every service of the compose file; returns the plan once all are up.
    ``stop_with``: a pid whose end stops the cluster too (a test's own process, so that a
    killed test run leaves no servers behind)."""
    if supervisor_running(folder):
        raise ClusterError(
            f"a cluster is already running from {folder.root}; `sohoa cluster stop` first"
        )
    services = compose.load(given=variables)
    the_plan = plan(services, folder.root, workers)
    folder.make()
    for stale in (folder.status, *folder.control("x").parent.glob("*")):
        stale.unlink(missing_ok=True)
    folder.plan.write_text(json.dumps(the_plan.to_json(), indent=1))
    folder.plan.chmod(0o600)  # it holds the services' passwords, as the .env file does
    with open(folder.root / "supervisor.log", "a") as log:
        subprocess.Popen(
            [sys.executable, "-m", "sohoa.cluster.supervisor", str(folder.root)]
            + (["--watch", str(stop_with)] if stop_with else []),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=PROJECT_ROOT,
        )
    try:
        _wait_up(folder, the_plan, timeout, out)
    except BaseException:
        stop(folder, out=out)
        raise
    return the_plan


def _wait_up(folder: state.Folder, the_plan: Plan, timeout: float, out: TextIO) -> None:
    deadline = time.monotonic() + timeout
    seen: dict[str, str] = {}
    started = time.monotonic()
    while True:
        status = read_status(folder)
        for name, entry in status.get("processes", {}).items():
            if entry.get("state") != seen.get(name) and entry.get("state") in ("healthy", "done"):
                print(f"  {name}: {entry['state']} ({time.monotonic() - started:.0f} s)", file=out)
            seen[name] = entry.get("state", "")
        phase = status.get("phase")
        if phase == "up":
            return
        if phase == "failed" or (time.monotonic() > 5 + started and not supervisor_running(folder)):
            raise ClusterError("the cluster did not start:\n" + _why(folder, status))
        if time.monotonic() > deadline:
            raise ClusterError(
                f"the cluster was not up after {timeout:.0f} s:\n" + _why(folder, status)
            )
        time.sleep(1)


def _why(folder: state.Folder, status: dict) -> str:
    lines = []
    for name, entry in status.get("processes", {}).items():
        if entry.get("state") in ("healthy", "done"):
            continue
        lines.append(f"  {name}: {entry.get('state')} {entry.get('health') or ''}".rstrip())
        tail = _tail(folder.log(name), 8)
        lines += [f"    | {t}" for t in tail]
    return "\n".join(lines) or "  (see " + str(folder.root / "supervisor.log") + ")"


def _tail(path: Path, n: int) -> list[str]:
    try:
        return path.read_text(errors="replace").splitlines()[-n:]
    except OSError:
        return []


def stop(folder: state.Folder, out: TextIO = sys.stderr, timeout: float = 120.0) -> list[str]:
    """Stop the cluster of ``folder``: what it started, and nothing else. Returns the
    names of the processes that had to be stopped without the supervisor."""
    rec = state.read_pid(folder.supervisor_pid)
    if state.is_ours(rec):
        os.kill(rec["pid"], signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while state.is_ours(rec) and time.monotonic() < deadline:
            time.sleep(0.3)
        if state.is_ours(rec):
            print("  the supervisor did not stop; stopping its services itself", file=out)
            state.kill_tree(rec["pid"])
    folder.supervisor_pid.unlink(missing_ok=True)
    left: list[str] = []
    signals = {}
    with contextlib.suppress(ClusterError):
        signals = {p.name: p.stop_signal for p in load_plan(folder).procs}
    for pid_file in sorted((folder.root / "pids").glob("*.pid")):
        rec = state.read_pid(pid_file)
        if state.is_ours(rec):
            name = pid_file.stem
            state.stop_tree(rec["pid"], signals.get(name, signal.SIGTERM))
            left.append(name)
        pid_file.unlink(missing_ok=True)
    return left


def client_env(folder: state.Folder) -> dict[str, str]:
    """The settings a client of the cluster's landing zone and database needs."""
    the_plan = load_plan(folder)
    web = the_plan.of_service("sohoa-web") or the_plan.of_service("airflow-scheduler")
    env = web[0].env
    return {k: v for k, v in env.items() if k.startswith(CLIENT_PREFIXES)}


def api(folder: state.Folder):
    """An Airflow REST client signed in as the admin that airflow-init created."""
    from sohoa.cluster.airflow_api import AirflowAPI

    the_plan = load_plan(folder)
    init = the_plan.of_service("airflow-init")
    env = init[0].env if init else {}
    return AirflowAPI(
        the_plan.urls["airflow"],
        env.get("_AIRFLOW_WWW_USER_USERNAME", "airflow"),
        env.get("_AIRFLOW_WWW_USER_PASSWORD", "airflow"),
    )


def metadata_url(folder: state.Folder) -> str:
    the_plan = load_plan(folder)
    return the_plan.of_service("airflow-scheduler")[0].env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]


def request(folder: state.Folder, name: str, action: str, timeout: float = 180.0) -> dict:
    """Ask the supervisor to ``stop``/``start``/``restart``/``kill`` one process; returns
    its entry in the status once the supervisor has acted."""
    the_plan = load_plan(folder)
    try:
        the_plan.proc(name)
    except KeyError:
        names = ", ".join(p.name for p in the_plan.procs)
        raise ConfigurationError(
            f"no process {name} in this cluster (there are: {names})"
        ) from None
    if not supervisor_running(folder):
        raise ClusterError(f"no cluster is running from {folder.root}")
    before = read_status(folder).get("processes", {}).get(name, {})
    target = folder.control(name)
    target.write_text(action)
    want = {"stop": {"stopped"}, "kill": {"stopped"}, "start": {"healthy", "running"}}
    want["restart"] = {"healthy"}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entry = read_status(folder).get("processes", {}).get(name, {})
        acted = not target.exists()
        if acted and entry.get("state") in want[action] and entry != before:
            return entry
        time.sleep(0.3)
    raise ClusterError(f"{action} {name}: not done after {timeout:.0f} s")


def dead_processes(folder: state.Folder) -> list[str]:
    """Pid files whose process is gone (for ``status``)."""
    gone = []
    for pid_file in sorted((folder.root / "pids").glob("*.pid")):
        if not state.is_ours(state.read_pid(pid_file)):
            gone.append(pid_file.stem)
    return gone


def default_folder() -> state.Folder:
    return state.Folder(get_settings().cluster_dir)
