"""Stopping stops what was started, all of it, and nothing else: real processes."""

from __future__ import annotations

import subprocess
import sys
import time

from sohoa.cluster import state

# A parent whose child moves to a process group of its own (as a Celery task does).
TREE = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"],
                         start_new_session=True)
print(child.pid, flush=True)
time.sleep(120)
"""


def _spawn_tree():
    proc = subprocess.Popen(
        [sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    child = int(proc.stdout.readline())
    return proc, child


def test_stop_tree_reaches_a_child_in_another_process_group():
    proc, child = _spawn_tree()
    try:
        assert state.start_time(child) is not None
        state.stop_tree(proc.pid, grace=5)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while state.start_time(child) is not None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert state.start_time(child) is None
    finally:
        state.kill_tree(proc.pid)


def test_a_reused_pid_is_left_alone(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        path = tmp_path / "x.pid"
        state.write_pid(path, proc.pid)
        rec = state.read_pid(path)
        assert state.is_ours(rec)
        rec["start"] -= 1  # as if the pid now belonged to a process started at another time
        assert not state.is_ours(rec)
    finally:
        proc.kill()
        proc.wait()
    assert not state.is_ours(state.read_pid(path))  # gone: nothing to stop
