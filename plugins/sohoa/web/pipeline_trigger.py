"""Start ``sohoa run`` in the background after an upload (``SOHOA_WEB_PIPELINE=local``).

One run at a time: an upload while a run is going only raises a "run again" flag, and the
run is repeated when it ends, so a file uploaded during a run never waits for an upload
that may never come. The run is a subprocess on the app's own database and landing zone
(``SOHOA_DB_URL``/``SOHOA_LANDING`` from the :class:`~sohoa.web.context.WebContext`, not
whatever the environment says). Its start, end and exit code are logged; nothing else,
so no file name or record reaches the log. With ``external`` (Airflow's scheduler) the
web app starts nothing.
"""

from __future__ import annotations

import atexit
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import FastAPI

log = logging.getLogger(__name__)

SOHOA_RUN = (sys.executable, "-m", "sohoa.cli", "run")
_STATE_ATTR = "sohoa_pipeline"
_making = threading.Lock()


@dataclass(frozen=True)
class RunnerStatus:
    running: bool
    again: bool  # another run will follow the current one
    runs: int  # runs started by this process
    last_exit: int | None
    last_finished: datetime | None

    def as_json(self) -> dict[str, object]:
        return {
            "running": self.running,
            "again": self.again,
            "runs": self.runs,
            "last_exit": self.last_exit,
            "last_finished": self.last_finished.isoformat() if self.last_finished else None,
        }


class PipelineRunner:
    """Runs ``command`` in the background, one at a time, again if asked meanwhile."""

    def __init__(
        self,
        command: Sequence[str] = SOHOA_RUN,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
    ) -> None:
        self.command = list(command)
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._running = False
        self._again = False
        self._runs = 0
        self._last_exit: int | None = None
        self._last_finished: datetime | None = None
        self._process: subprocess.Popen | None = None
        self._stopped = False

    def request(self) -> bool:
        """Ask for a run; returns True if one was started now, False if the running one
        will be followed by another."""
        with self._lock:
            if self._stopped:
                return False
            if self._running:
                self._again = True
                return False
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._loop, name="sohoa-pipeline", daemon=True).start()
        return True

    def status(self) -> RunnerStatus:
        with self._lock:
            return RunnerStatus(
                self._running, self._again, self._runs, self._last_exit, self._last_finished
            )

    def wait(self, timeout: float | None = None) -> bool:
        """Until no run is going or due (True), or ``timeout`` seconds (False)."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        """End a run in progress (the pipeline is safe to interrupt: the next run picks
        up what this one did not finish) and start no more."""
        with self._lock:
            self._stopped = True
            self._again = False
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()

    def _loop(self) -> None:
        while True:
            with self._lock:
                self._again = False
                self._runs += 1
                number = self._runs
            code = self._run_once(number)
            with self._lock:
                self._last_exit = code
                self._last_finished = datetime.now(UTC)
                if self._again and not self._stopped:
                    continue
                self._running = False
                self._process = None
                self._idle.set()
                return

    def _run_once(self, number: int) -> int:
        started = time.monotonic()
        log.info("pipeline run %d started", number)
        try:
            process = subprocess.Popen(
                self.command, env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL
            )
        except OSError as exc:
            log.error("pipeline run %d could not start: %s", number, type(exc).__name__)
            return -1
        with self._lock:
            self._process = process
            stopped = self._stopped
        if stopped:  # stop() came while the process was being started
            process.terminate()
        code = process.wait()
        level = logging.INFO if code == 0 else logging.WARNING
        log.log(
            level,
            "pipeline run %d finished: exit code %d after %.0f s",
            number,
            code,
            time.monotonic() - started,
        )
        return code


def run_environment(db_url: str, landing: str, base: Mapping[str, str] | None = None) -> dict:
    """The run's environment: this process's, with the app's database and landing zone
    (a child reads its settings from its own environment; this one's stays untouched)."""
    env = dict(os.environ if base is None else base)
    env["SOHOA_DB_URL"] = db_url
    env["SOHOA_LANDING"] = landing
    return env


def runner_for(app: FastAPI) -> PipelineRunner:
    """The app's runner, made on first use from its context (one per app)."""
    with _making:
        runner = getattr(app.state, _STATE_ATTR, None)
        if runner is None:
            ctx = app.state.sohoa
            env = run_environment(
                ctx.engine.url.render_as_string(hide_password=False), ctx.landing_location
            )
            runner = install_runner(app, PipelineRunner(SOHOA_RUN, env))
        return runner


def install_runner(app: FastAPI, runner: PipelineRunner) -> PipelineRunner:
    """Use ``runner`` for this app (tests give one with a quick command)."""
    setattr(app.state, _STATE_ATTR, runner)
    atexit.register(runner.stop)
    return runner


def is_local(app: FastAPI) -> bool:
    return app.state.sohoa.settings.pipeline == "local"


def trigger(app: FastAPI) -> bool:
    """After an upload: start (or queue) a run if this app processes uploads itself."""
    if not is_local(app):
        return False
    runner_for(app).request()
    return True


def status(app: FastAPI) -> RunnerStatus | None:
    """The local runner's state, or ``None`` when uploads are processed elsewhere."""
    if not is_local(app):
        return None
    runner = getattr(app.state, _STATE_ATTR, None)
    return runner.status() if runner else RunnerStatus(False, False, 0, None, None)
