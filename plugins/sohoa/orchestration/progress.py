"""Progress for ``sohoa run``, printed beside Airflow's own logs: one-line notes, and a
bar of the pages read when stderr is a terminal.

Off by default (a worker's task log already says it all). ``sohoa run`` sets
``SOHOA_PROGRESS=1``, which prints the notes to stderr, or ``SOHOA_PROGRESS=bar`` when
its stderr is a terminal: then the pages read also show as a bar (done and total, rate,
time left), below the notes. The bar writes to the process's own stderr, which Airflow's
task logging does not replace. Never pass personal data here.
"""

from __future__ import annotations

import logging
import sys
import time

from tqdm import tqdm

from sohoa.settings import get_settings

log = logging.getLogger("sohoa.progress")
_T0 = time.monotonic()
_bar: tqdm | None = None


def _mode() -> str:
    return get_settings().progress


def progress(message: str) -> None:
    log.info(message)
    if _mode() in ("1", "bar"):
        line = f"[{time.monotonic() - _T0:6.1f}s] {message}"
        if _bar is not None:
            _bar.write(line, file=sys.__stderr__)
        else:
            print(line, file=sys.__stderr__, flush=True)


def pages_planned(total: int) -> None:
    """Start the bar of pages to read (``SOHOA_PROGRESS=bar`` only)."""
    global _bar
    pages_done()
    if _mode() == "bar" and total:
        _bar = tqdm(
            total=total,
            unit="page",
            desc="reading",
            file=sys.__stderr__,
            dynamic_ncols=True,
            mininterval=0.2,
            smoothing=0.1,
        )


def pages_read(count: int) -> None:
    if _bar is not None:
        _bar.update(count)


def pages_done() -> None:
    """Close the bar (the run's reading is over, or it failed)."""
    global _bar
    if _bar is not None:
        _bar.close()
        _bar = None
