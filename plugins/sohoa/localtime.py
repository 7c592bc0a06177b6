"""Times as a person in Vietnam reads them: Asia/Ho_Chi_Minh, day first.

The database keeps UTC (SQLite hands it back naive); pages and reports show local time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo


def _zone() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # noqa: BLE001 - no tz database on the machine: the offset is fixed
        return timezone(timedelta(hours=7), "+07:00")


VIETNAM = _zone()


def in_vietnam(at: datetime) -> datetime:
    """``at`` in Vietnam time; a naive value is UTC (SQLite)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(VIETNAM)


def vietnam_time(at: datetime | str | None, *, seconds: bool = False) -> str:
    """``24/11/2026 14:05`` in Vietnam time; ISO text is accepted too; "" for none."""
    if at is None or at == "":
        return ""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return in_vietnam(at).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
