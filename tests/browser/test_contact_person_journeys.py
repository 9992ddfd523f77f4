"""A named contact person (the regievoerder) in Chromium with axe-core on every page, in Dutch
and in English: a behandelaar of the social domain makes a colleague the contact person of a
resident's zaak; the resident then finds the name, the team and the direct phone number in
Mijn zaken and on the zaak's page, and the message that told them.

The employee and the resident use one browser: the back office's session and the resident's
are separate (app/auth/sessions.py).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.staff import log_in_as_staff
from tests.browser.test_backoffice_journeys import committed_zaak, submit
from tests.browser.test_journeys import FATIMA, log_in_at_mock_digid

TEXTS = {
    "nl": {"notice": "Sara Smit is nu de contactpersoon voor", "scope": "Deze zaak",
           "listed": "Uw contactpersoon: Sara Smit, team Sociaal domein, 0525 688 120",
           "heading": "Uw contactpersoon", "team": "Sara Smit, team Sociaal domein",
           "message": "Vanaf nu is Sara Smit van team Sociaal domein uw contactpersoon"},
    "en": {"notice": "Sara Smit is now the contact person for", "scope": "This case",
           "listed": "Your contact person: Sara Smit, team Social Services, 0525 688 120",
           "heading": "Your contact person", "team": "Sara Smit, team Social Services",
           "message": "From now on Sara Smit of team Social Services is your contact person"},
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_behandelaar_names_a_contact_person_whom_the_resident_can_then_reach(
        journey, live_server, live_app, request, language):
    if language == "en":
        request.getfixturevalue("english")
    texts = TEXTS[language]
    zaaknummer = committed_zaak(live_app, "HULPVRAAG_WMO", hulp="Hulp bij het huishouden")
    page = journey.page

    log_in_as_staff(page, live_server, "sara")
    journey.open(f"/backoffice/zaken/{zaaknummer}")
    page.locator("#contactpersoon-medewerker").select_option("sara")
    page.get_by_label(texts["scope"], exact=True).check()
    submit(page, "/contactpersoon")
    expect(page).to_have_url(re.compile("#samenvatting$"))
    expect(page.get_by_text(f"{texts['notice']} {zaaknummer}.")).to_be_visible()
    expect(page.locator("#samenvatting")).to_contain_text("Sara Smit")
    journey.check()

    journey.open("/mijn-omgeving/zaken")
    log_in_at_mock_digid(page, FATIMA)
    expect(page).to_have_url(re.compile("/mijn-omgeving/zaken$"))
    item = page.locator(".portal-zaak").filter(has_text=zaaknummer)
    expect(item).to_contain_text(texts["listed"])
    journey.check()

    item.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(f"/mijn-omgeving/zaken/{zaaknummer}$"))
    contact = page.locator("#contactpersoon")
    expect(contact.get_by_role("heading", level=2)).to_have_text(texts["heading"])
    expect(contact).to_contain_text(texts["team"])
    expect(contact.locator('a[href="tel:0525688120"]')).to_have_text("0525 688 120")
    expect(contact.locator('a[href="mailto:sara.smit@elburg.example"]')).to_be_visible()
    journey.check()

    page.locator("#berichten .portal-message").filter(
        has_text=texts["heading"]).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["heading"])
    expect(page.get_by_text(re.compile(texts["message"]))).to_be_visible()
    expect(page.get_by_text(zaaknummer).first).to_be_visible()
    journey.check()
    assert len(journey.pages_checked) == 6  # the login page among them
