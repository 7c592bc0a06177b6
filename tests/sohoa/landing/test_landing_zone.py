"""Layout of the landing zone: sidecars, pending scans, processed marks, quarantine."""

from __future__ import annotations

import pytest

from ocr.book import Book
from ocr.errors import ConfigurationError
from sohoa.landing.zone import (
    ScanMeta,
    mark_processed,
    pending_scans,
    quarantine,
    quarantine_reason,
    read_meta,
    sha_of,
)

SHA = "ab" * 32


def meta(sha: str = SHA, **kw) -> ScanMeta:
    base = {"unit": "000.00.20.H40", "book_type": "birth", "year": 1987, "volume": "01"}
    scan = {"sha256": sha, "filename": "trang 1.tif", "pages": 2}
    book = {**base, **{k: v for k, v in kw.items() if k not in scan}}
    return ScanMeta(Book(**book), **{**scan, **{k: v for k, v in kw.items() if k in scan}})


def put_scan(landing, m: ScanMeta, sidecar: bool = True) -> str:
    landing.put_bytes(m.scan_key, b"scan")
    if sidecar:
        landing.put_json(m.sidecar_key, m.to_json())
    return m.scan_key


def test_keys_carry_book_and_hash():
    m = meta()
    assert m.scan_key == f"incoming/000.00.20.H40/birth/1987/01/{SHA}/trang_1.tif"
    assert m.sidecar_key == f"incoming/000.00.20.H40/birth/1987/01/{SHA}/meta.json"
    assert sha_of(m.scan_key) == SHA
    assert ScanMeta.from_json(m.to_json()) == m


def test_the_sidecar_on_disk_is_one_flat_object():
    doc = meta().to_json()
    assert list(doc) == [
        "unit",
        "book_type",
        "year",
        "volume",
        "sha256",
        "filename",
        "pages",
        "size",
        "declared_entries",
        "uploader",
        "dossier_code",
        "uploaded_at",
    ]
    assert doc["unit"] == "000.00.20.H40" and doc["year"] == 1987 and doc["sha256"] == SHA


@pytest.mark.parametrize(
    "bad",
    [
        {"book_type": "divorce"},
        {"year": 1800},
        {"unit": " "},
        {"volume": ""},
        {"declared_entries": -1},
        {"sha256": "xyz"},
    ],
)
def test_bad_metadata_is_refused(bad):
    with pytest.raises(ConfigurationError):
        meta(**bad)


def test_pending_skips_processed_and_half_uploaded(landing):
    a = put_scan(landing, meta("a" * 64))
    b = put_scan(landing, meta("b" * 64))
    put_scan(landing, meta("c" * 64), sidecar=False)  # upload still in progress
    assert list(pending_scans(landing)) == [a, b]

    mark_processed(landing, a, "run-1", "processed")
    assert list(pending_scans(landing)) == [b]
    assert landing.read_json(f"processed/{'a' * 64}.json")["run_id"] == "run-1"


def test_quarantine_moves_scan_and_sidecar_with_a_reason(landing):
    m = meta()
    key = put_scan(landing, m)
    new_key = quarantine(landing, key, "not an image: re-scan the page")

    assert not landing.exists(key)
    assert landing.read_bytes(new_key) == b"scan"
    assert new_key.startswith("quarantine/")
    assert (
        landing.read_bytes(new_key.rsplit("/", 1)[0] + "/reason.txt").decode().strip()
        == "not an image: re-scan the page"
    )
    assert quarantine_reason(landing, key) == "not an image: re-scan the page"
    assert read_meta(landing, key) == m  # the sidecar travelled with it
    moves = [landing.read_json(k) for k in landing.list("moves")]
    assert {mv["from"] for mv in moves} == {landing.uri(key), landing.uri(m.sidecar_key)}
    # Until the rejected record is loaded, the scan is still pending (by its original key).
    assert list(pending_scans(landing)) == [key]
    mark_processed(landing, key, "run-1", "quarantined")
    assert list(pending_scans(landing)) == []
    # Repeating the quarantine (a retried task) is harmless.
    assert quarantine(landing, key, "not an image: re-scan the page") == new_key


def test_quarantine_reason_is_none_for_a_good_scan(landing):
    assert quarantine_reason(landing, put_scan(landing, meta())) is None
