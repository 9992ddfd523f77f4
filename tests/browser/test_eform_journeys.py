"""Journeys through the two richest forms: melding openbare ruimte (anonymous, with a
photo) and verhuizing doorgeven (logged in, with a co-mover).

In Dutch and in English; axe checks every page on the way. One journey runs by
keyboard only, one with JavaScript switched off.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.uploads.scanning import EXTENSION_KEY, ClamdScanner
from app.zaken.services import today as today_in_municipality
from tests.browser.test_journeys import log_in_at_mock_digid
from tests.clamd_fixtures import EICAR, clamd, clamd_url  # noqa: F401
from tests.images import jpeg

ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")
# The smallest valid PNG: the upload check reads the content, not the name.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082")

WORDS = {
    "nl": {"start": "Nu beginnen", "continue": "Verder", "send": "Formulier versturen",
           "kind": "Straatverlichting", "by_address": "Met een adres", "postcode": "Postcode",
           "house_number": "Huisnummer", "describe": "Beschrijf het probleem",
           "email": "E-mailadres (niet verplicht)", "photos": "Foto's (niet verplicht)",
           "check": "Controleer uw antwoorden", "online": "Regel het online"},
    "en": {"start": "Start now", "continue": "Continue", "send": "Send form",
           "kind": "Street lighting", "by_address": "With an address", "postcode": "Postcode",
           "house_number": "House number", "describe": "Describe the problem",
           "email": "Email address (optional)", "photos": "Photos (optional)",
           "check": "Check your answers", "online": "Arrange it online"},
}


def proceed(journey, words) -> None:
    with journey.page.expect_navigation():
        journey.page.get_by_role("button", name=words["continue"]).click()
    journey.check()


def report_a_street_light(journey, words, photo: dict | None = None) -> None:
    """The report's first three steps: what, where (an address), a photo (a lamp's PNG
    unless another is given, as Playwright's file payload)."""
    page = journey.page
    page.get_by_label(words["kind"]).check()
    page.get_by_label(words["describe"]).fill("De lantaarnpaal brandt niet meer.")
    proceed(journey, words)

    page.get_by_label(words["by_address"]).check()
    page.get_by_label(words["postcode"], exact=True).fill("8081bp")
    page.get_by_label(words["house_number"], exact=True).fill("14")
    proceed(journey, words)

    page.get_by_label(words["photos"]).set_input_files(
        files=[photo or {"name": "lamp.png", "mimeType": "image/png", "buffer": PNG}])
    proceed(journey, words)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_report_a_broken_street_light_anonymously(journey, context, live_server, language):
    if language == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    words, page = WORDS[language], journey.page
    journey.open("/producten/melding-openbare-ruimte")
    with page.expect_navigation():   # axe checks the page that comes, not the one that goes
        page.get_by_role("link", name=words["online"]).click()
    journey.check()
    page.get_by_role("button", name=words["start"]).click()
    journey.check()

    proceed(journey, words)  # nothing chosen: errors in the summary and at the fields
    expect(page).to_have_title(re.compile("^(Fout|Error): "))
    report_a_street_light(journey, words)
    page.get_by_label(words["email"]).fill("melder@example.nl")
    proceed(journey, words)

    expect(page.get_by_role("heading", level=1)).to_have_text(words["check"])
    expect(page.get_by_text("8081 BP")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name=words["send"]).click()
    journey.check()
    expect(page.get_by_text(ZAAKNUMMER).first).to_be_visible()


def test_a_photo_with_a_virus_is_refused_at_its_field(journey, live_app, clamd_url, monkeypatch):
    monkeypatch.setitem(live_app.extensions, EXTENSION_KEY, ClamdScanner(clamd_url, timeout=10))
    words, page = WORDS["nl"], journey.page
    journey.open("/formulieren/melding-openbare-ruimte")
    page.get_by_role("button", name=words["start"]).click()
    report_a_street_light(journey, words, photo={
        "name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": jpeg(icc_profile=EICAR)})

    expect(page).to_have_title(re.compile("^Fout: "))
    message = ("In het bestand lamp.jpg zit een virus of andere schadelijke software. "
               "We hebben het niet bewaard")
    expect(page.get_by_role("link", name=message)).to_be_visible()   # in the summary
    expect(page.locator(".utrecht-form-field-error-message", has_text=message)).to_be_visible()
    # What was typed before is kept.
    page.get_by_role("link", name="Terug").click()
    expect(page.get_by_label(words["postcode"], exact=True)).to_have_value("8081 BP")


def test_report_a_move_with_a_co_mover_by_keyboard_only(journey):
    page = journey.page
    journey.open("/formulieren/verhuizing")
    for _ in range(2):  # the form's login link, then the DigiD button of our login page
        page.get_by_role("link", name="Inloggen met DigiD").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    log_in_at_mock_digid(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Verhuizing doorgeven")
    journey.check()

    def press(name: str) -> None:
        page.get_by_role("button", name=name).first.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        journey.check()

    def type_into(label: str, text: str) -> None:
        page.get_by_label(label, exact=True).first.focus()
        page.keyboard.type(text)

    press("Nu beginnen")
    type_into("Postcode", "8084 HC")
    type_into("Huisnummer", "52")
    press("Verder")
    moving_day = today_in_municipality() + timedelta(days=10)
    type_into("Dag", str(moving_day.day))
    type_into("Maand", str(moving_day.month))
    type_into("Jaar", str(moving_day.year))
    press("Verder")
    page.get_by_label("Nee").first.focus()
    page.keyboard.press("Space")
    press("Verder")
    page.get_by_label("Ja").first.focus()
    page.keyboard.press("Space")
    press("Verder")
    type_into("Volledige naam", "Noor El Amrani")
    type_into("Dag", "3")
    type_into("Maand", "5")
    type_into("Jaar", "2015")
    press("Verder")
    press("Verder")  # contact details: prefilled from the persons store
    expect(page.get_by_text("Noor El Amrani")).to_be_visible()
    declaration = page.get_by_role("checkbox")
    if declaration.count():
        declaration.focus()
        page.keyboard.press("Space")
    press("Formulier versturen")
    expect(page.get_by_text(ZAAKNUMMER).first).to_be_visible()


def test_report_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/formulieren/melding-openbare-ruimte")
    page.get_by_role("button", name="Nu beginnen").click()
    page.get_by_label("Bomen en groen").check()
    page.get_by_label("Beschrijf het probleem").fill("Een tak ligt op het fietspad.")
    page.get_by_role("button", name="Verder").click()
    place = page.get_by_label(re.compile("^Beschrijving van de plek"))
    expect(place).to_be_hidden()                  # asked only for the answer that needs it
    page.get_by_label("Met een beschrijving").check()
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_text("Er is een probleem")).to_have_count(0)   # asked now, not an error
    expect(page.get_by_label(re.compile("^Adres"))).to_be_hidden()
    place.fill("Fietspad langs de Eperweg")
    page.get_by_role("button", name="Verder").click()
    page.get_by_role("button", name="Verder").click()  # no photo
    page.get_by_role("button", name="Verder").click()  # no contact details
    page.get_by_role("button", name="Formulier versturen").click()
    expect(page.get_by_text(ZAAKNUMMER).first).to_be_visible()
    context.close()
