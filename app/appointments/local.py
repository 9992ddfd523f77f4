"""AGENDA_BACKEND=local: the agenda in our own tables (app.appointments.models).

Double booking is refused by the database: a booking claims one desk slot row per slot
of its visit, unique per desk and start (see models). Availability reads only the desk
slots of the requested days (one range query on that unique index), never the whole
agenda. Functions flush, the caller commits. The functions work on rows;
``LocalAgendaBackend`` hands out values (app.appointments.values) and nothing else.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager

from app.appointments.agenda import Agenda, get_agenda
from app.appointments.models import Appointment, Desk, DeskBlock, DeskSlot
from app.appointments.services import (
    bookable_dates,
    can_change,
    check_visit,
    email_key,
    limit_problem,
    local_day_bounds,
    local_today,
    opening_slots,
    to_local,
)
from app.appointments.values import (
    ACTIVE_STATUSES,
    STATUS_ARRIVED,
    STATUS_BOOKED,
    STATUS_CANCELLED,
    STATUS_NO_SHOW,
    AppointmentView,
    BlockResult,
    BookingProblem,
    Contact,
    DayAgenda,
    DeskBlockView,
    DeskDay,
    SlotTaken,
    Visit,
)
from app.db import serialise, utcnow

# Crockford-like alphabet without look-alikes (0/O, 1/I/L, U): easy to read out on the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6


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
    return session.scalar(_with_desk().where(Appointment.idempotency_key == key))


def _resident(contact: Contact) -> str:
    """Who the limits per resident count: the BSN of a DigiD login, else the email address
    (services.email_key); empty for a caller booked by phone only."""
    return contact.bsn or (email_key(contact.email) if contact.email else "")


def _of_resident(query, contact: Contact):
    if contact.bsn:
        return query.where(Appointment.bsn == contact.bsn)
    return query.where(Appointment.email_key == email_key(contact.email))


def resident_visits(session: Session, contact: Contact, since: dt.datetime) -> list[Appointment]:
    """The resident's visits (booked or arrived) from ``since`` on, by time (see _resident)."""
    if not _resident(contact):
        return []
    return list(session.scalars(_of_resident(_with_desk().where(
        Appointment.status.in_(ACTIVE_STATUSES), Appointment.starts_at >= since), contact)
        .order_by(Appointment.starts_at)))


def _take_turn(session: Session, contact: Contact) -> None:
    """One resident's bookings and moves take turns from here to their commit
    (app.db.serialise), so parallel ones count each other in _check_resident_limits; the
    KCC's bookings for a caller too."""
    resident = _resident(contact)
    if resident:
        serialise(session, "appointments-of-resident", resident)


def _check_resident_limits(session, agenda, contact, start, now, moving=None) -> None:
    """The agenda's limits per resident (after _take_turn), by the rule the booking pages
    offer days by (services.limit_problem)."""
    since, _ = local_day_bounds(agenda, local_today(agenda, now))
    visits = [view(a) for a in resident_visits(session, contact, since)]
    problem = limit_problem(agenda, visits, now, to_local(agenda, start).date(), moving)
    if problem:
        raise BookingProblem(problem)


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
        session.expire(appointment, ["desk"])  # loaded again for the new desk when asked
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
    # Before the key: a second click waits for the first one and then finds its booking.
    _take_turn(session, contact)
    existing = appointment_by_idempotency_key(session, idempotency_key)
    if existing is not None:
        return existing
    check_visit(agenda, visit)
    free = _free_start(session, agenda, visit, start, now)
    _check_resident_limits(session, agenda, contact, start, now)
    appointment = Appointment(
        public_id=secrets.token_urlsafe(16), reference=new_reference(),
        idempotency_key=idempotency_key, location=visit.location, desk_id=free.desks[0],
        products=list(visit.products), persons=visit.persons, starts_at=start, ends_at=start,
        status=STATUS_BOOKED, name=contact.name, email=contact.email, phone=contact.phone,
        email_key=email_key(contact.email) if contact.email else None,
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


def move(session: Session, agenda: Agenda, appointment: Appointment, start: dt.datetime,
         now: dt.datetime | None = None) -> Appointment:
    """Move to another start; keeps the reference, raises the .ics SEQUENCE."""
    now = now or utcnow()
    if not can_change(appointment, now):
        raise BookingProblem("not_changeable")
    visit = visit_of(appointment)
    free = _free_start(session, agenda, visit, start, now, ignore=appointment.id)
    contact = Contact(appointment.name, appointment.email, appointment.phone, appointment.bsn)
    _take_turn(session, contact)
    _check_resident_limits(session, agenda, contact, start, now, moving=appointment.public_id)
    session.execute(delete(DeskSlot).where(DeskSlot.appointment_id == appointment.id))
    _claim_desk(session, agenda, appointment, free, visit, now)
    appointment.sequence += 1
    appointment.needs_follow_up = False
    appointment.updated_at = now
    session.flush()
    return appointment


def cancel(session: Session, appointment: Appointment, now: dt.datetime | None = None) -> Appointment:
    """Cancel and free the desk time at once; a cancelled visit needs no follow-up either."""
    now = now or utcnow()
    if not can_change(appointment, now):
        raise BookingProblem("not_changeable")
    session.execute(delete(DeskSlot).where(DeskSlot.appointment_id == appointment.id))
    appointment.status = STATUS_CANCELLED
    appointment.needs_follow_up = False
    appointment.sequence += 1
    appointment.updated_at = now
    session.flush()
    return appointment


# --------------------------------------------------------------------------- lookups


def _with_desk():
    """Appointments with their desk in the same query (the values name the desk)."""
    return (select(Appointment).join(Appointment.desk)
            .options(contains_eager(Appointment.desk)))


def appointment_by_public_id(session: Session, public_id: str) -> Appointment | None:
    return session.scalar(_with_desk().where(Appointment.public_id == public_id))


def appointment_by_reference(session: Session, reference: str) -> Appointment | None:
    return session.scalar(_with_desk().where(Appointment.reference == reference.upper()))


def appointments_for_bsn(session: Session, bsn: str, limit: int | None = None) -> list[Appointment]:
    """A resident's appointments, newest first (for the PIP: split on starts_at vs now)."""
    return list(session.scalars(_with_desk().where(Appointment.bsn == bsn)
                                .order_by(Appointment.starts_at.desc()).limit(limit)))


def due_reminders(session: Session, agenda: Agenda, now: dt.datetime | None = None) -> list[Appointment]:
    """Booked appointments on the next local day."""
    tomorrow = local_today(agenda, now or utcnow()) + dt.timedelta(days=1)
    start, end = local_day_bounds(agenda, tomorrow)
    return list(session.scalars(_with_desk().where(
        Appointment.status == STATUS_BOOKED,
        Appointment.starts_at >= start, Appointment.starts_at < end)))


# --------------------------------------------------------------------------- staff


def day_agenda(session: Session, agenda: Agenda, location: str, day: dt.date) -> DayAgenda:
    """Every desk of the location with its visits (not the cancelled ones) and blocks on
    this local day: three queries, however many visits."""
    start, end = local_day_bounds(agenda, day)
    desks = {desk.id: desk for desk in location_desks(session, location)}
    visits: dict[int, list[AppointmentView]] = {desk_id: [] for desk_id in desks}
    for visit in session.scalars(
            _with_desk().where(Appointment.location == location,
                               Appointment.status != STATUS_CANCELLED,
                               Appointment.starts_at >= start, Appointment.starts_at < end)
            .order_by(Desk.code, Appointment.starts_at)):
        visits[visit.desk_id].append(view(visit))
    blocks: dict[int, list[DeskBlockView]] = {desk_id: [] for desk_id in desks}
    if desks:
        for block in session.scalars(
                select(DeskBlock).where(DeskBlock.desk_id.in_(list(desks)),
                                        DeskBlock.starts_at < end, DeskBlock.ends_at > start)
                .order_by(DeskBlock.starts_at)):
            blocks[block.desk_id].append(_block_view(block, desks[block.desk_id]))
    return DayAgenda(location, day, tuple(
        DeskDay(desk.code, desk.name, tuple(visits[desk_id]), tuple(blocks[desk_id]))
        for desk_id, desk in desks.items()))


def follow_ups(session: Session, agenda: Agenda, location: str, now: dt.datetime,
               limit: int = 100) -> list[Appointment]:
    """Booked visits from today on that block_desk flagged: staff contact these residents
    (nothing is dropped silently). One query."""
    start, _ = local_day_bounds(agenda, local_today(agenda, now))
    return list(session.scalars(
        _with_desk().where(Appointment.location == location,
                           Appointment.needs_follow_up.is_(True),
                           Appointment.starts_at >= start, Appointment.status == STATUS_BOOKED)
        .order_by(Appointment.starts_at).limit(limit)))


def mark(session: Session, appointment: Appointment, status: str,
         now: dt.datetime | None = None) -> Appointment:
    """Staff mark a visit arrived or no-show (a cancelled one cannot be)."""
    if status not in (STATUS_ARRIVED, STATUS_NO_SHOW):
        raise ValueError(status)
    if appointment.status == STATUS_CANCELLED:
        raise BookingProblem("cancelled")
    appointment.status = status
    appointment.updated_at = now or utcnow()
    session.flush()
    return appointment


def block_desk(session: Session, agenda: Agenda, location: str, desk_code: str,
               starts_at: dt.datetime, ends_at: dt.datetime, *, reason: str, created_by: str,
               now: dt.datetime | None = None) -> tuple[DeskBlock, list[Appointment]]:
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
    affected = list(session.scalars(_with_desk().where(
        Appointment.desk_id == desk.id, Appointment.status == STATUS_BOOKED,
        Appointment.starts_at < ends_at, Appointment.ends_at > starts_at)
        .order_by(Appointment.starts_at)))
    for appointment in affected:
        appointment.needs_follow_up = True
    session.flush()
    return block, affected


def unblock_desk(session: Session, block_id: int) -> None:
    """Give the blocked desk time back to the agenda (its slot rows go with the block)."""
    session.execute(delete(DeskSlot).where(DeskSlot.block_id == block_id))
    session.execute(delete(DeskBlock).where(DeskBlock.id == block_id))
    session.flush()


# --------------------------------------------------------------------------- values


def view(appointment: Appointment) -> AppointmentView:
    """The value callers get; the desk comes with the query (_with_desk) or, after a booking
    or move, from the session's identity map."""
    return AppointmentView(
        public_id=appointment.public_id, reference=appointment.reference,
        location=appointment.location, desk_code=appointment.desk.code,
        desk_name=appointment.desk.name, products=tuple(appointment.products),
        persons=appointment.persons, starts_at=appointment.starts_at,
        ends_at=appointment.ends_at, status=appointment.status, name=appointment.name,
        email=appointment.email, phone=appointment.phone, bsn=appointment.bsn,
        locale=appointment.locale, sequence=appointment.sequence,
        needs_follow_up=appointment.needs_follow_up)


def _block_view(block: DeskBlock, desk: Desk) -> DeskBlockView:
    return DeskBlockView(block.id, desk.code, block.starts_at, block.ends_at, block.reason,
                         block.created_by)


def _maybe(appointment: Appointment | None) -> AppointmentView | None:
    return view(appointment) if appointment is not None else None


# --------------------------------------------------------------------------- the port


class LocalAgendaBackend:
    """services.AgendaBackend on our own tables (appointments, appointment_desk_slots)."""

    def __init__(self, session: Session, agenda: Agenda) -> None:
        self.session = session
        self.agenda = agenda

    def _row(self, public_id: str) -> Appointment:
        appointment = appointment_by_public_id(self.session, public_id)
        if appointment is None:
            raise BookingProblem("unknown_appointment")
        return appointment

    def _id(self, public_id: str | None) -> int | None:
        return self._row(public_id).id if public_id else None

    def days_with_room(self, visit, now):
        return days_with_room(self.session, self.agenda, visit, now)

    def times_on(self, visit, day, now, moving=None):
        return times_on(self.session, self.agenda, visit, day, now, self._id(moving))

    def book(self, visit, start, contact, *, idempotency_key, locale, now):
        return view(book(self.session, self.agenda, visit, start, contact,
                         idempotency_key=idempotency_key, locale=locale, now=now))

    def move(self, public_id, start, now):
        return view(move(self.session, self.agenda, self._row(public_id), start, now))

    def cancel(self, public_id, now):
        return view(cancel(self.session, self._row(public_id), now))

    def by_public_id(self, public_id, bsn=None):
        return _owned(_maybe(appointment_by_public_id(self.session, public_id)), bsn)

    def by_reference(self, reference, bsn=None):
        return _owned(_maybe(appointment_by_reference(self.session, reference)), bsn)

    def by_idempotency_key(self, key):
        return _maybe(appointment_by_idempotency_key(self.session, key))

    def for_resident(self, bsn, limit=None):
        return [view(a) for a in appointments_for_bsn(self.session, bsn, limit)]

    def resident_visits(self, contact, since):
        return [view(a) for a in resident_visits(self.session, contact, since)]

    def due_reminders(self, now):
        return [view(a) for a in due_reminders(self.session, self.agenda, now)]

    def day_agenda(self, location, day):
        return day_agenda(self.session, self.agenda, location, day)

    def follow_ups(self, location, now, limit=100):
        return [view(a) for a in follow_ups(self.session, self.agenda, location, now, limit)]

    def mark(self, public_id, status, now):
        return view(mark(self.session, self._row(public_id), status, now))

    def contacted(self, public_id, now):
        appointment = self._row(public_id)
        appointment.needs_follow_up = False
        appointment.updated_at = now
        self.session.flush()
        return view(appointment)

    def block_desk(self, location, desk_code, starts_at, ends_at, *, reason, created_by, now):
        block, affected = block_desk(self.session, self.agenda, location, desk_code, starts_at,
                                     ends_at, reason=reason, created_by=created_by, now=now)
        return BlockResult(_block_view(block, self.session.get(Desk, block.desk_id)),
                           tuple(view(a) for a in affected))

    def unblock_desk(self, block_id):
        unblock_desk(self.session, block_id)


def _owned(appointment: AppointmentView | None, bsn: str | None) -> AppointmentView | None:
    """Another resident's appointment answers as a missing one."""
    if appointment is None or (bsn is not None and appointment.bsn != bsn):
        return None
    return appointment


def setup_local_backend(app) -> type[LocalAgendaBackend]:
    """AGENDA_BACKEND=local: the agenda in our own database (app.ports)."""
    return LocalAgendaBackend


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
