"""ISO 8601 durations in calendar units (years, months, weeks, days), as zaaktypen use them
for doorlooptijd and servicenorm ("P8W", "P5D", "P1M")."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

# Date parts only: a zaak's deadlines are dates, so "PT4H" has no meaning here.
_DURATION_RE = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")


@dataclass(frozen=True)
class Duration:
    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0


def parse_duration(text: str) -> Duration:
    match = _DURATION_RE.fullmatch(text.strip().upper())
    if not match or not any(match.groups()):
        raise ValueError(f"not an ISO 8601 duration in years, months, weeks and days: {text!r}")
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    return Duration(years, months, weeks, days)


def add_duration(start: date, duration: str | Duration) -> date:
    """start + duration. Years and months count on the calendar and stop at the month's
    end (31 January + P1M = 28 or 29 February), as ISO 8601 and XML Schema do; then the
    weeks and days are added."""
    if isinstance(duration, str):
        duration = parse_duration(duration)
    month_index = start.month - 1 + duration.months + 12 * duration.years
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(weeks=duration.weeks, days=duration.days)
