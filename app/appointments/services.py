"""The agenda's rules: availability, booking, moving, cancelling, staff actions.

Plain arguments in, domain objects out; functions flush, the caller commits.
Times are naive UTC in the database and in these functions; days and opening
hours are local (the agenda's time zone, Europe/Amsterdam), so a slot at 08:30
is 07:30 UTC in winter and 06:30 UTC in summer.

Availability reads only the desk slots of the requested days (one range query
on the unique (desk_id, slot_start) index), never the whole agenda.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.appointments.agenda import Agenda, Location, get_agenda
from app.appointments.models import (
    STATUS_ARRIVED,
    STATUS_BOOKED,
    STATUS_CANCELLED,
    STATUS_NO_SHOW,
    Appointment,
    Desk,
    DeskBlock,
    DeskSlot,
)
from app.db import utcnow
from app.ports import AGENDA_BACKEND, implementation

UTC = dt.UTC
# Crockford-like alphabet without look-alikes (0/O, 1/I/L, U): easy to read out on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
ACTIVE_STATUSES = (STATUS_BOOKED, STATUS_ARRIVED)
T = TypeVar("T")


# --------------------------------------------------------------------------- value types


@dataclass(frozen=True)
class Visit:
    """What a resident wants: which products, for how many people, where."""

    location: str
    products: tuple[str, ...]
    persons: int


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str = ""
    bsn: str | None = None


class BookingProblem(Exception):
    """The request cannot be booked; ``code`` tells the page which message to show."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SlotTaken(BookingProblem):
    """The chosen time is no longer free; ``nearest`` holds the closest free starts."""

    def __init__(self, nearest: list[dt.datetime]) -> None:
        super().__init__("slot_taken")
        self.nearest = nearest


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


# --------------------------------------------------------------------------- availability


def location_desks(session: Session, location: str) -> list[Desk]:
    return list(session.scalars(select(Desk).where(Desk.location == location).order_by(Desk.id)))


def _claimed_slots(session: Session, desk_ids: list[int], start: dt.datetime, end: dt.datetime,
                   ignore_appointment: int | None = None) -> set[tuple[int, dt.datetime]]:
    query = select(DeskSlot.desk_id, DeskSlot.slot_start).where(
        DeskSlot.desk_id.in_(desk_ids), DeskSlot.slot_start >= start, DeskSlot.slot_start < end)
    if ignore_appointment is not None:
        query = query.where((DeskSlot.appointment_id.is_(None))
                            | (DeskSlot.appointment_id != ignore_appointment))
    return {(desk_id, slot) for desk_id, slot in session.execute(query)}


@dataclass(frozen=True)
class FreeStart:
    start: dt.datetime          # naive UTC
    desks: tuple[int, ...]      # desks free for the whole visit from this start


def free_starts(session: Session, agenda: Agenda, visit: Visit, days: Iterable[dt.date],
                now: dt.datetime, ignore_appointment: int | None = None) -> dict[dt.date, list[FreeStart]]:
    """Per local day: the starts at which one desk is free for the whole visit.

    A start is free when it is at least the notice ahead, within the horizon,
    and some desk has no booking or block in any slot of the visit, all inside
    one opening period (so the visit ends by closing time). With one resident
    per desk, this is "the overlapping bookings stay below the staffed desks".
    """
    location = agenda.location(visit.location)
    allowed = set(bookable_dates(agenda, now))
    days = [d for d in sorted(set(days)) if d in allowed]
    if location is None or not days:
        return {}
    desks = [d.id for d in location_desks(session, location.slug)]
    need = agenda.duration(list(visit.products), visit.persons) // dt.timedelta(
        minutes=agenda.slot_minutes)
    earliest = now + dt.timedelta(minutes=agenda.notice_minutes)
    first, _ = local_day_bounds(agenda, days[0])
    _, last = local_day_bounds(agenda, days[-1])
    claimed = _claimed_slots(session, desks, first, last, ignore_appointment)
    result = {}
    for day in days:
        starts = []
        for period in opening_slots(agenda, location, day):
            starts.extend(_free_in_period(period, desks, claimed, need, earliest))
        result[day] = starts
    return result


def _free_in_period(slots: list[dt.datetime], desks: list[int],
                    claimed: set[tuple[int, dt.datetime]], need: int,
                    earliest: dt.datetime) -> list[FreeStart]:
    # run[desk][i]: how many free slots in a row this desk has from slot i on.
    runs = {}
    for desk in desks:
        run, count = [0] * len(slots), 0
        for i in range(len(slots) - 1, -1, -1):
            count = 0 if (desk, slots[i]) in claimed else count + 1
            run[i] = count
        runs[desk] = run
    found = []
    for i, slot in enumerate(slots):
        if slot < earliest:
            continue
        free_desks = tuple(d for d in desks if runs[d][i] >= need)
        if free_desks:
            found.append(FreeStart(slot, free_desks))
    return found


def days_with_room(session: Session, agenda: Agenda, visit: Visit, now: dt.datetime) -> list[dt.date]:
    by_day = free_starts(session, agenda, visit, bookable_dates(agenda, now), now)
    return [day for day, starts in by_day.items() if starts]


def times_on(session: Session, agenda: Agenda, visit: Visit, day: dt.date, now: dt.datetime,
             ignore_appointment: int | None = None) -> list[dt.datetime]:
    starts = free_starts(session, agenda, visit, [day], now, ignore_appointment).get(day, [])
    return [s.start for s in starts]


def nearest_free_times(session: Session, agenda: Agenda, visit: Visit, wanted: dt.datetime,
                       now: dt.datetime, limit: int = 5,
                       ignore_appointment: int | None = None) -> list[dt.datetime]:
    """The free starts closest to the wanted time: that day and the days around it."""
    day = to_local(agenda, wanted).date()
    window = [day + dt.timedelta(days=n) for n in range(-3, 8)]
    by_day = free_starts(session, agenda, visit, window, now, ignore_appointment)
    starts = [s.start for day_starts in by_day.values() for s in day_starts]
    return sorted(sorted(starts, key=lambda s: abs(s - wanted))[:limit])


# --------------------------------------------------------------------------- booking


def new_reference() -> str:
    return "AFS-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def appointment_by_idempotency_key(session: Session, key: str) -> Appointment | None:
    return session.scalar(select(Appointment).where(Appointment.idempotency_key == key))


def check_visit(agenda: Agenda, visit: Visit) -> None:
    if agenda.location(visit.location) is None:
        raise BookingProblem("unknown_location")
    if not agenda.combinable(list(visit.products)):
        raise BookingProblem("not_combinable")
    if not 1 <= visit.persons <= agenda.max_persons:
        raise BookingProblem("persons")


def _count_on_day(session: Session, agenda: Agenda, contact: Contact, day: dt.date,
                  exclude: int | None = None) -> int:
    start, end = local_day_bounds(agenda, day)
    query = select(func.count(Appointment.id)).where(
        Appointment.status.in_(ACTIVE_STATUSES),
        Appointment.starts_at >= start, Appointment.starts_at < end)
    if contact.bsn:
        query = query.where(Appointment.bsn == contact.bsn)
    else:
        query = query.where(func.lower(Appointment.email) == contact.email.lower())
    if exclude is not None:
        query = query.where(Appointment.id != exclude)
    return session.scalar(query) or 0


def _check_day_limit(session, agenda, contact, start, exclude=None) -> None:
    if not (contact.bsn or contact.email):
        return  # a caller booked by staff with a phone number only: nothing to count them by
    day = to_local(agenda, start).date()
    if _count_on_day(session, agenda, contact, day, exclude) >= agenda.max_per_resident_per_day:
        raise BookingProblem("day_limit")


def _free_start(session, agenda, visit, start, now, ignore=None) -> FreeStart:
    day = to_local(agenda, start).date()
    for free in free_starts(session, agenda, visit, [day], now, ignore).get(day, []):
        if free.start == start:
            return free
    raise SlotTaken(nearest_free_times(session, agenda, visit, start, now, ignore_appointment=ignore))


def _claim_desk(session: Session, agenda: Agenda, appointment: Appointment, free: FreeStart,
                visit: Visit, now: dt.datetime) -> None:
    """Claim the visit's slots on the first desk that is still free; the unique
    (desk_id, slot_start) constraint decides between concurrent bookings."""
    step = dt.timedelta(minutes=agenda.slot_minutes)
    count = agenda.duration(list(visit.products), visit.persons) // step
    for desk_id in free.desks:
        try:
            with session.begin_nested():
                session.add_all(DeskSlot(desk_id=desk_id, slot_start=free.start + n * step,
                                         appointment_id=appointment.id) for n in range(count))
        except IntegrityError:
            continue
        appointment.desk_id = desk_id
        appointment.starts_at = free.start
        appointment.ends_at = free.start + count * step
        return
    raise SlotTaken(nearest_free_times(session, agenda, visit, free.start, now,
                                       ignore_appointment=appointment.id))


def book(session: Session, agenda: Agenda, visit: Visit, start: dt.datetime, contact: Contact,
         *, idempotency_key: str, locale: str = "nl", now: dt.datetime | None = None) -> Appointment:
    """Book the visit at ``start`` (naive UTC). The same idempotency key returns the
    first booking instead of a second one. Raises BookingProblem / SlotTaken."""
    now = now or utcnow()
    existing = appointment_by_idempotency_key(session, idempotency_key)
    if existing is not None:
        return existing
    check_visit(agenda, visit)
    free = _free_start(session, agenda, visit, start, now)
    _check_day_limit(session, agenda, contact, start)
    appointment = Appointment(
        public_id=secrets.token_urlsafe(16), reference=new_reference(),
        idempotency_key=idempotency_key, location=visit.location, desk_id=free.desks[0],
        products=list(visit.products), persons=visit.persons, starts_at=start, ends_at=start,
        status=STATUS_BOOKED, name=contact.name, email=contact.email, phone=contact.phone,
        bsn=contact.bsn, locale=locale, sequence=0, needs_follow_up=False,
        created_at=now, updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(appointment)
    except IntegrityError:
        # A concurrent submit with the same key won; (a reference clash is
        # astronomically rare and simply fails this attempt.)
        existing = appointment_by_idempotency_key(session, idempotency_key)
        if existing is None:
            raise
        return existing
    _claim_desk(session, agenda, appointment, free, visit, now)
    session.flush()
    return appointment


def visit_of(appointment: Appointment) -> Visit:
    return Visit(appointment.location, tuple(appointment.products), appointment.persons)


def can_change(appointment: Appointment, now: dt.datetime | None = None) -> bool:
    return appointment.status == STATUS_BOOKED and appointment.starts_at > (now or utcnow())


def move(session: Session, agenda: Agenda, appointment: Appointment, start: dt.datetime,
         now: dt.datetime | None = None) -> Appointment:
    """Move to another start; keeps the reference, raises the .ics SEQUENCE."""
    now = now or utcnow()
    if not can_change(appointment, now):
        raise BookingProblem("not_changeable")
    visit = visit_of(appointment)
    free = _free_start(session, agenda, visit, start, now, ignore=appointment.id)
    contact = Contact(appointment.name, appointment.email, appointment.phone, appointment.bsn)
    _check_day_limit(session, agenda, contact, start, exclude=appointment.id)
    session.execute(delete(DeskSlot).where(DeskSlot.appointment_id == appointment.id))
    _claim_desk(session, agenda, appointment, free, visit, now)
    appointment.sequence += 1
    appointment.needs_follow_up = False
    appointment.updated_at = now
    session.flush()
    return appointment


def cancel(session: Session, appointment: Appointment, now: dt.datetime | None = None) -> Appointment:
    """Cancel and free the desk time at once."""
    now = now or utcnow()
    if not can_change(appointment, now):
        raise BookingProblem("not_changeable")
    session.execute(delete(DeskSlot).where(DeskSlot.appointment_id == appointment.id))
    appointment.status = STATUS_CANCELLED
    appointment.sequence += 1
    appointment.updated_at = now
    session.flush()
    return appointment


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


# --------------------------------------------------------------------------- lookups


def appointment_by_public_id(session: Session, public_id: str) -> Appointment | None:
    return session.scalar(select(Appointment).where(Appointment.public_id == public_id))


def appointment_by_reference(session: Session, reference: str) -> Appointment | None:
    return session.scalar(select(Appointment).where(Appointment.reference == reference.upper()))


def appointments_for_bsn(session: Session, bsn: str) -> list[Appointment]:
    """A resident's appointments, newest first (for the PIP: split on starts_at vs now)."""
    return list(session.scalars(
        select(Appointment).where(Appointment.bsn == bsn).order_by(Appointment.starts_at.desc())))


def owned_appointment(session: Session, public_id: str, bsn: str) -> Appointment | None:
    """The appointment when it belongs to this resident; else None (the page answers 404)."""
    appointment = appointment_by_public_id(session, public_id)
    return appointment if appointment is not None and appointment.bsn == bsn else None


def due_reminders(session: Session, agenda: Agenda, now: dt.datetime | None = None) -> list[Appointment]:
    """Booked appointments on the next local day."""
    tomorrow = local_today(agenda, now or utcnow()) + dt.timedelta(days=1)
    start, end = local_day_bounds(agenda, tomorrow)
    return list(session.scalars(select(Appointment).where(
        Appointment.status == STATUS_BOOKED,
        Appointment.starts_at >= start, Appointment.starts_at < end)))


# --------------------------------------------------------------------------- staff


def day_agenda(session: Session, agenda: Agenda, location: str, day: dt.date) -> list[Appointment]:
    """A location's appointments of one local day (not the cancelled ones), by desk and time."""
    start, end = local_day_bounds(agenda, day)
    return list(session.scalars(
        select(Appointment).join(Desk, Appointment.desk_id == Desk.id).where(
            Appointment.location == location, Appointment.status != STATUS_CANCELLED,
            Appointment.starts_at >= start, Appointment.starts_at < end)
        .order_by(Desk.code, Appointment.starts_at)))


def mark(session: Session, appointment: Appointment, status: str,
         now: dt.datetime | None = None) -> Appointment:
    """Staff mark a visit arrived or no-show (only once it is booked, on or after its day)."""
    if status not in (STATUS_ARRIVED, STATUS_NO_SHOW):
        raise ValueError(status)
    if appointment.status == STATUS_CANCELLED:
        raise BookingProblem("cancelled")
    appointment.status = status
    appointment.updated_at = now or utcnow()
    session.flush()
    return appointment


@dataclass(frozen=True)
class BlockResult:
    block: DeskBlock
    affected: list[Appointment]  # booked visits in the period: contact these residents


def block_desk(session: Session, agenda: Agenda, location: str, desk_code: str,
               starts_at: dt.datetime, ends_at: dt.datetime, *, reason: str, created_by: str,
               now: dt.datetime | None = None) -> BlockResult:
    """Take a desk out of the agenda for [starts_at, ends_at) (naive UTC).

    The free slots become unbookable; appointments already in the period keep
    their place and are flagged and returned for follow-up, never dropped.
    """
    now = now or utcnow()
    desk = session.scalar(select(Desk).where(Desk.location == location, Desk.code == desk_code))
    place = agenda.location(location)
    if desk is None or place is None or ends_at <= starts_at:
        raise BookingProblem("unknown_desk")
    block = DeskBlock(desk_id=desk.id, starts_at=starts_at, ends_at=ends_at, reason=reason,
                      created_by=created_by, created_at=now)
    session.add(block)
    session.flush()
    claimed = _claimed_slots(session, [desk.id], starts_at, ends_at)
    first = to_local(agenda, starts_at).date()
    last = to_local(agenda, ends_at).date()
    for offset in range((last - first).days + 1):
        for period in opening_slots(agenda, place, first + dt.timedelta(days=offset)):
            session.add_all(DeskSlot(desk_id=desk.id, slot_start=slot, block_id=block.id)
                            for slot in period
                            if starts_at <= slot < ends_at and (desk.id, slot) not in claimed)
    affected = list(session.scalars(select(Appointment).where(
        Appointment.desk_id == desk.id, Appointment.status == STATUS_BOOKED,
        Appointment.starts_at < ends_at, Appointment.ends_at > starts_at)
        .order_by(Appointment.starts_at)))
    for appointment in affected:
        appointment.needs_follow_up = True
    session.flush()
    return BlockResult(block, affected)


# --------------------------------------------------------------------------- seeding


def seed_desks(session: Session) -> int:
    """Add the desks of content/agenda.toml that are not in the database yet."""
    known = {(row.location, row.code) for row in session.execute(select(Desk.location, Desk.code))}
    added = 0
    for location in get_agenda().locations:
        for desk in location.desks:
            if (location.slug, desk.code) not in known:
                session.add(Desk(location=location.slug, code=desk.code, name=desk.name))
                added += 1
    session.commit()
    return added


# --------------------------------------------------------------------------- adapter


class AgendaBackend(Protocol):
    """What the portal needs from an agenda. The local SQL agenda is the default;
    a JCC or Qmatic connector implements the same methods against their API."""

    def days_with_room(self, visit: Visit, now: dt.datetime) -> list[dt.date]: ...

    def times_on(self, visit: Visit, day: dt.date, now: dt.datetime,
                 moving: Appointment | None = None) -> list[dt.datetime]: ...

    def book(self, visit: Visit, start: dt.datetime, contact: Contact, *,
             idempotency_key: str, locale: str, now: dt.datetime) -> Appointment: ...

    def move(self, appointment: Appointment, start: dt.datetime, now: dt.datetime) -> Appointment: ...

    def cancel(self, appointment: Appointment, now: dt.datetime) -> Appointment: ...


class LocalAgendaBackend:
    """The agenda in our own database (tables appointments, appointment_desk_slots)."""

    def __init__(self, session: Session, agenda: Agenda) -> None:
        self.session = session
        self.agenda = agenda

    def days_with_room(self, visit, now):
        return days_with_room(self.session, self.agenda, visit, now)

    def times_on(self, visit, day, now, moving=None):
        return times_on(self.session, self.agenda, visit, day, now,
                        moving.id if moving is not None else None)

    def book(self, visit, start, contact, *, idempotency_key, locale, now):
        return book(self.session, self.agenda, visit, start, contact,
                    idempotency_key=idempotency_key, locale=locale, now=now)

    def move(self, appointment, start, now):
        return move(self.session, self.agenda, appointment, start, now)

    def cancel(self, appointment, now):
        return cancel(self.session, appointment, now)


def setup_local_backend(app) -> type[LocalAgendaBackend]:
    """AGENDA_BACKEND=local: the agenda in our own database (app.ports)."""
    return LocalAgendaBackend


def agenda_backend(session: Session) -> AgendaBackend:
    """The agenda AGENDA_BACKEND chose (app.ports; a factory taking the session and the
    agenda), for the booking flow and the back office."""
    return implementation(AGENDA_BACKEND)(session, get_agenda())
