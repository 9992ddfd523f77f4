"""How the portal writes days and moments: in the municipality's time zone and the page's
language. Residents read the long style ("18 mei 2025", "18 mei 2025, 12:00"; in English
"May 18, 2025"), staff lists the short one (the month abbreviated where the language does).
Moments are naive UTC, as every DateTime column keeps them.

Babel takes 15 to 30 µs to format a day and a list page repeats few distinct days, so the
long styles are cached per day and language (a few years of days in both languages).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from functools import lru_cache

from babel.dates import format_date, format_datetime
from flask_babel import gettext, ngettext

from app.ui import locale_name
from app.zaken.durations import parse_duration
from app.zaken.services import MUNICIPALITY_TIMEZONE


def local_date(moment: datetime) -> date:
    """The municipality's calendar day of a naive-UTC moment."""
    return moment.replace(tzinfo=UTC).astimezone(MUNICIPALITY_TIMEZONE).date()


def long_date(day: date | None, locale: str | None = None) -> str:
    """"18 mei 2025" ("" for none)."""
    return _long_date(day, locale or locale_name()) if day else ""


def long_date_time(moment: datetime) -> str:
    """"18 mei 2025, 12:00": a moment for residents."""
    local = moment.replace(tzinfo=UTC).astimezone(MUNICIPALITY_TIMEZONE)
    return f"{_long_date(local.date(), locale_name())}, {local:%H:%M}"


def short_date(day: date | None) -> str:
    """The day for staff lists ("" for none)."""
    return format_date(day, "medium", locale=locale_name()) if day else ""


def short_date_time(moment: datetime | None) -> str:
    """"18 mei 2025, 12:00" with the month abbreviated: a moment for staff ("" for none)."""
    if moment is None:
        return ""
    return format_datetime(moment.replace(tzinfo=UTC), "d MMM y, HH:mm",
                           tzinfo=MUNICIPALITY_TIMEZONE, locale=locale_name())


@lru_cache(maxsize=4096)
def _long_date(day: date, locale: str) -> str:
    return format_date(day, "long", locale=locale)


def duration_text(iso: str) -> str:
    """"6 weken" / "6 weeks and 3 days" for an ISO 8601 duration ("P6W3D"); "" for none."""
    if not iso:
        return ""
    duration = parse_duration(iso)
    if not duration.weeks and duration.days and duration.days % 7 == 0:  # "P42D": 6 weeks
        duration = replace(duration, weeks=duration.days // 7, days=0)
    parts = [ngettext("%(num)d year", "%(num)d years", duration.years),
             ngettext("%(num)d month", "%(num)d months", duration.months),
             ngettext("%(num)d week", "%(num)d weeks", duration.weeks),
             ngettext("%(num)d day", "%(num)d days", duration.days)]
    shown = [part for part, count in zip(parts, (duration.years, duration.months,
                                                 duration.weeks, duration.days), strict=True)
             if count]
    if len(shown) < 2:
        return "".join(shown)
    return gettext("%(first)s and %(last)s", first=", ".join(shown[:-1]), last=shown[-1])
