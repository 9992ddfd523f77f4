"""Appointments and the desk time they hold.

Double booking is made impossible by the database itself: a booking claims one
``DeskSlot`` row per slot (e.g. 10 minutes) of its visit, on one desk, and
``(desk_id, slot_start)`` is unique. Two transactions that want the same desk
time cannot both commit, on SQLite and PostgreSQL alike. A staff block claims
desk slots the same way. All datetimes are naive UTC.
"""

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.appointments.values import STATUS_BOOKED
from app.db import Base


class Desk(Base):
    """A desk (balie) at a location; seeded from content/agenda.toml."""

    __tablename__ = "appointment_desks"
    __table_args__ = (UniqueConstraint("location", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(100))


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_location_starts_at", "location", "starts_at"),
        Index("ix_appointments_bsn_starts_at", "bsn", "starts_at"),
        Index("ix_appointments_email_starts_at", "email", "starts_at"),
        # A resident's bookings by email address (services.email_key; made by da802c33a60c).
        Index("ix_appointments_email_key_starts_at", "email_key", "starts_at"),
        # The balie agenda's follow-up list: a location's flagged visits from today on
        # (made by migration 5e6f7a8b9ca0).
        Index("ix_appointments_location_follow_up_starts_at", "location", "needs_follow_up",
              "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Opaque ids: public_id addresses the appointment in URLs, reference is for people.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    # One submit of the check page; a double click finds the first booking.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    location: Mapped[str] = mapped_column(String(60))
    desk_id: Mapped[int] = mapped_column(ForeignKey("appointment_desks.id"))
    products: Mapped[list] = mapped_column(JSON)
    persons: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default=STATUS_BOOKED)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    # services.email_key(email): what the limits per resident count by without a BSN; None
    # without an email address (a caller the KCC booked by phone).
    email_key: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(30), default="")
    bsn: Mapped[str | None] = mapped_column(String(9))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    # The .ics SEQUENCE: raised on every change the resident's calendar must take over.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Set when staff block the desk during this visit: someone must contact the resident.
    needs_follow_up: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    desk: Mapped[Desk] = relationship()

    def __repr__(self) -> str:  # no name, email or BSN: reprs end up in logs
        return f"<Appointment {self.reference} {self.status}>"


class DeskBlock(Base):
    """Staff took a desk out of the agenda for a period (illness, training)."""

    __tablename__ = "appointment_desk_blocks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("appointment_desks.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DeskSlot(Base):
    """One slot of desk time, held by an appointment or a block. Unique per desk and start."""

    __tablename__ = "appointment_desk_slots"
    __table_args__ = (
        UniqueConstraint("desk_id", "slot_start"),
        Index("ix_appointment_desk_slots_slot_start", "slot_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("appointment_desks.id"))
    slot_start: Mapped[datetime] = mapped_column(DateTime)
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointment_desk_blocks.id", ondelete="CASCADE"), index=True)
