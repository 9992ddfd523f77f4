"""The marriage notice with both partners' DigiD, in Dutch and English, axe on every page:
Fatima gives notice naming Sanne as her partner; Sanne, in her own browser, finds the
request in her Mijn omgeving and Berichten, reads the notice (labelled for her) and confirms
it; until then the back office sees the zaak wait for her and can neither set a status nor
grant the notice; Fatima's
zaak has moved on, she has a message saying so, and her disclosure log says Sanne read it."""

import re
from contextlib import contextmanager
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Journey
from tests.browser.staff import log_in_as_staff
from tests.browser.test_eform_journeys_more import (  # noqa: F401 (language is an autouse fixture)
    LANGUAGE,
    heading,
    language,
    send,
    texts,
    tr,
)
from tests.browser.test_eform_journeys_online import fill_in_the_notice
from tests.browser.test_journeys import log_in_at_mock_digid
from tests.personas import FATIMA, SANNE

FORM = "melding-huwelijk"


@contextmanager
def own_browser(browser, live_server, axe):
    """Another person's browser, in the journey's language."""
    context = browser.new_context()
    if LANGUAGE["current"] == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    try:
        yield Journey(context.new_page(), live_server, axe)
    finally:
        context.close()


@pytest.fixture
def partner(browser, live_server, axe):
    """Sanne's own browser."""
    with own_browser(browser, live_server, axe) as journey:
        yield journey


@pytest.fixture
def staff(browser, live_server, axe):
    """Bas's back office."""
    with own_browser(browser, live_server, axe) as journey:
        log_in_as_staff(journey.page, live_server, "bas")
        yield journey


def give_notice(journey, form, tmp_path) -> str:
    """Fatima gives notice of a marriage to Sanne; the zaaknummer."""
    page = journey.page
    journey.open(f"/formulieren/{FORM}")
    page.get_by_role("link", name=tr("Log in with DigiD")).click()
    log_in_at_mock_digid(page, FATIMA)
    page.get_by_role("button", name=tr("Start now")).click()
    journey.check()
    fill_in_the_notice(journey, form, tmp_path,
                       ("Sanne de Vries", date(1992, 8, 14), SANNE, "sanne@example.org"))
    return send(journey, form, declaration=True)


def test_both_partners_give_notice_with_their_own_digid(journey, partner, staff, tmp_path):
    form = texts(FORM)
    title = form.title.get(LANGUAGE["current"])
    zaaknummer = give_notice(journey, form, tmp_path)

    staff.open(f"/backoffice/zaken/{zaaknummer}")
    expect(staff.page.locator("#samenvatting")).to_contain_text(
        tr("Waiting for the partner since %(when)s", when=""))
    expect(staff.page.locator('form[action$="/status"]')).to_contain_text(tr(
        "The notice waits for the partner's confirmation with their own DigiD. You can set the "
        "next status once the partner has confirmed."))
    expect(staff.page.locator('form[action$="/status"] select')).to_have_count(0)
    staff.check()
    # Granting the notice waits for the partner too; the message stands at the field.
    staff.page.locator('input[name="resultaat-resultaattype"][value="Toegekend"]').check()
    staff.page.locator('form[action$="/resultaat"] button[type="submit"]').click()
    refused = tr("The partner has not confirmed the notice. You can record this result once "
                 "they have. A result that rejects or ends the notice you can record now.")
    expect(staff.page.locator(".utrecht-form-field--invalid")).to_contain_text(refused)
    expect(staff.page).to_have_title(re.compile("^(Fout|Error): "))
    staff.check()

    page = partner.page
    partner.open("/mijn-omgeving")
    log_in_at_mock_digid(page, SANNE)
    expect(heading(page)).to_have_text(tr("My portal"))
    partner.check()
    request = page.locator("#waiting").get_by_role("link", name=tr("Confirm: %(form)s", form=title))
    expect(request.last).to_be_visible()
    page.get_by_role("navigation", name=re.compile("Mijn omgeving|My portal")).locator(
        'a[href="/mijn-omgeving/berichten"]').click()
    expect(page.get_by_role("link", name=tr("Please confirm: %(form)s", form=title)).first
           ).to_be_visible()
    partner.check()

    page.go_back()
    page.locator("#waiting").get_by_role("link", name=tr("Confirm: %(form)s", form=title)).last.click()
    expect(heading(page)).to_have_text(tr("Confirm: %(form)s", form=title))
    expect(page.get_by_text("Ben Blom")).to_be_visible()
    own_label = form.confirmation.label("partner_naam", LANGUAGE["current"])
    expect(page.locator("dt", has_text=own_label)).to_be_visible()  # "Your name", not "Your partner's"
    expect(page.get_by_text(FATIMA)).to_have_count(0)  # no BSN on the page
    partner.check()
    page.get_by_role("button", name=tr("Confirm"), exact=True).click()
    expect(page.get_by_text(tr("You have confirmed this form"))).to_be_visible()
    expect(page.get_by_role("button", name=tr("Confirm"), exact=True)).to_have_count(0)
    partner.check()

    journey.open(f"/mijn-omgeving/zaken/{zaaknummer}")
    expect(journey.page.locator(".portal-zaak-status__now")).to_contain_text(
        "Controle gegevens" if LANGUAGE["current"] == "nl" else "Checking details")
    expect(journey.page.locator("#berichten").get_by_text(
        tr("Your partner has confirmed: %(form)s", form=title))).to_be_visible()
    journey.check()
    journey.open("/mijn-omgeving/gegevens/verstrekkingen")
    expect(journey.page.get_by_text("Sanne de Vries").first).to_be_visible()
    journey.check()

    staff.open(f"/backoffice/zaken/{zaaknummer}")
    expect(staff.page.locator("#samenvatting")).to_contain_text(
        tr("Confirmed on %(when)s", when=""))
    staff.check()
