"""Reminders through the test client: the switch in Mijn gegevens (CSRF, login, only the
resident's own), and a reminder in Berichten with its link to the booking."""

from datetime import date

from app.db import get_session
from app.persons.services import wants_reminders
from app.reminders.services import send_reminders
from tests.eforms_fixtures import form_csrf
from tests.login import login_as
from tests.personas import FATIMA, JOHANNES

GEGEVENS = "/mijn-omgeving/gegevens"
SWITCH = GEGEVENS + "/herinneringen"


def reminders_on(app, bsn: str) -> bool:
    with app.app_context():
        return wants_reminders(get_session(), bsn)


def test_the_resident_switches_reminders_off_and_on_in_mijn_gegevens(client, app):
    login_as(client, JOHANNES)
    page = client.get(GEGEVENS).get_data(as_text=True)
    assert "Herinneringen uitzetten" in page
    answer = client.post(SWITCH, data={"csrf_token": form_csrf(page), "herinneringen": "uit"})
    assert answer.status_code == 302 and answer.location.endswith(GEGEVENS + "#herinneringen")
    page = client.get(GEGEVENS).get_data(as_text=True)
    assert "Herinneringen staan uit." in page and "Herinneringen aanzetten" in page
    assert not reminders_on(app, JOHANNES) and reminders_on(app, FATIMA)

    client.post(SWITCH, data={"csrf_token": form_csrf(page), "herinneringen": "aan"})
    assert reminders_on(app, JOHANNES)


def test_the_switch_needs_the_pages_csrf_token(client, app):
    login_as(client, JOHANNES)
    assert client.post(SWITCH, data={"herinneringen": "uit"}).status_code == 400
    assert reminders_on(app, JOHANNES)


def test_a_reminder_in_berichten_links_to_the_booking(client, app):
    with app.app_context():
        session = get_session()
        send_reminders(session, today=date(2026, 12, 6))
        session.commit()
    login_as(client, JOHANNES)
    inbox = client.get("/mijn-omgeving/berichten").get_data(as_text=True)
    assert "Uw paspoort verloopt binnenkort" in inbox
    message_path = inbox.split('href="/mijn-omgeving/berichten/', 1)[1].split('"', 1)[0]
    page = client.get(f"/mijn-omgeving/berichten/{message_path}").get_data(as_text=True)
    assert '<a class="utrecht-link utrecht-link--html-a" href="http://localhost/afspraak?product=paspoort">' in page
