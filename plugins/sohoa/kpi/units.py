"""Roll a commune up to today's province through ``vietnamadminunits`` (docs/kpis.md,
docs/reference-data.md).

Dossiers and books carry the commune code of their time. A code from the 63-province list
(before 1 July 2025) is converted with the package's own converter table (old province
-> new province); a code of the 34-province list maps directly. New commune codes reuse
the code of one of the merged old communes, so both routes agree on the province.
A 2-digit code is a (today's, or converted old) province itself.
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from ocr.errors import MissingDependencyError


@dataclass(frozen=True)
class Province:
    code: str
    name: str


UNKNOWN = Province("?", "unknown unit")
UNITS_REFORM = date(2025, 7, 1)  # the two-level list of 34 provinces is in force from here


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Province], dict[str, str], dict[str, Province]]:
    """(today's province by code, old province key -> today's code, commune -> province)."""
    today: dict[str, Province] = {}
    key_to_code: dict[str, str] = {}
    for r in query("SELECT DISTINCT provinceCode, provinceKey, province FROM admin_units"):
        today[r["provinceCode"]] = Province(r["provinceCode"], r["province"])
        key_to_code[r["provinceKey"]] = r["provinceCode"]
    converter = _data_dir() / "converter_2025.json"
    merged = json.loads(converter.read_text(encoding="utf-8"))["DICT_PROVINCE"]
    old_to_new = {old: key_to_code[new] for new, olds in merged.items() for old in olds}
    old_code_to_new: dict[str, str] = {}
    commune: dict[str, Province] = {}
    for r in query("SELECT DISTINCT provinceCode, provinceKey, wardCode FROM admin_units_legacy"):
        new_code = old_to_new.get(r["provinceKey"])
        if new_code is None:
            continue
        old_code_to_new[r["provinceCode"]] = new_code
        if r["wardCode"]:
            commune[r["wardCode"]] = today[new_code]
    for r in query("SELECT wardCode, provinceCode FROM admin_units"):
        commune.setdefault(r["wardCode"], today[r["provinceCode"]])
    by_province_code = {**{k: today[v] for k, v in old_code_to_new.items()}, **today}
    return today, old_code_to_new, {**commune, **{f"P{k}": v for k, v in by_province_code.items()}}


def _data_dir() -> Path:
    """The package's data folder, found without importing the package: its ``__init__``
    loads the address parser (2 s), which a report does not need."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise MissingDependencyError(
            "vietnamadminunits is not installed; install it with `pip install vietnamadminunits`"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def query(sql: str) -> list[dict]:
    """Rows of the package's unit tables (``vietnamadminunits.database.query``, same file)."""
    with closing(sqlite3.connect(_data_dir() / "dataset.db")) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql)]


def province_of(unit_code: str) -> Province:
    """Today's province of a commune (old or new code) or province code; UNKNOWN if none."""
    code = unit_code.strip()
    _, _, lookup = _tables()
    if len(code) <= 2 and code.isdigit():
        return lookup.get(f"P{code.zfill(2)}", UNKNOWN)
    found = lookup.get(code)
    if found is None and len(code) == 5 and code.isdigit():
        found = _between_neighbours(code)
    return found or UNKNOWN


@lru_cache(maxsize=1)
def _sorted_communes() -> tuple[list[str], list[Province]]:
    _, _, lookup = _tables()
    codes = sorted(k for k in lookup if not k.startswith("P"))
    return codes, [lookup[c] for c in codes]


def _between_neighbours(code: str) -> Province | None:
    """A commune the package's tables lack (a few merged shortly before 2025) lies in its
    neighbours' province: commune codes are numbered in blocks, province by province."""
    codes, provinces = _sorted_communes()
    pos = bisect.bisect_left(codes, code)
    if 0 < pos < len(codes) and provinces[pos - 1] == provinces[pos]:
        return provinces[pos]
    return None


def is_province_code(code: str) -> bool:
    """A code of a province, today's or of the 63 before 2025 (a scope, not a commune)."""
    code = code.strip()
    return len(code) <= 2 and code.isdigit() and province_of(code) != UNKNOWN


def province_name(code: str) -> str:
    today, _, _ = _tables()
    return today.get(code, UNKNOWN).name if code in today else UNKNOWN.name


@lru_cache(maxsize=1)
def _unit_names() -> tuple[dict[str, str], dict[str, str]]:
    """(commune code -> name in today's list, commune code -> "name, district" in the
    list before 1 July 2025). New communes reuse an old commune's code, so one code can
    name two different communes: which one depends on the date."""
    current = {r["wardCode"]: r["ward"] for r in query("SELECT wardCode, ward FROM admin_units")}
    legacy = {
        r["wardCode"]: f"{r['ward']}, {r['district']}"
        for r in query("SELECT wardCode, ward, district FROM admin_units_legacy")
        if r["wardCode"]
    }
    return current, legacy


def unit_name(code: str, on: date | None = None) -> str | None:
    """The name of a commune (or province) code as the unit list in force on ``on``
    (today by default) names it, else as the other list does; ``None`` when neither
    knows the code. Names come from the installed package at run time."""
    code = code.strip()
    if len(code) <= 2 and code.isdigit():
        found = province_of(code)
        return None if found == UNKNOWN else found.name
    current, legacy = _unit_names()
    lists = (legacy, current) if on is not None and on < UNITS_REFORM else (current, legacy)
    return next((names[code] for names in lists if code in names), None)
