"""One-line progress notes for ``sohoa run``, printed beside Airflow's own logs.

Off by default (a worker's task log already says it all); ``SOHOA_PROGRESS=1``, which
``sohoa run`` sets, prints them to stderr. Never pass personal data here.
"""

from __future__ import annotations

import logging
import os
import sys
import time

log = logging.getLogger("sohoa.progress")
_T0 = time.monotonic()


def progress(message: str) -> None:
    log.info(message)
    if os.environ.get("SOHOA_PROGRESS", "") == "1":
        print(f"[{time.monotonic() - _T0:6.1f}s] {message}", file=sys.stderr, flush=True)
