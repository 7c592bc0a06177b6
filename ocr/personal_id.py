"""Structure of the 12-digit personal identification number (số định danh cá nhân).

Digits 1-3: '0' + the birth-registration province code (the 63-province list in force
before 1 July 2025). Digit 4: century and sex. Digits 5-6: the last two digits of the
birth year. Digits 7-12: a serial number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CENTURY_BASE = {19: 0, 20: 2, 21: 4}
# ASCII digits only and no trailing newline: r"^\d{12}$" let "٠٧٩..." and "079...\n" through.
_ID_RE = re.compile(r"[0-9]{12}")


def century_sex_digit(year: int, sex: str) -> int:
    """1900s: 0 male / 1 female; 2000s: 2 / 3; 2100s: 4 / 5."""
    if year // 100 not in _CENTURY_BASE:
        raise ValueError(f"birth year {year} is outside 1900-2199, which the ID cannot encode")
    if sex not in ("male", "female"):
        raise ValueError(f"sex must be 'male' or 'female', got {sex!r}")
    return _CENTURY_BASE[year // 100] + (1 if sex == "female" else 0)


def make_personal_id(province_code: str, birth_year: int, sex: str, serial: int) -> str:
    if len(province_code) != 2 or not province_code.isascii() or not province_code.isdigit():
        raise ValueError(f"province code must be two digits, got {province_code!r}")
    if not 0 <= serial <= 999_999:
        raise ValueError(f"serial must fit six digits, got {serial}")
    return f"0{province_code}{century_sex_digit(birth_year, sex)}{birth_year % 100:02d}{serial:06d}"


@dataclass(frozen=True)
class DecodedId:
    province_code: str
    sex: str
    century: int  # year // 100: 19 for the 1900s, 20 for the 2000s, 21 for the 2100s
    year_suffix: int


def decode_personal_id(pid: str) -> DecodedId | None:
    """``None`` when the text is not 12 digits or digit 4 is not a known century/sex code."""
    if not isinstance(pid, str) or not _ID_RE.fullmatch(pid) or pid[0] != "0":
        return None
    code = int(pid[3])
    if code > 5:
        return None
    century = {0: 19, 1: 19, 2: 20, 3: 20, 4: 21, 5: 21}[code]
    return DecodedId(pid[1:3], "female" if code % 2 else "male", century, int(pid[4:6]))


def birth_year_of(decoded: DecodedId) -> int:
    return decoded.century * 100 + decoded.year_suffix
