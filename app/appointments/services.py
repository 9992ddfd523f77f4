"""The agenda's port and the rules that hold whichever agenda is behind it.

``AgendaBackend`` is everything the booking flow, Mijn omgeving, the KCC and the balie
agenda ask of an agenda; ``agenda_backend(session)`` hands out the one AGENDA_BACKEND
chose (app.ports): the agenda in our own tables (app.appointments.local) by default, a
JCC or Qmatic connector later. It takes and returns the values of app.appointments.values,
never rows, and refuses with BookingProblem / SlotTaken. Changes join the caller's
transaction; the caller commits.

Times are naive UTC in the agenda and in these functions; days and opening hours are
local (the agenda's time zone, Europe/Amsterdam), so a slot at 08:30 is 07:30 UTC in
winter and 06:30 UTC in summer.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.appointments.agenda import Agenda, Location, get_agenda
from app.appointments.values import (
    ACTIVE_STATUSES,
    STATUS_BOOKED,
    AppointmentView,
    BlockResult,
    BookingProblem,
    Contact,
    DayAgenda,
    Visit,
)
from app.contacts.services import (
    Kanaal,
    Soort,
    has_contact_for_appointment,
    record_contact,
)
from app.db import utcnow
from app.ports import AGENDA_BACKEND, implementation

UTC = dt.UTC
T = TypeVar("T")


# --------------------------------------------------------------------------- time helpers


def local_day_bounds(agenda: Agenda, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants at which a local day starts and ends (23 or 25 hours on DST days)."""
    start = dt.datetime.combine(day, dt.time(), agenda.timezone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), agenda.timezone)
    return _naive_utc(start), _naive_utc(end)


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def to_local(agenda: Agenda, moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=UTC).astimezone(agenda.timezone)


def local_to_utc(agenda: Agenda, day: dt.date, moment: dt.time) -> dt.datetime:
    """A local wall-clock time on a day as naive UTC (right across DST)."""
    return _naive_utc(dt.datetime.combine(day, moment, agenda.timezone))


def local_today(agenda: Agenda, now: dt.datetime) -> dt.date:
    return to_local(agenda, now).date()


def opening_slots(agenda: Agenda, location: Location, day: dt.date) -> list[list[dt.datetime]]:
    """The slot starts (naive UTC) of each opening period of a local day.

    Walking in UTC between the UTC instants of opening and closing keeps the
    length of a period right on the nights the clocks change.
    """
    step = dt.timedelta(minutes=agenda.slot_minutes)
    periods = []
    for opens, closes in location.hours_on(day):
        start = _naive_utc(dt.datetime.combine(day, opens, agenda.timezone))
        end = _naive_utc(dt.datetime.combine(day, closes, agenda.timezone))
        slots = []
        while start + step <= end:
            slots.append(start)
            start += step
        periods.append(slots)
    return periods


def bookable_dates(agenda: Agenda, now: dt.datetime) -> list[dt.date]:
    """Today up to the booking horizon, in local dates."""
    today = local_today(agenda, now)
    return [today + dt.timedelta(days=n) for n in range(agenda.horizon_days + 1)]


# --------------------------------------------------------------------------- rules


def check_visit(agenda: Agenda, visit: Visit) -> None:
    if agenda.location(visit.location) is None:
        raise BookingProblem("unknown_location")
    if not agenda.combinable(list(visit.products)):
        raise BookingProblem("not_combinable")
    if not 1 <= visit.persons <= agenda.max_persons:
        raise BookingProblem("persons")


def can_change(appointment: AppointmentView, now: dt.datetime | None = None) -> bool:
    """Whether the resident (or staff for them) may still move or cancel it: booked, and
    not begun. (The local agenda asks this of its rows too.)"""
    return appointment.status == STATUS_BOOKED and appointment.starts_at > (now or utcnow())


def retry_when_busy(work: Callable[[], T], attempts: int = 8) -> T:
    """Run a whole transaction again when SQLite reports the database busy.

    SQLite lets one writer in at a time; a transaction whose snapshot is older
    than another's commit gets "database is locked" and must start over (it
    then sees the other booking). PostgreSQL waits on the row lock instead.
    """
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1) + secrets.randbelow(20) / 1000)
    raise AssertionError("unreachable")


def email_key(email: str) -> str:
    """One key for the addresses that reach one mailbox, to count a resident's bookings by:
    lower case, without a "+tag" (anna+1@ is anna@ at nearly every provider) and, at
    Gmail, without dots (a.n.n.a@gmail.com is anna@gmail.com)."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


GMAIL_DOMAINS = ("gmail.com", "googlemail.com")


def counts_for_limits(contact: Contact) -> bool:
    """Whether the limits per resident can count this contact: by the BSN of a DigiD login,
    else by the email address; a caller booked by phone only has nothing to count by."""
    return bool(contact.bsn or contact.email)


def limit_problem(agenda: Agenda, visits: list[AppointmentView], now: dt.datetime,
                  day: dt.date | None = None, moving: str | None = None) -> str | None:
    """Whether the agenda's limits per resident let them book (or, with ``moving``, move
    that visit) on ``day``: "day_limit" when they already have max_per_resident_per_day
    visits that day, "open_limit" when a new booking would be one more than
    max_open_per_resident visits to come; None when they may. Without a day only the
    second is asked (before a day is chosen). visits: the resident's visits from today
    (AgendaBackend.resident_visits). The booking itself asks the same (local.book), so
    what the pages offer is what the agenda accepts."""
    others = [v for v in visits if v.public_id != moving and v.status in ACTIVE_STATUSES]
    if day is not None and day in days_at_limit(agenda, others):
        return "day_limit"
    booked_to_come = [v for v in others if v.status == STATUS_BOOKED and v.starts_at > now]
    if moving is None and len(booked_to_come) >= agenda.max_open_per_resident:
        return "open_limit"
    return None


def days_at_limit(agenda: Agenda, visits: list[AppointmentView],
                  moving: str | None = None) -> set[dt.date]:
    """The local days on which the resident already has the most visits a day allows."""
    per_day: dict[dt.date, int] = {}
    for visit in visits:
        if visit.public_id != moving and visit.status in ACTIVE_STATUSES:
            day = to_local(agenda, visit.starts_at).date()
            per_day[day] = per_day.get(day, 0) + 1
    return {day for day, count in per_day.items() if count >= agenda.max_per_resident_per_day}


# --------------------------------------------------------------------------- the port


class AgendaBackend(Protocol):
    """What the portal needs from an agenda. The local SQL agenda is the default; a JCC or
    Qmatic connector implements the same methods against their API. Appointments are
    addressed by their opaque public id; ``now`` is naive UTC."""

    # Availability: the starts at which some desk is free for the whole visit.
    def days_with_room(self, visit: Visit, now: dt.datetime) -> list[dt.date]: ...

    def times_on(self, visit: Visit, day: dt.date, now: dt.datetime,
                 moving: str | None = None) -> list[dt.datetime]:
        """moving: the public id of the appointment being moved (its own time counts as free)."""

    # Booking, moving, cancelling: BookingProblem / SlotTaken when the agenda refuses.
    def book(self, visit: Visit, start: dt.datetime, contact: Contact, *,
             idempotency_key: str, locale: str, now: dt.datetime) -> AppointmentView:
        """The same idempotency key returns the first booking instead of a second one."""

    def move(self, public_id: str, start: dt.datetime, now: dt.datetime) -> AppointmentView:
        """Keeps the reference, raises the sequence, clears the follow-up flag."""

    def cancel(self, public_id: str, now: dt.datetime) -> AppointmentView: ...

    # Finding: None when there is none, or (with bsn) when it is another resident's.
    def by_public_id(self, public_id: str, bsn: str | None = None) -> AppointmentView | None: ...

    def by_reference(self, reference: str, bsn: str | None = None) -> AppointmentView | None: ...

    def by_idempotency_key(self, key: str) -> AppointmentView | None: ...

    def for_resident(self, bsn: str, limit: int | None = None) -> list[AppointmentView]:
        """A resident's appointments (also cancelled and past ones), newest first."""

    def resident_visits(self, contact: Contact, since: dt.datetime) -> list[AppointmentView]:
        """The visits (booked or arrived) from ``since`` on of the resident the limits count
        this contact as: by the BSN, else by the mailbox (email_key). Empty when
        counts_for_limits(contact) is not."""

    def due_reminders(self, now: dt.datetime) -> list[AppointmentView]:
        """Booked appointments on the next local day."""

    # The balie: a day per desk, arrivals, blocked desk time and its follow-up.
    def day_agenda(self, location: str, day: dt.date) -> DayAgenda: ...

    def follow_ups(self, location: str, now: dt.datetime, limit: int = 100) -> list[AppointmentView]:
        """Booked visits from today on at a desk blocked after they were booked, by time."""

    def mark(self, public_id: str, status: str, now: dt.datetime) -> AppointmentView:
        """STATUS_ARRIVED or STATUS_NO_SHOW; a cancelled visit is refused ("cancelled")."""

    def contacted(self, public_id: str, now: dt.datetime) -> AppointmentView:
        """Staff reached the resident about a blocked desk: off the follow-up list."""

    def block_desk(self, location: str, desk_code: str, starts_at: dt.datetime,
                   ends_at: dt.datetime, *, reason: str, created_by: str,
                   now: dt.datetime) -> BlockResult:
        """The desk's free time in [starts_at, ends_at) is no longer offered; visits already
        in it keep their place and are flagged and returned for follow-up."""

    def unblock_desk(self, block_id: int) -> None:
        """The blocked desk time is offered again (the follow-up flags stay: staff decide)."""


# --------------------------------------------------------------------------- what the pages offer


def resident_visits(backend: AgendaBackend, agenda: Agenda, contact: Contact,
                    now: dt.datetime) -> list[AppointmentView]:
    """The resident's visits from the start of today, as the limits count them."""
    if not counts_for_limits(contact):
        return []
    since, _ = local_day_bounds(agenda, local_today(agenda, now))
    return backend.resident_visits(contact, since)


def resident_limit_problem(backend: AgendaBackend, agenda: Agenda, contact: Contact,
                           now: dt.datetime, day: dt.date | None = None,
                           moving: str | None = None) -> str | None:
    """limit_problem for this resident, with their visits from the agenda."""
    return limit_problem(agenda, resident_visits(backend, agenda, contact, now), now, day, moving)


@dataclass(frozen=True)
class DayOffer:
    days: list[dt.date]       # days with room that the resident may book
    at_limit: list[dt.date]   # days with room on which they already have the most visits


def days_on_offer(backend: AgendaBackend, agenda: Agenda, visit: Visit, contact: Contact,
                  now: dt.datetime, moving: str | None = None) -> DayOffer:
    """The days to offer: room in the agenda for the whole visit, and within the resident's
    limit a day (moving: the visit being moved does not count)."""
    full = days_at_limit(agenda, resident_visits(backend, agenda, contact, now), moving)
    room = backend.days_with_room(visit, now)
    return DayOffer([d for d in room if d not in full], [d for d in room if d in full])


def agenda_backend(session: Session) -> AgendaBackend:
    """The agenda AGENDA_BACKEND chose (app.ports; a factory taking the session and the
    agenda), for the booking flow, Mijn omgeving and the back office."""
    return implementation(AGENDA_BACKEND)(session, get_agenda())


def record_booking(session: Session, appointment: AppointmentView, *, kanaal: Kanaal,
                   geregistreerd_door: str) -> None:
    """The booking in the contact ledger, once: a second submit of the same booking form
    gets the first booking back and adds no second contact."""
    if not has_contact_for_appointment(session, appointment.reference):
        record_contact(session, kanaal=kanaal, soort=Soort.AFSPRAAK,
                       geregistreerd_door=geregistreerd_door,
                       product=appointment.products[0] if appointment.products else "",
                       bsn=appointment.bsn, afspraak_referentie=appointment.reference)
