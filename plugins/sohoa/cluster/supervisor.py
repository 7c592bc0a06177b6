"""The process that runs a cluster: ``python -m sohoa.cluster.supervisor STATE_DIR``.

It does for the local processes what Docker does for the containers: starts each when
what it ``depends_on`` is started, healthy or completed; runs health checks until each
service is healthy; restarts a service whose ``restart`` policy says so when it exits on
its own (not one stopped or killed on purpose, as ``docker stop``/``docker kill``); and
on SIGTERM stops everything in the reverse order. ``status.json`` says where each process
is; ``control/<name>`` files carry ``stop``, ``start``, ``restart`` and ``kill`` requests
from ``sohoa cluster service``.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from sohoa.cluster import prepare, state
from sohoa.cluster.health import check
from sohoa.cluster.plan import Plan, Proc
from sohoa.settings import PROJECT_ROOT

ACTIONS = ("stop", "start", "restart", "kill")
STOP_GRACE = 10.0  # Compose's default stop_grace_period


class Supervisor:
    def __init__(self, folder: state.Folder, watch: dict | None = None) -> None:
        self.folder = folder
        self.watch = watch  # stop when this process ends (a test run that was killed)
        self.plan = Plan.from_json(json.loads(folder.plan.read_text()))
        self.procs = {p.name: p for p in self.plan.procs}
        self.popen: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, TextIO] = {}
        self.st: dict[str, dict] = {n: {"state": "waiting", "restarts": 0} for n in self.procs}
        self.manual: set[str] = set()
        self.phase = "starting"
        self.stopping = False
        self._checking: set[str] = set()
        self._lock = threading.Lock()
        self._written = ""

    # -- the loop ------------------------------------------------------------------

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        state.write_pid(self.folder.supervisor_pid, _own_pid())
        try:
            while not self.stopping:
                if self.watch and not state.is_ours(self.watch):
                    self._say(f"process {self.watch['pid']} is gone: stopping with it")
                    break
                self._controls()
                self._reap()
                if self.phase in ("starting", "up"):
                    self._start_ready()
                    self._health()
                    self._phase()
                self._write()
                time.sleep(0.5)
        finally:
            self.shutdown()
        return 0

    def _on_signal(self, *_: object) -> None:
        self.stopping = True

    def _log(self, name: str) -> TextIO:
        if name not in self.logs:
            self.logs[name] = open(self.folder.log(name), "a", buffering=1)  # noqa: SIM115
        return self.logs[name]

    def _say(self, text: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {text}", flush=True)

    # -- starting ------------------------------------------------------------------

    def _satisfied(self, proc: Proc) -> bool:
        for service, condition in proc.depends_on.items():
            states = [self.st[p.name]["state"] for p in self.plan.of_service(service)]
            wanted = {
                "service_started": {"running", "healthy"},
                "service_healthy": {"healthy"},
                "service_completed_successfully": {"done"},
            }.get(condition, {"healthy"})
            if not states or any(s not in wanted for s in states):
                return False
        return True

    def _start_ready(self) -> None:
        for proc in self.plan.procs:
            if self.st[proc.name]["state"] == "waiting" and self._satisfied(proc):
                self._start(proc)

    def _s3_endpoint(self) -> str:
        minio = self.plan.of_service("minio")
        return f"http://127.0.0.1:{minio[0].ports[9000]}" if minio else ""

    def _start(self, proc: Proc) -> None:
        log = self._log(proc.name)
        entry = self.st[proc.name]
        self._say(f"starting {proc.name}")
        try:
            prepare.ensure_dirs(proc)
            if proc.kind == "postgres":
                prepare.prepare_postgres(proc, log)
            prepare.prepare_folder(proc)
            if proc.kind == "make-bucket":
                prepare.make_bucket(proc, self._s3_endpoint(), log)
                entry.update(state="done", exit=0)
                return
            argv = proc.argv
            if proc.kind == "init":
                argv = ["bash", "-c", prepare.init_script(proc)]
            child = subprocess.Popen(
                argv,
                env=proc.env,
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                user=proc.user,
            )
        except Exception as exc:  # noqa: BLE001 - reported in status.json and the log
            said = getattr(exc, "stderr", None)
            said = said.decode(errors="replace") if isinstance(said, bytes) else said or ""
            print(f"could not start: {exc} {said}".rstrip(), file=log, flush=True)
            entry.update(state="failed", error=str(exc)[:500])
            return
        self.popen[proc.name] = child
        state.write_pid(self.folder.pid_file(proc.name), child.pid)
        entry.update(state="running", pid=child.pid, started=time.time(), health=None)
        entry.pop("exit", None)

    # -- watching ------------------------------------------------------------------

    def _reap(self) -> None:
        for name, child in list(self.popen.items()):
            code = child.poll()
            if code is None:
                continue
            del self.popen[name]
            self.folder.pid_file(name).unlink(missing_ok=True)
            proc, entry = self.procs[name], self.st[name]
            if proc.oneshot:
                entry.update(state="done" if code == 0 else "failed", exit=code)
                self._say(f"{name} finished with exit code {code}")
                continue
            entry["exit"] = code
            if name in self.manual:
                entry["state"] = "stopped"
            elif proc.restart and not self.stopping:
                quick = time.time() - entry.get("started", 0) < 10
                entry["quick"] = entry.get("quick", 0) + 1 if quick else 0
                entry["restarts"] += 1
                entry["state"] = "restarting"
                entry["restart_at"] = time.time() + min(60.0, 0.5 * 2 ** entry["quick"])
                self._say(f"{name} exited ({code}); restarting, as its restart policy says")
            else:
                entry["state"] = "exited"
        for name, entry in self.st.items():
            if entry["state"] == "restarting" and time.time() >= entry["restart_at"]:
                self._start(self.procs[name])

    def _health(self) -> None:
        for name, entry in self.st.items():
            if entry["state"] != "running" or name in self._checking:
                continue
            proc = self.procs[name]
            if proc.oneshot:
                continue  # it is done when it exits 0 (service_completed_successfully)
            if proc.health is None:
                entry["state"] = "healthy"
                continue
            self._checking.add(name)
            threading.Thread(target=self._check_one, args=(proc,), daemon=True).start()

    def _check_one(self, proc: Proc) -> None:
        """One health check; a failed one waits before the next, twice as long as it
        took (a check that starts the airflow CLI costs seconds of CPU)."""
        try:
            if proc.health.how == "exec":  # no CLI start-up before the service had a chance
                up_for = time.time() - self.st[proc.name].get("started", 0)
                time.sleep(max(0.0, min(proc.health.interval, 5.0) - up_for))
            began = time.monotonic()
            ok, said = check(proc, self._s3_endpoint())
            with self._lock:
                entry = self.st[proc.name]
                if entry["state"] == "running":
                    entry["health"] = said
                    if ok:
                        entry["state"] = "healthy"
                        self._say(f"{proc.name} healthy ({said})")
            if not ok:
                time.sleep(max(1.0, 2 * (time.monotonic() - began)))
        finally:
            self._checking.discard(proc.name)

    def _phase(self) -> None:
        states = {n: e["state"] for n, e in self.st.items()}
        failed = [n for n, s in states.items() if s in ("failed", "exited")]
        if self.phase == "starting" and failed:
            self.phase = "failed"
            self._say(f"start failed: {', '.join(failed)}")
        elif self.phase == "starting" and all(
            s == ("done" if self.procs[n].oneshot else "healthy") for n, s in states.items()
        ):
            self.phase = "up"
            self._say("every service is up")

    def _write(self) -> None:
        with self._lock:
            doc = {"phase": self.phase, "processes": self.st, "urls": self.plan.urls}
            text = json.dumps(doc, indent=1, default=str)
        if text != self._written:
            tmp = self.folder.status.with_suffix(".tmp")
            tmp.write_text(text)
            tmp.replace(self.folder.status)
            self._written = text

    # -- requests ------------------------------------------------------------------

    def _controls(self) -> None:
        folder = self.folder.control("x").parent
        for request in sorted(folder.glob("*")):
            if request.name not in self.procs:
                request.unlink(missing_ok=True)
                continue
            action = request.read_text().strip()
            request.unlink(missing_ok=True)
            if action in ACTIONS:
                self._say(f"{action} {request.name} (requested)")
                self.act(request.name, action)

    def act(self, name: str, action: str) -> None:
        proc = self.procs[name]
        child = self.popen.get(name)
        if action in ("stop", "kill", "restart"):
            self.manual.add(name)
            if child is not None:
                if action == "kill":
                    state.kill_tree(child.pid)
                else:
                    state.stop_tree(child.pid, proc.stop_signal, STOP_GRACE)
                child.wait()
                self._reap()
            self.st[name]["state"] = "stopped"
        if action in ("start", "restart"):
            self.manual.discard(name)
            if name not in self.popen:
                self._start(proc)
                if self.phase == "up" and proc.health is not None:
                    self._wait_healthy(proc)

    def _wait_healthy(self, proc: Proc, limit: float = 120.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and self.st[proc.name]["state"] == "running":
            ok, said = check(proc, self._s3_endpoint())
            self.st[proc.name]["health"] = said
            if ok:
                self.st[proc.name]["state"] = "healthy"
                return
            time.sleep(0.5)

    # -- stopping ------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop every process, each after everything that depends on it (as Compose
        does: those that nothing running depends on go first, together)."""
        self.phase = "stopping"
        self._write()
        while self.popen:
            needed = {dep for name in self.popen for dep in self.procs[name].depends_on}
            wave = [n for n in self.popen if self.procs[n].service not in needed]
            wave = wave or list(self.popen)
            threads = [threading.Thread(target=self._stop_one, args=(n,)) for n in wave]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        self.phase = "stopped"
        self._write()
        for log in self.logs.values():
            log.close()
        self.folder.supervisor_pid.unlink(missing_ok=True)
        self._say("stopped")

    def _stop_one(self, name: str) -> None:
        proc, child = self.procs[name], self.popen[name]
        self._say(f"stopping {name}")
        state.stop_tree(child.pid, proc.stop_signal, STOP_GRACE)
        child.wait()
        self.folder.pid_file(name).unlink(missing_ok=True)
        self.st[name]["state"] = "stopped"
        del self.popen[name]


def _own_pid() -> int:
    import os

    return os.getpid()


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    folder = state.Folder(Path(args[0]).resolve())
    watch = None
    if len(args) >= 3 and args[1] == "--watch":
        watch = state.record(int(args[2]))
    return Supervisor(folder, watch).run()


if __name__ == "__main__":
    sys.exit(main())
