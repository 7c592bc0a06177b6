"""Fixtures for the sample-generator tests: reference data and a batch of built records."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from sohoa.samples import documents
from tests.reference import reference_rows

SEEDS_PER_TYPE = 80


@pytest.fixture(scope="session")
def reference() -> Callable[[str], list[dict[str, str]]]:
    """Read one CSV of the shared reference data (tests only; never read at run time)."""

    return reference_rows


@pytest.fixture(scope="session")
def built() -> list[documents.Document]:
    """Records built (not rendered: that is the slow part) for many seeds of every type."""
    docs = []
    for doc_type in documents.DOC_TYPES:
        builder = getattr(documents, doc_type)
        docs += [builder(random.Random(f"{seed}/content"), 0.4) for seed in range(SEEDS_PER_TYPE)]
    return docs
