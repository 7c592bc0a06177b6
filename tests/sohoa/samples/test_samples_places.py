"""Every unit named on a generated page exists in the official lists of its era.

The generator reads units from the ``vietnamadminunits`` package; the reference CSVs come
from other compilations, which spell a few names differently (old and new tone-mark
placement 'Hòa'/'Hoà', 'Sỹ'/'Sĩ', 'N.T' for 'Nông trường', a dash in 'Văn Miếu - Quốc Tử
Giám'). Names are compared
folded; a commune may differ by such a spelling only within the right district and province.
"""

from __future__ import annotations

import difflib
import random
import re
from datetime import date

import pytest

from ocr.text import fold
from sohoa.samples import places

_TYPES = re.compile(r"^(tinh|thanh pho|huyen|quan|thi xa|thi tran|xa|phuong|dac khu) ")
PLACE_FIELDS = ("place_of_birth", "hometown", "residence", "registration_place", "place_of_death")


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _TYPES.sub("", fold(name)))


@pytest.fixture(scope="module")
def legacy(reference) -> dict[tuple[str, str], set[str]]:
    table: dict[tuple[str, str], set[str]] = {}
    for row in reference("admin_units_2025-03.csv"):
        key = (_key(row["province_name"]), _key(row["district_name"]))
        table.setdefault(key, set()).add(_key(row["commune_name"]))
    return table


@pytest.fixture(scope="module")
def current(reference) -> dict[tuple[str, str], set[str]]:
    table: dict[tuple[str, str], set[str]] = {}
    for row in reference("admin_units_2025-07.csv"):
        table.setdefault((_key(row["province_name"]), ""), set()).add(_key(row["commune_name"]))
    return table


def _exists(ward: str, district: str, province: str, table) -> bool:
    communes = table.get((_key(province), _key(district)))
    if not communes:
        return False
    if _key(ward) in communes:
        return True
    return bool(difflib.get_close_matches(_key(ward), communes, n=1, cutoff=0.7))


def _unit_parts(value: str, legacy_era: bool) -> tuple[str, str, str] | None:
    parts = value.split(", ")
    if parts[0].startswith("Bệnh viện"):
        return None  # "Bệnh viện Đa khoa Tỉnh X": a hospital, no commune to check
    parts[0] = re.sub(r"^(Ủy ban nhân dân|UBND|Trạm Y tế) ", "", parts[0])
    if legacy_era:
        return parts[-3], parts[-2], parts[-1]
    return parts[-2], "", parts[-1]


def test_units_on_generated_pages_exist_in_their_era(built, legacy, current):
    checked = {True: 0, False: 0}
    for doc in built:
        f = doc.form.fields
        on = date.fromisoformat(f.get("registration_date") or f["result_date"])
        era_is_legacy = places.is_legacy(on)
        for name, value in f.items():
            if not name.endswith(PLACE_FIELDS):
                continue
            parts = _unit_parts(value, era_is_legacy)
            if parts is None:
                continue
            assert _exists(*parts, legacy if era_is_legacy else current), (name, value)
            checked[era_is_legacy] += 1
    assert checked[True] > 300 and checked[False] > 10


def test_random_unit_keeps_to_the_requested_province():
    rng = random.Random(1)
    for code in ("01", "68", "79"):
        for on in (date(2010, 1, 1), date(2025, 12, 1)):
            assert places.random_unit(rng, on, code).province_code == code


def test_units_switch_to_two_levels_on_1_july_2025():
    rng = random.Random(2)
    assert places.random_unit(rng, date(2025, 6, 30)).district is not None
    assert places.random_unit(rng, date(2025, 7, 1)).district is None
