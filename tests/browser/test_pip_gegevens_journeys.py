"""Mijn gegevens in Chromium, in Dutch and English, axe-core on every page: view the data,
ask for a correction with evidence, see who received the data."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in_at_mock_digid
from tests.personas import JOHANNES

ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_view_data_ask_for_a_correction_and_see_the_verstrekkingen(journey, context, live_server,
                                                                   language, tmp_path):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page = journey.page
    page.goto(live_server + "/mijn-omgeving/gegevens")
    log_in_at_mock_digid(page, JOHANNES)
    expect(page).to_have_url(re.compile(r"/mijn-omgeving/gegevens$"))
    expect(page.get_by_text("Jufferenstraat")).to_be_visible()
    expect(page.get_by_text("Basisregistratie Personen (BRP)").first).to_be_visible()
    journey.check()

    page.locator('a[href="/mijn-omgeving/gegevens/correctie?veld=geboorteplaats"]').click()
    journey.check()
    page.locator("main button[type=submit]").click()  # empty: the errors are shown
    expect(page.locator("[data-error-summary]")).to_be_visible()
    journey.check()
    page.locator("#wat_is_fout").fill("Mijn geboorteplaats is Oldebroek.")
    page.locator("#juiste_waarde").fill("Oldebroek")
    evidence = tmp_path / "uittreksel.pdf"
    evidence.write_bytes(b"%PDF-1.4\n" + b"\x00" * 64)
    page.locator("#bewijs").set_input_files(str(evidence))
    page.locator("main button[type=submit]").click()
    expect(page.locator(".portal-case-number")).to_have_text(ZAAKNUMMER)
    journey.check()

    page.locator('a[href="/mijn-omgeving/gegevens"]').last.click()
    page.locator('a[href="/mijn-omgeving/gegevens/verstrekkingen"]').click()
    expect(page.get_by_role("heading", level=2, name="Zorgaanbieder De Linde")).to_be_visible()
    journey.check()
    assert JOHANNES not in page.url
