"""How the portal writes days and moments: in the municipality's time zone and the page's
language. Residents read the long style ("18 mei 2025", "18 mei 2025, 12:00"; in English
the British "18 May 2025", as the portal's English is British), staff lists the short one
(the month abbreviated where the language does).
Moments are naive UTC, as every DateTime column keeps them.

Babel takes 15 to 30 µs to format a day and a list page repeats few distinct days, so the
long styles are cached per day and language (a few years of days in both languages).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from functools import lru_cache

from babel.dates import format_date, format_datetime
from babel.lists import format_list
from flask_babel import ngettext

from app.texts import language_of
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
    return format_date(day, "medium", locale=date_locale(locale_name())) if day else ""


def full_date(day: date) -> str:
    """"zondag 6 december 2026" / "Sunday, 6 December 2026": a day to choose from."""
    return format_date(day, "full", locale=date_locale(locale_name()))


def date_locale(locale: str) -> str:
    """The Babel locale for dates: the portal writes British English (6 December 2026),
    which Babel's plain "en" (December 6, 2026) is not."""
    return "en_GB" if language_of(locale) == "en" else locale


def short_date_time(moment: datetime | None) -> str:
    """"18 mei 2025, 12:00" with the month abbreviated: a moment for staff ("" for none)."""
    if moment is None:
        return ""
    return format_datetime(moment.replace(tzinfo=UTC), "d MMM y, HH:mm",
                           tzinfo=MUNICIPALITY_TIMEZONE, locale=date_locale(locale_name()))


def duration_words(iso_duration: str) -> str:
    """A zaaktype's term in words: "P2W" -> "2 weken" / "2 weeks"; "P1M2D" -> "1 maand en
    2 dagen". Calendar units, as the zaak's dates count them (not working days)."""
    if not iso_duration:
        return ""
    duration = parse_duration(iso_duration)
    if not duration.weeks and duration.days and duration.days % 7 == 0:  # Open Zaak's "P42D"
        duration = replace(duration, weeks=duration.days // 7, days=0)
    parts = [text for count, text in (
        (duration.years, ngettext("%(num)d year", "%(num)d years", duration.years)),
        (duration.months, ngettext("%(num)d month", "%(num)d months", duration.months)),
        (duration.weeks, ngettext("%(num)d week", "%(num)d weeks", duration.weeks)),
        (duration.days, ngettext("%(num)d day", "%(num)d days", duration.days)),
    ) if count]
    return format_list(parts, locale=locale_name())


@lru_cache(maxsize=4096)
def _long_date(day: date, locale: str) -> str:
    return format_date(day, "long", locale=date_locale(locale))
