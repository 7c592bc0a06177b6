"""Run a service's health check, as translated from the compose file (``plan._health``)."""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request

from sohoa.cluster.plan import Proc


def check(proc: Proc, s3_endpoint: str | None = None) -> tuple[bool, str]:
    """(healthy, what the check said)."""
    health = proc.health
    if health is None:
        return True, "no health check"
    try:
        if health.how == "exec":
            out = subprocess.run(
                health.args,
                env=proc.env,
                capture_output=True,
                text=True,
                timeout=max(health.timeout, 60.0),  # the CLI's start-up alone may take that
                stdin=subprocess.DEVNULL,
            )
            said = (out.stdout + out.stderr).strip().splitlines()
            return out.returncode == 0, said[-1] if said else f"exit {out.returncode}"
        if health.how == "http":
            with urllib.request.urlopen(health.args[0], timeout=health.timeout) as resp:
                return resp.status < 400, f"HTTP {resp.status}"
        if health.how == "s3":
            from sohoa.cluster.prepare import s3_client

            s3_client(s3_endpoint or "", proc.env).list_buckets()
            return True, "S3 answers"
    except subprocess.TimeoutExpired:
        return False, "timed out"
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}"
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy yet"
        return False, f"{type(exc).__name__}: {exc}"[:200]
    return False, f"unknown health check {health.how}"
