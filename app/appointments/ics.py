"""Calendar files (RFC 5545) for the confirmation, move and cancel mails.

One event per appointment with a stable UID (the opaque public id), SEQUENCE
from the appointment (raised on every move and on cancelling), times in UTC.
The icalendar package writes CRLF line ends and folds long lines. Never a BSN.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from app.appointments.values import STATUS_CANCELLED, AppointmentView

PRODID = "-//Gemeente//Werken op afspraak//NL"


def appointment_uid(appointment: AppointmentView, domain: str) -> str:
    return f"afspraak-{appointment.public_id}@{domain}"


def build_ics(appointment: AppointmentView, *, summary: str, location: str, description: str,
              domain: str, now: dt.datetime) -> bytes:
    """PUBLISH for a booked appointment, CANCEL (+ STATUS:CANCELLED) for a cancelled one."""
    cancelled = appointment.status == STATUS_CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", appointment_uid(appointment, domain))
    event.add("dtstamp", now.replace(tzinfo=dt.UTC))
    event.add("dtstart", appointment.starts_at.replace(tzinfo=dt.UTC))
    event.add("dtend", appointment.ends_at.replace(tzinfo=dt.UTC))
    event.add("sequence", appointment.sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical()
