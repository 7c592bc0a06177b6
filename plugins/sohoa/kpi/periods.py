"""Reporting periods ``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` in Vietnam local time (+07:00).

Periods are cut at local midnight and compared in UTC: a dossier received at
2024-07-01T00:30+07:00 (17:30 UTC on 30 June) belongs to July and Q3, not to June.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from ocr.errors import ConfigurationError

LOCAL_TZ = timezone(timedelta(hours=7), "+07:00")
_PATTERN = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    """A half-open interval of local dates ``[first, after)`` with its label."""

    label: str
    first: date
    after: date

    @property
    def start_utc(self) -> datetime:
        return local_midnight_utc(self.first)

    @property
    def end_utc(self) -> datetime:
        return local_midnight_utc(self.after)

    def contains(self, day: date) -> bool:
        return self.first <= day < self.after

    def months(self) -> list[str]:
        """``YYYY-MM`` of every month the period covers."""
        out, d = [], self.first
        while d < self.after:
            out.append(f"{d.year:04d}-{d.month:02d}")
            d = _add_months(d, 1)
        return out


def parse_period(text: str) -> Period:
    m = _PATTERN.match(text.strip())
    if not m:
        raise ConfigurationError(
            f"period must be YYYY, YYYY-Qn or YYYY-MM (e.g. 2024-Q2), got {text!r}"
        )
    year = int(m.group(1))
    if m.group(2):
        first = date(year, 3 * int(m.group(2)) - 2, 1)
        return Period(text.strip(), first, _add_months(first, 3))
    if m.group(3):
        first = date(year, int(m.group(3)), 1)
        return Period(text.strip(), first, _add_months(first, 1))
    return Period(text.strip(), date(year, 1, 1), date(year + 1, 1, 1))


def trailing_months(period: Period, count: int = 12) -> Period:
    """The ``count`` months ending with the period's last month (the trend window)."""
    last_month_first = _add_months(period.after, -1)
    first = _add_months(last_month_first, -(count - 1))
    return Period(f"{count} months to {period.label}", min(first, period.first), period.after)


def local_midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ).astimezone(UTC)


def local_date(ts: datetime) -> date:
    """The local (+07:00) calendar date of a timestamp; naive values are UTC (SQLite)."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(LOCAL_TZ).date()


def _add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)
