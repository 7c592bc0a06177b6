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


def test_a_unit_is_named_as_the_list_of_its_time_names_it():
    from datetime import date

    from sohoa.kpi.units import unit_name

    # 00004 is Trúc Bạch before 1 July 2025 and the new Ba Đình after it
    assert unit_name("00004", date(2025, 6, 30)) == "Phường Trúc Bạch, Quận Ba Đình"
    assert unit_name("00004", date(2025, 7, 1)) == "Phường Ba Đình"
    assert unit_name("00004") == "Phường Ba Đình"  # today by default
    assert unit_name("00001") == "Phường Phúc Xá, Quận Ba Đình"  # only in the old list
    assert unit_name("79") == "Thành phố Hồ Chí Minh"
    assert unit_name("99999") is None


def test_every_commune_has_the_name_of_the_reference_lists():
    """Names come from the installed package, which spells some with the other tone
    placement (Hòa for Hoà: the same name, not counted), lags the reference on a handful
    of new communes, and spells about 2 % of the old ones otherwise (Sà Phìn for Xà Phìn,
    Quý for Quí); a dozen old communes it lacks altogether (the report shows their code)."""
    from datetime import date

    from ocr.units import accent_key
    from sohoa.kpi.units import unit_name

    def differ(name: str | None, expected: str) -> bool:
        return name is None or accent_key(name) != accent_key(expected)

    new = reference_rows("admin_units_2025-07.csv")
    wrong = [r for r in new if differ(unit_name(r["commune_code"]), r["commune_name"])]
    assert len(wrong) <= 15, wrong[:5]
    old = reference_rows("admin_units_2025-03.csv")
    before = date(2025, 1, 1)
    wrong = [
        r
        for r in old
        if differ(
            unit_name(r["commune_code"], before), f"{r['commune_name']}, {r['district_name']}"
        )
    ]
    assert len(wrong) <= len(old) // 50, wrong[:5]
    # a dozen communes merged shortly before 2025 are missing from the package's old list
    assert sum(1 for r in old if unit_name(r["commune_code"], before) is None) <= 20
