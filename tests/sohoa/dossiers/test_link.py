"""Scanned dossier results find their dossiers; conflicts are held back for a person."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from sohoa.db.tables import dossier, scan
from sohoa.dossiers.importer import import_file
from sohoa.dossiers.link import link_record, link_results

CODES = ["000.00.20.H40-240605-0001", "000.00.20.H40-240605-0002", "000.00.20.H40-240605-0003"]


def _dossiers(engine, tmp_path, result_files=("", "", "")):
    path = tmp_path / "d.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(
                {
                    "dossier_code": c,
                    "unit_code": "25920",
                    "received_at": "2024-06-05T08:00:00+07:00",
                    "paper_result_required": True,
                    "result_file": f,
                    "components": [],
                }
            )
            for c, f in zip(CODES, result_files, strict=True)
        )
        + "\n",
        encoding="utf-8",
    )
    assert import_file(engine, path).bad == []


def _result(records, n: int, code: str | None) -> dict:
    values = {
        "document_title": "QUYẾT ĐỊNH",
        "result_number": f"{n}/QĐ",
        "result_date": "2024-06-12",
        "applicant_name": "NGUYỄN VĂN AN",
    }
    if code:
        values["dossier_code"] = code
    return records.record("dossier_result", f"landing/results/{n}.png", values)


def _links(engine):
    with engine.connect() as conn:
        return {
            r.dossier_code: (r.result_record_id, r.result_file)
            for r in conn.execute(select(dossier))
        }


def test_link_by_page_code_and_by_upload_metadata(db_engine, tmp_path, records):
    _dossiers(db_engine, tmp_path, result_files=("", "s3://export/has-one.pdf", ""))
    records.load(
        db_engine,
        "dossier_result",
        [
            _result(records, 1, CODES[0]),
            _result(records, 2, CODES[1]),
            _result(records, 3, None),
            _result(records, 4, None),
        ],
    )
    with db_engine.begin() as conn:  # record 3's code came with the upload
        conn.execute(
            update(scan)
            .where(scan.c.uri == "landing/results/3.png")
            .values(upload_meta={"dossier_code": CODES[2]})
        )
    summary = link_results(db_engine)
    assert (summary.count("linked"), summary.count("no_code")) == (3, 1)
    links = _links(db_engine)
    assert links[CODES[0]][1] == "landing/results/1.png"
    assert links[CODES[1]][1] == "s3://export/has-one.pdf"  # the export's file is kept
    assert links[CODES[2]][1] == "landing/results/3.png"
    assert len({v[0] for v in links.values()}) == 3
    again = link_results(db_engine)  # linked records are skipped: nothing changes
    assert again.count("linked") == 0 and _links(db_engine) == links


def test_conflicts_change_nothing_until_a_person_decides(db_engine, tmp_path, records):
    _dossiers(db_engine, tmp_path)
    records.load(
        db_engine,
        "dossier_result",
        [
            _result(records, 1, CODES[0]),
            _result(records, 2, CODES[0]),
            _result(records, 3, CODES[1]),
            _result(records, 4, "000.00.20.H40-240101-0099"),
        ],
    )
    with db_engine.begin() as conn:  # page says CODES[1], metadata says CODES[2]
        conn.execute(
            update(scan)
            .where(scan.c.uri == "landing/results/3.png")
            .values(upload_meta={"dossier_code": CODES[2]})
        )
    summary = link_results(db_engine)
    statuses = {o.scan_uri: o.status for o in summary.outcomes}
    assert statuses == {
        "landing/results/1.png": "linked",
        "landing/results/2.png": "conflict",
        "landing/results/3.png": "conflict",
        "landing/results/4.png": "waiting",
    }
    reasons = " ".join(o.reason for o in summary.conflicts)
    assert "already holds" in reasons and "upload metadata" in reasons
    assert _links(db_engine)[CODES[1]] == (None, None)

    second = next(o.record_id for o in summary.outcomes if o.scan_uri.endswith("2.png"))
    link_record(db_engine, second, CODES[0], actor="clerk")
    assert _links(db_engine)[CODES[0]][0] == second
