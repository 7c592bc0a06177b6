"""Communes roll up to today's provinces, checked against the shared reference lists."""

from __future__ import annotations

from sohoa.kpi.units import UNKNOWN, is_province_code, province_of
from tests.reference import reference_rows


def test_old_and_new_communes_and_provinces():
    assert province_of("25920").code == "79"  # Tân Hiệp, Bình Dương (merged into HCMC)
    assert province_of("00001").code == "01"
    assert province_of("74").code == "79" and province_of("01").code == "01"
    assert province_of("not-a-code") == UNKNOWN
    assert is_province_code("74") and not is_province_code("25920")


def test_every_new_commune_maps_to_its_province():
    rows = reference_rows("admin_units_2025-07.csv")
    assert len(rows) > 3000
    wrong = [r for r in rows if province_of(r["commune_code"]).code != r["province_code"]]
    assert wrong == []


def test_every_old_commune_lands_in_a_todays_province():
    rows = reference_rows("admin_units_2025-03.csv")
    today = {r["province_code"] for r in reference_rows("admin_units_2025-07.csv")}
    lost = [r["commune_code"] for r in rows if province_of(r["commune_code"]).code not in today]
    assert lost == []
    # an old province keeps mapping to one of today's, consistently for its communes
    by_old = {}
    for r in rows:
        by_old.setdefault(r["province_code"], set()).add(province_of(r["commune_code"]).code)
    assert all(len(v) == 1 for v in by_old.values())
