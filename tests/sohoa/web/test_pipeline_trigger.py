"""The background ``sohoa run`` of the local pipeline: one run at a time, a run again for
uploads that came during one, the app's own database and landing zone, and only run
numbers and exit codes in the log. Real subprocesses stand in for ``sohoa run`` (whose
Airflow and OCR would take minutes; the browser test runs the real one)."""

from __future__ import annotations

import logging
import sys

from sqlalchemy import create_engine

from sohoa.settings import WebSettings
from sohoa.web.app import create_app
from sohoa.web.pipeline_trigger import (
    SOHOA_RUN,
    PipelineRunner,
    run_environment,
    runner_for,
    status,
    trigger,
)

PY = sys.executable


def script(code: str) -> list[str]:
    return [PY, "-c", code]


def test_runs_never_overlap_and_an_upload_during_a_run_gets_a_run(tmp_path):
    log = tmp_path / "runs.log"
    gate = tmp_path / "go"
    # Each run notes its start and end; the first waits until the test has asked again.
    runner = PipelineRunner(
        script(
            "import pathlib, sys, time\n"
            f"log, gate = pathlib.Path({str(log)!r}), pathlib.Path({str(gate)!r})\n"
            "with log.open('a') as f: f.write('start\\n')\n"
            "while not gate.exists(): time.sleep(0.02)\n"
            "with log.open('a') as f: f.write('end\\n')\n"
        )
    )
    assert runner.request() is True
    assert runner.request() is False and runner.request() is False  # two asks, one rerun
    state = runner.status()
    assert state.running and state.again
    gate.touch()
    assert runner.wait(30)
    state = runner.status()
    assert (state.running, state.again, state.runs, state.last_exit) == (False, False, 2, 0)
    assert log.read_text().split() == ["start", "end", "start", "end"]
    assert runner.request() is True  # idle again: the next upload starts a new run
    assert runner.wait(30) and runner.status().runs == 3


def test_the_exit_code_is_kept_and_logged_without_anything_else(caplog):
    runner = PipelineRunner(script("import sys; print('Nguyễn Văn A'); sys.exit(3)"))
    with caplog.at_level(logging.INFO, logger="sohoa.web.pipeline_trigger"):
        runner.request()
        assert runner.wait(30)
    assert runner.status().last_exit == 3 and runner.status().last_finished is not None
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == "pipeline run 1 started"
    assert messages[1].startswith("pipeline run 1 finished: exit code 3 after")
    assert caplog.records[1].levelno == logging.WARNING
    assert not any("Nguyễn" in m for m in messages)


def test_a_command_that_cannot_start_is_reported(tmp_path):
    runner = PipelineRunner([str(tmp_path / "no-such-program")])
    runner.request()
    assert runner.wait(30) and runner.status().last_exit == -1


def test_stop_ends_a_run_and_starts_no_more():
    runner = PipelineRunner(script("import time; time.sleep(60)"))
    runner.request()
    runner.stop()
    assert runner.wait(15)
    assert runner.status().last_exit != 0
    assert runner.request() is False and runner.status().runs == 1


def test_the_run_uses_the_apps_database_and_landing_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_DB_URL", "sqlite:///somewhere-else.db")
    monkeypatch.setenv("SOHOA_KEEP", "yes")
    env = run_environment("postgresql+psycopg://u:pw@db/sohoa", "s3://bucket/landing")
    assert env["SOHOA_DB_URL"] == "postgresql+psycopg://u:pw@db/sohoa"
    assert env["SOHOA_LANDING"] == "s3://bucket/landing" and env["SOHOA_KEEP"] == "yes"

    app = create_app(
        db_url="unused", landing=str(tmp_path / "landing"), settings=WebSettings(pipeline="local")
    )
    # The engine is made without connecting: the run must get the password, which
    # str(url) would hide as ***.
    app.state.sohoa.__dict__["engine"] = create_engine("postgresql+psycopg://u:s3cret@db/x")
    runner = runner_for(app)
    assert runner is runner_for(app) and runner.command == list(SOHOA_RUN)
    assert runner.env["SOHOA_DB_URL"] == "postgresql+psycopg://u:s3cret@db/x"
    assert runner.env["SOHOA_LANDING"] == str(tmp_path / "landing")


def test_an_external_pipeline_starts_nothing(tmp_path):
    app = create_app(
        db_url="sqlite://",
        landing=str(tmp_path / "landing"),
        settings=WebSettings(pipeline="external"),
    )
    assert trigger(app) is False and status(app) is None
    assert getattr(app.state, "sohoa_pipeline", None) is None
