"""The real web app in a real browser: ``sohoa serve`` as a subprocess on a free port,
accounts made with ``sohoa users add``, Debian's Chromium driven by Playwright, and a
screenshot of every page the test visits.

Playwright's own browser download cannot work here, so Chromium is launched from
``/usr/bin/chromium``; ``--no-sandbox`` because CI runs as root.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / ".sohoa" / "test-artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"
SOHOA = [sys.executable, "-m", "sohoa.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(tmp: Path) -> dict[str, str]:
    """The environment of a user starting the app in ``tmp``: none of ours leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOHOA_", "AIRFLOW"))}
    env.update(
        SOHOA_DB_URL=f"sqlite:///{tmp / 'sohoa.db'}",
        SOHOA_LANDING=str(tmp / "landing"),
        SOHOA_WEB_PIPELINE="local",
    )
    return env


@dataclass(frozen=True)
class User:
    username: str
    password: str
    role: str


def add_user(tmp: Path, env: dict[str, str], role: str, unit: str | None) -> User:
    """``sohoa users add NAME --role R [--unit U] --password-stdin``, as an admin would."""
    user = User(f"{role.replace('_', '')}{secrets.token_hex(3)}", secrets.token_urlsafe(12), role)
    cmd = [*SOHOA, "users", "add", user.username, "--role", role, "--password-stdin"]
    if unit:
        cmd += ["--unit", unit]
    done = subprocess.run(
        cmd,
        input=user.password + "\n",
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return user


@dataclass
class Server:
    """``sohoa serve`` running in ``cwd``; its output goes to ``log``."""

    cwd: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.cwd / "serve.log"

    def start(self, timeout: float = 90) -> Server:
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [*SOHOA, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=self.cwd,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: see stop()
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"sohoa serve ended early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        self.stop()
        raise AssertionError(f"sohoa serve did not answer /health:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server, then whatever it started (a ``sohoa run`` still working)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this server leads

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


class Screenshots:
    """Numbered full-page screenshots, kept as the test's artifacts."""

    def __init__(self, folder: Path = ARTIFACTS) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):  # only this run's pages in the folder
            old.unlink()
        self.taken: list[Path] = []

    def __call__(self, page, name: str) -> Path:
        path = self.folder / f"{len(self.taken) + 1:02d}-{re.sub(r'[^a-z0-9-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (see README)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def screenshots() -> Screenshots:
    shots = Screenshots()
    yield shots
    print(f"\nscreenshots of the pages visited: {shots.folder}")


def sign_in(page, base: str, user: User) -> None:
    """Through the real form; waits until the app has left the sign-in page."""
    page.goto(f"{base}/login")
    page.fill("#username", user.username)
    page.fill("#password", user.password)
    with page.expect_navigation():
        page.click("#login-submit")
    assert "/login" not in page.url, f"sign-in of a {user.role} failed: {page.url}"
