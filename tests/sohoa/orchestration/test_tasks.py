"""The DAG's steps as plain functions, on a local landing zone and SQLite (no Airflow)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from ocr.book import Book
from sohoa.landing.store import LocalLanding, open_landing
from sohoa.landing.upload import upload_files
from sohoa.orchestration import tasks
from sohoa.orchestration.staging import read_records

BOOK = Book(unit="25920", book_type="marriage", year=2010, volume="03")


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


def test_a_backlog_larger_than_a_run_may_map_is_taken_over_several_runs(env, tmp_path, monkeypatch):
    # Airflow fails a run that maps more than [core] max_map_length tasks (1024).
    monkeypatch.setenv("SOHOA_MAX_BATCHES", "2")
    monkeypatch.setenv("SOHOA_BATCH_PAGES", "1")
    upload_files(env, broken_files(tmp_path, 5), BOOK)
    first = run_all("run-1")
    assert first["pages"] == 2 and first["rejected"] == 2  # two batches of one page
    assert run_all("run-2")["pages"] == 2
    assert run_all("run-3")["pages"] == 1
    assert run_all("run-4")["pages"] == 0


def test_unreadable_files_are_quarantined_and_still_accounted_for(env, tmp_path):
    upload_files(env, broken_files(tmp_path, 1), BOOK)
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-a"))
    staged = tasks.extract_batch(plan)
    [record] = read_records(env, staged)
    assert record["status"] == "rejected" and record["source"]["page"] == 1
    assert "/quarantine/" in record["source"]["uri"]
    assert "moved to quarantine" in record["issues"][0]["message"]
    assert not list(env.list("incoming"))

    # A run that dies before loading leaves the scan pending: the next run sees it again
    # (from quarantine) and stands in the same rejected record for it.
    [plan_b] = tasks.plan_batches(tasks.list_new_scans("run-b"))
    assert read_records(env, tasks.extract_batch(plan_b)) == [record]


def test_a_finished_extraction_is_not_redone(env, tmp_path, monkeypatch):
    upload_files(env, broken_files(tmp_path, 1), BOOK)
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-c"))
    first = tasks.extract_batch(plan)

    def must_not_run(*args, **kwargs):
        raise AssertionError("extraction repeated")

    monkeypatch.setattr("sohoa.orchestration.ocr_pool.extract_files", must_not_run)
    assert tasks.extract_batch(plan) == first


def test_the_dossier_code_of_an_upload_travels_with_its_records(env, tmp_path):
    book = Book(
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
    upload_files(env, [page], Book(unit=unit.code, book_type="birth", year=year - 1, volume="01"))
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-book"))
    [record] = read_records(env, tasks.extract_batch(plan, jobs=1))
    assert record["fields"]["registration_place"]["unit"]["code"] == unit.code
    assert ("registration_date", "registration_year_outside_book") in {
        (i["field"], i["rule"]) for i in record["issues"]
    }


def test_a_file_name_that_is_not_utf8_runs_through(env, tmp_path):
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/s\xe1ch-\xff.jpg"))
    odd.write_bytes(b"GIF89a" + b"\x01" * 40)
    [outcome] = upload_files(env, [odd], BOOK)
    assert outcome.status == "uploaded"
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-odd"))
    staged = tasks.extract_batch(plan)
    [record] = [json.loads(line) for line in env.read_bytes(staged).decode("utf-8").splitlines()]
    assert record["status"] == "rejected" and "a GIF image" in record["issues"][0]["message"]
    assert (
        env.read_json(
            outcome.key.rsplit("/", 1)[0].replace("incoming", "quarantine", 1) + "/meta.json"
        )["filename"]
        == "s\\xe1ch-\\xff.jpg"
    )


def run_all(run_id: str) -> dict:
    """The DAG's steps one after another, as ``sohoa run`` runs them; the run report."""
    reviews = []
    for plan in tasks.plan_batches(tasks.list_new_scans(run_id)):
        staged = tasks.extract_batch(plan)
        reviews.append(tasks.queue_review(tasks.load_batch(tasks.gate_batch(staged))))
    return open_landing().read_json(tasks.refresh_kpis(run_id, reviews))


def test_a_scan_replaced_after_upload_is_quarantined_and_the_original_can_come_again(env, tmp_path):
    from ocr.loading import sha256_of

    [original] = broken_files(tmp_path, 1)
    [outcome] = upload_files(env, [original], BOOK)
    uploaded_sha = sha256_of(original)
    stored = Path(env.uri(outcome.key))
    stored.write_bytes(b"GIF89a" + b"\x07" * 40)  # someone swaps the file in the zone
    replaced_sha = sha256_of(stored)

    report = run_all("run-swap")
    assert report["rejected"] == 1 and report["missing"] == 0
    assert not env.exists(f"processed/{uploaded_sha}.json")  # the original is not done
    assert env.read_json(f"processed/{replaced_sha}.json")["outcome"] == "quarantined"
    [reason] = [k for k in env.list("quarantine") if k.endswith("reason.txt")]
    assert "replaced after upload" in env.read_bytes(reason).decode()
    assert f"/{replaced_sha}/" in reason
    assert not list(env.list("incoming"))
    from sohoa.db.tables import scan
    from sohoa.orchestration.database import engine

    with engine().connect() as conn:
        rows = conn.execute(scan.select()).all()
    assert [(r.sha256, r.status) for r in rows] == [(replaced_sha, "rejected")]
    assert "replaced after upload" in rows[0].reject_reason

    assert run_all("run-after")["pages"] == 0  # nothing pending any more
    [again] = upload_files(env, [original], BOOK)
    assert again.status == "uploaded"  # the real file is taken again
    report = run_all("run-again")
    assert report["pages"] == 1
    assert env.exists(f"processed/{uploaded_sha}.json")


def test_a_retried_extraction_stands_in_the_same_record_for_a_replaced_scan(env, tmp_path):
    [outcome] = upload_files(env, broken_files(tmp_path, 1), BOOK)
    Path(env.uri(outcome.key)).write_bytes(b"GIF89a" + b"\x09" * 40)
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-r"))
    first = read_records(env, tasks.extract_batch(plan))
    Path(env.uri(plan.replace("plan.json", "records.jsonl"))).unlink()  # died before this
    again = read_records(env, tasks.extract_batch(plan))
    assert again == first and first[0]["issues"][0]["rule"] == "scan_replaced"


class CountingLanding(LocalLanding):
    """The local landing zone, counting how often each staged object is read."""

    def __init__(self, root):
        super().__init__(root)
        self.reads: Counter[str] = Counter()

    def read_bytes(self, key: str) -> bytes:
        self.reads[key.rsplit("/", 1)[-1]] += 1
        return super().read_bytes(key)


def test_a_run_reports_its_validation_results_and_keeps_no_staged_records(env, tmp_path):
    from sohoa.samples import write_samples

    pages = write_samples(tmp_path / "scans", 1, seed=31, profile="clean", doc_types=["marriage"])
    upload_files(env, pages, BOOK)
    landing = CountingLanding(env.root)
    plans = tasks.plan_batches(tasks.list_new_scans("run-v", landing=landing), landing=landing)
    reviews = []
    for plan in plans:
        staged = tasks.extract_batch(plan, landing=landing)
        gated = tasks.gate_batch(staged, landing=landing)
        reviews.append(tasks.queue_review(tasks.load_batch(gated, landing=landing), landing))
    report = env.read_json(tasks.refresh_kpis("run-v", reviews, landing=landing))

    assert report["pages"] == 1 and report["loaded"] + report["in_review"] == 1
    [result] = report["validation_results"]
    assert json.loads(Path(result).read_text())["validations"]  # the gate's own file
    assert report["validation_reports"] and Path(report["validation_reports"][0]).is_file()
    assert not [k for k in env.list("runs") if k.endswith("records.jsonl")]  # loaded: gone
    # One process (sohoa run): what a step wrote, the next steps take without parsing it.
    assert landing.reads["records.jsonl"] == 0 and landing.reads["plan.json"] == 0


def test_staged_records_of_a_run_that_never_loaded_them_are_removed_later(
    env, tmp_path, monkeypatch
):
    upload_files(env, broken_files(tmp_path, 1), BOOK)
    [plan] = tasks.plan_batches(tasks.list_new_scans("run-killed"))
    staged = tasks.extract_batch(plan)  # then the run is killed: nothing loads them
    monkeypatch.setenv("SOHOA_STAGED_RECORDS_HOURS", "1")
    tasks.list_new_scans("run-next")
    assert env.exists(staged)  # younger than an hour: kept, a retry may load them
    monkeypatch.setenv("SOHOA_STAGED_RECORDS_HOURS", "0")
    tasks.list_new_scans("run-later")
    assert not env.exists(staged)
