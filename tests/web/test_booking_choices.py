"""Booking that never refuses at the end: the resident is known before the day, the calendar
offers only the days they may book, times come by part of the day, and the booked visit can
be taken into a calendar from the pages too."""

import dataclasses
import datetime as dt
import re

from icalendar import Calendar
from sqlalchemy import select

from app.appointments.agenda import get_agenda
from app.appointments.models import Appointment
from app.appointments.services import agenda_backend, to_local, utcnow
from app.appointments.values import Contact, Visit
from app.db import get_session
from tests.login import login_as
from tests.personas import FATIMA
from tests.web.test_appointments import (  # noqa: F401 (context: the autouse fixture)
    DAY_LINK,
    appointment_for,
    book,
    context,
    give_details,
    offered_days,
    post,
    radio_values,
    start_booking,
)


def test_the_steps_are_numbered_and_the_details_come_before_the_day(client):
    assert "Stap 1 van 4" in client.get("/afspraak").get_data(as_text=True)
    start_booking(client)
    assert "Stap 2 van 4" in client.get("/afspraak/gegevens").get_data(as_text=True)
    # Without the details there is no day to choose yet.
    assert client.get("/afspraak/datum").location.endswith("/afspraak/gegevens")
    assert give_details(client).location.endswith("/afspraak/datum")
    days = client.get("/afspraak/datum").get_data(as_text=True)
    assert "Stap 3 van 4" in days
    _day, href = sorted(offered_days(client).items())[0]
    assert "Stap 4 van 4" in client.get(href).get_data(as_text=True)


def test_the_calendar_is_a_table_of_links_to_the_days_with_room(client):
    start_booking(client)
    give_details(client)
    page = client.get("/afspraak/datum").get_data(as_text=True)
    assert re.search(r'<table class="portal-calendar__table" id="days">\s*<caption', page)
    assert page.count('<th scope="col">') == 7 and ">maandag</span>" in page
    links = DAY_LINK.findall(page)
    assert links
    for _href, day in links:   # each link is named by its whole day, in Dutch
        named = re.search(rf'dag={day}" aria-label="([^"]+)"', page).group(1)
        assert str(dt.date.fromisoformat(day).year) in named
        assert named.split()[0] in ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")
    # A Saturday (closed) is in the table as plain text, not as a link.
    first = dt.date.fromisoformat(links[0][1])
    saturday = first + dt.timedelta(days=(5 - first.weekday()) % 7)
    if saturday.month == first.month:
        assert f"dag={saturday.isoformat()}" not in page
        assert f'<span class="portal-calendar__day">{saturday.day}</span>' in page
    # The months around it: next while the horizon lasts, and back again.
    following = re.search(r'rel="next" href="([^"]+)"', page).group(1)
    assert 'rel="prev"' not in page
    later = client.get(following.replace("&amp;", "&")).get_data(as_text=True)
    assert 'rel="prev"' in later


def test_a_day_on_which_the_resident_has_two_visits_is_not_offered(client, app):
    """Two visits a day at most (content/agenda.toml): after two on a day, that day is no
    longer a link for this mailbox, and its times cannot be asked for directly either."""
    for _ in range(2):
        answer, _form, start = book(client, email="twee@example.org")
        assert answer.location.endswith("/afspraak/bevestiging")
    booked_day = to_local(get_agenda(), dt.datetime.fromisoformat(start)).date().isoformat()
    start_booking(client)
    give_details(client, "Anna", "Twee@example.org")
    assert booked_day not in offered_days(client)
    page = client.get("/afspraak/datum").get_data(as_text=True)
    assert "U heeft al 2 afspraken op" in page
    direct = client.get(f"/afspraak/tijd?dag={booked_day}")
    assert direct.status_code == 302 and "/afspraak/datum" in direct.location
    give_details(client, "Bram", "bram.anders@example.org")   # someone else still gets it
    assert booked_day in offered_days(client)


def test_times_come_by_part_of_the_day(client):
    """Thursday has an evening opening (18:00-20:00) besides morning and afternoon."""
    start_booking(client)
    give_details(client)
    days = offered_days(client)
    thursday = next(d for d in sorted(days) if dt.date.fromisoformat(d).weekday() == 3
                    and dt.date.fromisoformat(d) > dt.date.today() + dt.timedelta(days=1))
    page = client.get(days[thursday]).get_data(as_text=True)
    legends = re.findall(r'portal-choice-group__legend">([^<]+)<', page)
    assert legends == ["Ochtend", "Middag", "Avond"]
    evening = page[page.index(">Avond<"):]
    assert "18:00" in evening and "09:00" not in evening
    assert len(radio_values(page, "start")) == len(set(re.findall(r'id="(start[^"]*)"', page)))
    friday = next(d for d in sorted(days) if dt.date.fromisoformat(d).weekday() == 4
                  and dt.date.fromisoformat(d) > dt.date.today() + dt.timedelta(days=1))
    page = client.get(days[friday]).get_data(as_text=True)
    assert "Avond" not in re.findall(r'portal-choice-group__legend">([^<]+)<', page)
    # "Kies een andere dag" is a target of its own, not a bare link under the button.
    assert re.search(r'class="utrecht-paragraph portal-standalone-link"><a class="[^"]*'
                     r'portal-target" href="/afspraak/datum\?maand=', page)


def test_the_visit_can_be_taken_into_a_calendar_from_the_confirmation(client, app):
    _answer, _form, _start = book(client, email="agenda@example.org")
    appointment = appointment_for("agenda@example.org")
    page = client.get("/afspraak/bevestiging").get_data(as_text=True)
    path = f"/afspraak/afspraken/{appointment.public_id}/afspraak.ics"
    assert f'href="{path}"' in page
    download = client.get(path)
    assert download.status_code == 200 and download.mimetype == "text/calendar"
    assert "attachment" in download.headers["Content-Disposition"]
    event = next(iter(Calendar.from_ical(download.data).walk("VEVENT")))
    assert str(event["UID"]).startswith(f"afspraak-{appointment.public_id}@")
    assert event["DTSTART"].dt.replace(tzinfo=None) == appointment.starts_at
    with app.test_client() as stranger:
        assert stranger.get(path).status_code == 404


def test_my_appointments_offer_each_visit_as_a_calendar_file(client):
    login_as(client, FATIMA)
    _answer, _form, _start = book(client, name=None, email="fatima.agenda@example.org")
    appointment = get_session().scalars(select(Appointment).where(
        Appointment.bsn == FATIMA).order_by(Appointment.id.desc())).first()
    page = client.get("/afspraak/mijn-afspraken").get_data(as_text=True)
    path = f"/afspraak/afspraken/{appointment.public_id}/afspraak.ics"
    assert f'href="{path}"' in page
    download = client.get(path)
    assert download.status_code == 200 and FATIMA.encode() not in download.data
    assert b"BEGIN:VEVENT" in download.data


def test_a_day_filled_meanwhile_sends_the_check_page_back_to_the_calendar(client):
    """Two visits booked on the chosen day while the resident was on their way (another
    tab, or the KCC on the phone): the check page does not offer a booking that would be
    refused, but the calendar without that day."""
    start_booking(client)
    give_details(client, "Anna", "tussendoor@example.org")
    day, href = sorted(offered_days(client).items())[1]
    starts = radio_values(client.get(href).get_data(as_text=True), "start")
    post(client, href, {"start": starts[0]})
    assert client.get("/afspraak/controleren").status_code == 200
    backend = agenda_backend(get_session())
    meanwhile = Contact("Anna", "Tussendoor@example.org")
    for n, start in enumerate(starts[1:3]):
        backend.book(Visit("gemeentehuis", ("paspoort",), 1), dt.datetime.fromisoformat(start),
                     meanwhile, idempotency_key=f"meanwhile-{n}", locale="nl", now=utcnow())
    get_session().commit()
    answer = client.get("/afspraak/controleren")
    assert answer.status_code == 302 and "/afspraak/datum?maand=" in answer.location
    assert day not in offered_days(client)
    assert client.get("/afspraak/controleren").location.endswith("/afspraak")  # no time left


def test_with_two_locations_the_location_is_a_step_of_its_own(client, app, monkeypatch):
    agenda = get_agenda()
    second = dataclasses.replace(agenda.locations[0], slug="servicepunt")
    monkeypatch.setitem(app.extensions, "agenda",
                        dataclasses.replace(agenda, locations=(*agenda.locations, second)))
    assert "Stap 1 van 5" in client.get("/afspraak").get_data(as_text=True)
    answer = post(client, "/afspraak", {"products": ["paspoort"], "persons": "1"})
    assert answer.location.endswith("/afspraak/locatie")
    assert "Stap 2 van 5" in client.get("/afspraak/locatie").get_data(as_text=True)
    assert post(client, "/afspraak/locatie", {"location": "gemeentehuis"}).location.endswith(
        "/afspraak/gegevens")
    details = client.get("/afspraak/gegevens").get_data(as_text=True)
    assert "Stap 3 van 5" in details and 'portal-back-link" href="/afspraak/locatie"' in details
