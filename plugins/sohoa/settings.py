"""Every ``SOHOA_*`` setting, in one frozen object read from the environment.

:func:`get_settings` (and, for the reader's section, :func:`ocr.settings.ocr_settings`)
is the only reader of the environment's ``SOHOA_*`` variables: a test in
``tests/sohoa/test_settings.py`` holds every other module to it, and checks that the
README's Settings table lists each one. The object is rebuilt only when a ``SOHOA_*``
variable changed, so a test's ``monkeypatch.setenv`` is seen at once and a DAG file
parsed often pays a dictionary scan. :meth:`Settings.from_env` builds one from any
mapping; a value it cannot use is a :class:`~ocr.errors.ConfigurationError` naming the
variable.

The reader's settings are the ``ocr`` section, defined in :mod:`ocr.settings` with the
parsers: ``ocr/`` may not import ``sohoa``, and ``sohoa`` already imports ``ocr``.

``sohoa run`` picks values of its own (more OCR processes, larger batches, its
``--landing``): :func:`default_for_process` and :func:`choose_for_process` keep them
in this process instead of writing them into ``os.environ``, where every child would
inherit them silently (``dag.test()`` runs every task in this process, and the OCR
workers it forks inherit the values with its memory). Whatever a child process that
is started needs is passed in that child's own environment, where it is started.

Paths inside the repository (schemas, migrations, DAGs, the compose file) start from
:data:`PROJECT_ROOT`; each has its variable for an installation laid out otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from ocr.errors import ConfigurationError
from ocr.settings import (
    OcrSettings,
    build,
    decimal,
    flag,
    names,
    one_of,
    path,
    positive,
    section,
    setting,
    sohoa_items,
    whole,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The repository (``plugins/sohoa`` → two levels up): ``schemas/``, ``dags/``, the
compose file. ``/opt/sohoa`` in the image (an editable install)."""

DEFAULT_HOME = Path(".sohoa")
"""The embedded defaults' folder, relative to where sohoa runs."""

DEFAULT_DB_URL = f"sqlite:///{DEFAULT_HOME / 'sohoa.db'}"


def _schedule(env: Mapping[str, str], name: str, default: str | None) -> str | None:
    """A cron expression or preset; ``none``/``manual`` (or set blank) for no schedule."""
    raw = env.get(name, default) or ""
    return None if raw.strip().lower() in ("", "none", "manual") else raw.strip()


@dataclass(frozen=True)
class WebSettings:
    """Limits and switches of the web app.

    A request larger than ``max_file_mb`` × ``max_files`` is refused before it is read;
    every other request (and an upload from anyone not signed in as an uploader) is
    bounded by ``max_form_kb``, also before its body is read.
    """

    max_file_mb: int = setting(
        "SOHOA_WEB_MAX_FILE_MB", 200, "the largest file of an upload, in MB", positive
    )
    max_files: int = setting("SOHOA_WEB_MAX_FILES", 50, "the most files in one upload", positive)
    max_form_kb: int = setting(
        "SOHOA_WEB_MAX_FORM_KB",
        256,
        "the largest body of any other request (and of an upload from anyone not signed in"
        " as an uploader), refused before it is read",
        positive,
    )
    session_hours: int = setting(
        "SOHOA_WEB_SESSION_HOURS", 10, "how long a web sign-in lasts", positive
    )
    secure_cookies: bool = setting(
        "SOHOA_WEB_SECURE_COOKIES", False, "cookies for HTTPS only: set to `1` behind HTTPS", flag
    )
    pipeline: str = setting(
        "SOHOA_WEB_PIPELINE",
        "local",
        "`local`: the web app starts `sohoa run` after an upload; `external`: Airflow's"
        " scheduler (or whoever runs `sohoa run`) does",
        one_of("local", "external"),
    )

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


@dataclass(frozen=True)
class Settings:
    """All of sohoa's settings. Build with :func:`get_settings` or :meth:`from_env`."""

    # Where the data lives
    db_url: str = setting(
        "SOHOA_DB_URL",
        DEFAULT_DB_URL,
        "the population database's URL (PostgreSQL in production)",
        secret=True,  # it may hold a password
    )
    landing: str = setting(
        "SOHOA_LANDING",
        str(DEFAULT_HOME / "landing"),
        "the landing zone of the scans: a folder, or `s3://bucket/prefix` in production",
    )
    s3_endpoint_url: str | None = setting(
        "SOHOA_S3_ENDPOINT_URL", None, "MinIO or any S3-compatible endpoint (none: AWS S3)"
    )
    reports_dir: Path = setting(
        "SOHOA_REPORTS_DIR",
        DEFAULT_HOME / "reports",
        "where `sohoa run` and the monthly DAG write the KPI reports",
        path,
    )
    validation_dir: Path = setting(
        "SOHOA_VALIDATION_DIR",
        DEFAULT_HOME / "validation",
        "where the gate writes its results and Data Docs, one folder per run",
        path,
    )
    lookup_key: str | None = setting(
        "SOHOA_LOOKUP_KEY",
        None,
        "the secret key (16+ characters) of the reuse audit's keyed hashes; every process"
        " that logs lookups must share it",
        secret=True,
    )
    lookup_key_file: Path = setting(
        "SOHOA_LOOKUP_KEY_FILE",
        DEFAULT_HOME / "lookup.key",
        "the file holding that key when `SOHOA_LOOKUP_KEY` is not set (made on first use)",
        path,
    )
    # Who acts (the login name when unset)
    uploader: str | None = setting(
        "SOHOA_UPLOADER", None, "who uploads, recorded with the book (`sohoa upload`)"
    )
    user: str | None = setting(
        "SOHOA_USER", None, "who acts in `sohoa review`, for the audit trail"
    )
    actor: str | None = setting(
        "SOHOA_ACTOR", None, "who looks up in `sohoa lookup`, for the reuse audit"
    )
    # The command line
    debug: bool = setting(
        "SOHOA_DEBUG", False, "show a traceback instead of a one-line error", flag
    )
    progress: str = setting(
        "SOHOA_PROGRESS",
        "",
        "progress notes on stderr: `1`, or `bar` for a bar of pages too (`sohoa run` sets it)",
        one_of("", "0", "1", "bar"),
    )
    # The pipeline's DAGs
    batch_pages: int = setting(
        "SOHOA_BATCH_PAGES", 25, "pages per mapped batch (a file is never split)", whole(1)
    )
    max_batches: int | None = setting(
        "SOHOA_MAX_BATCHES",
        None,
        "the most batches one run maps (none: Airflow's `max_map_length`, which it never exceeds)",
        whole(1),
    )
    ocr_jobs: int = setting(
        "SOHOA_OCR_JOBS",
        1,
        "worker processes inside one OCR task (1 in production; `sohoa run`: one per core)",
        whole(1),
    )
    ocr_pool_slots: int = setting(
        "SOHOA_OCR_POOL_SLOTS",
        os.cpu_count() or 1,
        "slots of the `sohoa_ocr` Airflow pool, the bound on concurrent OCR tasks",
        whole(1),
    )
    task_retries: int = setting(
        "SOHOA_TASK_RETRIES", 3, "how often a failed task is retried", whole(0)
    )
    retry_delay_seconds: int = setting(
        "SOHOA_RETRY_DELAY_SECONDS",
        30,
        "the first retry's delay; later ones back off exponentially",
        whole(0),
    )
    max_retry_delay_seconds: int = setting(
        "SOHOA_MAX_RETRY_DELAY_SECONDS", 600, "the longest delay between retries", whole(1)
    )
    staged_records_hours: float = setting(
        "SOHOA_STAGED_RECORDS_HOURS",
        24.0,
        "how long the staged records (names, ID numbers) of a run that did not load them are"
        " kept for a retry; loaded ones are removed at once",
        decimal(0.0),
    )
    digitize_schedule: str | None = setting(
        "SOHOA_DIGITIZE_SCHEDULE",
        "*/10 * * * *",
        "how often `sohoa_digitize` looks for new scans (cron or preset; `none`: never)",
        _schedule,
    )
    dags_folder: Path = setting(
        "SOHOA_DAGS_FOLDER", PROJECT_ROOT / "dags", "the DAG files `sohoa run` loads", path
    )
    # Failure notices
    alert_webhook: str | None = setting(
        "SOHOA_ALERT_WEBHOOK",
        None,
        "a URL that receives a failed task's notice as JSON (POST)",
        secret=True,  # it may hold a token
    )
    alert_email: tuple[str, ...] = setting(
        "SOHOA_ALERT_EMAIL", (), "comma-separated addresses that receive the notice", names
    )
    alert_from: str = setting("SOHOA_ALERT_FROM", "sohoa@localhost", "the notice's sender")
    smtp_host: str = setting("SOHOA_SMTP_HOST", "localhost", "the mail server of the notices")
    smtp_port: int = setting("SOHOA_SMTP_PORT", 25, "the mail server's port", positive)
    # Files of the repository, and tools
    json_schemas_dir: Path = setting(
        "SOHOA_JSON_SCHEMAS_DIR",
        PROJECT_ROOT / "schemas" / "json",
        "the JSON Schemas of the extracted record",
        path,
    )
    expectations_dir: Path = setting(
        "SOHOA_EXPECTATIONS_DIR",
        PROJECT_ROOT / "schemas" / "expectations",
        "the gate's expectation suites",
        path,
    )
    migrations_dir: Path = setting(
        "SOHOA_MIGRATIONS_DIR",
        PROJECT_ROOT / "schemas" / "migrations",
        "the database's Alembic migrations",
        path,
    )
    compose_file: Path = setting(
        "SOHOA_COMPOSE_FILE",
        PROJECT_ROOT / "docker-compose.yml",
        "the services `sohoa cluster` runs",
        path,
    )
    cluster_dir: Path = setting(
        "SOHOA_CLUSTER_DIR", DEFAULT_HOME / "cluster", "`sohoa cluster`'s state folder", path
    )
    pg_bin: Path | None = setting(
        "SOHOA_PG_BIN",
        None,
        "PostgreSQL's programs (none: the newest `/usr/lib/postgresql/*/bin`)",
        path,
    )
    # Test hooks: never set in production
    test_pause_after_rows: int | None = setting(
        "SOHOA_TEST_PAUSE_AFTER_ROWS",
        None,
        "test hook: the bulk writer prints `SOHOA_TEST_PAUSED` after this many rows and waits",
        whole(),
    )
    test_pause_seconds: float = setting(
        "SOHOA_TEST_PAUSE_SECONDS", 120.0, "test hook: how long it waits", decimal(0.0)
    )
    # Sections
    web: WebSettings = section(WebSettings)
    ocr: OcrSettings = section(OcrSettings)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """The settings ``env`` gives (unset or blank variables: the defaults)."""
        return build(cls, env)


_defaults: dict[str, str] = {}
_chosen: dict[str, str] = {}


def get_settings() -> Settings:
    """This process's settings: its environment, under what it chose for itself."""
    return _cached(sohoa_items({**_defaults, **os.environ, **_chosen}))


@lru_cache(maxsize=16)
def _cached(items: tuple[tuple[str, str], ...]) -> Settings:
    return Settings.from_env(dict(items))


def _variables(values: Mapping[str, Any]) -> dict[str, str]:
    own = {f.name: f for f in fields(Settings) if "variable" in f.metadata}
    unknown = sorted(set(values) - set(own))
    if unknown:
        raise ConfigurationError(f"not a setting this process may choose: {', '.join(unknown)}")
    return {own[name].metadata["variable"]: str(value) for name, value in values.items()}


def default_for_process(**values: Any) -> None:
    """Values for this process where its environment names none (``sohoa run``'s
    embedded defaults); checked as the environment's are, when next read."""
    _defaults.update(_variables(values))


def choose_for_process(**values: Any) -> None:
    """Values for this process whatever its environment says (``sohoa run``'s options)."""
    _chosen.update(_variables(values))


def forget_process_choices() -> None:
    """Back to the environment alone (for tests)."""
    _defaults.clear()
    _chosen.clear()


def db_url() -> str:
    """:attr:`Settings.db_url`; the default SQLite file's folder is made on first use."""
    url = get_settings().db_url
    if url == DEFAULT_DB_URL:
        DEFAULT_HOME.mkdir(parents=True, exist_ok=True)
    return url
