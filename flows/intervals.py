"""Logical intervals, as Airflow users know them: a run processes one day of landed data.

A day's partition is ``<landing>/<YYYY-MM-DD>/``; its interval is [day 00:00, next day 00:00)
in UTC, and its articles carry ``interval_start`` = the day. Nothing here reads the clock:
callers pass the moment that matters (a schedule's fire time, a user's --date).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ONE_DAY = timedelta(days=1)


def interval_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def interval_bounds(day: date) -> tuple[datetime, datetime]:
    start = interval_start(day)
    return start, start + ONE_DAY


def partition_dir(landing: Path, day: date) -> Path:
    return landing / day.isoformat()


def days_between(first: date, last: date) -> list[date]:
    """Every day from first to last inclusive, in the order given (backwards when last < first)."""
    step = ONE_DAY if last >= first else -ONE_DAY
    return [first + i * step for i in range(abs((last - first).days) + 1)]


def closed_interval(fire_time: datetime, timezone: str) -> date:
    """The day that had just ended when a daily schedule fired (in the schedule's timezone)."""
    local = fire_time.astimezone(ZoneInfo(timezone))
    return local.date() - ONE_DAY
