"""``sohoa serve`` as a subprocess: it migrates, says when there is no admin yet, answers
``/health`` and serves the sign-in page; a bad setting stops it with one line."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request

from fastapi.testclient import TestClient

from sohoa.web.app import create_app
from tests.sohoa.web.browser_fixtures import Server, add_user, server_env


def test_serve_answers_health_and_the_sign_in_page(tmp_path):
    server = Server(tmp_path, server_env(tmp_path)).start()
    try:
        with urllib.request.urlopen(f"{server.url}/health", timeout=10) as r:
            assert r.status == 200
            assert json.loads(r.read()) == {"status": "ok", "database": "ok"}
        with urllib.request.urlopen(f"{server.url}/login", timeout=10) as r:
            page = r.read().decode()
            assert r.status == 200 and 'id="login-submit"' in page
            assert r.headers["Cache-Control"] == "no-store"
            assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        assert (tmp_path / "sohoa.db").is_file()  # migrated before serving
        add_user(tmp_path, server.env, "admin", None)  # the running app sees new accounts
    finally:
        server.stop()
    log = server.log_tail()
    assert "no admin account yet" in log and "sohoa users add" in log
    assert server.process.returncode is not None


def test_serve_stops_on_a_bad_setting_with_one_line(tmp_path):
    env = server_env(tmp_path) | {"SOHOA_WEB_PIPELINE": "bogus"}
    done = subprocess.run(
        [sys.executable, "-m", "sohoa.cli", "serve", "--port", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "SOHOA_WEB_PIPELINE" in done.stderr and "Traceback" not in done.stderr


def test_serve_rejects_a_bad_port(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "sohoa.cli", "serve", "--port", "eighty"],
        cwd=tmp_path,
        env=server_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "--port" in done.stderr


def test_health_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(db_url=f"sqlite:///{tmp_path}/missing/dir/sohoa.db", landing=str(tmp_path))
    with TestClient(app) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
