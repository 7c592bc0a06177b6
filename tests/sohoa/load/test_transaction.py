"""One load: every page ends loaded, in review or rejected; reruns change nothing."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select, text

import sohoa.load.transaction as transaction_module
from ocr.book import Book
from ocr.errors import InputFileError
from sohoa.db.snapshot import canonical_dump
from sohoa.db.tables import (
    civil_record,
    person,
    pipeline_run,
    register_book,
    review_item,
    scan,
)
from sohoa.load.store import field_origin
from sohoa.load.synthetic import make_book, needs_review, rejected
from sohoa.load.transaction import load_records

BOOK = Book("25920", "birth", 2018, "01", declared_entries=40, uploader="lan")
NOW = datetime(2026, 5, 1, tzinfo=UTC)


def _count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_first_load_stores_records_fields_and_people_and_a_rerun_changes_nothing(db_engine):
    records = make_book("birth", 2018, "01", 40, seed=3)
    first = load_records(db_engine, records, BOOK, gate=None, run_key="run-1", now=NOW)
    assert (first.loaded, first.in_review, first.rejected) == (40, 0, 0)
    assert _count(db_engine, civil_record) == 40
    with db_engine.connect() as conn:
        people = conn.execute(select(civil_record.c.person_id, civil_record.c.spouse_person_id))
        assert sorted((p is not None, s is None) for p, s in people) == [(True, True)] * 40
    before = canonical_dump(db_engine)
    again = load_records(
        db_engine, records, BOOK, gate=None, run_key="run-1", now=datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert (again.skipped_existing, again.loaded) == (40, 0)
    assert canonical_dump(db_engine) == before
    assert _count(db_engine, pipeline_run) == 1


def test_every_stored_value_keeps_its_lineage(db_engine):
    records = make_book("birth", 2018, "01", 3, seed=4)
    load_records(db_engine, records, BOOK, gate=None, now=NOW)
    with db_engine.connect() as conn:
        rows = (
            conn.execute(
                select(civil_record.c.fields, civil_record.c.origin, scan.c.sha256, scan.c.page)
                .join(scan, scan.c.id == civil_record.c.scan_id)
                .order_by(civil_record.c.id)
            )
            .mappings()
            .all()
        )
    for row, rec in zip(rows, records, strict=True):
        assert (row["sha256"], row["page"]) == (rec["source"]["sha256"], 1)
        assert row["origin"] == "auto_accepted"
        assert set(row["fields"]) == set(rec["fields"])
        for name, read in rec["fields"].items():
            stored = row["fields"][name]
            assert stored["value"] == read["value"]
            assert stored["bbox"] == read["bbox"]
            assert stored["confidence"] == pytest.approx(read["confidence"])
            assert field_origin(stored) == "auto_accepted" and "by" not in stored


def test_pages_needing_a_person_go_to_review_and_unreadable_ones_are_rejected(db_engine):
    records = make_book("birth", 2018, "01", 5, seed=5)
    records[1] = needs_review(records[1], "personal_id", "id_birth_year", "year disagrees")
    records[2] = rejected(records[2], "blank page")
    death = make_book("death", 2018, "01", 1, seed=5)[0]  # wrong book
    summary = load_records(db_engine, [*records, death], BOOK, gate=None, now=NOW)
    assert (summary.loaded, summary.in_review, summary.rejected) == (3, 2, 1)
    with db_engine.connect() as conn:
        statuses = dict(conn.execute(select(scan.c.sha256, scan.c.status)).all())
        reason = conn.execute(
            select(scan.c.reject_reason).where(scan.c.status == "rejected")
        ).scalar_one()
        reasons = [
            r for (r,) in conn.execute(select(review_item.c.reasons).order_by(review_item.c.id))
        ]
    assert statuses[records[1]["source"]["sha256"]] == "in_review"
    assert reason == "blank page"
    assert reasons[0][0]["rule"] == "id_birth_year"
    assert reasons[1][0]["rule"] == "doc_type_mismatch"
    assert _count(db_engine, civil_record) == 3  # nothing unreviewed reaches the records


def test_registration_numbers_are_unique_per_book_across_and_within_batches(db_engine):
    first = make_book("birth", 2018, "01", 3, seed=6)
    load_records(db_engine, first, BOOK, gate=None, now=NOW)
    clash = make_book("birth", 2018, "01", 2, seed=7)  # numbers 1, 2 again, other scans
    twin = make_book("birth", 2018, "01", 2, seed=8, start=10)
    twin[1]["fields"]["registration_number"]["value"] = "10"
    summary = load_records(db_engine, [*clash, *twin], BOOK, gate=None, now=NOW)
    assert (summary.loaded, summary.in_review) == (0, 4)
    assert summary.reasons == {"registration_number_taken": 2, "duplicate_registration_number": 2}


def test_a_page_uploaded_twice_with_different_contents_goes_to_review(db_engine):
    rec = make_book("birth", 2018, "01", 1, seed=9)[0]
    other = {**rec, "fields": {**rec["fields"], "sex": {"value": "female", "confidence": 0.9}}}
    summary = load_records(db_engine, [rec, other, rec], BOOK, gate=None, now=NOW)
    assert (summary.loaded, summary.in_review, summary.duplicate_pages) == (0, 1, 2)
    assert summary.reasons == {"scan_loaded_twice": 1}
    assert _count(db_engine, scan) == 1


def test_a_crash_inside_the_batch_leaves_nothing_behind(db_engine, monkeypatch):
    # A fault we cannot otherwise cause in-process: the people step raises after the
    # scans, records and fields were written in the same transaction.
    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("sohoa.load.store.link_people", boom)
    with pytest.raises(RuntimeError):
        load_records(
            db_engine,
            make_book("birth", 2018, "01", 5, seed=10),
            BOOK,
            gate=None,
            run_key="crash",
            now=NOW,
        )
    for table in (scan, civil_record, person, register_book, pipeline_run):
        assert _count(db_engine, table) == 0


def test_statement_count_does_not_grow_with_the_batch(db_engine):
    def statements_for(n: int, year: int) -> int:
        seen: list[str] = []
        listener = lambda *a: seen.append(a[2])  # noqa: E731
        event.listen(db_engine, "before_cursor_execute", listener)
        try:
            load_records(
                db_engine,
                make_book("birth", year, "01", n, seed=11),
                Book("25920", "birth", year, "01"),
                gate=None,
                now=NOW,
            )
        finally:
            event.remove(db_engine, "before_cursor_execute", listener)
        return len(seen)

    # Optional steps (e.g. duplicate-person flags) may add a constant, never a per-row cost.
    assert statements_for(300, 2019) <= statements_for(10, 2020) + 2


def test_records_without_a_source_are_bad_input(db_engine):
    with pytest.raises(InputFileError):
        load_records(db_engine, [{"doc_type": "birth", "fields": {}}], BOOK, gate=None)


# --- loads running at the same time (PostgreSQL: several workers, one connection each) ---


def _wait_until_blocked(engine, what: str, timeout: float = 20.0) -> None:
    """Until another session waits on a lock (``what``: pg_stat_activity.wait_event)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND wait_event = :w"
                ),
                {"w": what},
            ).scalar_one()
        if waiting:
            return
        time.sleep(0.05)
    raise AssertionError(f"no session waited on a {what} lock")


def test_a_page_written_by_a_parallel_load_is_skipped_not_an_error(pg_engine, monkeypatch):
    # Another load of another book writes one of this batch's pages and commits while this
    # batch is writing: the batch's insert then fails on the natural key, and the batch
    # is retried as a whole, finding that page already known.
    records = make_book("birth", 2018, "01", 20, seed=12)
    page = records[7]["source"]
    held = _advisory_locks_held_while_writing(monkeypatch)
    other = pg_engine.connect()
    tx = other.begin()
    other.execute(
        scan.insert().values(
            sha256=page["sha256"], page=page["page"], uri=page["uri"], doc_type="birth",
            status="rejected", reject_reason="other book", created_at=NOW, updated_at=NOW,
        )
    )  # fmt: skip
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(load_records, pg_engine, records, BOOK, gate=None, now=NOW)
        _wait_until_blocked(pg_engine, "transactionid")  # on the uncommitted page
        tx.commit()
        other.close()
        summary = running.result(timeout=60)
    assert (summary.loaded, summary.skipped_existing) == (19, 1)
    assert _count(pg_engine, scan) == 20
    assert _count(pg_engine, civil_record) == 19
    assert held == [2, 2]  # both attempts wrote holding the loads' lock and the book's


def _advisory_locks_held_while_writing(monkeypatch) -> list[int]:
    """Per attempt at a batch, the advisory locks its transaction held as it wrote (a
    spy on ``_write``; the real one runs)."""
    held: list[int] = []
    real = transaction_module._write

    def spy(conn, *args):
        held.append(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted"
                )
            ).scalar_one()
        )
        return real(conn, *args)

    monkeypatch.setattr(transaction_module, "_write", spy)
    return held


def _calls(monkeypatch, name: str) -> list[int]:
    """A spy on ``sohoa.load.transaction.<name>``: one entry per call (the real one runs)."""
    calls: list[int] = []
    real = getattr(transaction_module, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(transaction_module, name, counted)
    return calls


def test_a_load_that_waited_for_another_load_of_its_book_reads_its_pages_again(
    pg_engine, monkeypatch
):
    # Two loads of one book take turns (the book's lock). The one that waited reads the
    # stored pages again once it holds the lock and skips those the other stored: no
    # failed insert, no second attempt.
    records = make_book("birth", 2018, "01", 20, seed=12)
    attempts = _calls(monkeypatch, "_transaction")
    other = pg_engine.connect()
    tx = other.begin()
    other.execute(
        text("SELECT pg_advisory_xact_lock(:b, hashtext(:book))"),
        {"b": transaction_module._BOOK_LOCK_KEY, "book": transaction_module._book_key(BOOK)},
    )
    for rec in records[:10]:
        page = rec["source"]
        other.execute(
            scan.insert().values(
                sha256=page["sha256"], page=page["page"], uri=page["uri"], doc_type="birth",
                status="rejected", reject_reason="the other load", created_at=NOW,
                updated_at=NOW,
            )
        )  # fmt: skip
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(load_records, pg_engine, records, BOOK, gate=None, now=NOW)
        _wait_until_blocked(pg_engine, "advisory")
        tx.commit()
        other.close()
        summary = running.result(timeout=60)
    assert (summary.loaded, summary.skipped_existing) == (10, 10)
    assert len(attempts) == 1


def test_a_load_nobody_made_wait_reads_the_stored_pages_once(pg_engine, monkeypatch):
    # Without a load of the same book ahead of it, what the batch read before its
    # transaction stands (a page stored since would fail its insert: see above).
    reads = _calls(monkeypatch, "_known_scans")
    summary = load_records(pg_engine, make_book("birth", 2018, "01", 20, seed=12), BOOK, gate=None)
    assert summary.loaded == 20
    assert len(reads) == 1


def _content(engine) -> dict[str, list[tuple]]:
    """What two loads must agree on, whatever ids they drew."""
    with engine.connect() as conn:
        return {
            "scans": sorted(conn.execute(select(scan.c.sha256, scan.c.status)).all()),
            "records": sorted(
                conn.execute(
                    select(
                        civil_record.c.registration_number,
                        civil_record.c.full_name,
                        civil_record.c.date_of_birth,
                    )
                ).all()
            ),
            "links": sorted(
                conn.execute(
                    select(
                        civil_record.c.registration_number,
                        civil_record.c.person_id.isnot(None),
                        civil_record.c.spouse_person_id.isnot(None),
                    )
                ).all()
            ),
        }


def test_books_loaded_in_parallel_equal_books_loaded_one_after_the_other(pg_server, pg_template):
    from sohoa.db.engine import make_engine

    books = [
        (Book("25920", "birth", 2018, f"{v:02d}"), make_book("birth", 2018, f"{v:02d}", 60, v))
        for v in range(1, 5)
    ]
    contents = []
    for name, workers in (("one_by_one", 1), ("parallel", 4)):
        pg_server.admin_sql(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
        engine = make_engine(pg_server.url(name))
        try:
            with ThreadPoolExecutor(workers) as pool:
                jobs = [
                    pool.submit(load_records, engine, r, m, gate=None, now=NOW) for m, r in books
                ]
                done = [job.result() for job in jobs]
            assert sum(s.loaded for s in done) == 240
            contents.append(_content(engine))
        finally:
            engine.dispose()
            pg_server.admin_sql(f"DROP DATABASE {name} WITH (FORCE)")
    assert contents[0] == contents[1]


def test_a_review_item_lists_each_failed_rule_of_a_field_once(db_engine, tmp_path, monkeypatch):
    """The reader, the gate and the loader may each find the same fault; the clerk reads
    it once (the gate's message for a value rule it owns)."""
    monkeypatch.setenv("SOHOA_VALIDATION_DIR", str(tmp_path / "validation"))
    [record] = make_book("birth", 2018, "01", 1, seed=12)
    del record["fields"]["registration_number"]
    record["fields"]["full_name"]["confidence"] = 0.3
    record = needs_review(record, "registration_number", "required_missing", "reader: missing")
    record = needs_review(record, "full_name", "low_confidence", "reader: not sure")
    summary = load_records(db_engine, [record], BOOK, now=NOW)  # the real gate
    assert summary.in_review == 1
    with db_engine.connect() as conn:
        [reasons] = conn.execute(select(review_item.c.reasons)).scalars()
    pairs = [(r["field"], r["rule"]) for r in reasons]
    assert len(pairs) == len(set(pairs)), pairs
    assert pairs.count(("registration_number", "required_missing")) == 1
    assert pairs.count(("full_name", "low_confidence")) == 1
    assert not [p for p in pairs if p[1] == "required"]


def _pairs(reasons):
    return [(r["field"], r["rule"]) for r in reasons]


def test_the_reader_the_gate_and_the_loader_finding_one_fault_make_one_reason():
    """Without a database: the reader flagged a missing number and an unsure name, the
    gate found both again, the loader finds the number missing too (it was listed as
    ``required_missing`` and ``required``, and ``low_confidence`` twice)."""
    [record] = make_book("birth", 2018, "01", 1, seed=12)
    del record["fields"]["registration_number"]
    record = needs_review(record, "registration_number", "required_missing", "reader: missing")
    record = needs_review(record, "full_name", "low_confidence", "reader: not sure")
    gate = [
        {"field": "registration_number", "rule": "required_missing", "message": "gate: missing"},
        {"field": "full_name", "rule": "low_confidence", "message": "gate: below 0.9"},
    ]
    reasons = transaction_module._review_reasons(record, BOOK, gate, None)
    assert sorted(_pairs(reasons)) == [
        ("full_name", "low_confidence"),
        ("registration_number", "required_missing"),
    ]
    assert {r["message"] for r in reasons} == {"gate: missing", "gate: below 0.9"}


def test_a_page_of_another_type_than_its_book_is_one_reason():
    """The reader, told the book, says ``doc_type_not_book_type``; the loader knows the
    same fact as ``doc_type_mismatch``: the clerk reads it once."""
    [record] = make_book("death", 2018, "01", 1, seed=13)
    record = needs_review(record, None, "doc_type_not_book_type", "a death record, birth book")
    reasons = transaction_module._review_reasons(record, BOOK, None, "1")
    assert _pairs(reasons) == [(None, "doc_type_not_book_type")]
    auto = transaction_module._review_reasons(
        make_book("death", 2018, "01", 1, seed=13)[0], BOOK, None, "1"
    )
    assert _pairs(auto) == [(None, "doc_type_mismatch")]  # a page read without its book
