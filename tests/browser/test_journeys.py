"""Residents' journeys in Chromium: find a product, search, log in with DigiD, log out.

Every page of ours that a journey visits is checked with axe-core (WCAG 2.1
A/AA) as it passes.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from app.auth.models import WebSession
from app.auth.sessions import hash_session_id
from app.db import get_session, utcnow
from tests.personas import FATIMA

TEXTS = {
    "nl": {"login": "Inloggen", "logout": "Uitloggen", "portal": "Mijn omgeving",
           "logged_out": "U bent uitgelogd", "search": "Zoeken"},
    "en": {"login": "Log in", "logout": "Log out", "portal": "My portal",
           "logged_out": "You are logged out", "search": "Search"},
}


def log_in_at_mock_digid(page, bsn: str = FATIMA, scenario: str = "normaal") -> None:
    """From our login page (or straight from a "log in again" link) through the mock DigiD."""
    digid_button = page.get_by_role("link", name=re.compile("^(Inloggen met DigiD|Log in with DigiD)$"))
    if digid_button.count():
        digid_button.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen met DigiD (test)")
    page.get_by_label("Test-scenario").select_option(scenario)
    page.get_by_test_id(f"persona-{bsn}").click()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_find_a_product_search_log_in_and_out(journey, context, live_server, language):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    text = TEXTS[language]
    page = journey.page

    journey.open("/")
    page.get_by_role("link", name=re.compile("Paspoort|Passport")).first.click()  # top task
    journey.check()
    page.get_by_role("link", name=re.compile("^(Paspoort|Passport)$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Paspoort|Passport"))
    journey.check()

    header_search = page.get_by_role("search").first
    header_search.get_by_role("searchbox").fill("paspoord")  # a common misspelling
    header_search.get_by_role("button", name=text["search"]).click()
    expect(page.get_by_role("link", name=re.compile("Paspoort|Passport")).first).to_be_visible()
    journey.check()

    search_url = page.url
    page.get_by_role("link", name=text["login"], exact=True).click()
    log_in_at_mock_digid(page)
    expect(page).to_have_url(search_url)  # back where the resident started
    expect(page.get_by_text("Fatima El Amrani")).to_be_visible()
    journey.check()

    page.get_by_role("link", name=text["portal"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["portal"])
    journey.check()

    page.get_by_role("button", name=text["logout"]).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["logged_out"])
    journey.check()
    expect(page.get_by_role("link", name=text["login"], exact=True)).to_be_visible()
    assert FATIMA not in page.content()


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", [
    "/producten", "/producten/verhuizing-doorgeven", "/zoeken?q=xyzzy", "/contact",
    "/toegankelijkheid", "/privacy", "/bestaat-niet", "/sessie-verlopen",
])
def test_information_pages_are_accessible(journey, context, live_server, path, language):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    journey.open(path)
    expect(journey.page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize(("persona", "scenario", "heading"), [
    (FATIMA, "verlopen-token", "We konden uw inlog niet controleren"),
    (FATIMA, "verkeerde-audience", "We konden uw inlog niet controleren"),
    (FATIMA, "verkeerde-nonce", "We konden uw inlog niet controleren"),
    (FATIMA, "ongeldige-handtekening", "We konden uw inlog niet controleren"),
    (FATIMA, "verkeerde-issuer", "We konden uw inlog niet controleren"),
    (FATIMA, "geen-bsn", "We hebben uw burgerservicenummer niet ontvangen"),
    (FATIMA, "ongeldig-bsn", "We hebben een onjuist burgerservicenummer ontvangen"),
    (FATIMA, "niveau-basis", "Uw DigiD-inlog is niet veilig genoeg hiervoor"),
    ("999990044", "normaal", "Uw DigiD-inlog is niet veilig genoeg hiervoor"),
])
def test_a_refused_login_explains_itself(journey, persona, scenario, heading):
    page = journey.page
    journey.open("/contact")
    page.get_by_role("link", name="Inloggen", exact=True).click()
    log_in_at_mock_digid(page, persona, scenario)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    journey.check()
    page.get_by_role("link", name="Probeer opnieuw in te loggen").click()
    log_in_at_mock_digid(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact")


def test_cancelling_at_digid(journey):
    page = journey.page
    journey.open("/")
    page.get_by_role("link", name="Inloggen", exact=True).click()
    journey.check()  # our login page
    page.get_by_role("link", name="Inloggen met DigiD").click()
    page.get_by_test_id("cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U heeft het inloggen afgebroken")
    journey.check()


def test_a_forged_callback_is_refused(journey):
    journey.open("/inloggen/digid/callback?code=x&state=forged")
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(
        "We konden uw inlog niet controleren")


def test_the_whole_journey_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_role("link", name="Verhuizing doorgeven").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verhuizing doorgeven")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Nederlands").click()
    page.get_by_role("link", name="Inloggen", exact=True).click()
    page.get_by_role("link", name="Inloggen met DigiD").click()
    page.get_by_test_id(f"persona-{FATIMA}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verhuizing doorgeven")
    page.get_by_role("link", name="Mijn omgeving").click()
    expect(page.get_by_text("Welkom, Fatima El Amrani.")).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    context.close()


def test_keyboard_only_search(journey):
    page = journey.page
    journey.open("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main-content$"))
    page.get_by_role("search").first.get_by_role("searchbox").focus()
    page.keyboard.type("verhuisen")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Verhuizing doorgeven").first).to_be_visible()


def test_idle_warning_offers_to_stay_logged_in(journey):
    page = journey.page
    page.clock.install()
    journey.open("/producten")
    page.get_by_role("link", name="Inloggen", exact=True).click()
    log_in_at_mock_digid(page)
    expect(page.get_by_text("Fatima El Amrani")).to_be_visible()
    page.wait_for_load_state("load")  # the timer starts when the script has run
    dialog = page.get_by_role("dialog")
    page.clock.fast_forward("13:05")  # the warning comes 2 minutes before the 15
    expect(dialog).to_be_visible()
    journey.check()
    dialog.get_by_role("button", name="Ingelogd blijven").click()
    expect(dialog).to_be_hidden()
    page.clock.fast_forward("16:00")  # no reaction this time: logged out
    expect(page).to_have_url(re.compile(r"/sessie-verlopen\?next=/producten$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    page.get_by_role("link", name="Opnieuw inloggen").click()  # and back where they were
    log_in_at_mock_digid(page)
    expect(page).to_have_url(re.compile(r"/producten$"))


def test_the_idle_timeout_works_without_javascript(no_script_journey, live_app):
    """No timer in the browser: the server ends the session at its own timeout, the next page
    is the expired page, and logging in again leads back."""
    page = no_script_journey.page
    no_script_journey.open("/producten")
    page.get_by_role("link", name="Inloggen", exact=True).click()
    log_in_at_mock_digid(page)
    expect(page.get_by_text("Fatima El Amrani")).to_be_visible()
    [cookie] = [c for c in page.context.cookies() if c["name"] == "portal_session"]
    with live_app.app_context():  # 16 minutes without a request
        db = get_session()
        db.execute(update(WebSession).where(WebSession.id_hash == hash_session_id(cookie["value"]))
                   .values(last_seen_at=utcnow() - timedelta(minutes=16)))
        db.commit()
    page.reload()
    expect(page).to_have_url(re.compile(r"/sessie-verlopen\?next=/producten$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("U bent uitgelogd")
    no_script_journey.check()
    page.get_by_role("link", name="Opnieuw inloggen").click()
    log_in_at_mock_digid(page)
    expect(page).to_have_url(re.compile(r"/producten$"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_gemachtigde_logs_in_for_someone_else(journey, context, live_server, language):
    """DigiD Machtigen: Sanne logs in on behalf of Johannes; every page says so."""
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    page = journey.page
    journey.open("/mijn-omgeving")
    page.get_by_role("link", name=re.compile("^(Inloggen met DigiD|Log in with DigiD)$")).click()
    page.get_by_test_id("machtiging-999990032-999990020").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TEXTS[language]["portal"])
    notice = {"nl": "U regelt zaken namens Johannes Hendrik van den Berg",
              "en": "You are arranging matters on behalf of Johannes Hendrik van den Berg"}
    expect(page.get_by_text(notice[language])).to_be_visible()
    on_behalf = {"nl": "namens", "en": "on behalf of"}[language]
    expect(page.get_by_text(f"Sanne de Vries, {on_behalf} Johannes Hendrik van den Berg")
           ).to_be_visible()
    journey.check()
    page.get_by_role("link", name=re.compile("^(Mijn gegevens|My details)$")).first.click()
    expect(page.get_by_text("Johannes Hendrik").first).to_be_visible()
    journey.check()
