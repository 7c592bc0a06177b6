"""Properties over random dossier sets: rates in 0-100, roll-ups add up, SQL = a Python oracle.

On both backends: on PostgreSQL the report reads the trigger-kept ``kpi`` facts, so each
example first imports an earlier version of the dossiers (other units, flipped reuse, one
more component) and then the final one, which drives the update and delete triggers.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from sohoa.db.engine import make_engine
from sohoa.db.tables import dossier, dossier_component
from sohoa.dossiers.importer import import_file
from sohoa.kpi.indicators import INDICATORS
from sohoa.kpi.report import build_report

UNITS = ["25920", "00004", "00001", "26734"]  # two in HCMC today, two in Hà Nội
Q2_START = datetime(2024, 3, 31, 17, tzinfo=UTC)  # 1 April 00:00 local


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("prop") / "p.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        server = request.getfixturevalue("pg_server")
        template = request.getfixturevalue("pg_template")
        server.admin_sql(f"CREATE DATABASE kpi_props TEMPLATE {template}")
        url = server.url("kpi_props")
    eng = make_engine(url)
    yield eng
    eng.dispose()
    if request.param == "postgresql":
        server.admin_sql("DROP DATABASE IF EXISTS kpi_props WITH (FORCE)")


def _earlier(d: dict) -> dict:
    """An earlier export of the same dossier: another unit, reuse flipped, one more part."""
    return {
        **d,
        "unit_code": UNITS[(UNITS.index(d["unit_code"]) + 1) % len(UNITS)],
        "result_file": "",
        "components": [{**c, "reused": not c["reused"]} for c in d["components"]]
        + [{"name": "Bản sao", "file": "", "reused": False}],
    }


component = st.fixed_dictionaries(
    {
        "name": st.just("Giấy tờ"),
        "file": st.sampled_from(["", "s3://f.pdf"]),
        "reused": st.booleans(),
    }
)
one_dossier = st.fixed_dictionaries(
    {
        "unit_code": st.sampled_from(UNITS),
        "minutes": st.one_of(st.none(), st.integers(-3 * 24 * 60, 95 * 24 * 60)),
        "paper_result_required": st.booleans(),
        "result_file": st.sampled_from(["", "s3://r.pdf"]),
        "components": st.lists(component, max_size=3),
    }
)


def _oracle(rows):
    """Counts (docs/kpis.md) computed directly from the rows (dated rows inside Q2 only)."""
    end = Q2_START + timedelta(days=91)
    out = {}
    for r in rows:
        if r["at"] is None or not (Q2_START <= r["at"] < end):
            continue
        c = out.setdefault(
            r["unit_code"],
            dict.fromkeys([f"{i.key}_{p}" for i in INDICATORS for p in ("num", "den")], 0),
        )
        has_result = bool(r["result_file"])
        complete = all(x["file"] or x["reused"] for x in r["components"])
        reused = any(x["reused"] for x in r["components"])
        c["e_result_rate_den"] += r["paper_result_required"]
        c["e_result_rate_num"] += r["paper_result_required"] and has_result
        c["digitization_rate_den"] += 1
        c["digitization_rate_num"] += complete and (not r["paper_result_required"] or has_result)
        c["reuse_rate_den"] += 1
        c["reuse_rate_num"] += reused
    return out


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(one_dossier, max_size=25))
def test_rates_bounded_and_rollups_add_up(engine, tmp_path, dossiers):
    with engine.begin() as conn:
        conn.execute(delete(dossier_component))
        conn.execute(delete(dossier))
    rows, lines, earlier = [], [], []
    for n, d in enumerate(dossiers):
        at = None if d["minutes"] is None else Q2_START + timedelta(minutes=d["minutes"])
        # an undated dossier's code carries a date outside 2024 so it never lands in Q2
        code = f"000.00.20.H40-230101-{n:04d}"
        rows.append({**d, "at": at})
        final = {
            **{k: v for k, v in d.items() if k != "minutes"},
            "dossier_code": code,
            "received_at": at.isoformat() if at else None,
        }
        lines.append(json.dumps(final))
        earlier.append(json.dumps(_earlier(final)))
    for name, version in (("before.jsonl", earlier), ("after.jsonl", lines)):
        path = tmp_path / name
        path.write_text("\n".join(version) + "\n", encoding="utf-8")
        assert import_file(engine, path).bad == []

    report = build_report(engine, "2024-Q2")
    expected = _oracle(rows)
    assert {u["unit_code"] for u in report["units"]} == set(expected)
    for u in report["units"]:
        for key, b in u["indicators"].items():
            assert b["numerator"] == expected[u["unit_code"]][f"{key}_num"]
            assert b["denominator"] == expected[u["unit_code"]][f"{key}_den"]
    for level in (report["units"], report["provinces"], [report["totals"]]):
        for row in level:
            for b in row["indicators"].values():
                assert 0 <= b["numerator"] <= b["denominator"]
                if b["denominator"] == 0:
                    assert b["rate"] is None and b["points"] is None
                else:
                    assert 0 <= b["rate"] <= 100
                    assert 0 <= b["points"] <= b["max_points"]
    for p in report["provinces"]:
        members = [u for u in report["units"] if u["province_code"] == p["province_code"]]
        for key, b in p["indicators"].items():
            assert b["numerator"] == sum(u["indicators"][key]["numerator"] for u in members)
            assert b["denominator"] == sum(u["indicators"][key]["denominator"] for u in members)
    for key, b in report["totals"]["indicators"].items():
        assert b["denominator"] == sum(
            p["indicators"][key]["denominator"] for p in report["provinces"]
        )
    months = report["trend"][-3:]
    for key in ("digitization_rate", "reuse_rate", "e_result_rate"):
        assert (
            sum(m["indicators"][key]["numerator"] for m in months)
            == (report["totals"]["indicators"][key]["numerator"])
        )
