"""A real entry point for the test recognizer: a ``.dist-info`` folder on ``sys.path``,
as an installed plugin package would have."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.engines import registry

ENTRY_POINTS = """\
[sohoa.recognizers]
contrary = tests.ocr.engines.contrary:ContraryRecognizer
"""


def install_contrary(root: Path) -> Path:
    """Write the plugin's metadata under ``root``; returns the folder to put on the path."""
    info = root / "sohoa_contrary-1.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sohoa-contrary\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return root


@pytest.fixture
def contrary_installed(tmp_path, monkeypatch) -> Path:
    path = install_contrary(tmp_path / "site")
    monkeypatch.syspath_prepend(str(path))
    registry.engine.cache_clear()
    yield path
    registry.engine.cache_clear()
