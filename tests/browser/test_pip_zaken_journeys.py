"""Mijn omgeving in Chromium, with axe on every page: overview, Mijn zaken, a zaak's detail,
downloading a document and uploading one the municipality asked for; in Dutch and English.

The live server has a database of its own (live_app); each journey opens zaken of its own there
(newest first, so they lead the lists) and finds them by their zaaknummer.
"""

import re

import pytest
from playwright.sync_api import expect

from app.db import get_session
from app.zaken.services import (
    Initiator,
    add_document,
    open_zaak,
    request_document,
    set_status,
)
from tests.browser.test_journeys import FATIMA, log_in_at_mock_digid

PDF = b"%PDF-1.4\n" + b"\x00" * 64
TEXTS = {  # from content/zaaktypen.toml, in both languages
    "nl": {"zaaktype": "Verhuizing doorgeven", "status": "Wij controleren uw gegevens."},
    "en": {"zaaktype": "Report a change of address", "status": "We are checking your details."},
}


def committed_zaak(live_app, *, requested: str | None = None) -> str:
    with live_app.app_context():
        db = get_session()
        zaak = open_zaak(db, zaaktype="VERHUIZING", initiator=Initiator(naam="Fatima", bsn=FATIMA),
                         omschrijving="Verhuizing binnen de gemeente", registered_by="journey",
                         aanvraaggegevens={"verhuisdatum": "2026-03-01", "hoofdbewoner": "nee"})
        set_status(db, zaak, volgnummer=2, gezet_door="journey")
        add_document(db, zaak, titel="Ontvangstbevestiging", bestandsnaam="ontvangst.pdf",
                     formaat="application/pdf", content=PDF, added_by="journey")
        if requested:
            request_document(db, zaak, omschrijving=requested, requested_by="journey")
        db.commit()
        return zaak.identificatie


@pytest.mark.parametrize("language", ["nl", "en"])
def test_overview_list_detail_and_download(journey, context, live_server, live_app, language,
                                          tmp_path):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    text = TEXTS[language]
    zaaknummer = committed_zaak(live_app)
    page = journey.page
    page.goto(live_server + "/mijn-omgeving")
    log_in_at_mock_digid(page, FATIMA)
    expect(page).to_have_url(re.compile("/mijn-omgeving$"))
    journey.check()
    expect(page.locator(f'#open-zaken a[href="/mijn-omgeving/zaken/{zaaknummer}"]')).to_be_visible()

    page.locator('#open-zaken a[href="/mijn-omgeving/zaken"]').click()
    expect(page).to_have_url(re.compile("/mijn-omgeving/zaken$"))
    journey.check()
    page.locator(f'a[href="/mijn-omgeving/zaken/{zaaknummer}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["zaaktype"])
    expect(page.get_by_text(text["status"]).first).to_be_visible()
    journey.check()

    with page.expect_download() as download:
        page.locator(f'#documenten a[href^="/mijn-omgeving/zaken/{zaaknummer}/documenten/"]').click()
    assert download.value.suggested_filename == "ontvangst.pdf"
    saved = tmp_path / "ontvangst.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF
    assert FATIMA not in page.url


def test_upload_a_requested_document_from_the_overview(journey, context, live_server, live_app,
                                                      tmp_path):
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    zaaknummer = committed_zaak(live_app, requested="Een kopie van uw huurcontract")
    page = journey.page
    page.goto(live_server + "/mijn-omgeving")
    log_in_at_mock_digid(page, FATIMA)
    journey.check()
    page.locator(f'#waiting a[href="/mijn-omgeving/zaken/{zaaknummer}#verzoeken"]').click()
    journey.check()
    scan = tmp_path / "huurcontract.pdf"
    scan.write_bytes(PDF)
    page.get_by_label("Upload a file").set_input_files(str(scan))
    page.get_by_role("button", name="Send document").click()
    expect(page.get_by_text("We have received your document")).to_be_visible()
    expect(page.locator("#documenten")).to_contain_text("huurcontract.pdf")
    expect(page.locator("#verzoeken")).to_have_count(0)
    journey.check()
