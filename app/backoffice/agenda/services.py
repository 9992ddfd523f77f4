"""The balie agenda as staff see it: a location's day per desk, arrivals, blocks, follow-up.

Everything goes through the agenda port (app.appointments.services.AgendaBackend), which
keeps the booking rules and answers in a fixed number of queries; this module adds the
staff-side checks and the opening hours from the agenda file. Times are naive UTC; days
are local (the agenda's time zone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.appointments import services as appointments
from app.appointments.agenda import Agenda, Hours, Location
from app.appointments.mail import send_cancelled
from app.appointments.values import (
    STATUS_CANCELLED,
    AppointmentView,
    BlockResult,
    BookingProblem,
    DeskDay,
)
from app.db import utcnow


class AgendaActionRefused(Exception):
    """A staff action the appointment's state does not allow; ``code`` picks the message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StaffDay:
    location: Location
    day: dt.date
    desks: tuple[DeskDay, ...]
    opening_hours: Hours  # ((opens, closes), ...) local times; empty when closed

    @property
    def appointments(self) -> list[AppointmentView]:
        return [a for desk in self.desks for a in desk.appointments]


def day_agenda(session: Session, location: Location, day: dt.date) -> StaffDay:
    """Every desk of the location with its visits (not the cancelled ones) and blocks on
    this local day, and the opening hours of that day."""
    agenda_day = appointments.agenda_backend(session).day_agenda(location.slug, day)
    return StaffDay(location, day, agenda_day.desks, location.hours_on(day))


def follow_ups(session: Session, location: str, *, now: dt.datetime | None = None,
               limit: int = 100) -> list[AppointmentView]:
    """Booked visits from today on at a desk that was blocked: staff contact these residents
    (the agenda flags them when the desk is blocked; nothing is dropped silently)."""
    return appointments.agenda_backend(session).follow_ups(location, now or utcnow(), limit)


def appointment_at(session: Session, public_id: str) -> AppointmentView | None:
    return appointments.agenda_backend(session).by_public_id(public_id)


def mark_visit(session: Session, agenda: Agenda, appointment: AppointmentView, status: str,
               now: dt.datetime | None = None) -> AppointmentView:
    """Arrived or no-show, on the visit's day or later (not ahead of time); a visit that was
    marked already may be corrected (arrived after all)."""
    now = now or utcnow()
    if appointment.status == STATUS_CANCELLED:
        raise AgendaActionRefused("cancelled")
    if appointments.to_local(agenda, appointment.starts_at).date() > \
            appointments.local_today(agenda, now):
        raise AgendaActionRefused("too_early")
    with _refused_as_staff():
        return appointments.agenda_backend(session).mark(appointment.public_id, status, now)


def cancel_for_resident(session: Session, agenda: Agenda, appointment: AppointmentView,
                        now: dt.datetime | None = None) -> AppointmentView:
    """Staff cancel a visit on the resident's behalf (they phoned, or a blocked desk left no
    room): as the resident would, through the agenda backend (which also takes it off the
    follow-up list), with the cancellation mail when there is an address. A visit that has
    begun or was cancelled already is refused (AgendaActionRefused "not_changeable")."""
    with _refused_as_staff():
        cancelled = appointments.agenda_backend(session).cancel(appointment.public_id,
                                                                now or utcnow())
    if cancelled.email:
        send_cancelled(session, agenda, cancelled)
    return cancelled


def contacted(session: Session, appointment: AppointmentView,
              now: dt.datetime | None = None) -> AppointmentView:
    """Staff reached the resident about a blocked desk (and agreed to keep the visit, or
    moved or cancelled it meanwhile): the visit leaves the follow-up list."""
    return appointments.agenda_backend(session).contacted(appointment.public_id,
                                                          now or utcnow())


def block(session: Session, location: str, desk_code: str, starts_at: dt.datetime,
          ends_at: dt.datetime, *, reason: str, created_by: str) -> BlockResult:
    """Take the desk out of the agenda for the period; the booked visits in it are flagged
    for follow-up and returned."""
    with _refused_as_staff():
        return appointments.agenda_backend(session).block_desk(
            location, desk_code, starts_at, ends_at, reason=reason, created_by=created_by,
            now=utcnow())


@contextmanager
def _refused_as_staff() -> Iterator[None]:
    """The agenda's refusal becomes the staff pages' own (their messages are per code)."""
    try:
        yield
    except BookingProblem as problem:
        raise AgendaActionRefused(problem.code) from None
