"""The whole loop on the municipality's zaaksysteem (ZAKEN_STORE=zgw, a real Open Zaak): a
resident sends an e-form, the worker registers it in Open Zaak, a behandelaar moves it on
in the back office, the resident follows it in Mijn zaken; the portal's own database holds
no copy of the zaak afterwards. Every page on the way is checked with axe-core.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.db import get_session
from app.eforms.models import FormDraft, FormRegistration
from app.eforms.registrations import register_due
from app.eforms.services import UploadArea
from app.zaken.models import Zaak
from tests.browser.conftest import Journey
from tests.browser.staff import log_in_as_staff
from tests.browser.test_eform_journeys import WORDS, proceed, report_a_street_light
from tests.browser.test_journeys import log_in_at_mock_digid
from tests.openzaak_fixtures import (  # noqa: F401
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
    zaken_of,
)
from tests.personas import OLAF, SANNE

pytestmark = needs_open_zaak
TEST_RESIDENTS = (SANNE,)  # no other module has her zaken in Open Zaak
REFERENCE = re.compile(r"AANVR-\d{4}-\d{5,}")
TOELICHTING = "De lamp wordt op dinsdag vervangen."


@pytest.fixture
def on_open_zaak(live_app, open_zaak_store, monkeypatch):
    monkeypatch.setitem(live_app.extensions, "zaken_store", open_zaak_store)


def send_a_report(journey) -> str:
    """Sanne, logged in, reports a broken street light with a photo: the confirmation's
    portal reference."""
    page, words = journey.page, WORDS["nl"]
    journey.open("/inloggen")
    log_in_at_mock_digid(page, SANNE)
    journey.open("/producten/melding-openbare-ruimte")
    page.get_by_role("link", name=words["online"]).click()
    page.get_by_role("button", name=words["start"]).click()
    journey.check()
    report_a_street_light(journey, words)
    proceed(journey, words)  # contact details: known from the login
    expect(page.get_by_role("heading", level=1)).to_have_text(words["check"])
    with page.expect_navigation():
        page.get_by_role("button", name=words["send"]).click()
    journey.check()
    return REFERENCE.search(page.locator("main").inner_text()).group(0)


def embedded_zaken(live_app) -> int:
    with live_app.app_context():
        return get_session().scalar(select(func.count(Zaak.id)))


def register(live_app) -> None:
    with live_app.app_context():
        report = register_due(live_app.extensions["db"].sessionmaker,
                              UploadArea(live_app.config["UPLOADS_PATH"]))
    assert report.registered == 1


def test_a_report_goes_to_the_zaaksysteem_and_back(journey, browser, axe, live_server, live_app,
                                                   on_open_zaak, open_zaak_catalogue):
    apis, _ = open_zaak_catalogue
    page = journey.page
    zaken_before = embedded_zaken(live_app)
    reference = send_a_report(journey)
    confirmation = page.url

    # Mijn zaken shows the report at once, by its reference, while the worker registers it.
    journey.open("/mijn-omgeving/zaken")
    expect(page.locator("main")).to_contain_text(reference)

    register(live_app)
    (zaak,) = zaken_of(apis, SANNE)
    zaaknummer = zaak["identificatie"]
    journey.open(confirmation.removeprefix(live_server))
    expect(page.get_by_text(zaaknummer).first).to_be_visible()

    # The behandelaar of team Openbare ruimte plans the repair.
    staff_context = browser.new_context()
    try:
        behandelaar = Journey(staff_context.new_page(), live_server, axe)
        staff = behandelaar.page
        log_in_as_staff(staff, live_server, OLAF)
        behandelaar.open(f"/backoffice/zaken/{zaaknummer}")
        expect(staff.get_by_role("heading", level=1)).to_contain_text(zaaknummer)
        expect(staff.get_by_role("cell", name=re.compile("^lamp.png"))).to_be_visible()
        staff.locator("#status-volgnummer").first.check()
        staff.locator("#status-toelichting").fill(TOELICHTING)
        with staff.expect_navigation():
            staff.locator('form[action$="/status"] button[type="submit"]').click()
        expect(staff.locator("#statussen-tabel")).to_contain_text("Ingepland")
        behandelaar.check()
    finally:
        staff_context.close()

    # Sanne sees it in Mijn zaken, on the zaak's page.
    journey.open("/mijn-omgeving/zaken")
    page.get_by_role("link", name=re.compile(zaaknummer)).first.click()
    journey.check()
    expect(page.locator("main")).to_contain_text("Ingepland")
    expect(page.locator("main")).to_contain_text(TOELICHTING)

    # The zaak lives in Open Zaak only: the portal kept its numbers, not its content.
    with live_app.app_context():
        session = get_session()
        # Not in the embedded store's tables (its statussen, rollen and documents hang from
        # a row there; a fresh Open Zaak numbers like the demo data, so count, not look up)...
        assert embedded_zaken(live_app) == zaken_before
        # ...and the submission kept its reference and zaaknummer, not the answers or BSN.
        registration = session.scalar(select(FormRegistration).where(
            FormRegistration.zaaknummer == zaaknummer))
        assert (registration.answers, registration.initiator_bsn) == ({}, None)
        assert session.get(FormDraft, registration.draft_id).answers == {}
