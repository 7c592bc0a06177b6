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
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

_pool: ProcessPoolExecutor | None = None
_jobs = 0


def _warm_worker() -> None:
    from sohoa.commands.extract import _init_worker

    _init_worker()
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
        _pool = ProcessPoolExecutor(max_workers=jobs, initializer=_warm_worker)
        _jobs = jobs
    return _pool


def warm_up(jobs: int) -> None:
    """Start the workers now (they import the OCR stack while Airflow starts up)."""
    pool = shared_pool(jobs)
    if pool is not None:
        for _ in range(jobs):
            pool.submit(_ready)


def extract_files(
    paths: list[Path], jobs: int, book: Any = None
) -> Iterator[tuple[list[dict], str | None]]:
    """``(records, error)`` per file, in order: ``sohoa extract``'s worker over the pool;
    ``book`` is the :class:`ocr.book.Book` the files belong to."""
    from sohoa.commands.extract import _extract_one

    one = partial(_extract_one, book=book)
    pool = shared_pool(jobs)
    if pool is None:
        yield from map(one, paths)
    else:
        yield from pool.map(one, paths)


@atexit.register
def _shutdown() -> None:  # pragma: no cover - process exit
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
