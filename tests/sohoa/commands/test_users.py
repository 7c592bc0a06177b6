"""``sohoa users`` as an admin runs it in a terminal: real subprocesses, exit codes, and
accounts as the web app then sees them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from sohoa.db.engine import make_engine
from sohoa.db.tables import app_user
from sohoa.web.accounts import authenticate, list_accounts

PASSWORD = "một mật khẩu dài"


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOHOA_", "AIRFLOW"))}
    env["SOHOA_DB_URL"] = f"sqlite:///{tmp_path / 'sohoa.db'}"
    return env


def users(env: dict, *args: str, stdin: str | None = None, cwd: Path | None = None):
    """``sohoa users`` in a subprocess: a real terminal-less stdin, real exit codes."""
    return subprocess.run(
        [sys.executable, "-m", "sohoa.cli", "users", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def users_here(env: dict, monkeypatch, capsys, *args: str, stdin: str = ""):
    """The same CLI in this process (quicker than a subprocess): exit code, stdout, stderr."""
    import io

    from sohoa.cli import main

    for key, value in env.items():
        if key.startswith("SOHOA_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["users", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def accounts(env: dict):
    engine = make_engine(env["SOHOA_DB_URL"])
    try:
        return list_accounts(engine)
    finally:
        engine.dispose()


def test_the_first_admin_from_stdin(env, tmp_path):
    done = users(
        env,
        "add",
        "Admin.One",
        "--role",
        "admin",
        "--password-stdin",
        stdin=PASSWORD + "\n",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "admin.one" in done.stdout
    [account] = accounts(env)
    assert (account.username, account.role, account.units, account.active) == (
        "admin.one",
        "admin",
        (),
        True,
    )
    engine = make_engine(env["SOHOA_DB_URL"])
    with engine.connect() as conn:
        stored = conn.execute(select(app_user.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2") and PASSWORD not in stored
    assert authenticate(engine, "admin.one", PASSWORD) == account.id  # newline stripped
    engine.dispose()


def test_units_list_disable_enable_and_passwd(env, monkeypatch, capsys):
    def run(*args, stdin=""):
        return users_here(env, monkeypatch, capsys, *args, stdin=stdin)

    code, _, err = run(
        "add",
        "rev1",
        "--role",
        "reviewer",
        "--unit",
        "25920",
        "--unit",
        "79",
        "--name",
        "Người duyệt",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0, err
    code, listed, _ = run("list")
    assert code == 0
    assert "rev1" in listed and "25920,79" in listed and "disabled" not in listed
    assert run("disable", "rev1")[0] == 0
    assert "(disabled)" in run("list")[1]
    assert accounts(env)[0].active is False
    assert run("enable", "rev1")[0] == 0
    assert accounts(env)[0].active is True
    code, _, err = run("passwd", "rev1", "--password-stdin", stdin="the new password\n")
    assert code == 0, err
    engine = make_engine(env["SOHOA_DB_URL"])
    assert authenticate(engine, "rev1", PASSWORD) is None
    assert authenticate(engine, "rev1", "the new password") is not None
    engine.dispose()


def test_an_unknown_role_is_a_usage_error(env):
    done = users(env, "add", "root1", "--role", "root", "--password-stdin", stdin=PASSWORD)
    assert done.returncode == 2
    assert "--role" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_weak_password_is_refused_with_one_line(env):
    done = users(env, "add", "admin1", "--role", "admin", "--password-stdin", stdin="short\n")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "at least" in done.stderr
    assert accounts(env) == []


def test_without_a_terminal_the_password_must_come_from_stdin(env):
    done = users(env, "add", "admin1", "--role", "admin")  # stdin is /dev/null, not a tty
    assert done.returncode == 2
    assert "--password-stdin" in done.stderr and "Traceback" not in done.stderr
    assert accounts(env) == []


@pytest.mark.parametrize(
    "args",
    [
        ["add", "clerk1", "--role", "archive_staff"],  # no unit
        ["add", "clerk1", "--role", "archive_staff", "--unit", "25920", "--unit", "26734"],
        ["add", "admin1", "--role", "admin", "--unit", "25920"],
        ["add", "a", "--role", "admin"],  # username too short
    ],
)
def test_account_rules_give_exit_2(env, monkeypatch, capsys, args):
    code, _, err = users_here(
        env, monkeypatch, capsys, *args, "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert code == 2, err
    assert err.startswith("sohoa: error:")
    assert accounts(env) == []


def test_a_taken_name_and_an_unknown_account(env, monkeypatch, capsys):
    def run(*args):
        return users_here(env, monkeypatch, capsys, *args, stdin=PASSWORD)

    assert run("add", "admin1", "--role", "admin", "--password-stdin")[0] == 0
    code, _, err = run("add", "ADMIN1", "--role", "admin", "--password-stdin")
    assert code == 2 and "taken" in err
    code, _, err = run("disable", "nobody")
    assert code == 2 and "no account" in err
