"""The cluster's state folder, and the processes it started, recorded so that ``sohoa
cluster stop`` stops those and nothing else.

A pid file records the process id *and* its start time (``/proc/<pid>/stat``): a pid that
the system has given to another process since does not match, and is left alone. Each
service runs in a session of its own; stopping one stops every process descended from it
(a Celery worker's task runs in a process group of its own, so the process group alone
would miss it).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Folder:
    """Where everything of one cluster lives."""

    root: Path

    @property
    def plan(self) -> Path:
        return self.root / "plan.json"

    @property
    def status(self) -> Path:
        return self.root / "status.json"

    @property
    def supervisor_pid(self) -> Path:
        return self.root / "supervisor.pid"

    def pid_file(self, name: str) -> Path:
        return self.root / "pids" / f"{name}.pid"

    def log(self, name: str) -> Path:
        return self.root / "logs" / f"{name}.log"

    def control(self, name: str) -> Path:
        return self.root / "control" / name

    def make(self) -> None:
        for sub in ("pids", "logs", "control"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)  # PostgreSQL (its own OS user) must reach its data folder


def start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] == "Z":  # a zombie has finished
        return None
    return int(fields[19])


def record(pid: int) -> dict:
    return {"pid": pid, "start": start_time(pid)}


def write_pid(path: Path, pid: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(record(pid)))
    tmp.replace(path)


def read_pid(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def is_ours(rec: dict | None) -> bool:
    """The recorded process is still the one we started."""
    return bool(rec) and rec.get("start") is not None and start_time(rec["pid"]) == rec["start"]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children first found, grandchildren after)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree(pid: int) -> list[tuple[int, int]]:
    """``(pid, start time)`` of ``pid`` and its descendants that are alive now."""
    out = []
    for p in [pid, *descendants(pid)]:
        st = start_time(p)
        if st is not None:
            out.append((p, st))
    return out


def signal_tree(members: list[tuple[int, int]], sig: int) -> None:
    """Send ``sig`` to each recorded process that is still the same process."""
    for pid, st in members:
        if start_time(pid) == st:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)


def alive(members: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(p, st) for p, st in members if start_time(p) == st]


def stop_tree(pid: int, sig: int = signal.SIGTERM, grace: float = 10.0) -> bool:
    """``sig`` to the process and its descendants, SIGKILL to what is left after
    ``grace`` seconds; returns whether anything had to be killed."""
    members = tree(pid)
    signal_tree(members[:1], sig)  # the service first: it stops its own children in order
    deadline = time.monotonic() + grace
    while alive(members) and time.monotonic() < deadline:
        members += [m for m in tree(pid) if m not in members]  # children started meanwhile
        time.sleep(0.2)
    left = alive(members)
    if left:
        signal_tree(left, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while alive(left) and time.monotonic() < deadline:
            time.sleep(0.1)
    return bool(left)


def kill_tree(pid: int) -> list[int]:
    """SIGKILL to the process and everything below it at once (a machine dying)."""
    members = tree(pid)
    signal_tree(members, signal.SIGKILL)
    return [p for p, _ in members]
