"""The recognizer that always disagrees, installed through a real entry point."""

from __future__ import annotations

import pytest

from ocr.engines import registry
from tests.ocr.engines.contrary import install_contrary


@pytest.fixture
def contrary(tmp_path, monkeypatch):
    """Make the ``contrary`` recognizer installable by name for this test."""
    monkeypatch.syspath_prepend(str(install_contrary(tmp_path / "site")))
    registry.forget()
    yield
    registry.forget()
