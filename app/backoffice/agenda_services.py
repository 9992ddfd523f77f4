"""The balie agenda as staff see it: a location's day per desk, arrivals, blocks, follow-up.

The booking rules stay in app.appointments.services (mark, block_desk); this module reads
what the staff pages show in a fixed number of queries and adds the staff-side checks.
Times are naive UTC; days are local (the agenda's time zone).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from app.appointments import services as appointments
from app.appointments.agenda import Agenda, Location
from app.appointments.mail import send_cancelled
from app.appointments.models import (
    STATUS_BOOKED,
    STATUS_CANCELLED,
    Appointment,
    Desk,
    DeskBlock,
)
from app.db import utcnow


class AgendaActionRefused(Exception):
    """A staff action the appointment's state does not allow; ``code`` picks the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class DeskDay:
    desk: Desk
    appointments: list[Appointment] = field(default_factory=list)
    blocks: list[DeskBlock] = field(default_factory=list)


@dataclass(frozen=True)
class DayAgenda:
    location: Location
    day: dt.date
    desks: list[DeskDay]
    opening_hours: tuple  # ((opens, closes), ...) local times; empty when closed

    @property
    def appointments(self) -> list[Appointment]:
        return [a for desk in self.desks for a in desk.appointments]


def day_agenda(session: Session, agenda: Agenda, location: Location, day: dt.date) -> DayAgenda:
    """Every desk of the location with its visits (not the cancelled ones) and blocks on
    this local day: three queries, however many visits."""
    start, end = appointments.local_day_bounds(agenda, day)
    desks = {desk.id: DeskDay(desk) for desk in appointments.location_desks(session, location.slug)}
    visits = session.scalars(
        select(Appointment).join(Appointment.desk)
        .where(Appointment.location == location.slug, Appointment.status != STATUS_CANCELLED,
               Appointment.starts_at >= start, Appointment.starts_at < end)
        .options(contains_eager(Appointment.desk))
        .order_by(Desk.code, Appointment.starts_at))
    for visit in visits:
        desks[visit.desk_id].appointments.append(visit)
    blocks = session.scalars(
        select(DeskBlock).where(DeskBlock.desk_id.in_(list(desks)),
                                DeskBlock.starts_at < end, DeskBlock.ends_at > start)
        .order_by(DeskBlock.starts_at)) if desks else []
    for block in blocks:
        desks[block.desk_id].blocks.append(block)
    return DayAgenda(location, day, list(desks.values()), location.hours_on(day))


def follow_ups(session: Session, agenda: Agenda, location: str, *, now: dt.datetime | None = None,
               limit: int = 100) -> list[Appointment]:
    """Booked visits from today on at a desk that was blocked: staff contact these residents
    (block_desk flags them; nothing is dropped silently). One query."""
    today = appointments.local_today(agenda, now or utcnow())
    start, _ = appointments.local_day_bounds(agenda, today)
    return list(session.scalars(
        select(Appointment).join(Appointment.desk)
        .where(Appointment.location == location, Appointment.needs_follow_up.is_(True),
               Appointment.starts_at >= start, Appointment.status == STATUS_BOOKED)
        .options(contains_eager(Appointment.desk))
        .order_by(Appointment.starts_at).limit(limit)))


def appointment_at(session: Session, public_id: str) -> Appointment | None:
    return appointments.appointment_by_public_id(session, public_id)


def mark_visit(session: Session, agenda: Agenda, appointment: Appointment, status: str,
               now: dt.datetime | None = None) -> Appointment:
    """Arrived or no-show, on the visit's day or later (not ahead of time); a visit that was
    marked already may be corrected (arrived after all)."""
    now = now or utcnow()
    if appointment.status == STATUS_CANCELLED:
        raise AgendaActionRefused("cancelled")
    if appointments.to_local(agenda, appointment.starts_at).date() > \
            appointments.local_today(agenda, now):
        raise AgendaActionRefused("too_early")
    return appointments.mark(session, appointment, status, now)


def cancel_for_resident(session: Session, agenda: Agenda, appointment: Appointment,
                        now: dt.datetime | None = None) -> Appointment:
    """Staff cancel a visit on the resident's behalf (they phoned, or a blocked desk left no
    room): as the resident would, through the agenda backend, with the cancellation mail
    when there is an address; it also leaves the follow-up list. A visit that has begun or
    was cancelled already is refused (AgendaActionRefused "not_changeable")."""
    try:
        cancelled = appointments.agenda_backend(session).cancel(appointment, now or utcnow())
    except appointments.BookingProblem as problem:
        raise AgendaActionRefused(problem.code) from None
    cancelled.needs_follow_up = False
    if cancelled.email:
        send_cancelled(session, agenda, cancelled)
    session.flush()
    return cancelled


def contacted(session: Session, appointment: Appointment, now: dt.datetime | None = None) -> None:
    """Staff reached the resident about a blocked desk (and agreed to keep the visit, or
    moved or cancelled it meanwhile): the visit leaves the follow-up list."""
    appointment.needs_follow_up = False
    appointment.updated_at = now or utcnow()
    session.flush()


def local_to_utc(agenda: Agenda, day: dt.date, moment: dt.time) -> dt.datetime:
    """A local wall-clock time on a day as naive UTC (right across DST)."""
    aware = dt.datetime.combine(day, moment, agenda.timezone)
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def block(session: Session, agenda: Agenda, location: str, desk_code: str, starts_at: dt.datetime,
          ends_at: dt.datetime, *, reason: str, created_by: str) -> appointments.BlockResult:
    """Take the desk out of the agenda for the period; the booked visits in it are flagged
    for follow-up and returned."""
    try:
        return appointments.block_desk(session, agenda, location, desk_code, starts_at, ends_at,
                                       reason=reason, created_by=created_by)
    except appointments.BookingProblem as problem:
        raise AgendaActionRefused(problem.code) from None
