"""The .ics files: RFC 5545 as icalendar reads them, stable UID, SEQUENCE, CANCEL, no BSN."""

import datetime as dt

from icalendar import Calendar

from app.appointments import local
from app.appointments.ics import build_ics
from app.appointments.services import Contact, Visit
from tests.appointments_fixtures import LOCATION, agenda, desks, session, utc  # noqa: F401
from tests.personas import FATIMA

NOW = utc(2027, 3, 22, 6)
BSN = FATIMA


def _ics(appointment):
    return build_ics(local.view(appointment), summary="Afspraak gemeente Elburg: Paspoort",
                     location="Proefloket, Proefstraat 1, 8081 AA Elburg",
                     description="Referentie: " + appointment.reference + " " + "x" * 80,
                     domain="elburg.example", now=NOW)


def _event(raw: bytes):
    calendar = Calendar.from_ical(raw)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_booked_moved_and_cancelled_calendar_files(session, agenda, desks):
    appointment = local.book(
        session, agenda, Visit(LOCATION, ("paspoort",), 1), utc(2027, 3, 26, 9),
        Contact("Fatima El Amrani", "fatima@example.org", bsn=BSN), idempotency_key="ics", now=NOW)
    published = _ics(appointment)
    calendar, event = _event(published)
    assert calendar["METHOD"] == "PUBLISH"
    assert event["STATUS"] == "CONFIRMED" and event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == dt.datetime(2027, 3, 26, 9, tzinfo=dt.UTC)
    assert event.decoded("DTEND") == dt.datetime(2027, 3, 26, 9, 10, tzinfo=dt.UTC)
    assert event.decoded("DTSTAMP") == NOW.replace(tzinfo=dt.UTC)
    assert str(event["SUMMARY"]).startswith("Afspraak") and "Proefloket" in str(event["LOCATION"])
    uid = str(event["UID"])
    assert appointment.public_id in uid
    # CRLF line ends, long lines folded at 75 octets.
    assert b"\r\n" in published and b"\n" not in published.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in published.split(b"\r\n"))
    assert b"\r\n " in published

    local.move(session, agenda, appointment, utc(2027, 3, 29, 8), now=NOW)
    _, moved = _event(_ics(appointment))
    assert str(moved["UID"]) == uid and moved["SEQUENCE"] == 1

    local.cancel(session, appointment, now=NOW)
    raw = _ics(appointment)
    calendar, cancelled = _event(raw)
    assert calendar["METHOD"] == "CANCEL" and cancelled["STATUS"] == "CANCELLED"
    assert str(cancelled["UID"]) == uid and cancelled["SEQUENCE"] == 2
    for payload in (published, raw):
        assert BSN.encode() not in payload
