"""Proactive reminders in Chromium, axe-core on every page, in Dutch and English: Johannes's
passport ends within four months; the daily job told him in Berichten, with a link that opens
the booking for a passport; he switches the reminders off (and on again) in Mijn gegevens."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from app.db import get_session
from app.reminders.services import send_reminders
from tests.browser.test_journeys import log_in_at_mock_digid
from tests.personas import JOHANNES

TEXTS = {
    "nl": {"subject": "Uw paspoort verloopt binnenkort", "book": "Maak een afspraak",
           "details": "Mijn gegevens", "off": "Herinneringen uitzetten",
           "on": "Herinneringen aanzetten", "is_off": "Herinneringen staan uit.",
           "passport": "Paspoort"},
    "en": {"subject": "Your passport expires soon", "book": "Make an appointment",
           "details": "My details", "off": "Switch reminders off",
           "on": "Switch reminders on", "is_off": "Reminders are off.",
           "passport": "Passport"},
}


def run_the_daily_job(live_app) -> None:
    """`flask reminders run` on a day within four months of the passport's end (1 March
    2027); a second run, by the other language's journey, sends nothing more."""
    with live_app.app_context():
        db = get_session()
        send_reminders(db, today=date(2026, 12, 6))
        db.commit()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_reminder_leads_to_the_booking_and_can_be_switched_off(
        journey, context, live_server, live_app, language):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    texts, page = TEXTS[language], journey.page
    run_the_daily_job(live_app)
    journey.open("/mijn-omgeving/berichten")
    log_in_at_mock_digid(page, JOHANNES)
    expect(page).to_have_url(re.compile("/mijn-omgeving/berichten$"))
    journey.check()
    page.get_by_role("link", name=texts["subject"]).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["subject"])
    expect(page.get_by_text(re.compile("2027"))).to_be_visible()
    journey.check()

    page.get_by_role("link", name=re.compile(r"afspraak\?product=paspoort$")).click()
    expect(page).to_have_url(re.compile(r"/afspraak\?product=paspoort$"))
    expect(page.get_by_label(texts["passport"], exact=True)).to_be_checked()
    journey.check()

    journey.open("/mijn-omgeving/gegevens")
    with page.expect_navigation():
        page.get_by_role("button", name=texts["off"]).click()
    expect(page.get_by_text(texts["is_off"]).first).to_be_visible()
    journey.check()
    with page.expect_navigation():  # on again, as the other journeys expect him
        page.get_by_role("button", name=texts["on"]).click()
    expect(page.get_by_role("button", name=texts["off"])).to_be_visible()
