"""Periods in local time (+07:00)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ocr.errors import ConfigurationError
from sohoa.kpi.periods import local_date, parse_period, trailing_months


def test_quarter_month_year():
    q = parse_period("2024-Q2")
    assert (q.first, q.after) == (date(2024, 4, 1), date(2024, 7, 1))
    assert q.start_utc == datetime(2024, 3, 31, 17, tzinfo=UTC)
    assert parse_period("2024-12").after == date(2025, 1, 1)
    assert (
        parse_period("2024").months()[0] == "2024-01" and len(parse_period("2024").months()) == 12
    )


@pytest.mark.parametrize("bad", ["2024-Q5", "2024-13", "24", "2024-1", "Q2-2024", ""])
def test_bad_periods(bad):
    with pytest.raises(ConfigurationError):
        parse_period(bad)


def test_local_date_and_trend_window():
    assert local_date(datetime(2024, 6, 30, 17, 30, tzinfo=UTC)) == date(2024, 7, 1)
    assert local_date(datetime(2024, 6, 30, 16, 59)) == date(2024, 6, 30)  # naive = UTC
    w = trailing_months(parse_period("2024-Q2"), 12)
    assert (w.first, w.after) == (date(2023, 7, 1), date(2024, 7, 1))
