"""Dossier-link conflicts are kept in ``dossier_link``, wait in the review queue, and a
person's decision is audited; a code given with the upload links a result without one."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ocr.errors import ConfigurationError, InputFileError
from sohoa.cli import main
from sohoa.db.tables import dossier, dossier_link, review_action, scan
from sohoa.dossiers.importer import import_file
from sohoa.dossiers.link import (
    count_conflicts,
    dismiss_link,
    link_record,
    link_results,
    pending_conflicts,
)

CODES = ["000.00.20.H40-240605-0001", "000.00.20.H40-240605-0002", "000.00.20.H40-240605-0003"]


def _import(engine, tmp_path, codes=CODES):
    path = tmp_path / "dossiers.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "dossier_code": c,
                    "unit_code": "25920",
                    "received_at": "2024-06-05T08:00:00+07:00",
                    "paper_result_required": True,
                    "result_file": "",
                    "components": [],
                }
            )
            + "\n"
            for c in codes
        ),
        encoding="utf-8",
    )
    assert import_file(engine, path).bad == []


def _result(records, n: int, page_code: str | None, upload_code: str | None = None) -> dict:
    values = {
        "document_title": "QUYẾT ĐỊNH",
        "result_number": f"{n}/QĐ",
        "result_date": "2024-06-12",
        "applicant_name": "NGUYỄN VĂN AN",
    }
    if page_code:
        values["dossier_code"] = page_code
    rec = records.record("dossier_result", f"landing/results/{n}.png", values)
    if upload_code is not None:
        rec["upload"] = {"dossier_code": upload_code}
    return rec


def _snapshot(engine):
    """Everything the linker may write, in a comparable form."""
    with engine.connect() as conn:
        links = sorted(tuple(r) for r in conn.execute(select(dossier_link)))
        held = sorted(
            tuple(r)
            for r in conn.execute(
                select(dossier.c.dossier_code, dossier.c.result_record_id, dossier.c.result_file)
            )
        )
        actions = sorted(tuple(r) for r in conn.execute(select(review_action)))
    return links, held, actions


def _link_rows(engine) -> dict[str, dict]:
    """dossier_link rows by the URI of the record's scan."""
    from sohoa.db.tables import civil_record

    with engine.connect() as conn:
        rows = conn.execute(
            select(dossier_link, scan.c.uri)
            .join(civil_record, civil_record.c.id == dossier_link.c.record_id)
            .join(scan, scan.c.id == civil_record.c.scan_id)
        ).mappings()
        return {r["uri"].rsplit("/", 1)[1]: dict(r) for r in rows}


@pytest.fixture
def conflicted(db_engine, tmp_path, records):
    """Result 1 links to CODES[0]; 2 claims CODES[0] too; 3's page and upload disagree."""
    _import(db_engine, tmp_path)
    records.load(
        db_engine,
        "dossier_result",
        [
            _result(records, 1, CODES[0]),
            _result(records, 2, CODES[0]),
            _result(records, 3, CODES[1], upload_code=CODES[2]),
        ],
    )
    summary = link_results(db_engine)
    return {o.scan_uri.rsplit("/", 1)[1]: o.record_id for o in summary.outcomes}, summary


def test_conflicts_are_kept_and_listed_for_a_reviewer(
    db_engine, db_url, conflicted, capsys, monkeypatch
):
    ids, summary = conflicted
    assert summary.written == 3
    rows = _link_rows(db_engine)
    assert {k: (r["status"], r["dossier_code"]) for k, r in rows.items()} == {
        "1.png": ("linked", CODES[0]),
        "2.png": ("conflict", CODES[0]),
        "3.png": ("conflict", CODES[1]),
    }
    assert f"already holds the result of record {ids['1.png']}" in rows["2.png"]["reason"]
    assert CODES[2] in rows["3.png"]["reason"] and "upload metadata" in rows["3.png"]["reason"]
    assert all(r["decided_by"] is None for r in rows.values())

    pending = pending_conflicts(db_engine)
    assert [p["record_id"] for p in pending] == [ids["2.png"], ids["3.png"]]
    assert count_conflicts(db_engine) == 2

    monkeypatch.setenv("SOHOA_DB_URL", db_url)
    assert main(["review", "links"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[:2] for line in lines] == [
        [str(ids["2.png"]), CODES[0]],
        [str(ids["3.png"]), CODES[1]],
    ]
    assert main(["review", "list"]) == 0
    assert "2 dossier-link conflict(s)" in capsys.readouterr().err


def test_a_rerun_changes_nothing(db_engine, conflicted):
    before = _snapshot(db_engine)
    again = link_results(db_engine)
    assert again.written == 0
    assert again.count("conflict") == 2  # still reported, not rewritten
    assert _snapshot(db_engine) == before


def test_resolving_links_the_record_and_audits_who_when_what(
    db_engine, db_url, conflicted, capsys, monkeypatch
):
    ids, _ = conflicted
    link_record(db_engine, ids["3.png"], CODES[2], actor="clerk lan")
    rows = _link_rows(db_engine)
    decided = rows["3.png"]
    assert (decided["status"], decided["dossier_code"], decided["decided_by"]) == (
        "linked",
        CODES[2],
        "clerk lan",
    )
    assert decided["decided_at"] is not None
    with db_engine.connect() as conn:
        held = dict(conn.execute(select(dossier.c.dossier_code, dossier.c.result_record_id)).all())
        (audit,) = conn.execute(select(review_action)).mappings().all()
    assert held[CODES[2]] == ids["3.png"] and held[CODES[1]] is None
    assert audit["dossier_link_id"] == decided["id"] and audit["actor"] == "clerk lan"
    assert (audit["action"], audit["field"]) == ("link_dossier", "dossier_code")
    assert (audit["old_value"], audit["new_value"]) == (CODES[1], CODES[2])
    assert audit["at"] is not None and "upload metadata" in audit["note"]
    assert [p["record_id"] for p in pending_conflicts(db_engine)] == [ids["2.png"]]

    # through the CLI: record 2 takes CODES[0]; record 1, displaced, now waits for a person
    monkeypatch.setenv("SOHOA_DB_URL", db_url)
    assert main(["review", "link", str(ids["2.png"]), CODES[0], "--by", "clerk minh"]) == 0
    assert "linked to dossier" in capsys.readouterr().out
    rows = _link_rows(db_engine)
    assert (rows["2.png"]["status"], rows["2.png"]["decided_by"]) == ("linked", "clerk minh")
    assert (rows["1.png"]["status"], rows["1.png"]["decided_by"]) == ("conflict", None)
    assert [p["record_id"] for p in pending_conflicts(db_engine)] == [ids["1.png"]]
    with db_engine.connect() as conn:
        file_of = dict(conn.execute(select(dossier.c.dossier_code, dossier.c.result_file)).all())
    assert file_of[CODES[0]] == "landing/results/2.png"  # not the displaced record's scan

    # the linker leaves people's decisions alone
    before = _snapshot(db_engine)
    rerun = link_results(db_engine)
    assert {o.record_id for o in rerun.outcomes} == {ids["1.png"]}
    _, held_before, actions_before = before
    _, held_after, actions_after = _snapshot(db_engine)
    assert (held_after, actions_after) == (held_before, actions_before)


def test_dismissing_leaves_the_record_unlinked_for_good(db_engine, conflicted):
    ids, _ = conflicted
    with pytest.raises(ConfigurationError):
        dismiss_link(db_engine, ids["2.png"], actor="clerk", note="  ")
    with pytest.raises(ConfigurationError):
        dismiss_link(db_engine, ids["1.png"], actor="clerk", note="linked, no conflict")
    with pytest.raises(ConfigurationError):
        link_record(db_engine, ids["2.png"], CODES[0], actor=" ")
    dismiss_link(db_engine, ids["2.png"], actor="clerk", note="second scan of result 1")
    row = _link_rows(db_engine)["2.png"]
    assert (row["status"], row["decided_by"]) == ("conflict", "clerk")
    assert [p["record_id"] for p in pending_conflicts(db_engine)] == [ids["3.png"]]
    before = _snapshot(db_engine)
    assert ids["2.png"] not in {o.record_id for o in link_results(db_engine).outcomes}
    assert _snapshot(db_engine) == before
    with db_engine.connect() as conn:
        (audit,) = conn.execute(select(review_action)).mappings().all()
    assert (audit["old_value"], audit["new_value"]) == (CODES[0], None)
    assert audit["note"] == "second scan of result 1"


def test_a_code_given_with_the_upload_links_a_result_without_one(db_engine, tmp_path, records):
    _import(db_engine, tmp_path, CODES[:1])
    records.load(
        db_engine,
        "dossier_result",
        [
            _result(records, 1, None, upload_code=f" {CODES[0]} "),
            _result(records, 2, None, upload_code=CODES[1]),  # its export comes later
            _result(records, 3, None),
        ],
    )
    with db_engine.connect() as conn:
        meta = dict(conn.execute(select(scan.c.uri, scan.c.upload_meta)).all())
    assert meta == {
        "landing/results/1.png": {"dossier_code": CODES[0]},
        "landing/results/2.png": {"dossier_code": CODES[1]},
        "landing/results/3.png": None,
    }
    summary = link_results(db_engine)
    statuses = {o.scan_uri.rsplit("/", 1)[1]: o.status for o in summary.outcomes}
    assert statuses == {"1.png": "linked", "2.png": "waiting", "3.png": "no_code"}

    _import(db_engine, tmp_path, CODES[:2])  # the export of dossier 2 arrives
    later = link_results(db_engine)
    assert later.written == 1 and [o.status for o in later.outcomes] == ["linked", "no_code"]
    rows = _link_rows(db_engine)
    assert {k: r["status"] for k, r in rows.items()} == {
        "1.png": "linked",
        "2.png": "linked",
        "3.png": "no_code",
    }
    with db_engine.connect() as conn:
        held = dict(conn.execute(select(dossier.c.dossier_code, dossier.c.result_file)).all())
    assert held == {CODES[0]: "landing/results/1.png", CODES[1]: "landing/results/2.png"}


def test_a_malformed_upload_is_refused(db_engine, records):
    bad = _result(records, 1, None)
    bad["upload"] = "000.00.20.H40-240605-0001"
    with pytest.raises(InputFileError, match="'upload' must be an object"):
        records.load(db_engine, "dossier_result", [bad])
    bad["upload"] = {"dossier_code": 42}
    with pytest.raises(InputFileError, match="must be text"):
        records.load(db_engine, "dossier_result", [bad])
