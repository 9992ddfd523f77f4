"""The booking flow, moving and cancelling through the test client, and the mails they queue."""

import datetime as dt
import re

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.appointments import services
from app.appointments.agenda import get_agenda
from app.appointments.mail import manage_token
from app.appointments.models import Appointment, Desk, DeskSlot
from app.config import Config
from app.contacts.models import Contact
from app.db import get_session
from app.extensions import limiter
from app.notifications.models import OutboxMessage
from tests.login import login_as
from tests.personas import FATIMA

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" type="hidden" value="([^"]+)"')


@pytest.fixture(autouse=True)
def context(app, db_connection):
    """The test's own app context (and ORM session) beside the client's requests."""
    with app.test_request_context():
        yield


def fresh(appointment):
    get_session().refresh(appointment)
    return appointment


def radio_values(html: str, name: str) -> list[str]:
    return re.findall(rf'type="radio" id="[^"]+" name="{name}" value="([^"]+)"', html)


DAY_LINK = re.compile(r'href="([^"]*/(?:tijd|verzetten/tijd)\?dag=(\d{4}-\d{2}-\d{2}))"')
NEXT_MONTH = re.compile(r'rel="next" href="([^"]+)"')


def post(client, path, data):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": CSRF.search(page).group(1), **data})


def offered_days(client, path="/afspraak/datum") -> dict[str, str]:
    """Every day the calendar offers, month after month: {day: the link to its times}."""
    days = {}
    while path:
        page = client.get(path).get_data(as_text=True)
        days.update((day, href.replace("&amp;", "&")) for href, day in DAY_LINK.findall(page))
        following = NEXT_MONTH.search(page)
        path = following.group(1).replace("&amp;", "&") if following else None
    return days


def start_booking(client, products=("paspoort",), persons=1):
    answer = post(client, "/afspraak", {"products": list(products), "persons": str(persons)})
    assert answer.status_code == 302 and answer.location.endswith("/afspraak/gegevens")


def give_details(client, name="Anna de Vries", email="anna@example.org", **more):
    details = {"email": email, **more} if name is None else {"name": name, "email": email, **more}
    return post(client, "/afspraak/gegevens", details)


def choose_slot(client, day_index=0):
    """From the day page to the time page; returns (day, start) chosen."""
    day, href = sorted(offered_days(client).items())[day_index]
    start = radio_values(client.get(href).get_data(as_text=True), "start")[0]
    assert post(client, href, {"start": start}).location.endswith("/afspraak/controleren")
    return day, start


def confirm_form(client) -> dict:
    page = client.get("/afspraak/controleren").get_data(as_text=True)
    return {"csrf_token": CSRF.search(page).group(1), "idempotency_key": KEY.search(page).group(1)}


def book(client, name="Anna de Vries", email="anna@example.org", products=("paspoort",),
         persons=1, day_index=0):
    """The whole flow: products, details, day, time, confirm; returns the confirm's answer,
    the confirm form and the start chosen."""
    start_booking(client, products, persons)
    assert give_details(client, name, email).location.endswith("/afspraak/datum")
    _day, start = choose_slot(client, day_index)
    form = confirm_form(client)
    return client.post("/afspraak/controleren", data=form), form, start


def mails_to(email):
    return list(get_session().scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == email).order_by(OutboxMessage.id)))


def appointment_for(email):
    return get_session().scalars(
        select(Appointment).where(Appointment.email == email).order_by(Appointment.id.desc())).first()


def ics_of(message):
    (name, content_type, content), = message.attachment_files()
    assert name.endswith(".ics") and content_type.startswith("text/calendar")
    return Calendar.from_ical(content), content


def test_the_product_page_links_into_the_flow_with_the_product_chosen(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "APPOINTMENTS_ENABLED", True)
    page = client.get("/producten/paspoort").get_data(as_text=True)
    assert 'href="/afspraak?product=paspoort"' in page
    start = client.get("/afspraak?product=paspoort").get_data(as_text=True)
    assert re.search(r'name="products" value="paspoort"\s+checked', start)


def test_products_that_cannot_be_combined_are_refused(client):
    answer = post(client, "/afspraak", {"products": ["paspoort", "omgevingsvergunning"],
                                        "persons": "1"})
    assert answer.status_code == 200 and "<title>Fout: " in answer.get_data(as_text=True)


def test_book_anonymously_confirmation_and_mail(client):
    answer, form, start = book(client)
    assert answer.status_code == 302 and answer.location.endswith("/afspraak/bevestiging")
    page = client.get("/afspraak/bevestiging").get_data(as_text=True)
    appointment = appointment_for("anna@example.org")
    assert appointment.reference in page and appointment.starts_at.isoformat() == start
    assert "Uw oude paspoort of ID-kaart" in page            # what to bring, from the catalogue
    # A double click on confirm: the same key finds the same booking.
    again = client.post("/afspraak/controleren", data=form)
    assert again.location.endswith("/afspraak/bevestiging")
    assert len(get_session().scalars(select(Appointment).where(
        Appointment.email == "anna@example.org")).all()) == 1
    # One contact in the ledger, booked online, however often confirm was clicked.
    (contact,) = get_session().scalars(select(Contact).where(
        Contact.afspraak_referentie == appointment.reference)).all()
    assert (contact.kanaal, contact.soort, contact.product) == ("online", "afspraak", "paspoort")
    (mail,) = mails_to("anna@example.org")
    assert appointment.reference in mail.subject and appointment.reference in mail.text_body
    assert "Uw oude paspoort of ID-kaart" in mail.text_body
    assert f"/afspraak/beheren/{manage_token(appointment)}" in mail.text_body
    calendar, _ = ics_of(mail)
    assert calendar["METHOD"] == "PUBLISH"


def test_a_slot_taken_meanwhile_offers_the_nearest_free_times(client):
    start_booking(client)
    give_details(client, "Bram", "bram@example.org")
    day, start = choose_slot(client)
    page = client.get("/afspraak/controleren").get_data(as_text=True)
    taken = dt.datetime.fromisoformat(start)
    session = get_session()
    busy = set(session.scalars(select(DeskSlot.desk_id).where(DeskSlot.slot_start == taken)))
    for desk in session.scalars(select(Desk).where(Desk.location == "gemeentehuis")):
        if desk.id not in busy:      # everyone else books the desks still free at this time
            session.add(DeskSlot(desk_id=desk.id, slot_start=taken))
    session.commit()
    answer = client.post("/afspraak/controleren", data={
        "csrf_token": CSRF.search(page).group(1), "idempotency_key": KEY.search(page).group(1)})
    assert answer.location.endswith("/afspraak/tijd")
    page = client.get("/afspraak/tijd").get_data(as_text=True)
    offered = radio_values(page, "start")
    assert offered and start not in offered and 'role="alert"' in page
    assert appointment_for("bram@example.org") is None
    # "Choose another day", and a day from the calendar: its own times again, by part of day.
    page = client.get(f"/afspraak/tijd?dag={day}").get_data(as_text=True)
    assert 'role="alert"' not in page and "portal-choice-group__legend" in page


def test_the_link_in_the_mail_asks_the_email_address_then_cancels(client, app):
    book(client, email="cees@example.org")
    appointment = appointment_for("cees@example.org")
    link = f"/afspraak/beheren/{manage_token(appointment)}"
    manage = f"/afspraak/afspraken/{appointment.public_id}"
    with app.test_client() as stranger:
        assert stranger.get(manage).status_code == 404
    wrong = post(client, link, {"email": "someone@example.org"})
    assert wrong.status_code == 200 and "<title>Fout: " in wrong.get_data(as_text=True)
    assert client.get(manage).status_code == 404
    assert post(client, link, {"email": "CEES@example.org"}).location.endswith(manage)
    assert appointment.reference in client.get(manage).get_data(as_text=True)
    answer = post(client, manage + "/annuleren", {})
    assert answer.status_code == 200 and fresh(appointment).status == "cancelled"
    cancelled = mails_to("cees@example.org")[-1]
    calendar, _ = ics_of(cancelled)
    assert calendar["METHOD"] == "CANCEL"
    assert client.get(link).status_code == 404                # the link ends with the appointment
    assert client.get("/afspraak/beheren/not-a-token").status_code == 404


def test_logged_in_booking_is_prefilled_listed_moved_and_cancelled(client):
    login_as(client, FATIMA)
    start_booking(client)
    page = client.get("/afspraak/gegevens").get_data(as_text=True)
    assert "Fatima El Amrani" in page and 'name="name"' not in page
    email = re.search(r'name="email"[^>]* value="([^"]+)"', page).group(1)
    give_details(client, None, email)
    _day, _start = choose_slot(client)
    page = client.get("/afspraak/controleren").get_data(as_text=True)
    client.post("/afspraak/controleren", data={
        "csrf_token": CSRF.search(page).group(1), "idempotency_key": KEY.search(page).group(1)})
    appointment = get_session().scalars(select(Appointment).where(
        Appointment.bsn == FATIMA).order_by(Appointment.id.desc())).first()
    mine = client.get("/afspraak/mijn-afspraken").get_data(as_text=True)
    assert appointment.public_id in mine and FATIMA not in mine
    mail = mails_to(email)[-1]
    assert FATIMA not in mail.text_body and FATIMA.encode() not in ics_of(mail)[1]

    manage = f"/afspraak/afspraken/{appointment.public_id}"
    days = offered_days(client, manage + "/verzetten")
    time_page = days[sorted(days)[1]]
    assert time_page.startswith(manage + "/verzetten/tijd?dag=")
    new_start = radio_values(client.get(time_page).get_data(as_text=True), "start")[0]
    assert post(client, time_page, {"start": new_start}).location.endswith(manage)
    assert fresh(appointment).sequence == 1 and appointment.starts_at.isoformat() == new_start
    calendar, _ = ics_of(mails_to(email)[-1])
    assert next(iter(calendar.walk("VEVENT")))["SEQUENCE"] == 1

    post(client, manage + "/annuleren", {})
    assert fresh(appointment).status == "cancelled"


def test_another_residents_appointment_answers_404(client):
    book(client, email="dirk@example.org")
    appointment = appointment_for("dirk@example.org")
    with client.application.test_client() as other:
        login_as(other, FATIMA)
        for path in ("", "/verzetten", "/annuleren"):
            assert other.get(f"/afspraak/afspraken/{appointment.public_id}{path}").status_code == 404
    assert client.get("/afspraak/afspraken/does-not-exist").status_code == 404


def test_my_appointments_needs_a_login(client):
    answer = client.get("/afspraak/mijn-afspraken")
    assert answer.status_code == 302 and "/inloggen" in answer.location


@pytest.fixture
def tomorrows_appointment(app, client):
    agenda = get_agenda()
    session = get_session()
    tomorrow = services.local_today(agenda, services.utcnow()) + dt.timedelta(days=1)
    start, _ = services.local_day_bounds(agenda, tomorrow)
    start += dt.timedelta(hours=10)
    desk = session.scalars(select(Desk).where(Desk.location == "gemeentehuis")).first()
    appointment = Appointment(
        public_id="reminder-test", reference="AFS-REMIND", idempotency_key="reminder-test",
        location="gemeentehuis", desk_id=desk.id, products=["paspoort"], persons=1,
        starts_at=start, ends_at=start + dt.timedelta(minutes=10), status="booked",
        name="Eva", email="eva@example.org", phone="", bsn=FATIMA, locale="en", sequence=0,
        needs_follow_up=False, created_at=services.utcnow(), updated_at=services.utcnow())
    session.add(appointment)
    session.commit()
    return appointment


def test_the_reminder_job_sends_one_mail_however_often_it_runs(app, tomorrows_appointment):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["appointments", "remind"])
        assert result.exit_code == 0, result.output
    (mail,) = mails_to("eva@example.org")
    assert "AFS-REMIND" in mail.subject and "Reminder" in mail.subject    # booked in English
    assert FATIMA not in mail.text_body


def test_staff_day_agenda_and_marking_arrival(app, tomorrows_appointment):
    runner = app.test_cli_runner()
    day = services.to_local(get_agenda(), tomorrows_appointment.starts_at).date().isoformat()
    result = runner.invoke(args=["appointments", "day", "--location", "gemeentehuis",
                                 "--date", day])
    assert "AFS-REMIND" in result.output and FATIMA not in result.output
    result = runner.invoke(args=["appointments", "arrived", "AFS-REMIND"])
    assert result.exit_code == 0 and fresh(tomorrows_appointment).status == "arrived"


@pytest.mark.parametrize("details", [{"name": "Anna", "email": "anna@example.org\n"},
                                     {"name": "Anna\r\nde Vries", "email": "anna@example.org"}])
def test_a_line_break_in_the_name_or_email_address_is_refused_at_the_field(client, details):
    """Both reach the confirmation mail's headers; a crafted request meets the field's message."""
    start_booking(client)
    answer = post(client, "/afspraak/gegevens", details)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    field = "email" if details["email"].endswith("\n") else "name"
    assert f'href="#{field}"' in page



def test_the_phone_number_is_checked_at_the_field(client):
    start_booking(client)
    details = {"name": "Anna", "email": "anna.tel@example.org"}
    refused = post(client, "/afspraak/gegevens", {**details, "phone": "bel me maar"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'href="#phone"' in page
    assert "Vul een telefoonnummer in, zoals 06 12345678 of 0525 123456" in page
    taken = post(client, "/afspraak/gegevens", {**details, "phone": "+49 30 901820"})
    assert taken.location.endswith("/afspraak/datum")
    choose_slot(client)
    assert "+4930901820" in client.get("/afspraak/controleren").get_data(as_text=True)


# --------------------------------------------------------------------------- limits per resident and client

@pytest.fixture
def booking_limits(app, monkeypatch):
    """The production defaults of the booking limits (the suite's config lifts them)."""
    for name in ("APPOINTMENTS_BOOKING_RATE_LIMIT", "APPOINTMENTS_BOOKING_EMAIL_RATE_LIMIT"):
        monkeypatch.setitem(app.config, name, getattr(Config, name))
    limiter.reset()
    yield
    limiter.reset()


def test_one_email_address_holds_at_most_three_appointments_to_come(client):
    """However the address is written: case, a +tag and Gmail's dots reach one mailbox."""
    spellings = ("Anna.Jansen@gmail.com", "annajansen+paspoort@gmail.com",
                 "a.n.n.a.jansen@googlemail.com")
    for day_index, email in enumerate(spellings):
        answer, _form, _start = book(client, email=email, day_index=day_index)
        assert answer.location.endswith("/afspraak/bevestiging"), email
    # The fourth is refused where the address is given, before a day or time is chosen.
    start_booking(client)
    refused = give_details(client, "Anna", "ANNAJANSEN@gmail.com")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "<title>Fout: " in page
    assert "U heeft al het hoogste aantal afspraken dat wij toestaan" in page
    assert client.get("/afspraak/datum").location.endswith("/afspraak/gegevens")
    assert get_session().scalar(select(func.count(Appointment.id)).where(
        Appointment.email_key == "annajansen@gmail.com")) == 3


def test_one_client_address_books_at_most_ten_an_hour_without_digid(client, booking_limits):
    for n in range(10):
        answer, _form, _start = book(client, email=f"resident{n}@example.org", day_index=n % 5)
        assert answer.location.endswith("/afspraak/bevestiging"), n
    refused, _form, _start = book(client, email="resident10@example.org")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "<title>U kunt nu online geen afspraken meer maken" in page
    assert "Probeer het morgen opnieuw, of bel ons" in page
    assert appointment_for("resident10@example.org") is None


def test_an_ipv6_client_is_counted_by_its_64_network(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "APPOINTMENTS_BOOKING_RATE_LIMIT", "2 per hour")
    limiter.reset()
    try:
        for n, address in enumerate(("2001:db8:1:2::10", "2001:db8:1:2:aaaa::20")):
            client.environ_base["REMOTE_ADDR"] = address
            answer, _form, _start = book(client, email=f"v6-{n}@example.org", day_index=n)
            assert answer.status_code == 302, address
        client.environ_base["REMOTE_ADDR"] = "2001:db8:1:2:ffff::30"   # the same /64
        assert book(client, email="v6-2@example.org", day_index=2)[0].status_code == 429
        client.environ_base["REMOTE_ADDR"] = "2001:db8:1:3::10"        # another household
        assert book(client, email="v6-3@example.org", day_index=3)[0].status_code == 302
    finally:
        limiter.reset()


def test_one_email_address_books_at_most_five_an_hour_from_any_address(client, app,
                                                                       booking_limits):
    """Booking and cancelling again and again from changing addresses: the email address's
    own limit (counted by a keyed hash of it) stops it."""
    for n in range(5):
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"
        answer, _form, _start = book(client, email=f"Piet+{n}@example.org", day_index=n)
        assert answer.status_code == 302, n
        # As if cancelled: the limit on appointments to come stays out of it.
        get_session().delete(appointment_for(f"Piet+{n}@example.org"))
        get_session().flush()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.99"
    assert book(client, email="piet@example.org")[0].status_code == 429
    counters = " ".join(map(str, limiter.storage.storage))   # the memory storage's keys
    assert "booking-email:" in counters and "piet" not in counters.lower()


def test_residents_logged_in_with_digid_are_not_limited_by_address(client, booking_limits):
    login_as(client, FATIMA)
    for n in range(12):   # more than an address may send; the BSN's limits count them instead
        client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
        answer, _form, _start = book(client, name=None, day_index=n % 6)
        assert answer.status_code == 302
        if answer.location.endswith("/afspraak/bevestiging"):
            get_session().delete(appointment_for_bsn(FATIMA))
            get_session().flush()


def appointment_for_bsn(bsn):
    return get_session().scalars(
        select(Appointment).where(Appointment.bsn == bsn).order_by(Appointment.id.desc())).first()
