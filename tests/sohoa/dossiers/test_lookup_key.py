"""The secret key of the reuse audit's hashes: from the environment, else a private file."""

from __future__ import annotations

import stat

import pytest

from ocr.errors import ConfigurationError
from sohoa.dossiers.lookup_key import lookup_digest, lookup_key


def test_a_key_file_is_made_once_readable_by_its_owner_only(tmp_path, monkeypatch):
    monkeypatch.delenv("SOHOA_LOOKUP_KEY", raising=False)
    path = tmp_path / "keys" / "lookup.key"
    monkeypatch.setenv("SOHOA_LOOKUP_KEY_FILE", str(path))
    first = lookup_key()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(first) == 64
    assert lookup_key() == first  # kept, not made again
    digest = lookup_digest("personal_id", "079203001234")
    assert len(digest) == 64 and "079203001234" not in digest


def test_a_key_from_the_environment_wins_and_must_not_be_short(monkeypatch):
    monkeypatch.setenv("SOHOA_LOOKUP_KEY", "x" * 20)
    assert lookup_key() == b"x" * 20
    monkeypatch.setenv("SOHOA_LOOKUP_KEY", "short")
    with pytest.raises(ConfigurationError, match="at least 16"):
        lookup_key()
