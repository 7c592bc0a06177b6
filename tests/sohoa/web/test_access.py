"""Unit scope and capabilities of a principal."""

from __future__ import annotations

import pytest

from sohoa.db.tables import WEB_ROLES
from sohoa.web.access import CAPABILITIES, Principal

HOME, SAME_PROVINCE, HANOI = "25920", "26734", "00001"  # the first two in province 79


def who(role: str, *units: str) -> Principal:
    return Principal(1, "someone", None, role, units, "csrf")


@pytest.mark.parametrize(
    ("units", "unit", "covered"),
    [
        ((HOME,), HOME, True),  # exact code
        ((HOME,), SAME_PROVINCE, False),  # another unit, even in the same province
        ((HOME,), HANOI, False),
        (("79",), HOME, True),  # a province code covers its communes
        (("79",), SAME_PROVINCE, True),
        (("79",), HANOI, False),
        (("01",), HOME, False),
        (("*",), HANOI, True),  # everything
        ((HOME, HANOI), HANOI, True),
        ((HOME,), None, False),  # a record without a unit is nobody's
        (("*",), None, False),
        ((), HOME, False),
    ],
)
def test_covers(units, unit, covered):
    assert who("reviewer", *units).covers(unit) is covered


def test_home_unit_is_only_an_archive_clerks():
    assert who("archive_staff", HOME).home_unit == HOME
    assert who("reviewer", HOME).home_unit is None
    assert who("manager", HOME).home_unit is None


@pytest.mark.parametrize("role", WEB_ROLES)
def test_capabilities_per_role(role):
    held = {cap for cap in CAPABILITIES if who(role, HOME).can(cap)}
    expected = {
        "archive_staff": {"upload", "batches", "review", "confirm", "lookup"},
        "reviewer": {"batches", "review", "confirm", "lookup", "arbitrate"},
        "manager": {"reports"},
        "admin": {"accounts"},  # no records, no reports
    }[role]
    assert held == expected
