"""Web app settings, from environment variables (the same style as ``SOHOA_DB_URL``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ocr.errors import ConfigurationError


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0:
        raise ConfigurationError(f"{name} must be positive, got {value}")
    return value


@dataclass(frozen=True)
class WebSettings:
    """Limits and switches of the web app.

    ``max_file_mb`` bounds one uploaded file and ``max_files`` the files of one upload;
    a request larger than their product is refused before it is read. Every other
    request (and an upload from anyone not signed in as an uploader) is bounded by
    ``max_form_kb``, also before its body is read. ``pipeline`` says
    who processes uploads: ``local`` starts ``sohoa run`` in the background (the embedded
    default), ``external`` leaves it to
    Airflow's scheduler (production) or to whoever runs ``sohoa run``.
    """

    max_file_mb: int = 200
    max_files: int = 50
    max_form_kb: int = 256  # every request but a signed-in uploader's /upload
    session_hours: int = 10
    secure_cookies: bool = False
    pipeline: str = "local"

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @property
    def max_form_bytes(self) -> int:
        return self.max_form_kb * 1024

    @property
    def max_request_bytes(self) -> int:
        # Room for the form fields and multipart framing beside the files themselves.
        return self.max_file_bytes * self.max_files + 1024 * 1024

    @classmethod
    def from_env(cls) -> WebSettings:
        pipeline = os.environ.get("SOHOA_WEB_PIPELINE", "local").strip() or "local"
        if pipeline not in ("local", "external"):
            raise ConfigurationError(
                f"SOHOA_WEB_PIPELINE must be 'local' or 'external', got {pipeline!r}"
            )
        return cls(
            max_file_mb=_int("SOHOA_WEB_MAX_FILE_MB", cls.max_file_mb),
            max_files=_int("SOHOA_WEB_MAX_FILES", cls.max_files),
            max_form_kb=_int("SOHOA_WEB_MAX_FORM_KB", cls.max_form_kb),
            session_hours=_int("SOHOA_WEB_SESSION_HOURS", cls.session_hours),
            secure_cookies=os.environ.get("SOHOA_WEB_SECURE_COOKIES", "").lower()
            in ("1", "true", "yes"),
            pipeline=pipeline,
        )
