"""Reading a stored scan back by its URI: a local path or s3://, None when it is gone."""

from __future__ import annotations

from sohoa.landing.scans import read_scan
from sohoa.landing.store import open_landing


def test_a_local_scan_is_read_and_a_missing_one_is_none(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n-bytes")
    assert read_scan(str(path)) == path.read_bytes()
    assert read_scan(str(tmp_path / "gone.png")) is None
    assert read_scan(str(tmp_path)) is None  # a folder is not a scan


def test_an_s3_scan_is_read_and_a_missing_one_is_none(s3_landing_uri):
    landing = open_landing(s3_landing_uri)
    landing.put_bytes("inbox/a.tif", b"II*\x00-bytes")
    assert read_scan(landing.uri("inbox/a.tif")) == b"II*\x00-bytes"
    assert read_scan(landing.uri("inbox/b.tif")) is None
