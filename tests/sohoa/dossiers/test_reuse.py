"""The reuse lookup returns records, logs a reuse_event and marks the component reused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from ocr.errors import ConfigurationError
from sohoa.db.tables import dossier_component, reuse_event
from sohoa.dossiers.importer import import_file
from sohoa.dossiers.lookup_key import lookup_digest
from sohoa.dossiers.reuse import lookup
from sohoa.kpi.report import build_report

PID = "079203001234"
CODE = "000.00.20.H40-240605-0001"


@pytest.fixture
def world(db_engine, tmp_path, records):
    records.load(
        db_engine,
        "birth",
        [
            records.record(
                "birth",
                "landing/b/1.png",
                {
                    "full_name": "NGUYỄN VĂN AN",
                    "date_of_birth": "2003-02-01",
                    "sex": "male",
                    "personal_id": PID,
                    "registration_number": "12",
                    "registration_date": "2003-02-10",
                    "place_of_birth": "Tân Hiệp",
                },
            )
        ],
        year=2003,
    )
    records.load(
        db_engine,
        "marriage",
        [
            records.record(
                "marriage",
                "landing/m/1.png",
                {
                    "husband_full_name": "NGUYỄN VĂN AN",
                    "husband_date_of_birth": "2003-02-01",
                    "husband_personal_id": PID,
                    "wife_full_name": "TRẦN THỊ BÌNH",
                    "wife_date_of_birth": "2004-05-05",
                    "registration_number": "7",
                    "registration_date": "2024-01-05",
                },
            )
        ],
    )
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps(
            {
                "dossier_code": CODE,
                "unit_code": "25920",
                "received_at": "2024-06-05T08:00:00+07:00",
                "paper_result_required": False,
                "components": [
                    {"name": "Tờ khai", "file": "s3://t.pdf", "reused": False},
                    {"name": "Giấy khai sinh", "file": "", "reused": False},
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    import_file(db_engine, path)
    return db_engine


def test_lookup_marks_the_component_and_moves_the_reuse_rate(world):
    before = build_report(world, "2024-Q2")["totals"]["indicators"]
    assert before["reuse_rate"]["numerator"] == 0
    assert before["digitization_rate"]["numerator"] == 0  # a component has no file

    result = lookup(
        world, personal_id=PID, dossier_code=CODE, component="giay khai sinh", actor="clerk"
    )
    assert [r["doc_type"] for r in result.records] == ["birth", "marriage"]
    assert result.records[0]["values"]["full_name"] == "NGUYỄN VĂN AN"
    assert result.component_marked
    with world.connect() as conn:
        ev = conn.execute(select(reuse_event)).mappings().one()
        assert (ev["found"], ev["lookup_kind"], ev["actor"]) == (True, "personal_id", "clerk")
        assert ev["record_id"] == result.records[0]["record_id"]
        reused = conn.execute(
            select(dossier_component.c.name, dossier_component.c.reused).order_by(
                dossier_component.c.position
            )
        ).all()
    assert [tuple(r) for r in reused] == [("Tờ khai", False), ("Giấy khai sinh", True)]
    after = build_report(world, "2024-Q2")["totals"]["indicators"]
    assert after["reuse_rate"]["numerator"] == 1
    assert after["digitization_rate"]["numerator"] == 1  # reused without a file counts


def test_a_miss_is_logged_and_marks_nothing(world):
    result = lookup(world, personal_id="001099000001", dossier_code=CODE, component="1")
    assert not result.found and not result.component_marked
    with world.connect() as conn:
        assert conn.execute(select(reuse_event.c.found)).scalar_one() is False
        assert not any(conn.execute(select(dossier_component.c.reused)).scalars())


def test_records_the_caller_may_not_see_are_left_out_of_the_answer_and_the_audit(world):
    only_marriages = lookup(
        world, personal_id=PID, actor="clerk", visible=lambda r: r["doc_type"] == "marriage"
    )
    assert [r["doc_type"] for r in only_marriages.records] == ["marriage"]
    nothing = lookup(
        world, personal_id=PID, dossier_code=CODE, component="1", visible=lambda r: False
    )
    assert not nothing.found and not nothing.component_marked
    with world.connect() as conn:
        events = conn.execute(
            select(reuse_event.c.record_id, reuse_event.c.found).order_by(reuse_event.c.id)
        ).all()
        assert not any(conn.execute(select(dossier_component.c.reused)).scalars())
    assert [tuple(e) for e in events] == [
        (only_marriages.records[0]["record_id"], True),
        (None, False),
    ]


def test_lookup_by_registration_number_and_bad_requests(world):
    assert [r["doc_type"] for r in lookup(world, registration_number="12").records] == ["birth"]
    with pytest.raises(ConfigurationError, match="12 digits"):
        lookup(world, personal_id="123")
    with pytest.raises(ConfigurationError, match="no component"):
        lookup(world, personal_id=PID, dossier_code=CODE, component="Hộ chiếu")
    with pytest.raises(ConfigurationError, match="no dossier"):
        lookup(world, personal_id=PID, dossier_code="nope")


def test_the_audit_keeps_a_keyed_hash_of_the_value_never_the_id(world, monkeypatch):
    monkeypatch.setenv("SOHOA_LOOKUP_KEY", "a-key-for-this-test-only")
    lookup(world, personal_id=PID, dossier_code=CODE, component="1")
    lookup(world, personal_id="001099000001")  # a miss is audited the same way
    with world.connect() as conn:
        kept = conn.execute(select(reuse_event.c.lookup_value).order_by(reuse_event.c.id))
        values = list(kept.scalars())
    assert PID not in values and "001099000001" not in values
    assert values == [
        lookup_digest("personal_id", PID, b"a-key-for-this-test-only"),
        lookup_digest("personal_id", "001099000001", b"a-key-for-this-test-only"),
    ]
    assert lookup_digest("personal_id", PID, b"another-key-another-digest") != values[0]
