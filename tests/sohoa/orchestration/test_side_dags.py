"""The smaller DAGs' steps: dossier exports, confirmed reviews, the monthly KPI report."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ocr.errors import ConfigurationError, SohoaError
from sohoa.landing.store import open_landing
from sohoa.orchestration import hooks, side_dags
from tests.sohoa.review.overrides import AS_PRINTED

# The generated records' registration authority names its commune alone, and their
# mother's residence is blank: warnings a person answers with a reason when confirming.


@pytest.fixture
def env(tmp_path, monkeypatch):
    from sohoa.orchestration.database import ensure_schema

    monkeypatch.setenv("SOHOA_DB_URL", f"sqlite:///{tmp_path / 'sohoa.db'}")
    monkeypatch.setenv("SOHOA_LANDING", str(tmp_path / "landing"))
    ensure_schema()
    return open_landing()


def runs(kind: str) -> list[dict]:
    from sohoa.db.tables import pipeline_run
    from sohoa.orchestration.database import engine

    eng = engine()
    with eng.connect() as conn:
        rows = conn.execute(select(pipeline_run).where(pipeline_run.c.kind == kind)).mappings()
        out = [dict(r) for r in rows]
    eng.dispose()
    return out


def test_previous_month():
    assert side_dags.previous_month(date(2024, 7, 1)) == "2024-06"
    assert side_dags.previous_month(date(2025, 1, 31)) == "2024-12"


def test_find_tells_missing_from_broken():
    assert hooks.find("json:dumps") is not None
    assert hooks.find("sohoa.no_such_module:anything") is None
    assert hooks.find("json:no_such_function") is None
    with pytest.raises(ConfigurationError, match="not available"):
        hooks.require("sohoa.no_such_module:f", "a step")


def test_dossier_exports_are_imported_once_by_content(env, monkeypatch):
    env.put_bytes("dossiers/2024-06.jsonl", b'{"dossier_code": "x"}\n')
    env.put_bytes("dossiers/readme.txt", b"not an export")
    assert side_dags.list_dossier_exports() == ["dossiers/2024-06.jsonl"]

    imported = []
    monkeypatch.setattr(
        hooks,
        "find",
        lambda target: lambda eng, path: imported.append(path.read_bytes()) or {"dossiers": 1},
    )
    marker = side_dags.import_dossier_export("dossiers/2024-06.jsonl")
    assert imported == [b'{"dossier_code": "x"}\n']
    assert env.read_json(marker)["summary"] == {"dossiers": 1}
    assert side_dags.list_dossier_exports() == []
    env.put_bytes("dossiers/2024-06-copy.jsonl", b'{"dossier_code": "x"}\n')  # same content
    assert side_dags.list_dossier_exports() == []


def test_a_dossier_export_without_an_importer_fails_loudly(env, monkeypatch):
    env.put_bytes("dossiers/a.csv", b"dossier_code\n")
    monkeypatch.setattr(hooks, "find", lambda target: None)
    with pytest.raises(ConfigurationError, match="dossier import"):
        side_dags.import_dossier_export("dossiers/a.csv")
    assert side_dags.list_dossier_exports() == ["dossiers/a.csv"]  # still waiting


def test_kpi_report_is_written_and_recorded_once(env, tmp_path, monkeypatch):
    monkeypatch.setenv("SOHOA_REPORTS_DIR", str(tmp_path / "reports"))
    out = side_dags.write_kpi_reports("2024-06")
    assert out["period"] == "2024-06" and out["files"]
    assert all(p.startswith(str(tmp_path / "reports" / "2024-06")) for p in out["files"])
    assert {p.rsplit(".", 1)[-1] for p in out["files"]} >= {"json", "html"}
    side_dags.write_kpi_reports("2024-06")
    [row] = runs("kpi_report")
    assert row["run_key"] == "kpi_report/2024-06" and row["status"] == "succeeded"


def test_kpi_report_without_the_kpi_code_fails_loudly(env, monkeypatch):
    monkeypatch.setattr(hooks, "find", lambda target: None)
    with pytest.raises(ConfigurationError, match="KPI report"):
        side_dags.write_kpi_reports("2024-06")
    assert runs("kpi_report") == []


def test_review_load_checks_confirmed_items_and_records_new_ones(env):
    from sqlalchemy import update

    from ocr.book import Book
    from sohoa.db.tables import scan
    from sohoa.load.synthetic import make_book, needs_review
    from sohoa.load.transaction import load_records
    from sohoa.orchestration.database import engine
    from sohoa.review.queue import confirm, list_pending

    eng = engine()
    records = make_book("birth", 2019, "01", 3, seed=5)
    records[1] = needs_review(records[1], "full_name", "low_confidence", "check the name")
    load_records(eng, records, Book("25920", "birth", 2019, "01"), gate=None)
    assert side_dags.load_confirmed_reviews("r0")["confirmed_since_last_run"] == 0
    assert runs("review_load") == []  # nothing new, nothing recorded

    [item] = list_pending(eng)
    confirm(eng, item.id, actor="clerk1", overrides=AS_PRINTED)
    stats = side_dags.load_confirmed_reviews("r1")
    assert stats["confirmed_since_last_run"] == 1 and stats["confirmed_total"] == 1
    assert [r["run_key"] for r in runs("review_load")] == ["review_load/r1"]
    assert side_dags.load_confirmed_reviews("r2")["confirmed_since_last_run"] == 0
    assert len(runs("review_load")) == 1

    # A confirmed item whose page is not loaded is an inconsistency to shout about.
    with eng.begin() as conn:
        conn.execute(update(scan).where(scan.c.id == item.scan_id).values(status="in_review"))
    with pytest.raises(SohoaError, match="without a loaded record"):
        side_dags.load_confirmed_reviews("r3")
    eng.dispose()
