"""A month to pick a day from: what the ``ui.month_calendar`` macro draws.

The page decides which days may be chosen and where choosing one leads (``href_for``);
this module lays the month out in weeks from Monday, names every day in full for screen
readers, and links to the previous and next month only where there is something to
choose. Days that cannot be chosen stay plain text.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from flask_babel import format_date


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    label: str             # "maandag 7 december 2026": the link's accessible name
    href: str | None       # None: cannot be chosen (plain text)
    current: bool = False  # the day chosen before (aria-current)


@dataclass(frozen=True)
class CalendarMonth:
    caption: str                              # "december 2026"
    weekdays: tuple[tuple[str, str], ...]     # (abbreviation, full name) from Monday
    weeks: tuple[tuple[CalendarDay | None, ...], ...]  # None: a day of another month
    previous_href: str | None
    previous_label: str
    next_href: str | None
    next_label: str

    @property
    def has_choice(self) -> bool:
        return any(day and day.href for week in self.weeks for day in week)


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def parse_month(value: str | None) -> dt.date | None:
    """"2026-12" as the first of that month; None for anything else."""
    try:
        return dt.date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_calendar(month: dt.date, choosable: Collection[dt.date],
                   href_for: Callable[[dt.date], str], month_href: Callable[[dt.date], str],
                   first: dt.date, last: dt.date, current: dt.date | None = None) -> CalendarMonth:
    """The month of ``month`` with a link for each day in ``choosable``; links to the months
    around it while they fall within [first, last] (the days that could ever be offered)."""
    month = first_of_month(month)
    weeks = tuple(
        tuple(CalendarDay(day, format_date(day, "full"),
                          href_for(day) if day in choosable else None, day == current)
              if day.month == month.month else None for day in week)
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month))
    monday = dt.date(2024, 1, 1)  # any Monday: the week's names in the page's language
    weekdays = tuple((format_date(monday + dt.timedelta(days=n), "EEEEEE"),
                      format_date(monday + dt.timedelta(days=n), "EEEE")) for n in range(7))
    previous, following = _shift(month, -1), _shift(month, 1)
    return CalendarMonth(
        caption=format_date(month, "LLLL yyyy"), weekdays=weekdays, weeks=weeks,
        previous_href=month_href(previous) if previous >= first_of_month(first) else None,
        previous_label=format_date(previous, "LLLL yyyy"),
        next_href=month_href(following) if following <= last else None,
        next_label=format_date(following, "LLLL yyyy"))
