"""Beheer of zaaktypen when the zaaksysteem keeps them, in Chromium with axe on every page:
bea finds the zaaktypen, opens one, reads its norms and texts and where to change them."""

import pytest
from playwright.sync_api import expect

from tests.backoffice_fixtures import ZaaksysteemCatalogi
from tests.browser.staff import log_in_as_staff


@pytest.fixture
def zaaksysteem_catalogi(live_app, monkeypatch):
    monkeypatch.setitem(live_app.extensions, "zaken_store", ZaaksysteemCatalogi)


@pytest.mark.parametrize("width", [1280, 360])
def test_bea_reads_a_zaaktype_the_zaaksysteem_keeps(page, journey, live_server,
                                                    zaaksysteem_catalogi, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in_as_staff(page, live_server, "bea")
    journey.open("/backoffice/beheer/zaaktypen")
    expect(page.get_by_text("Zaaktypen wijzigt u in het zaaksysteem")).to_be_visible()
    page.locator('a[href="/backoffice/beheer/zaaktypen/VERHUIZING"]').click()
    journey.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verhuizing doorgeven")
    expect(page.get_by_role("table")).to_contain_text("Wij hebben uw verhuizing ontvangen.")
    expect(page.locator("main form")).to_have_count(0)
