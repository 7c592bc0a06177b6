"""Synthetic scans of Vietnamese civil-status records, with ground truth beside them.

Tests, benchmarks and the demo use these pages: every value printed is also written,
canonical (docs/record.md), to ``X.truth.json`` with its box on the page as written.
"""

from __future__ import annotations

from sohoa.samples.degrade import Knobs
from sohoa.samples.documents import DOC_TYPES
from sohoa.samples.files import generate_page, load_truth, write_samples
from sohoa.samples.page import PROFILES

__all__ = ["DOC_TYPES", "PROFILES", "Knobs", "generate_page", "load_truth", "write_samples"]
