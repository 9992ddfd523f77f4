"""Objections in Chromium, with axe on every page, in Dutch and English: from a decided zaak
in Mijn omgeving to a bezwaar that names it; and a term a jurist extends in the back office,
which the resident then reads with its reason.

The live server has a database of its own (live_app); each journey opens its own zaken.
"""

import re

import pytest
from playwright.sync_api import expect

from app.db import get_session
from app.zaken.store import Initiator, get_zaken_store
from tests.browser.staff import log_in_as_staff
from tests.browser.test_journeys import FATIMA, log_in_at_mock_digid

TEXTS = {
    "nl": {"disagree": "Bent u het er niet mee eens?", "bezwaar": "Bezwaar maken",
           "gronden": "Uw bezwaar", "about": "Waar deze zaak over gaat",
           "extended": "Wij hebben de wettelijke termijn verlengd"},
    "en": {"disagree": "Do you disagree?", "bezwaar": "Object to a decision",
           "gronden": "Your objection", "about": "What this case is about",
           "extended": "We have extended the legal deadline"},
}


def committed_zaak(live_app, zaaktype: str, *, resultaat: str | None = None) -> str:
    with live_app.app_context():
        db = get_session()
        store = get_zaken_store(db)
        zaaknummer = store.open_zaak(
            zaaktype=zaaktype, initiator=Initiator(naam="Fatima El Amrani", bsn=FATIMA),
            omschrijving="Journey", registered_by="journey").identificatie
        if resultaat:
            store.set_resultaat(zaaknummer, resultaattype=resultaat, gezet_door="journey",
                                toelichting="U woont buiten het vergunningsgebied.")
        db.commit()
        return zaaknummer


@pytest.mark.parametrize("language", ["nl", "en"])
def test_object_to_a_decided_zaak(journey, context, live_server, live_app, language):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    text = TEXTS[language]
    decided = committed_zaak(live_app, "PARKEERVERGUNNING", resultaat="Afgewezen")
    page = journey.page
    page.goto(f"{live_server}/mijn-omgeving/zaken/{decided}")
    log_in_at_mock_digid(page, FATIMA)
    expect(page.get_by_role("heading", level=2, name=text["disagree"])).to_be_visible()
    journey.check()

    page.get_by_role("link", name=text["bezwaar"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["bezwaar"])
    journey.check()
    page.locator("main form button[type=submit]").click()

    # The decision it came from is chosen already.
    expect(page.locator(f'input[name="besluit"][value="{decided}"]')).to_be_checked()
    journey.check()
    page.locator('button[name="action"][value="continue"]').click()

    expect(page.get_by_role("heading", level=1)).to_have_text(text["gronden"])
    page.locator('button[name="action"][value="continue"]').click()  # nothing typed yet
    expect(page.locator(".utrecht-form-field-error-message, .portal-error-summary, [role=alert]")
           .first).to_be_visible()
    journey.check()
    page.locator('textarea[name="gronden"]').fill(
        "Ik woon in de binnenstad en heb geen eigen parkeerplaats.")
    page.locator('button[name="action"][value="continue"]').click()

    page.locator('input[name="email"]').fill("fatima@example.nl")
    journey.check()
    page.locator('button[name="action"][value="continue"]').click()

    expect(page).to_have_url(re.compile("/controleren$"))
    expect(page.get_by_text(decided).first).to_be_visible()
    journey.check()
    page.locator('input[name="declaration"]').check()
    page.locator("main form button[type=submit]").last.click()

    expect(page).to_have_url(re.compile("/bevestiging$"))
    journey.check()
    objection = re.search(r"ZAAK-\d{4}-\d{10}", page.content()).group(0)
    page.goto(f"{live_server}/mijn-omgeving/zaken/{objection}")
    about = page.locator('section[aria-labelledby="about-title"]')
    expect(about.get_by_role("heading", level=2)).to_have_text(text["about"])
    expect(about.locator(f'a[href="/mijn-omgeving/zaken/{decided}"]')).to_be_visible()
    journey.check()
    assert FATIMA not in page.url


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_jurist_extends_the_term_and_the_resident_reads_why(journey, context, live_server,
                                                             live_app, language):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    objection = committed_zaak(live_app, "BEZWAAR")
    page = journey.page
    log_in_as_staff(page, live_server, "jan")
    page.goto(f"{live_server}/backoffice/zaken/{objection}")
    journey.check()
    form = page.locator('form[action$="/termijn"]')
    form.locator("select").select_option("P4W")
    form.locator("textarea").fill("De bezwaarcommissie vergadert pas over zes weken.")
    form.locator("button[type=submit]").click()
    expect(page.locator("#termijn")).to_contain_text("De bezwaarcommissie vergadert")
    journey.check()

    page.goto(f"{live_server}/mijn-omgeving/zaken/{objection}")
    log_in_at_mock_digid(page, FATIMA)
    expect(page.get_by_role("heading", name=text_of(language, "extended"))).to_be_visible()
    expect(page.get_by_text("De bezwaarcommissie vergadert pas over zes weken.")).to_be_visible()
    journey.check()


def text_of(language: str, key: str) -> str:
    return TEXTS[language][key]
