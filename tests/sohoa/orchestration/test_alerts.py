"""The failure callback: logs always, posts to a webhook or mails when configured."""

from __future__ import annotations

import json
import logging
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import SimpleNamespace

import pytest

from sohoa.orchestration.alerts import channels, notify_failure

CONTEXT = {
    "ti": SimpleNamespace(
        dag_id="sohoa_digitize", task_id="load_batch", map_index=2, run_id="manual__1", try_number=4
    ),
    "exception": RuntimeError("database went away\nsecond line with details"),
}


@pytest.fixture(autouse=True)
def no_alert_env(monkeypatch):
    for name in ("SOHOA_ALERT_WEBHOOK", "SOHOA_ALERT_EMAIL"):
        monkeypatch.delenv(name, raising=False)


def serve(server_cls, handler):
    server = server_cls(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_logs_by_default(caplog):
    assert channels() == ["log"]
    with caplog.at_level(logging.ERROR, logger="sohoa.alerts"):
        notify_failure(CONTEXT)
    text = caplog.text
    assert "load_batch" in text and "database went away" in text
    assert "second line" not in text


def test_posts_to_a_webhook(monkeypatch):
    received = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = serve(HTTPServer, Hook)
    monkeypatch.setenv("SOHOA_ALERT_WEBHOOK", f"http://127.0.0.1:{server.server_port}/hook")
    try:
        notify_failure(CONTEXT)
    finally:
        server.shutdown()
    assert received == [
        {
            "dag_id": "sohoa_digitize",
            "task_id": "load_batch",
            "map_index": 2,
            "run_id": "manual__1",
            "try_number": 4,
            "error": "RuntimeError: database went away",
        }
    ]


def test_mails_through_smtp(monkeypatch):
    """A minimal SMTP server, enough for smtplib to deliver one message."""
    messages = []

    class Smtp(socketserver.StreamRequestHandler):
        def handle(self):
            self.wfile.write(b"220 test\r\n")
            data = None
            while line := self.rfile.readline():
                if data is not None:
                    if line == b".\r\n":
                        messages.append(b"".join(data).decode())
                        data = None
                        self.wfile.write(b"250 ok\r\n")
                    else:
                        data.append(line)
                    continue
                verb = line[:4].upper()
                if verb == b"DATA":
                    data = []
                    self.wfile.write(b"354 go\r\n")
                elif verb == b"QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 ok\r\n")

    server = serve(socketserver.ThreadingTCPServer, Smtp)
    monkeypatch.setenv("SOHOA_ALERT_EMAIL", "ops@example.org, data@example.org")
    monkeypatch.setenv("SOHOA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SOHOA_SMTP_PORT", str(server.server_address[1]))
    assert channels() == ["log", "email"]
    try:
        notify_failure(CONTEXT)
    finally:
        server.shutdown()
        server.server_close()
    assert len(messages) == 1
    assert "Subject: [sohoa] sohoa_digitize.load_batch failed" in messages[0]
    assert "ops@example.org, data@example.org" in messages[0]


def test_a_broken_notifier_does_not_raise(monkeypatch, caplog):
    monkeypatch.setenv("SOHOA_ALERT_WEBHOOK", "http://127.0.0.1:9/unreachable")
    with caplog.at_level(logging.ERROR, logger="sohoa.alerts"):
        notify_failure(CONTEXT)
    assert "could not send the failure notice" in caplog.text
