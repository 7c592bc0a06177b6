"""Real administrative units, in the shape each era writes them.

Records registered before 1 July 2025 name three levels ("Xã Tân Phú, Huyện Đức Trọng,
Tỉnh Lâm Đồng"); later ones the two levels of the reorganised map ("Xã Tân Hội, Tỉnh Lâm
Đồng"). Units come from the ``vietnamadminunits`` package, never from the test CSVs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

REFORM_DATE = date(2025, 7, 1)


@dataclass(frozen=True)
class Unit:
    province: str
    province_code: str
    ward: str
    district: str | None = None  # None on the two-level map

    @property
    def text(self) -> str:
        parts = [self.ward, self.district, self.province]
        return ", ".join(p for p in parts if p)


def short_name(name: str) -> str:
    """'Huyện Đức Trọng' -> 'Đức Trọng', as a dateline writes it ("Đức Trọng, ngày ...")."""
    for prefix in (
        "Thành phố ",
        "Thành Phố ",
        "Thị xã ",
        "Huyện ",
        "Quận ",
        "Phường ",
        "Xã ",
        "Thị trấn ",
        "Thị Trấn ",
        "Đặc khu ",
    ):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@lru_cache(maxsize=2)
def _units(legacy: bool) -> tuple[Unit, ...]:
    from vietnamadminunits.database import query

    if legacy:
        rows = query(
            "SELECT province, provinceCode, district, ward FROM admin_units_legacy "
            "WHERE ward IS NOT NULL ORDER BY wardCode"
        )
        return tuple(Unit(r["province"], r["provinceCode"], r["ward"], r["district"]) for r in rows)
    rows = query("SELECT province, provinceCode, ward FROM admin_units ORDER BY wardCode")
    return tuple(Unit(r["province"], r["provinceCode"], r["ward"]) for r in rows)


def is_legacy(on: date) -> bool:
    return on < REFORM_DATE


def random_unit(rng: random.Random, on: date, province_code: str | None = None) -> Unit:
    """A commune in force on ``on``; within ``province_code`` when given and it exists."""
    units = _units(is_legacy(on))
    if province_code is not None:
        local = [u for u in units if u.province_code == province_code]
        if local:
            return rng.choice(local)
    return rng.choice(units)


def street_prefix(rng: random.Random, unit: Unit) -> str:
    """An address part below the commune: hamlet, group or street number."""
    if unit.ward.startswith("Phường"):
        return rng.choice(
            [
                f"Số {rng.randint(1, 250)} đường {rng.choice(_STREETS)}",
                f"Tổ {rng.randint(1, 30)}",
                f"Khu phố {rng.randint(1, 12)}",
            ]
        )
    return rng.choice(
        [
            f"Thôn {rng.randint(1, 15)}",
            f"Ấp {rng.randint(1, 9)}",
            f"Xóm {rng.randint(1, 12)}",
            f"Bản {rng.choice(_HAMLETS)}",
            f"Thôn {rng.choice(_HAMLETS)}",
        ]
    )


_STREETS = [
    "Trần Hưng Đạo",
    "Lê Lợi",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Lý Thường Kiệt",
    "Quang Trung",
    "Phan Đình Phùng",
    "Hùng Vương",
    "Nguyễn Du",
    "Lê Duẩn",
]
_HAMLETS = ["Đông", "Tây", "Trung", "Thượng", "Hạ", "Yên Phú", "Tân Lập", "Bình An"]
