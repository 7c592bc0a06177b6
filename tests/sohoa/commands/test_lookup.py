"""``sohoa lookup --personal-id N --dossier CODE --component NAME``."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from ocr.book import Book
from sohoa.cli import main
from sohoa.db.engine import make_engine
from sohoa.db.tables import dossier_component
from sohoa.dossiers.importer import import_file
from sohoa.load.transaction import load_records

PID = "079203001234"
CODE = "000.00.20.H40-240605-0001"


def test_lookup_marks_the_component(sqlite_url, monkeypatch, capsys, tmp_path):
    engine = make_engine(sqlite_url)
    values = {
        "full_name": "NGUYỄN VĂN AN",
        "date_of_birth": "2003-02-01",
        "sex": "male",
        "personal_id": PID,
        "registration_number": "12",
    }
    rec = {
        "source": {"uri": "b/1.png", "page": 1, "sha256": hashlib.sha256(b"1").hexdigest()},
        "doc_type": "birth",
        "status": "auto_accepted",
        "fields": {k: {"value": v, "confidence": 0.9} for k, v in values.items()},
    }
    load_records(engine, [rec], Book("25920", "birth", 2003, "01"), gate=None)
    path = tmp_path / "d.jsonl"
    path.write_text(
        json.dumps(
            {
                "dossier_code": CODE,
                "unit_code": "25920",
                "paper_result_required": False,
                "components": [{"name": "Giấy khai sinh", "file": ""}],
            }
        ),
        encoding="utf-8",
    )
    import_file(engine, path)
    monkeypatch.setenv("SOHOA_DB_URL", sqlite_url)

    argv = [
        "lookup",
        "--personal-id",
        PID,
        "--dossier",
        CODE,
        "--component",
        "Giấy khai sinh",
        "--actor",
        "clerk",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["found"] and out["component_marked_reused"]
    assert out["records"][0]["registration_number"] == "12"
    with engine.connect() as conn:
        assert conn.execute(select(dossier_component.c.reused)).scalar_one() is True

    assert main(["lookup", "--personal-id", "001099000001"]) == 1  # not found, still logged
    assert json.loads(capsys.readouterr().out)["reuse_event_id"] == 2
    assert main(["lookup", "--personal-id", "12"]) == 2
    engine.dispose()
