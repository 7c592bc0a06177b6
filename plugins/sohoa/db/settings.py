"""Where the database and the validation reports live, from the environment (the
README's Configuration)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_HOME = Path(".sohoa")


def db_url() -> str:
    """``SOHOA_DB_URL``, else an SQLite file under ``./.sohoa/`` (created on demand)."""
    url = os.environ.get("SOHOA_DB_URL", "").strip()
    if url:
        return url
    DEFAULT_HOME.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_HOME / 'sohoa.db'}"


def validation_dir() -> Path:
    """``SOHOA_VALIDATION_DIR``, else ``./.sohoa/validation``: one folder per gate run."""
    return Path(os.environ.get("SOHOA_VALIDATION_DIR", "") or DEFAULT_HOME / "validation")
