"""What happens when a task fails for good: log it (default), or mail or post it.

Configured by environment, so a deployment chooses without touching the DAGs:

- ``SOHOA_ALERT_WEBHOOK``: a URL that receives the notice as JSON (``POST``);
- ``SOHOA_ALERT_EMAIL``: comma-separated addresses, sent through ``SOHOA_SMTP_HOST``
  (``SOHOA_SMTP_PORT``, default 25; sender ``SOHOA_ALERT_FROM``).

The notice names the DAG, task, run and try, and the error's type and first line; it
never carries record contents (personal data stays out of alerts as out of logs).
A notifier that itself fails is logged and never masks the task's own failure.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from email.message import EmailMessage
from typing import Any

from sohoa.settings import get_settings

log = logging.getLogger("sohoa.alerts")


def failure_notice(context: dict[str, Any]) -> dict[str, Any]:
    ti = context.get("ti") or context.get("task_instance")
    exc = context.get("exception")
    first_line = str(exc).splitlines()[0][:300] if exc is not None and str(exc) else ""
    return {
        "dag_id": getattr(ti, "dag_id", None),
        "task_id": getattr(ti, "task_id", None),
        "map_index": getattr(ti, "map_index", None),
        "run_id": getattr(ti, "run_id", None) or context.get("run_id"),
        "try_number": getattr(ti, "try_number", None),
        "error": f"{type(exc).__name__}: {first_line}" if exc is not None else None,
    }


def channels() -> list[str]:
    """The configured channels, ``log`` always first."""
    out = ["log"]
    settings = get_settings()
    if settings.alert_email:
        out.append("email")
    if settings.alert_webhook:
        out.append("webhook")
    return out


def send_webhook(url: str, notice: dict[str, Any], timeout: float = 10.0) -> None:
    req = urllib.request.Request(
        url,
        data=json.dumps(notice).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - configured URL
        resp.read()


def send_email(addresses: list[str], notice: dict[str, Any]) -> None:
    msg = EmailMessage()
    msg["Subject"] = f"[sohoa] {notice['dag_id']}.{notice['task_id']} failed"
    settings = get_settings()
    msg["From"] = settings.alert_from
    msg["To"] = ", ".join(addresses)
    msg.set_content(json.dumps(notice, indent=1))
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(msg)


def notify_failure(context: dict[str, Any]) -> None:
    """The ``on_failure_callback`` of every sohoa task."""
    notice = failure_notice(context)
    log.error("sohoa task failed: %s", json.dumps(notice))
    try:
        settings = get_settings()
        if settings.alert_webhook:
            send_webhook(settings.alert_webhook, notice)
        if settings.alert_email:
            send_email(list(settings.alert_email), notice)
    except Exception:  # a broken notifier must not hide the failure it reports
        log.exception("sohoa: could not send the failure notice")
