"""What the agenda port (services.AgendaBackend) takes and returns: plain frozen values.

Callers outside this feature (the back office, Mijn omgeving) see appointments only as
these values, whichever agenda holds them (our own tables, or later JCC or Qmatic), and
never the tables behind them. Times are naive UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

STATUS_BOOKED = "booked"
STATUS_CANCELLED = "cancelled"
STATUS_ARRIVED = "arrived"
STATUS_NO_SHOW = "no_show"
ACTIVE_STATUSES = (STATUS_BOOKED, STATUS_ARRIVED)


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


@dataclass(frozen=True)
class AppointmentView:
    """One appointment as the pages, mails and calendar files show it."""

    public_id: str        # opaque: addresses the appointment in URLs
    reference: str        # for people: "AFS-7KQ2MX"
    location: str
    desk_code: str
    desk_name: str
    products: tuple[str, ...]
    persons: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    name: str
    email: str
    phone: str
    bsn: str | None
    locale: str
    sequence: int         # the .ics SEQUENCE: raised on every move and on cancelling
    needs_follow_up: bool  # its desk was blocked later: staff must contact the resident

    @property
    def visit(self) -> Visit:
        return Visit(self.location, self.products, self.persons)


@dataclass(frozen=True)
class DeskBlockView:
    """Desk time staff took out of the agenda (illness, training)."""

    id: int
    desk_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    created_by: str


@dataclass(frozen=True)
class DeskDay:
    """One desk's visits (not the cancelled ones, by time) and blocks on one day."""

    code: str
    name: str
    appointments: tuple[AppointmentView, ...]
    blocks: tuple[DeskBlockView, ...]


@dataclass(frozen=True)
class DayAgenda:
    """A location's day, desk by desk (every desk, also one without visits)."""

    location: str
    day: dt.date
    desks: tuple[DeskDay, ...]

    @property
    def appointments(self) -> list[AppointmentView]:
        return [a for desk in self.desks for a in desk.appointments]


@dataclass(frozen=True)
class BlockResult:
    block: DeskBlockView
    affected: tuple[AppointmentView, ...]  # booked visits in the period: contact these residents


class BookingProblem(Exception):
    """The agenda refuses; ``code`` tells the page which message to show ("day_limit",
    "not_changeable", "cancelled", "unknown_desk", ...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SlotTaken(BookingProblem):
    """The chosen time is no longer free; ``nearest`` holds the closest free starts."""

    def __init__(self, nearest: list[dt.datetime]) -> None:
        super().__init__("slot_taken")
        self.nearest = nearest
