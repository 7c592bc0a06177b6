"""The project's reference CSVs, for tests only.

They live in the ``shared/data`` folder that sits beside a clone of this repository (CI
has it there); the product never reads them. On a machine without that folder the tests
that compare against them are skipped with the reason, except under CI, where a missing
folder is a failure: CI must always check against the reference.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def reference_rows(name: str) -> list[dict[str, str]]:
    """Rows of one reference CSV, e.g. ``admin_units_2025-03.csv``."""
    path = SHARED_DATA / name
    if not path.is_file():
        message = f"reference data {path} not found (it sits beside the clone, not in it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
