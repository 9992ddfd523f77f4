"""The agenda as data: locations, desks, opening hours, products, from content/agenda.toml.

Validated once at first use against the catalogue (products must exist there
and have ``appointment = true``); what to bring comes from the catalogue.
Times in the file are wall-clock times in the agenda's time zone.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from app.catalog.content import Catalog, Product, get_catalog
from app.texts import Text

EXTENSION_KEY = "agenda"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Hours = tuple[tuple[dt.time, dt.time], ...]


class AgendaError(ValueError):
    """The agenda file is malformed; the message names the place."""


@dataclass(frozen=True)
class Desk:
    code: str
    name: str


@dataclass(frozen=True)
class DayException:
    date: dt.date
    hours: Hours  # empty: closed all day
    reason: Text | None


@dataclass(frozen=True)
class Location:
    slug: str
    name: Text
    address: str
    route: Text | None
    desks: tuple[Desk, ...]
    weekly_hours: dict[int, Hours]  # weekday (0 = Monday) -> opening intervals
    exceptions: dict[dt.date, DayException]

    def hours_on(self, day: dt.date) -> Hours:
        if day in self.exceptions:
            return self.exceptions[day].hours
        return self.weekly_hours.get(day.weekday(), ())


@dataclass(frozen=True)
class AgendaProduct:
    slug: str
    minutes_per_person: int
    combine_with: frozenset[str]
    catalog_product: Product

    @property
    def title(self) -> Text:
        return self.catalog_product.title


@dataclass(frozen=True, eq=False)
class Agenda:
    timezone: ZoneInfo
    slot_minutes: int
    horizon_days: int
    notice_minutes: int
    max_per_resident_per_day: int
    max_open_per_resident: int
    max_persons: int
    products: tuple[AgendaProduct, ...]
    locations: tuple[Location, ...]

    def product(self, slug: str) -> AgendaProduct | None:
        return next((p for p in self.products if p.slug == slug), None)

    def location(self, slug: str) -> Location | None:
        return next((loc for loc in self.locations if loc.slug == slug), None)

    def combinable(self, slugs: list[str]) -> bool:
        """Every pair of the chosen products may be handled in one visit."""
        chosen = [self.product(s) for s in slugs]
        if not chosen or any(p is None for p in chosen):
            return False
        return all(b.slug in a.combine_with for a in chosen for b in chosen if a is not b)

    def duration(self, slugs: list[str], persons: int) -> dt.timedelta:
        """Sum of the products' minutes per person × persons, rounded up to whole slots."""
        minutes = sum(self.product(s).minutes_per_person for s in slugs) * persons
        slots = -(-minutes // self.slot_minutes)
        return dt.timedelta(minutes=slots * self.slot_minutes)


def _fail(where: str, message: str) -> AgendaError:
    return AgendaError(f"agenda: {where}: {message}")


def _time(value: Any, where: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except (TypeError, ValueError):
        raise _fail(where, f"{value!r} is not a time such as \"08:30\"") from None


def _hours(value: Any, where: str) -> Hours:
    if not isinstance(value, list):
        raise _fail(where, 'expected a list such as [["08:30", "12:30"]]')
    hours = []
    for i, pair in enumerate(value):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise _fail(f"{where}[{i}]", 'expected ["from", "until"]')
        start, end = _time(pair[0], f"{where}[{i}]"), _time(pair[1], f"{where}[{i}]")
        if end <= start:
            raise _fail(f"{where}[{i}]", "the end is not after the start")
        hours.append((start, end))
    return tuple(sorted(hours))


def _text(value: Any, where: str) -> Text:
    if not (isinstance(value, dict) and all(isinstance(value.get(k), str) for k in ("nl", "en"))):
        raise _fail(where, 'expected { nl = "...", en = "..." }')
    return Text(nl=value["nl"], en=value["en"])


def _location(data: dict, where: str) -> Location:
    weekly = {}
    for name, hours in data.get("opening_hours", {}).items():
        if name not in WEEKDAYS:
            raise _fail(f"{where}.opening_hours", f"unknown weekday {name!r}")
        weekly[WEEKDAYS.index(name)] = _hours(hours, f"{where}.opening_hours.{name}")
    exceptions = {}
    for i, item in enumerate(data.get("exceptions", [])):
        ew = f"{where}.exceptions[{i}]"
        if not isinstance(item.get("date"), dt.date):
            raise _fail(ew, "expected date = 2026-12-25")
        hours = () if item.get("closed") else _hours(item.get("hours"), f"{ew}.hours")
        reason = _text(item["reason"], f"{ew}.reason") if "reason" in item else None
        exceptions[item["date"]] = DayException(item["date"], hours, reason)
    desks = tuple(Desk(code=d["code"], name=d["name"]) for d in data.get("desks", []))
    if not desks:
        raise _fail(where, "a location needs at least one desk")
    return Location(
        slug=data["slug"], name=_text(data["name"], f"{where}.name"), address=data["address"],
        route=_text(data["route"], f"{where}.route") if "route" in data else None,
        desks=desks, weekly_hours=weekly, exceptions=exceptions,
    )


def _product(data: dict, where: str, catalog: Catalog) -> AgendaProduct:
    product = catalog.product(data.get("slug", ""))
    if product is None or not product.channels.appointment:
        raise _fail(where, f"{data.get('slug')!r} is not a catalogue product with appointment = true")
    minutes = data.get("minutes_per_person")
    if not (isinstance(minutes, int) and minutes > 0):
        raise _fail(where, "minutes_per_person must be a positive whole number")
    return AgendaProduct(slug=product.slug, minutes_per_person=minutes,
                         combine_with=frozenset(data.get("combine_with", [])),
                         catalog_product=product)


def parse_agenda(data: dict, catalog: Catalog) -> Agenda:
    try:
        products = tuple(_product(p, f"products[{i}]", catalog)
                         for i, p in enumerate(data["products"]))
        locations = tuple(_location(loc, f"locations[{i}]")
                          for i, loc in enumerate(data["locations"]))
        agenda = Agenda(
            timezone=ZoneInfo(data.get("timezone", "Europe/Amsterdam")),
            slot_minutes=int(data.get("slot_minutes", 10)),
            horizon_days=int(data.get("horizon_days", 42)),
            notice_minutes=int(data.get("notice_minutes", 120)),
            max_per_resident_per_day=int(data.get("max_per_resident_per_day", 2)),
            max_open_per_resident=int(data.get("max_open_per_resident", 3)),
            max_persons=int(data.get("max_persons", 4)),
            products=products, locations=locations,
        )
    except KeyError as exc:
        raise _fail("top level", f"{exc.args[0]!r} is missing") from None
    known = {p.slug for p in products}
    for product in products:
        if not product.combine_with <= known:
            raise _fail(product.slug, "combine_with names a product that is not in the agenda")
    if 60 % agenda.slot_minutes:
        raise _fail("slot_minutes", "must divide an hour (5, 10, 15, 20, 30 or 60)")
    return agenda


def load_agenda(path: str | Path, catalog: Catalog) -> Agenda:
    try:
        with Path(path).open("rb") as fh:
            data = tomllib.load(fh)
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise AgendaError(f"{path}: {exc}") from None
    return parse_agenda(data, catalog)


def get_agenda() -> Agenda:
    """The current app's agenda (config APPOINTMENTS_AGENDA_PATH), loaded on first use."""
    agenda = current_app.extensions.get(EXTENSION_KEY)
    if agenda is None:
        path = current_app.config["APPOINTMENTS_AGENDA_PATH"]
        agenda = load_agenda(path, get_catalog())
        current_app.extensions[EXTENSION_KEY] = agenda
    return agenda
