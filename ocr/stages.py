"""CPU seconds spent in each stage of the scan reader, counted in the process.

The throughput benchmark reports them per page (``bench/throughput.py``). A stage
inside another is counted apart: its time is taken out of the outer stage's, so the
stages add up to the whole.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

TOTALS: Counter[str] = Counter()
COUNTS: Counter[str] = Counter()  # how many times each stage ran
_inner: list[float] = []  # CPU seconds the stages inside each open stage took


@contextmanager
def stage(name: str) -> Iterator[None]:
    start = time.process_time()
    _inner.append(0.0)
    try:
        yield
    finally:
        elapsed = time.process_time() - start
        TOTALS[name] += elapsed - _inner.pop()
        COUNTS[name] += 1
        if _inner:
            _inner[-1] += elapsed
