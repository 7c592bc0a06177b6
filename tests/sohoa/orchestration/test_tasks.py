"""The DAG's steps as plain functions, on a local landing zone and SQLite (no Airflow)."""

from __future__ import annotations

import pytest

from sohoa.landing.store import open_landing
from sohoa.landing.upload import BookInfo, upload_files
from sohoa.orchestration import tasks

BOOK = BookInfo(unit="25920", book_type="marriage", year=2010, volume="03")


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_DB_URL", f"sqlite:///{tmp_path / 'sohoa.db'}")
    monkeypatch.setenv("SOHOA_LANDING", str(tmp_path / "landing"))
    return open_landing()


def broken_files(tmp_path, n: int):
    out = []
    for i in range(n):
        path = tmp_path / f"broken-{i}.jpg"
        path.write_bytes(b"GIF89a" + bytes([i]) * 40)  # not a JPEG, whatever the name
        out.append(path)
    return out


def test_list_and_plan_write_only_keys(env, tmp_path):
    upload_files(env, broken_files(tmp_path, 3), BOOK)
    listing = tasks.list_new_scans("manual__2026-01-01T00:00:00+00:00")
    assert listing.startswith("runs/manual__2026-01-01T00_00_00_00_00/")
    assert len(env.read_json(listing)["keys"]) == 3
    plans = tasks.plan_batches(listing, batch_pages=2)
    assert len(plans) == 2 and all(isinstance(p, str) and len(p) < 200 for p in plans)
    assert [env.read_json(p)["pages"] for p in plans] == [2, 1]


def test_unreadable_files_are_quarantined_and_still_accounted_for(env, tmp_path):
    upload_files(env, broken_files(tmp_path, 1), BOOK)
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-a"))
    staged = tasks.extract_batch(plan)
    [record] = tasks._read_jsonl(env, staged)
    assert record["status"] == "rejected" and record["source"]["page"] == 1
    assert "/quarantine/" in record["source"]["uri"]
    assert "moved to quarantine" in record["issues"][0]["message"]
    assert not list(env.list("incoming"))

    # A run that dies before loading leaves the scan pending: the next run sees it again
    # (from quarantine) and stands in the same rejected record for it.
    [plan_b] = tasks.plan_batches(tasks.list_new_scans("run-b"))
    assert tasks._read_jsonl(env, tasks.extract_batch(plan_b)) == [record]


def test_a_finished_extraction_is_not_redone(env, tmp_path, monkeypatch):
    upload_files(env, broken_files(tmp_path, 1), BOOK)
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-c"))
    first = tasks.extract_batch(plan)

    def must_not_run(*args, **kwargs):
        raise AssertionError("extraction repeated")

    monkeypatch.setattr("sohoa.orchestration.ocr_pool.extract_files", must_not_run)
    assert tasks.extract_batch(plan) == first


def test_the_dossier_code_of_an_upload_travels_with_its_records(env, tmp_path):
    book = BookInfo(
        unit="25920",
        book_type="dossier_result",
        year=2024,
        volume="01",
        dossier_code="000.00.20.H40-240605-0001",
    )
    [outcome] = upload_files(env, broken_files(tmp_path, 1), book)
    assert tasks.upload_facts(env, outcome.key) == {"dossier_code": "000.00.20.H40-240605-0001"}
    other = tmp_path / "other.jpg"
    other.write_bytes(b"GIF89a" + b"\xff" * 40)
    [plain] = upload_files(env, [other], BOOK)
    assert tasks.upload_facts(env, plain.key) == {}


def test_the_upload_metadata_tells_the_reader_its_book(env, tmp_path):
    from ocr.units import place_unit
    from sohoa.samples import load_truth, write_samples

    [page] = write_samples(tmp_path / "scans", 1, seed=11, profile="clean", doc_types=["birth"])
    truth = load_truth(page)["pages"][0]["fields"]
    unit = place_unit(truth["registration_place"])
    year = int(truth["registration_date"][:4])
    upload_files(
        env, [page], BookInfo(unit=unit.code, book_type="birth", year=year - 1, volume="01")
    )
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-book"))
    [record] = tasks._read_jsonl(env, tasks.extract_batch(plan, jobs=1))
    assert record["fields"]["registration_place"]["unit"]["code"] == unit.code
    assert ("registration_date", "registration_year_outside_book") in {
        (i["field"], i["rule"]) for i in record["issues"]
    }
