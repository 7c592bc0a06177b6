"""The three indicators on a hand-computed dossier set (``dossiers_q2.jsonl``), both backends.

The set, for 2024-Q2 (local time +07:00):
unit 25920 (Bình Dương, before 2025 -> today's 79, Hồ Chí Minh):
  D1 paper result, result file, all components filed          e 1/1  dig 1/1  reuse 0/1
  D2 paper result, no result file, reused component w/o file  e 0/1  dig 0/1  reuse 1/1
  D3 no paper result required, 23:59 on 30 June local         e -    dig 1/1  reuse 0/1
  D4 00:30 on 1 July local (still 30 June in UTC)            -> Q3, not counted
  D5 17:30 UTC on 31 March = 00:30 on 1 April local, a component without file -> dig 0/1
  D6 no receipt date; its code says 2024-06-15; reused       e 1/1  dig 1/1  reuse -
  => e 2/3 = 66.67 % (5.00 pts), dig 3/5 = 60.00 % (3.00), reuse 1/4 = 25.00 % (0.625 -> 0.63)
unit 00004 (Hà Nội): D7 no components, D8 reused component with a file; no paper results
  => e 0/0 = null, dig 2/2 = 100 % (4), reuse 1/2 = 50 % (1.25)
unit 00001 (Phúc Xá, an old Hà Nội commune): D9 all done  => 100, 100, 0 %
province 01 = 00004 + 00001: e 1/1, dig 3/3, reuse 1/3 = 33.33 % (0.83 pts)
all: e 3/4 = 75 % (5.63), dig 6/8 = 75 % (3.75), reuse 2/7 = 28.57 % (0.71)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.errors import ConfigurationError
from sohoa.dossiers.importer import import_file
from sohoa.kpi.report import build_report, drill_down

SAMPLE = Path(__file__).with_name("dossiers_q2.jsonl")


@pytest.fixture
def sample_engine(db_engine):
    summary = import_file(db_engine, SAMPLE)
    assert summary.bad == [] and summary.inserted == 9
    return db_engine


def _triple(block, key):
    b = block[key]
    return b["numerator"], b["denominator"], b["rate"], b["points"]


def _by(rows, key):
    return {r[key]: r for r in rows}


def test_unit_figures_match_the_hand_computation(sample_engine):
    report = build_report(sample_engine, "2024-Q2")
    units = _by(report["units"], "unit_code")
    a = units["25920"]["indicators"]
    assert _triple(a, "e_result_rate") == (2, 3, 66.67, 5.0)
    assert _triple(a, "digitization_rate") == (3, 5, 60.0, 3.0)
    assert _triple(a, "reuse_rate") == (1, 4, 25.0, 0.63)
    assert units["25920"]["dossiers"] == 5
    assert units["25920"]["province_code"] == "79"

    b = units["00004"]["indicators"]
    assert _triple(b, "e_result_rate") == (0, 0, None, None)  # zero denominator -> null
    assert _triple(b, "digitization_rate") == (2, 2, 100.0, 4.0)
    assert _triple(b, "reuse_rate") == (1, 2, 50.0, 1.25)
    assert units["00004"]["points"] == 5.25

    c = units["00001"]["indicators"]
    assert _triple(c, "reuse_rate") == (0, 1, 0.0, 0.0)
    assert units["00001"]["points"] == 10.0


def test_provinces_roll_up_counts_and_rank(sample_engine):
    report = build_report(sample_engine, "2024-Q2")
    provs = _by(report["provinces"], "province_code")
    assert set(provs) == {"01", "79"}
    hn = provs["01"]
    assert hn["units"] == 2
    assert _triple(hn["indicators"], "e_result_rate") == (1, 1, 100.0, 6.0)
    assert _triple(hn["indicators"], "reuse_rate") == (1, 3, 33.33, 0.83)
    totals = report["totals"]["indicators"]
    assert _triple(totals, "e_result_rate") == (3, 4, 75.0, 5.63)
    assert _triple(totals, "digitization_rate") == (6, 8, 75.0, 3.75)
    assert _triple(totals, "reuse_rate") == (2, 7, 28.57, 0.71)
    # ranked by points: 00001 (10), 25920 (8.63), 00004 (5.25)
    assert [(u["unit_code"], u["rank"]) for u in report["units"]] == [
        ("00001", 1),
        ("25920", 2),
        ("00004", 3),
    ]


def test_local_time_period_boundaries(sample_engine):
    q3 = build_report(sample_engine, "2024-Q3")
    assert [u["unit_code"] for u in q3["units"]] == ["25920"]
    assert q3["totals"]["dossiers"] == 1  # D4, 00:30 on 1 July local
    april = _by(build_report(sample_engine, "2024-04")["units"], "unit_code")
    assert april["25920"]["dossiers"] == 2  # D1 and D5 (00:30 on 1 April local)
    march = build_report(sample_engine, "2024-03")
    assert march["totals"]["dossiers"] == 0


def test_empty_period_gives_nulls_not_zeros(sample_engine):
    report = build_report(sample_engine, "2023")
    assert report["units"] == []
    for block in report["totals"]["indicators"].values():
        assert block["rate"] is None and block["points"] is None
    assert report["totals"]["points"] is None


def test_trend_is_by_local_month(sample_engine):
    trend = _by(build_report(sample_engine, "2024-Q2")["trend"], "month")
    assert len(trend) == 12 and "2023-07" in trend and "2024-07" not in trend
    assert trend["2024-04"]["dossiers"] == 3  # D1, D5, D9
    assert trend["2024-05"]["dossiers"] == 2  # D2, D7
    assert trend["2024-06"]["dossiers"] == 3  # D3, D6 (by its code), D8
    assert trend["2024-06"]["indicators"]["reuse_rate"]["denominator"] == 2  # D6 has no date


def test_scope_one_unit_and_one_province(sample_engine):
    only = build_report(sample_engine, "2024-Q2", unit="00004")
    assert only["scope"] == {"level": "unit", "code": "00004", "units": 1}
    assert only["totals"]["dossiers"] == 2
    hn = build_report(sample_engine, "2024-Q2", unit="01")
    assert hn["scope"]["level"] == "province" and hn["totals"]["dossiers"] == 3
    old_code = build_report(sample_engine, "2024-Q2", unit="74")  # Bình Dương before 2025
    assert old_code["scope"]["code"] == "79" and old_code["totals"]["dossiers"] == 5
    with pytest.raises(ConfigurationError):
        build_report(sample_engine, "2024-Q2", unit="99999")


def test_drill_down_lists_the_dossiers_behind_each_figure(sample_engine):
    drill = drill_down(sample_engine, "2024-Q2", "25920")
    codes = [d["dossier_code"] for d in drill["dossiers"]]
    assert len(codes) == 5 and "000.00.20.H40-240701-0004" not in codes
    flags = _by(drill["dossiers"], "dossier_code")
    d6 = flags["000.00.20.H40-240615-0006"]
    assert d6["received_at"] is None and d6["period_date"] == "2024-06-15"
    assert (d6["reuse_rate_num"], d6["reuse_rate_den"]) == (0, 0)
    d2 = flags["000.00.20.H40-240502-0002"]
    assert (d2["e_result_rate_num"], d2["e_result_rate_den"]) == (0, 1)
    assert (d2["digitization_rate_num"], d2["reuse_rate_num"]) == (0, 1)
    # the drill-down adds up to the unit's figures in the report
    unit = _by(build_report(sample_engine, "2024-Q2")["units"], "unit_code")["25920"]
    for key, block in drill["indicators"].items():
        assert block == unit["indicators"][key]
        assert sum(d[f"{key}_num"] for d in drill["dossiers"]) == block["numerator"]
        assert sum(d[f"{key}_den"] for d in drill["dossiers"]) == block["denominator"]


def test_postgres_facts_agree_with_the_direct_queries(pg_engine):
    """The trigger-kept ``kpi`` facts give the counts the direct queries give."""
    from sohoa.kpi import facts
    from sohoa.kpi.dossier_counts import counts_by_month, counts_by_unit
    from sohoa.kpi.periods import parse_period, trailing_months

    import_file(pg_engine, SAMPLE)
    with pg_engine.begin() as conn:  # a later change through plain SQL reaches the facts
        conn.exec_driver_sql(
            "UPDATE dossier_component SET reused = true WHERE dossier_id = "
            "(SELECT id FROM dossier WHERE dossier_code = '000.00.20.H40-240410-0001')"
        )
    period = parse_period("2024-Q2")
    window = trailing_months(period, 12)
    with pg_engine.connect() as conn:
        assert facts.available(conn)
        by_unit, by_month = facts.counts(conn, period, window, None)
        assert by_unit == counts_by_unit(conn, period)
        assert by_month == counts_by_month(conn, window)
    a = _by(build_report(pg_engine, "2024-Q2")["units"], "unit_code")["25920"]["indicators"]
    assert a["reuse_rate"]["numerator"] == 2


def test_postgres_facts_follow_deletes(pg_engine):
    import_file(pg_engine, SAMPLE)
    with pg_engine.begin() as conn:
        conn.exec_driver_sql(
            "DELETE FROM dossier WHERE unit_id <> (SELECT id FROM unit WHERE code = '25920')"
        )
        left = conn.exec_driver_sql("SELECT count(*) FROM kpi.dossier_fact").scalar()
    assert left == 6
    assert {u["unit_code"] for u in build_report(pg_engine, "2024-Q2")["units"]} == {"25920"}


def test_postgres_facts_follow_truncate_and_a_reload_counts_once(pg_engine):
    # Inserts write facts without looking for old ones (migration 0011): a TRUNCATE must
    # take the facts with it, or reloading after one (ids restarted) would collide.
    from ocr.book import Book
    from sohoa.load.synthetic import make_book
    from sohoa.load.transaction import load_records

    book = Book("25920", "birth", 2018, "01")
    records = make_book("birth", 2018, "01", 20, seed=3)
    records[0] = {**records[0], "status": "rejected", "issues": [{"rule": "blank_page"}]}
    load_records(pg_engine, records, book, gate=None)
    import_file(pg_engine, SAMPLE)
    tables = ("record_fact", "rejected_page", "dossier_fact")
    facts = "SELECT " + ", ".join(f"(SELECT count(*) FROM kpi.{t})" for t in tables)
    with pg_engine.begin() as conn:
        before = tuple(conn.exec_driver_sql(facts).one())
        conn.exec_driver_sql("TRUNCATE civil_record, scan, dossier RESTART IDENTITY CASCADE")
        assert tuple(conn.exec_driver_sql(facts).one()) == (0, 0, 0)
    assert before[:2] == (19, 1) and before[2] > 0
    summary = load_records(pg_engine, records, book, gate=None)
    import_file(pg_engine, SAMPLE)
    assert (summary.loaded, summary.rejected) == (19, 1)
    with pg_engine.connect() as conn:
        assert tuple(conn.exec_driver_sql(facts).one()) == before
