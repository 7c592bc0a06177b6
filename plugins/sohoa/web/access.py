"""Who may do what, and for which units.

Every page and endpoint names one capability; :data:`CAPABILITIES` says which roles hold
it. Unit scope is separate: an archive clerk's one unit, a reviewer's assigned units, a
manager's units or province. An admin manages accounts and sees no records at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sohoa.db.tables import WEB_ROLES

ROLE_LABELS = {
    "archive_staff": "Cán bộ lưu trữ",
    "reviewer": "Người duyệt",
    "manager": "Lãnh đạo",
    "admin": "Quản trị",
}

CAPABILITIES: dict[str, frozenset[str]] = {
    "upload": frozenset({"archive_staff"}),
    "batches": frozenset({"archive_staff", "reviewer"}),
    "review": frozenset({"archive_staff", "reviewer"}),  # see, correct, enter by hand, reject
    "confirm": frozenset({"archive_staff", "reviewer"}),
    "arbitrate": frozenset({"reviewer"}),  # books typed twice: mark them, settle differences
    "lookup": frozenset({"archive_staff", "reviewer"}),  # reuse of digitized records
    "reports": frozenset({"manager"}),
    "accounts": frozenset({"admin"}),
}
assert all(roles <= set(WEB_ROLES) for roles in CAPABILITIES.values())

ALL_UNITS = "*"


@dataclass(frozen=True)
class Principal:
    """The signed-in person, as every request sees them."""

    user_id: int
    username: str
    display_name: str | None
    role: str
    units: tuple[str, ...]  # commune codes, province codes, or "*"
    csrf_token: str

    def can(self, capability: str) -> bool:
        return self.role in CAPABILITIES[capability]

    def covers(self, unit_code: str | None) -> bool:
        """May this person see records of ``unit_code``?"""
        if unit_code is None:
            return False
        return any(_covers(scope, unit_code) for scope in self.units)

    @property
    def home_unit(self) -> str | None:
        """The unit an archive clerk uploads for (their only one)."""
        return self.units[0] if self.role == "archive_staff" and self.units else None


def _covers(scope: str, unit_code: str) -> bool:
    if scope in (ALL_UNITS, unit_code):
        return True
    return _is_province(scope) and _province(unit_code) == _province(scope)


@lru_cache(maxsize=4096)
def _is_province(code: str) -> bool:
    from sohoa.kpi.units import is_province_code

    return is_province_code(code)


@lru_cache(maxsize=65536)
def _province(code: str) -> str:
    from sohoa.kpi.units import province_of

    return province_of(code).code
