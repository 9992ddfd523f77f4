"""The KCC, agenda and beheer pages in Chromium, with axe on every page: karin handles a
callback and a question and looks a resident up (Dutch and English), runs the balie agenda
without JavaScript; bea manages staff and a zaaktype; bas is refused the KCC's pages.

The live server has a database of its own (live_app); each journey opens what it needs there
and finds it by its zaaknummer or reference. Labels are matched in the page's language: the
English msgid, or its Dutch translation from the project's catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect
from sqlalchemy import select

from app.appointments import services as appointments
from app.appointments.agenda import get_agenda
from app.appointments.models import Appointment, Desk
from app.appointments.services import Visit, agenda_backend
from app.db import get_session, utcnow
from app.zaken.services import Initiator, open_zaak
from tests.browser.staff import log_in_as_staff

FATIMA = "999990019"
PO_PATH = Path(__file__).resolve().parents[2] / "translations/nl/LC_MESSAGES/messages.po"


def _dutch() -> dict[str, str]:
    with PO_PATH.open("rb") as file:
        return {m.id: m.string for m in read_po(file) if isinstance(m.id, str) and m.string}


NL = _dutch()


def text(msgid: str, language: str = "nl") -> re.Pattern:
    """The label as the page shows it in this language (a msgid without a Dutch
    translation fails: the page would show English to a Dutch reader)."""
    return re.compile("^" + re.escape(_in(language, msgid)) + "$")


def _in(language: str, msgid: str) -> str:
    return msgid if language == "en" else NL[msgid]


def callback(live_app) -> str:
    with live_app.app_context():
        db = get_session()
        zaak = open_zaak(db, zaaktype="TERUGBELVERZOEK",
                         initiator=Initiator(naam="Fatima El Amrani", bsn=FATIMA,
                                             telefoon="06 12345678"),
                         omschrijving="Terugbelverzoek", registered_by="journey",
                         aanvraaggegevens={"onderwerp": "reisdocumenten", "dagdeel": "middag",
                                           "vraag": "Is mijn paspoort klaar?",
                                           "naam": "Fatima El Amrani", "telefoon": "06 12345678"})
        db.commit()
        return zaak.identificatie


def question(live_app) -> str:
    with live_app.app_context():
        db = get_session()
        zaak = open_zaak(db, zaaktype="VRAAG",
                         initiator=Initiator(naam="Piet Anoniem", email="piet@example.org"),
                         omschrijving="Vraag", registered_by="journey",
                         aanvraaggegevens={"onderwerp": "Grofvuil", "vraag": "Wanneer?",
                                           "naam": "Piet Anoniem", "antwoord_via": "email",
                                           "email": "piet@example.org"})
        db.commit()
        return zaak.identificatie


def appointment(live_app, *, hour: int, desk_code: str = "balie-3") -> str:
    with live_app.app_context():
        agenda, db = get_agenda(), get_session()
        start, _ = appointments.local_day_bounds(agenda, appointments.local_today(agenda, utcnow()))
        start += dt.timedelta(hours=hour)
        desk = db.scalar(select(Desk).where(Desk.location == "gemeentehuis",
                                            Desk.code == desk_code))
        token = secrets.token_urlsafe(8)
        visit = Appointment(
            public_id=token, reference="AFS-" + secrets.token_hex(3).upper(),
            idempotency_key=token, location="gemeentehuis", desk_id=desk.id,
            products=["paspoort"], persons=1, starts_at=start,
            ends_at=start + dt.timedelta(minutes=10), status="booked", name="Eva Journey",
            email="eva@example.org", phone="06 99998888", bsn=None, locale="nl", sequence=0,
            needs_follow_up=False, created_at=utcnow(), updated_at=utcnow())
        db.add(visit)
        db.commit()
        return visit.reference


def contains(msgid: str, language: str = "nl") -> re.Pattern:
    """A button's name that starts with the label (screen-reader context follows it)."""
    return re.compile("^" + re.escape(_in(language, msgid)) + "\\b")


def error_summary(page):
    return page.locator("[data-error-summary]")


def test_karin_calls_back_and_answers_a_question(journey, live_server, live_app):
    zaaknummer, vraag = callback(live_app), question(live_app)
    page = journey.page
    log_in_as_staff(page, live_server, "karin")
    journey.open("/backoffice/terugbelverzoeken")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Callback requests"))
    page.locator(f'a[href="/backoffice/terugbelverzoeken/{zaaknummer}"]').click()
    expect(page.get_by_text("Is mijn paspoort klaar?")).to_be_visible()
    journey.check()
    page.get_by_role("button", name=text("Save")).click()
    expect(error_summary(page)).to_be_visible()
    journey.check()
    page.get_by_label("Teruggebeld").check()  # the resultaattype's name (data, in Dutch)
    page.get_by_label(text("Note")).fill("Paspoort ligt klaar.")
    page.get_by_role("button", name=text("Save")).click()
    expect(page).to_have_url(re.compile("/backoffice/terugbelverzoeken$"))
    expect(page.get_by_text(zaaknummer).first).to_be_visible()  # in the notice
    journey.check()

    page.get_by_role("navigation", name=text("Contacts to handle")).locator(
        'a[href="/backoffice/vragen"]').click()
    journey.check()
    page.locator(f'a[href="/backoffice/vragen/{vraag}"]').click()
    expect(page.get_by_text("piet@example.org").first).to_be_visible()
    journey.check()
    page.get_by_label(text("Your answer")).fill("Elke eerste maandag van de maand.")
    page.get_by_role("button", name=text("Send answer and close")).click()
    expect(page).to_have_url(re.compile("/backoffice/vragen$"))
    journey.check()


def test_karin_looks_a_resident_up_in_english(journey, english, live_server, live_app):
    zaaknummer = callback(live_app)
    page = journey.page
    log_in_as_staff(page, live_server, "karin")
    journey.open("/backoffice/inwoners")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a resident")
    page.locator("#naam-achternaam").fill("El Amrani")
    page.locator("#naam-geboortedatum").fill("12")
    page.locator("#naam-geboortedatum-month").fill("4")
    page.locator("#naam-geboortedatum-year").fill("1987")
    page.get_by_role("button", name="Search by name").click()
    expect(page.get_by_role("heading", name="Search results")).to_be_visible()
    journey.check()
    page.get_by_role("link", name="Fatima El Amrani").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima El Amrani")
    expect(page.get_by_text(zaaknummer).first).to_be_visible()
    assert FATIMA not in page.url and FATIMA not in page.content()
    journey.check()
    # A BSN search is posted, never put in the URL; mistakes are shown.
    journey.open("/backoffice/inwoners")
    page.locator("#bsn-bsn").fill("123456789")
    page.get_by_role("button", name="Search by BSN").click()
    expect(error_summary(page)).to_be_visible()
    assert "123456789" not in page.url
    journey.check()


def test_karin_finds_a_resident_with_geheimhouding(journey, english, live_server):
    """Sanne has geheimhouding persoonsgegevens: found and helped, with the warning."""
    page = journey.page
    log_in_as_staff(page, live_server, "karin")
    journey.open("/backoffice/inwoners")
    page.locator("#adres-postcode").fill("8084 HC")
    page.locator("#adres-huisnummer").fill("52")
    page.get_by_role("button", name="Search by address").click()
    expect(page.locator("#residents")).to_contain_text(
        "Secrecy of personal data (geheimhouding)")
    journey.check()
    page.get_by_role("link", name="Sanne de Vries").click()
    expect(page.get_by_role("heading", level=2,
                            name="Secrecy of personal data (geheimhouding)")).to_be_visible()
    journey.check()


def section(page, msgid: str):
    """The contact overview's section whose heading starts with this (Dutch) label."""
    return page.locator("section", has=page.get_by_role(
        "heading", name=re.compile("^" + re.escape(NL[msgid]))))


def open_fatimas_contacts(journey, live_server) -> None:
    """Karin finds the caller by BSN and opens her contact overview."""
    page = journey.page
    log_in_as_staff(page, live_server, "karin")
    journey.open("/backoffice/inwoners")
    page.locator("#bsn-bsn").fill(FATIMA)
    page.get_by_role("button", name=text("Search by BSN")).click()
    page.get_by_role("link", name="Fatima El Amrani").click()


def test_karin_registers_a_callback_for_a_resident_on_the_phone(journey, live_server):
    page = journey.page
    open_fatimas_contacts(journey, live_server)
    page.get_by_role("link", name=text("Register a callback request")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Register a callback request"))
    journey.check()
    page.get_by_label(text("Phone number to call")).fill("")
    page.get_by_role("button", name=text("Register the callback request")).click()
    expect(error_summary(page)).to_be_visible()  # topic, question, number and time missing
    journey.check()
    page.get_by_label(text("Topic")).select_option("verhuizen")
    page.get_by_label(text("The question, in short")).fill("Hoe geef ik mijn verhuizing door?")
    page.get_by_label(text("Phone number to call")).fill("06 12345678")
    page.get_by_label(NL["Afternoon (12.00 to 17.00)"]).check()
    page.get_by_role("button", name=text("Register the callback request")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima El Amrani")
    notice = page.get_by_text(re.compile(r"Terugbelverzoek ZAAK-\S+ is vastgelegd"))
    expect(notice).to_be_visible()
    zaaknummer = re.search(r"ZAAK-\S+", notice.inner_text()).group(0)
    callbacks = section(page, "Callback requests")
    expect(callbacks.get_by_role("link", name=zaaknummer)).to_be_visible()
    assert FATIMA not in page.url
    journey.check()


def test_karin_registers_a_question_for_a_resident_on_the_phone(journey, live_server):
    page = journey.page
    open_fatimas_contacts(journey, live_server)
    page.get_by_role("link", name=text("Register a question")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Register a question"))
    journey.check()
    page.get_by_label(text("Subject")).fill("Kapvergunning")
    page.get_by_label(text("The question")).fill("Mag ik de eik in mijn tuin kappen?")
    page.get_by_label(text("By phone: a colleague calls with the answer")).check()
    page.get_by_label(text("Phone number to call")).fill("")
    page.get_by_role("button", name=text("Register the question")).click()
    expect(error_summary(page)).to_be_visible()  # the number to call is missing
    expect(page.get_by_label(text("The question"))).to_have_value(
        "Mag ik de eik in mijn tuin kappen?")
    journey.check()
    page.get_by_label(text("Phone number to call")).fill("0525 123456")
    page.get_by_role("button", name=text("Register the question")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima El Amrani")
    notice = page.get_by_text(re.compile(r"Vraag ZAAK-\S+ is vastgelegd"))
    expect(notice).to_be_visible()
    zaaknummer = re.search(r"ZAAK-\S+", notice.inner_text()).group(0)
    section(page, "Questions").get_by_role("link", name=zaaknummer).click()
    expect(page.get_by_text("Mag ik de eik in mijn tuin kappen?")).to_be_visible()
    expect(page.get_by_text(re.compile("0525123456")).first).to_be_visible()
    journey.check()


def test_karin_books_an_appointment_for_a_caller(journey, live_server, live_app):
    with live_app.app_context():
        day = agenda_backend(get_session()).days_with_room(
            Visit("gemeentehuis", ("identiteitskaart",), 1), utcnow())[0].isoformat()
    page = journey.page
    open_fatimas_contacts(journey, live_server)
    page.get_by_role("link", name=text("Make an appointment")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Make an appointment"))
    journey.check()
    page.get_by_label("ID-kaart").check()
    page.get_by_label(text("Day")).select_option(day)
    page.get_by_role("button", name=text("Show free times")).click()
    times = page.get_by_role("group", name=text("Time"))
    times.get_by_role("radio").first.check()
    journey.check()
    page.get_by_role("button", name=text("Book the appointment")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fatima El Amrani")
    notice = page.get_by_text(re.compile(r"Afspraak AFS-\S+ staat op"))
    expect(notice).to_be_visible()
    reference = re.search(r"AFS-[A-Z0-9]+", notice.inner_text()).group(0)
    appointments = section(page, "Appointments")
    expect(appointments.get_by_role("rowheader", name=reference)).to_be_visible()
    journey.check()
    # The caller asks for another time, then changes their mind: moved, then cancelled.
    appointments.get_by_role("link", name=contains("Move")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    page.get_by_label(text("Day")).select_option(day)
    page.get_by_role("button", name=text("Show free times")).click()
    page.get_by_role("group", name=text("New time")).get_by_role("radio").last.check()
    journey.check()
    page.get_by_role("button", name=text("Move the appointment")).click()
    expect(page.get_by_text(re.compile(re.escape(f"Afspraak {reference} is verzet naar")))
           ).to_be_visible()
    journey.check()
    appointments.get_by_role("button", name=contains("Cancel")).click()
    expect(page.get_by_text(re.compile(re.escape(reference) + r" \(Fatima El Amrani\) is afgezegd"))
           ).to_be_visible()
    journey.check()


def test_the_agenda_without_javascript(no_script_journey, live_server, live_app):
    reference = appointment(live_app, hour=9)
    blocked = appointment(live_app, hour=15, desk_code="balie-2")
    journey = no_script_journey
    page = journey.page
    log_in_as_staff(page, live_server, "karin")
    journey.open("/backoffice/agenda")
    row = page.locator("tr", has_text=reference)
    expect(row).to_be_visible()
    row.get_by_role("button", name=contains("Arrived")).click()
    expect(page).to_have_url(re.compile("/backoffice/agenda"))
    expect(page.locator("tr", has_text=reference).get_by_role(
        "button", name=contains("Arrived"))).to_have_count(0)
    journey.check()

    page.get_by_role("link", name=text("Block a desk")).click()
    journey.check()
    page.get_by_role("button", name=text("Block the desk")).click()
    expect(error_summary(page)).to_be_visible()
    journey.check()
    page.locator("#desk").select_option("balie-2")
    page.locator("#van_tijd").fill("14:00")
    page.locator("#tot_tijd").fill("16:00")
    page.locator("#reden").fill("Training")
    page.get_by_role("button", name=text("Block the desk")).click()
    follow_up = page.locator("#follow-up")
    expect(follow_up.get_by_role("cell", name=blocked, exact=True)).to_be_visible()
    expect(follow_up.get_by_text("eva@example.org").first).to_be_visible()
    journey.check()
    follow_up.locator("tr", has_text=blocked).get_by_role(
        "button", name=contains("Contacted")).click()
    expect(page.locator("#follow-up").locator("tr", has_text=blocked)).to_have_count(0)
    journey.check()

    # A caller the persons store does not know books by phone, and later cancels.
    with live_app.app_context():
        day = agenda_backend(get_session()).days_with_room(
            Visit("gemeentehuis", ("rijbewijs",), 1), utcnow())[0].isoformat()
    page.get_by_role("link", name=text("Make an appointment")).click()
    page.get_by_label("Rijbewijs").check()
    page.get_by_label(text("Day")).select_option(day)
    page.get_by_role("button", name=text("Show free times")).click()
    page.get_by_role("group", name=text("Time")).get_by_role("radio").first.check()
    page.get_by_role("button", name=text("Book the appointment")).click()
    expect(error_summary(page)).to_be_visible()  # who is it, and how to reach them?
    journey.check()
    page.get_by_role("group", name=text("Time")).get_by_role("radio").first.check()
    page.get_by_label(text("Name")).fill("Piet Bezoeker")
    page.get_by_label(text("Phone number (optional)")).fill("06 55554444")
    page.get_by_role("button", name=text("Book the appointment")).click()
    row = page.locator("tr", has_text="Piet Bezoeker")
    expect(row).to_be_visible()
    journey.check()
    row.get_by_role("link", name=contains("Move")).click()
    page.get_by_label(text("Day")).select_option(day)
    page.get_by_role("button", name=text("Show free times")).click()
    page.get_by_role("group", name=text("New time")).get_by_role("radio").last.check()
    journey.check()
    page.get_by_role("button", name=text("Move the appointment")).click()
    expect(page.get_by_text(re.compile(r"Afspraak AFS-\S+ is verzet naar"))).to_be_visible()
    row = page.locator("tr", has_text="Piet Bezoeker")
    row.get_by_role("button", name=contains("Cancel")).click()
    expect(page.get_by_text(re.compile(r"\(Piet Bezoeker\) is afgezegd"))).to_be_visible()


def test_bea_manages_staff_and_a_zaaktype(journey, live_server, live_app):
    page = journey.page
    username = "journey" + secrets.token_hex(3)
    log_in_as_staff(page, live_server, "bea")
    journey.open("/backoffice/beheer/medewerkers")
    expect(page.get_by_role("heading", level=1)).to_have_text(text("Staff"))
    page.get_by_role("link", name=text("Add a staff member")).click()
    journey.check()
    page.get_by_role("button", name=text("Add")).click()
    expect(error_summary(page)).to_be_visible()
    journey.check()
    page.locator("#username").fill(username)
    page.locator("#naam").fill("Jet Journey")
    page.locator("#email").fill("jet@elburg.example")
    page.locator("#role-1").check()  # case handler
    page.locator("#team").select_option("vergunningen")
    page.get_by_role("button", name=text("Add")).click()
    expect(page).to_have_url(re.compile("/backoffice/beheer/medewerkers$"))
    page.get_by_role("link", name="Jet Journey").click()
    journey.check()
    page.get_by_role("button", name=contains("Deactivate")).click()
    expect(page).to_have_url(re.compile("/backoffice/beheer/medewerkers$"))
    journey.check()

    journey.open("/backoffice/beheer/zaaktypen")
    journey.check()
    page.locator('a[href="/backoffice/beheer/zaaktypen/UITTREKSEL_BRP"]').click()
    page.locator("#servicenorm").fill("P6W")  # longer than the doorlooptijd P2W
    page.get_by_role("button", name=text("Save")).click()
    expect(error_summary(page)).to_be_visible()
    journey.check()
    page.locator("#servicenorm").fill("P4D")
    page.get_by_role("button", name=text("Save")).click()
    expect(page).to_have_url(re.compile("/backoffice/beheer/zaaktypen$"))
    journey.check()


@pytest.mark.parametrize(("username", "path"), [
    ("bas", "/backoffice/terugbelverzoeken"),
    ("bas", "/backoffice/agenda"),
    ("karin", "/backoffice/beheer/medewerkers"),
    ("bea", "/backoffice/inwoners"),
])
def test_a_role_is_refused_the_pages_of_another(journey, live_server, username, path):
    page = journey.page
    log_in_as_staff(page, live_server, username)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    response = page.goto(live_server + path)
    assert response.status == 403
    journey.check()
