"""The storage interface behaves the same on a local folder and on S3 (moto over HTTP)."""

from __future__ import annotations

import json

import pytest

from ocr.errors import ConfigurationError
from sohoa.landing.store import LocalLanding, S3Landing, open_landing


def test_put_read_list_exists(landing, tmp_path):
    src = tmp_path / "page.png"
    src.write_bytes(b"\x89PNG fake")
    landing.put_file("incoming/a/page.png", src)
    landing.put_bytes("incoming/a/meta.json", b"{}")
    landing.put_json("processed/x.json", {"ok": "Nguyễn"})

    assert landing.read_bytes("incoming/a/page.png") == b"\x89PNG fake"
    assert landing.read_json("processed/x.json") == {"ok": "Nguyễn"}
    assert landing.exists("incoming/a/meta.json")
    assert not landing.exists("incoming/a/other.png")
    assert sorted(landing.list("incoming")) == ["incoming/a/meta.json", "incoming/a/page.png"]
    assert sorted(landing.list("")) == [
        "incoming/a/meta.json",
        "incoming/a/page.png",
        "processed/x.json",
    ]
    assert list(landing.list("nothing-here")) == []
    with landing.local_copy("incoming/a/page.png") as path:
        assert path.read_bytes() == b"\x89PNG fake"


def test_missing_object_raises_key_error(landing):
    with pytest.raises(KeyError):
        landing.read_bytes("incoming/none.png")
    with pytest.raises(KeyError), landing.local_copy("incoming/none.png"):
        pass


def test_move_leaves_a_record_of_where_it_went(landing):
    landing.put_bytes("incoming/b/scan.tif", b"tiff bytes")
    record_key = landing.move("incoming/b/scan.tif", "quarantine/b/scan.tif", "unreadable")

    assert not landing.exists("incoming/b/scan.tif")
    assert landing.read_bytes("quarantine/b/scan.tif") == b"tiff bytes"
    record = landing.read_json(record_key)
    assert record["from"] == landing.uri("incoming/b/scan.tif")
    assert record["to"] == landing.uri("quarantine/b/scan.tif")
    assert record["reason"] == "unreadable"
    assert record_key.startswith("moves/")


def test_there_is_no_way_to_delete_without_moving(landing):
    public = [name for name in dir(landing) if not name.startswith("_")]
    assert not [name for name in public if "delete" in name or "remove" in name]


def test_local_writes_are_atomic_and_keys_stay_inside(tmp_path):
    landing = LocalLanding(tmp_path / "zone")
    landing.put_bytes("a/b.json", json.dumps({"n": 1}).encode())
    leftovers = [p.name for p in (tmp_path / "zone" / "a").iterdir()]
    assert leftovers == ["b.json"]
    with pytest.raises(ConfigurationError):
        landing.put_bytes("../outside.json", b"x")


def test_open_landing_reads_the_location(tmp_path, monkeypatch):
    monkeypatch.delenv("SOHOA_LANDING", raising=False)
    monkeypatch.chdir(tmp_path)
    default = open_landing()
    assert isinstance(default, LocalLanding)
    assert default.root == (tmp_path / ".sohoa" / "landing").resolve()

    monkeypatch.setenv("SOHOA_LANDING", str(tmp_path / "elsewhere"))
    assert open_landing().root == (tmp_path / "elsewhere").resolve()

    monkeypatch.setenv("SOHOA_S3_ENDPOINT_URL", "http://127.0.0.1:9")
    s3 = open_landing("s3://bucket/some/prefix/")
    assert isinstance(s3, S3Landing)
    assert (s3.bucket, s3.prefix) == ("bucket", "some/prefix")
    assert s3.uri("incoming/x.png") == "s3://bucket/some/prefix/incoming/x.png"
    assert s3.client.meta.endpoint_url == "http://127.0.0.1:9"

    for bad in ("s3://", "ftp://host/path"):
        with pytest.raises(ConfigurationError):
            open_landing(bad)


def test_s3_prefix_is_not_part_of_the_keys(s3_landing_uri):
    landing = open_landing(s3_landing_uri)
    landing.put_bytes("incoming/k.png", b"1")
    assert list(landing.list("incoming")) == ["incoming/k.png"]
    raw = landing.client.list_objects_v2(Bucket=landing.bucket)["Contents"]
    assert [o["Key"] for o in raw] == ["landing/incoming/k.png"]
