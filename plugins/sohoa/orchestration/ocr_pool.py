"""OCR worker processes that outlive one task, for ``sohoa run``.

``dag.test()`` runs every task in this one process, one after another; a fresh process
pool per batch would pay the workers' start-up (imports, Tesseract's model) again for
every batch. One pool, started before Airflow is even imported, is reused by every
batch, exactly as ``sohoa extract`` uses one pool for all its files. The per-file work is
``sohoa extract``'s own worker function.

In production (``SOHOA_OCR_JOBS=1``) there is no pool: the Airflow pool and the Celery
workers give the parallelism, one OCR task per core.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from ocr.files import FileReading

_pool: ProcessPoolExecutor | None = None
_jobs = 0


def _warm_worker(parent_pid: int) -> None:
    from ocr.files import init_worker

    init_worker(parent_pid)  # and gone when ``sohoa run`` is, even killed
    import ocr.pipeline  # noqa: F401 - pay the imports once, at start-up


def _ready() -> int:
    return 0


def shared_pool(jobs: int) -> ProcessPoolExecutor | None:
    """The process-wide pool of ``jobs`` workers (``None`` for one job)."""
    global _pool, _jobs
    if jobs <= 1:
        return None
    if _pool is None or _jobs != jobs:
        if _pool is not None:
            _pool.shutdown()
        _pool = ProcessPoolExecutor(
            max_workers=jobs, initializer=_warm_worker, initargs=(os.getpid(),)
        )
        _jobs = jobs
    return _pool


def warm_up(jobs: int) -> None:
    """Start the workers now (they import the OCR stack while Airflow starts up)."""
    pool = shared_pool(jobs)
    if pool is not None:
        for _ in range(jobs):
            pool.submit(_ready)


def extract_files(paths: list[Path], jobs: int, book: Any = None) -> Iterator[FileReading]:
    """``(records, error)`` per file, in order: ``sohoa extract``'s worker over the pool;
    ``book`` is the :class:`ocr.book.Book` the files belong to."""
    from ocr.files import read_file

    one = partial(read_file, book=book)
    pool = shared_pool(jobs)
    if pool is None:
        yield from map(one, paths)
    else:
        yield from pool.map(one, paths)


@atexit.register
def _shutdown() -> None:  # pragma: no cover - process exit
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
