"""One OCR pool for the whole of ``sohoa run``, giving what ``sohoa extract`` gives."""

from __future__ import annotations

from ocr.files import read_file
from sohoa.orchestration.ocr_pool import extract_files, shared_pool


def test_one_job_needs_no_pool_and_the_pool_is_reused():
    assert shared_pool(1) is None
    pool = shared_pool(2)
    assert pool is not None and shared_pool(2) is pool


def test_results_come_back_in_order_like_extract(tmp_path):
    paths = []
    for i in range(3):
        path = tmp_path / f"not-a-scan-{i}.png"
        path.write_bytes(b"%!PS-Adobe " + bytes([65 + i]) * 30)
        paths.append(path)
    pooled = list(extract_files(paths, jobs=2))
    assert pooled == [read_file(p) for p in paths]
    assert [err is not None for _, err in pooled] == [True, True, True]
    assert [recs[0]["source"]["uri"] for recs, _ in pooled] == [str(p) for p in paths]
