"""``import_file``: upsert by dossier code, bad rows listed, idempotent, all-or-nothing."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, insert, select, update

from sohoa.db.tables import dossier, dossier_component, reuse_event, unit
from sohoa.dossiers import importer
from sohoa.dossiers.importer import import_file

GOOD = {
    "dossier_code": "000.00.20.H40-240605-0001",
    "procedure_code": "1.001193",
    "procedure_name": "Cấp lại bằng tốt nghiệp THPT",
    "unit_code": "25920",
    "received_at": "2024-06-05T08:15:00+07:00",
    "channel": "online",
    "paper_result_required": True,
    "result_issued_at": "2024-06-12T10:00:00+07:00",
    "result_file": "",
    "components": [
        {"name": "Tờ khai", "file": "s3://b/tokhai.pdf", "reused": False},
        {"name": "Giấy khai sinh", "file": "", "reused": True},
    ],
}


def _jsonl(path, rows):
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
        + "\n",
        encoding="utf-8",
    )
    return path


def _state(engine):
    with engine.connect() as conn:
        return (
            sorted(tuple(r) for r in conn.execute(select(dossier))),
            sorted(tuple(r) for r in conn.execute(select(dossier_component))),
            sorted(tuple(r) for r in conn.execute(select(unit))),
        )


def test_good_rows_imported_bad_rows_listed_with_line_and_reason(db_engine, tmp_path):
    second = {**GOOD, "dossier_code": "000.00.20.H40-240606-0002", "unit_code": "00004"}
    path = _jsonl(
        tmp_path / "export.jsonl",
        [
            GOOD,
            "{not json",
            {**GOOD, "dossier_code": "X-1", "paper_result_required": "maybe"},
            {**GOOD, "dossier_code": "X-2", "received_at": "5 June 2024"},
            {**GOOD, "dossier_code": ""},
            second,
            {**GOOD, "dossier_code": "X-3", "components": [{"file": "a.pdf"}]},
        ],
    )
    summary = import_file(db_engine, path)
    assert (summary.rows, summary.inserted, summary.units_created) == (7, 2, 2)
    bad = {b.line: b.reason for b in summary.bad}
    assert sorted(bad) == [2, 3, 4, 5, 7]
    assert "JSON" in bad[2]
    assert "paper_result_required" in bad[3]
    assert "received_at" in bad[4]
    assert "dossier_code is missing" in bad[5]
    assert "component 1" in bad[7] and "name" in bad[7]
    with db_engine.connect() as conn:
        row = conn.execute(select(dossier).where(dossier.c.dossier_code == GOOD["dossier_code"]))
        row = row.mappings().one()
        received = row["received_at"]
        if received.tzinfo is None:  # SQLite hands UTC back without its offset
            received = received.replace(tzinfo=UTC)
        assert received == datetime(2024, 6, 5, 1, 15, tzinfo=UTC)
        assert row["paper_result_required"] is True and row["result_file"] is None
        comps = conn.execute(
            select(dossier_component.c.name, dossier_component.c.file, dossier_component.c.reused)
            .where(dossier_component.c.dossier_id == row["id"])
            .order_by(dossier_component.c.position)
        ).all()
        assert [tuple(c) for c in comps] == [
            ("Tờ khai", "s3://b/tokhai.pdf", False),
            ("Giấy khai sinh", None, True),
        ]


def test_a_second_import_changes_nothing(db_engine, tmp_path):
    path = _jsonl(tmp_path / "e.jsonl", [GOOD, {**GOOD, "dossier_code": "C-240101-0002"}])
    first = import_file(db_engine, path)
    before = _state(db_engine)
    again = import_file(db_engine, path)
    assert (first.inserted, again.inserted, again.updated, again.unchanged) == (2, 0, 0, 2)
    assert _state(db_engine) == before


def test_csv_with_components_as_json_text(sqlite_engine, tmp_path):
    path = tmp_path / "export.csv"
    cols = list(GOOD)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=cols)
        writer.writeheader()
        writer.writerow(
            {
                **GOOD,
                "paper_result_required": "true",
                "components": json.dumps(GOOD["components"], ensure_ascii=False),
            }
        )
        writer.writerow(
            {
                **GOOD,
                "dossier_code": "C-2",
                "paper_result_required": "false",
                "components": "[broken",
            }
        )
    summary = import_file(sqlite_engine, path)
    assert summary.inserted == 1
    assert [(b.line, b.dossier_code) for b in summary.bad] == [(3, "C-2")]
    assert "components" in summary.bad[0].reason


def test_upsert_updates_but_keeps_what_sohoa_learnt(db_engine, tmp_path):
    import_file(db_engine, _jsonl(tmp_path / "a.jsonl", [GOOD]))
    with db_engine.begin() as conn:
        did = conn.execute(select(dossier.c.id)).scalar_one()
        first_comp = conn.execute(
            select(dossier_component.c.id).where(dossier_component.c.position == 0)
        ).scalar_one()
        # a scanned result set the result file; a reuse lookup marked component 0 reused
        conn.execute(update(dossier).values(result_file="landing/result.pdf"))
        conn.execute(
            update(dossier_component)
            .where(dossier_component.c.id == first_comp)
            .values(reused=True)
        )
        conn.execute(
            insert(reuse_event).values(
                dossier_id=did,
                component_id=first_comp,
                record_id=None,
                lookup_kind="personal_id",
                lookup_value="0",
                found=False,
                actor="t",
                at=datetime.now(UTC),
            )
        )
    changed = {**GOOD, "channel": "direct", "components": GOOD["components"][:1]}
    summary = import_file(db_engine, _jsonl(tmp_path / "b.jsonl", [changed]))
    assert (summary.inserted, summary.updated) == (0, 1)
    with db_engine.connect() as conn:
        row = conn.execute(select(dossier)).mappings().one()
        assert (row["channel"], row["result_file"]) == ("direct", "landing/result.pdf")
        comps = conn.execute(select(dossier_component.c.position, dossier_component.c.reused))
        assert [tuple(c) for c in comps] == [(0, True)]  # reuse kept, stale component gone


def test_same_code_twice_in_a_file(sqlite_engine, tmp_path):
    other = {**GOOD, "channel": "direct"}
    summary = import_file(sqlite_engine, _jsonl(tmp_path / "d.jsonl", [GOOD, GOOD, other]))
    assert (summary.inserted, summary.duplicates) == (1, 1)
    assert [b.line for b in summary.bad] == [3] and "line 1" in summary.bad[0].reason


def test_a_failure_while_writing_leaves_nothing(db_engine, tmp_path, monkeypatch):
    # A database failure after the first writes cannot be caused with valid input; the
    # component writer is replaced by one that fails (the only mock in this file).
    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "_sync_components", boom)
    import_file(db_engine, _jsonl(tmp_path / "a.jsonl", [GOOD]))  # new rows: no sync
    before = _state(db_engine)
    two = [{**GOOD, "channel": "x"}, {**GOOD, "dossier_code": "NEW-240101-0001"}]
    with pytest.raises(RuntimeError):
        import_file(db_engine, _jsonl(tmp_path / "b.jsonl", two))
    assert _state(db_engine) == before
    with db_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dossier)).scalar() == 1
