"""The back office's zaken pages in Chromium, with axe-core on every page: a behandelaar works
a zaak (Dutch), the KCC filters across teams and routes a zaak (English), team Burgerzaken
decides correction requests (English) and without JavaScript (Dutch), and the pages a role may
not open.

Elements are found by their ids, names and links' addresses, and by texts from the data
(zaaktypen, staff names), so the Dutch journeys do not depend on the translation of new
interface texts.
"""

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect

from app.db import get_session
from app.zaken.services import Initiator, add_document, open_zaak
from tests.browser.staff import log_in_as_staff

# axe-core hangs without JavaScript (no timers): that journey checks each page in a second,
# scripted page (see there).

FATIMA = "999990019"
PDF = b"%PDF-1.4\n" + b"\x00" * 64


def committed_zaak(live_app, zaaktype: str = "VERHUIZING", **answers) -> str:
    with live_app.app_context():
        db = get_session()
        zaak = open_zaak(db, zaaktype=zaaktype,
                         initiator=Initiator(naam="Fatima El Amrani", bsn=FATIMA,
                                             adres="Vischpoortstraat 14, 8081 BP Elburg"),
                         omschrijving=f"Journey {zaaktype.lower()}", registered_by="journey",
                         aanvraaggegevens=answers or {"verhuisdatum": "2026-03-01",
                                                      "hoofdbewoner": "nee"})
        add_document(db, zaak, titel="Bewijsstuk", bestandsnaam="bewijs.pdf",
                     formaat="application/pdf", content=PDF, added_by="journey")
        db.commit()
        return zaak.identificatie


def submit(page, form_action_end: str) -> None:
    page.locator(f'form[action$="{form_action_end}"] button[type="submit"]').click()


def test_a_behandelaar_works_a_zaak_in_dutch(journey, live_server, live_app, tmp_path):
    zaaknummer = committed_zaak(live_app)
    page = journey.page
    log_in_as_staff(page, live_server, "bas")
    journey.open("/backoffice/zaken")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    journey.check()

    page.locator("#q").fill(zaaknummer)
    page.locator("#overdue").select_option("")
    submit(page, "/backoffice/zaken")
    expect(page.locator("#zaken tbody tr")).to_have_count(1)
    journey.check()
    page.locator(f'#zaken a[href="/backoffice/zaken/{zaaknummer}"]').click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(zaaknummer)
    expect(page.get_by_text("Verhuizing doorgeven: Journey verhuizing")).to_be_visible()
    journey.check()

    # A status with a toelichting for the resident.
    page.locator("#status-volgnummer").check()
    page.locator("#status-toelichting").fill("Wij controleren uw gegevens bij de vorige gemeente.")
    submit(page, "/status")
    expect(page).to_have_url(re.compile("#geschiedenis$"))
    expect(page.locator("#statussen-tabel")).to_contain_text("medewerker bas")
    journey.check()

    # A request without a description: the error summary, then the request.
    submit(page, "/documentverzoek")
    expect(page.locator("[data-error-summary]")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^\S+: "))
    journey.check()
    page.locator("#verzoek-omschrijving").fill("Een kopie van uw huurcontract")
    submit(page, "/documentverzoek")
    expect(page.locator("#verzoeken-tabel")).to_contain_text("Een kopie van uw huurcontract")
    journey.check()

    # A document, a message, then the result.
    scan = tmp_path / "advies.pdf"
    scan.write_bytes(PDF)
    page.locator("#document-titel").fill("Advies wijkagent")
    page.locator("#document-document").set_input_files(str(scan))
    page.locator("#document-vertrouwelijkheidaanduiding").select_option("vertrouwelijk")
    submit(page, "/documenten")
    expect(page.locator("#documenten-tabel")).to_contain_text("Advies wijkagent")
    page.locator("#bericht-onderwerp").fill("Uw verhuizing")
    page.locator("#bericht-tekst").fill("Wij hebben uw huurcontract nodig.")
    submit(page, "/bericht")
    expect(page.locator("#berichten-tabel")).to_contain_text("Uw verhuizing")
    journey.check()
    page.locator("#resultaat-resultaattype").check()
    submit(page, "/resultaat")
    expect(page.locator("#samenvatting")).to_contain_text("Verwerkt")
    expect(page.locator('form[action$="/status"]')).to_have_count(0)
    journey.check()
    assert FATIMA not in page.content()


def test_the_kcc_filters_across_teams_and_routes_a_zaak(journey, english, live_server, live_app):
    vraag = committed_zaak(live_app, "VRAAG", vraag="Wanneer wordt het grofvuil opgehaald?")
    permit = committed_zaak(live_app, "PARKEERVERGUNNING")
    page = journey.page
    log_in_as_staff(page, live_server, "karin")
    journey.open("/backoffice/zaken")
    expect(page.get_by_role("heading", level=1)).to_have_text("Work queue")
    journey.check()
    page.get_by_label("Team").select_option("vergunningen")
    page.get_by_role("button", name="Show cases").click()
    expect(page.locator(f'#zaken a[href="/backoffice/zaken/{permit}"]')).to_be_visible()
    expect(page.locator(f'#zaken a[href="/backoffice/zaken/{vraag}"]')).to_have_count(0)
    journey.check()

    page.get_by_label("Case number or name").fill(vraag)
    page.get_by_label("Team").select_option("")
    page.get_by_role("button", name="Show cases").click()
    page.get_by_role("link", name=vraag).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {vraag}")
    journey.check()
    page.get_by_label("Team", exact=True).select_option("vergunningen")
    page.get_by_role("button", name="Route the case").click()
    expect(page.get_by_text("The case has been routed to team Permits.")).to_be_visible()
    expect(page.get_by_text("Team Permits handles this case.")).to_be_visible()
    journey.check()


def correction(live_app, proposed: str) -> str:
    return committed_zaak(live_app, "CORRECTIEVERZOEK", veld="geboorteplaats",
                          veld_omschrijving="Geboorteplaats", huidige_waarde="Utrecht",
                          juiste_waarde=proposed, toelichting="Ik ben elders geboren.")


def test_team_burgerzaken_approves_a_correction(journey, english, live_server, live_app):
    zaaknummer = correction(live_app, "Harderwijk")
    page = journey.page
    log_in_as_staff(page, live_server, "bas")
    journey.open("/backoffice/correctieverzoeken")
    expect(page.get_by_role("heading", level=1)).to_have_text("Correction requests")
    journey.check()
    page.get_by_role("link", name=zaaknummer).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Correction request {zaaknummer}")
    expect(page.get_by_label("Value to record")).to_have_value("Harderwijk")
    journey.check()
    page.get_by_label("Value to record").fill("")
    page.get_by_role("button", name="Approve and correct").first.click()
    expect(page.get_by_role("link", name="Enter the value to record")).to_be_visible()
    journey.check()
    page.get_by_label("Value to record").fill("Harderwijk")
    page.get_by_role("button", name="Approve and correct").first.click()
    expect(page.get_by_text(f"The correction of {zaaknummer} has been recorded")).to_be_visible()
    journey.check()
    with live_app.app_context():
        from app.persons.services import DecidedCorrection, get_persons_source
        source = get_persons_source()
        assert source.get_person(FATIMA).geboorte.plaats == "Harderwijk"
        source.apply_correction(DecidedCorrection(  # back as it was, for the other journeys
            zaak=zaaknummer, bsn=FATIMA, veld="geboorteplaats", waarde="Utrecht",
            decided_by="test", decided_at=datetime.now()))
        get_session().commit()


def test_a_correction_is_rejected_without_javascript(no_script_journey, live_server, live_app):
    zaaknummer = correction(live_app, "Nunspeet")
    journey = no_script_journey
    page = journey.page
    log_in_as_staff(page, live_server, "bas")
    journey.open("/backoffice/correctieverzoeken")
    link = page.locator(f'a[href="/backoffice/correctieverzoeken/{zaaknummer}"]')
    expect(link).to_be_visible()
    journey.check()
    link.click()
    expect(page.get_by_text("Nunspeet").first).to_be_visible()
    journey.check()
    submit(page, "/afwijzen")
    expect(page.locator("[data-error-summary]")).to_be_visible()
    journey.check()
    page.locator("#afwijzen-reden").fill("De geboorteakte noemt Utrecht.")
    submit(page, "/afwijzen")
    expect(page).to_have_url(re.compile("/backoffice/correctieverzoeken$"))
    expect(link).to_have_count(0)
    journey.check()
    # The zaak page and the queue work without JavaScript too.
    page.goto(f"{live_server}/backoffice/zaken/{zaaknummer}")
    expect(page.locator("#samenvatting")).to_contain_text("Afgewezen")
    journey.check()


@pytest.mark.parametrize("username, path", [
    ("vera", "/backoffice/correctieverzoeken"),
    ("bea", "/backoffice/zaken"),
])
def test_a_page_a_role_may_not_open_answers_403(journey, english, live_server, live_app,
                                               username, path):
    page = journey.page
    log_in_as_staff(page, live_server, username)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    response = page.goto(live_server + path)
    assert response.status == 403
    journey.check()
