"""Mijn omgeving in Chromium with axe-core on every page: the whole tour without JavaScript
(log in, overview, Mijn zaken, a zaak, Berichten, a message, Mijn gegevens) in Dutch, and
reading a message about a zaak in English.

Pages are found by their links' addresses and by texts from the data (zaaktypen, messages),
so the journeys do not depend on the translation of new interface texts.
"""

import re

from playwright.sync_api import expect

from app.berichten.services import send_message
from app.db import get_session
from app.zaken.services import Initiator, open_zaak, set_status
from tests.browser.test_journeys import FATIMA, log_in_at_mock_digid

TOELICHTING = "Een consulent komt dinsdag om 10.00 uur bij u thuis."


def zaak_with_message(live_app) -> tuple[str, str]:
    """A WMO zaak whose "Gesprek gepland" status sent Fatima a message (through the signal),
    and a general message; (zaaknummer, public_id of the general message)."""
    with live_app.app_context():
        db = get_session()
        zaak = open_zaak(db, zaaktype="HULPVRAAG_WMO", initiator=Initiator(naam="Fatima", bsn=FATIMA),
                         omschrijving="Hulp bij het huishouden", registered_by="journey")
        set_status(db, zaak, volgnummer=2, toelichting=TOELICHTING, gezet_door="journey")
        general = send_message(db, bsn=FATIMA, onderwerp="Nieuwe afvalkalender",
                               tekst="De afvalkalender voor volgend jaar staat online.",
                               onderwerp_en="New waste calendar",
                               tekst_en="Next year's waste calendar is online.",
                               afzender="Gemeente Elburg")
        db.commit()
        return zaak.identificatie, general.public_id


def test_the_portal_tour_without_javascript(no_script_journey, live_server, live_app):
    zaaknummer, general = zaak_with_message(live_app)
    journey = no_script_journey
    page = journey.page
    journey.open("/mijn-omgeving")
    log_in_at_mock_digid(page, FATIMA)
    expect(page).to_have_url(re.compile("/mijn-omgeving$"))
    expect(page.get_by_text("Welkom, Fatima El Amrani.")).to_be_visible()
    expect(page.locator("#berichten").get_by_text("Nieuwe afvalkalender")).to_be_visible()
    journey.check()

    nav = page.get_by_role("navigation", name="Mijn omgeving")
    nav.locator('a[href="/mijn-omgeving/zaken"]').click()
    expect(page).to_have_url(re.compile("/mijn-omgeving/zaken$"))
    journey.check()
    page.locator(f'a[href="/mijn-omgeving/zaken/{zaaknummer}"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hulpvraag Wmo")
    expect(page.locator("#berichten").get_by_text("Hulpvraag Wmo: Gesprek gepland")).to_be_visible()
    journey.check()

    nav.locator('a[href="/mijn-omgeving/berichten"]').click()
    expect(page).to_have_url(re.compile("/mijn-omgeving/berichten$"))
    unread_label = nav.locator('a[href="/mijn-omgeving/berichten"]').inner_text()
    journey.check()
    page.locator(f'a[href="/mijn-omgeving/berichten/{general}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe afvalkalender")
    expect(page.get_by_text("De afvalkalender voor volgend jaar staat online.")).to_be_visible()
    journey.check()
    # Read: the navigation counts one message fewer.
    assert nav.locator('a[href="/mijn-omgeving/berichten"]').inner_text() != unread_label

    nav.locator('a[href="/mijn-omgeving/gegevens"]').click()
    expect(page).to_have_url(re.compile("/mijn-omgeving/gegevens$"))
    expect(page.get_by_text("Vischpoortstraat").first).to_be_visible()
    journey.check()
    assert len(journey.pages_checked) == 7
    assert all(FATIMA not in url for url in journey.pages_checked)


def test_read_a_message_about_a_zaak_in_english(journey, english, live_server, live_app):
    zaaknummer, _general = zaak_with_message(live_app)
    page = journey.page
    journey.open("/mijn-omgeving")
    log_in_at_mock_digid(page, FATIMA)
    expect(page.get_by_role("heading", level=1)).to_have_text("My portal")
    expect(page.get_by_role("link", name=re.compile(r"^You have \d+ new messages?$"))).to_be_visible()
    journey.check()
    page.get_by_role("link", name=re.compile(r"^You have \d+ new messages?$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    nav = page.get_by_role("navigation", name="My portal")
    expect(nav.get_by_role("link", name=re.compile(r"^Messages \(\d+ new\)$"))).to_be_visible()
    journey.check()
    item = page.locator(".portal-message").filter(has_text=zaaknummer)
    expect(item.get_by_text("New", exact=True)).to_be_visible()
    item.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Help and care (Wmo) from Team Doe'th: Meeting planned")
    expect(page.get_by_text(TOELICHTING)).to_be_visible()
    journey.check()
    page.get_by_role("link", name=f"View case {zaaknummer}").click()
    expect(page).to_have_url(re.compile(f"/mijn-omgeving/zaken/{zaaknummer}$"))
    journey.check()

