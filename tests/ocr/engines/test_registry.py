"""Recognizers by name, through the ``sohoa.recognizers`` entry points."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ocr.engines import registry
from ocr.errors import ConfigurationError

SOHOA = str(Path(sys.executable).with_name("sohoa"))


def test_both_shipped_engines_are_installed_and_chosen_by_default(monkeypatch):
    monkeypatch.delenv(registry.SETTING, raising=False)
    assert {"tesseract", "aster"} <= set(registry.installed())
    assert registry.chosen() == ("tesseract", "aster")
    assert registry.page_reader().name == "tesseract"
    assert [r.name for r in registry.second_readers()] == ["aster"]


def test_the_setting_chooses_and_orders_engines(monkeypatch):
    monkeypatch.setenv(registry.SETTING, " tesseract ")
    assert registry.chosen() == ("tesseract",)
    assert registry.second_readers() == []
    monkeypatch.setenv(registry.SETTING, "aster,tesseract")
    assert registry.page_reader().name == "tesseract"  # aster cannot find lines itself


def test_an_unknown_engine_is_a_configuration_error_naming_the_installed_ones(monkeypatch):
    monkeypatch.setenv(registry.SETTING, "tesseract,abbyy")
    with pytest.raises(ConfigurationError) as err:
        registry.chosen()
    assert err.value.exit_code == 2
    assert "abbyy" in str(err.value) and "aster, tesseract" in str(err.value)


def test_engines_that_cannot_read_pages_alone_are_refused(monkeypatch):
    monkeypatch.setenv(registry.SETTING, "aster")
    with pytest.raises(ConfigurationError, match="reads whole pages"):
        registry.check()


def test_a_plugin_engine_is_found_through_its_entry_point(monkeypatch, contrary):
    monkeypatch.setenv(registry.SETTING, "tesseract,contrary")
    assert [r.name for r in registry.second_readers()] == ["contrary"]


def test_the_cli_exits_2_on_an_unknown_engine_before_reading_anything(tmp_path):
    page = tmp_path / "page.png"
    page.write_bytes(b"not read")
    env = {**os.environ, registry.SETTING: "tesseract,nosuch"}
    result = subprocess.run(
        [SOHOA, "extract", str(page)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "sohoa: error: SOHOA_RECOGNIZERS names an unknown recognizer: nosuch; installed "
        "recognizers are: aster, tesseract"
    )
