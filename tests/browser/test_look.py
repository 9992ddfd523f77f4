"""The finished look, measured in Chromium at a phone's size (360 x 640) and a desktop's
(1280 x 800), in Dutch and English, with axe on every page: the header's height and its menu,
the first question of every e-form step on the first screen, three zaken on Mijn zaken's first
screen, the zaak page opening with where it stands, no sideways scrolling, and the alignment
defects of issue 16 gone (one search box, the search button beside its field, the back link
clear of the header's rule, summary rows that line up, no breadcrumb line starting with a lone separator).

Screenshots of the main pages are made by scripts/screenshots.sh, not here.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from app.db import get_session
from app.zaken.services import Initiator, open_zaak, set_status
from tests.browser.conftest import Journey
from tests.browser.test_appointment_journeys import walk_to_check
from tests.browser.test_eform_journeys import WORDS, report_a_street_light
from tests.browser.test_journeys import log_in_at_mock_digid
from tests.personas import FATIMA

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
FORMS = ("verhuizing", "uittreksel-brp", "parkeervergunning", "hulpvraag-wmo",
         "melding-openbare-ruimte", "terugbelverzoek", "vraag")
START = re.compile("^(Nu beginnen|Start now)$")


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not shown on {page.url}"
    return found


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width}px)"


def first_question_top(page: Page) -> float:
    """Where the step's first question starts: its label or legend (the page's first form
    field; a step without fields has nothing to measure and counts as 0)."""
    field = page.locator("main form .utrecht-form-field, main form .utrecht-form-fieldset").first
    if not field.count():
        return 0
    return field.bounding_box()["y"]


class PhoneJourney(Journey):
    """A journey on a phone: besides axe, every page fits the screen's width, and on an
    e-form step the first question is on the first screen."""

    def check(self) -> None:
        super().check()
        no_sideways_scroll(self.page)
        if self.page.locator(".portal-progress").count():
            top = first_question_top(self.page)
            assert top < PHONE["height"] - 40, (
                f"{self.page.url}: the first question starts at {top}px, below the first screen")


@pytest.fixture
def phone(page, live_server, axe, context):
    page.set_viewport_size(PHONE)
    return PhoneJourney(page, live_server, axe)


def in_english(context, live_server) -> None:
    context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_header_is_short_on_a_phone_and_its_menu_opens_without_script(
        phone, context, live_server, language):
    if language == "en":
        in_english(context, live_server)
    page = phone.page
    phone.open("/producten/paspoort")
    assert box(page, "header.portal-header")["height"] <= 120
    expect(page.locator(".portal-brand__logo")).to_be_visible()
    assert page.locator(".portal-brand__logo").evaluate("img => img.naturalWidth") > 0
    search = page.locator("#site-search-q")
    expect(search).to_be_hidden()                               # folded into the menu
    page.locator(".portal-menu__toggle").click()
    expect(search).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^(Inloggen|Log in)$"))).to_be_visible()
    phone.check()

    page.set_viewport_size(DESKTOP)
    page.reload()
    expect(page.locator(".portal-menu__toggle")).to_be_hidden()  # no menu button: all shown
    expect(search).to_be_visible()
    button = box(page, ".portal-search button")
    assert abs(button["x"] - (box(page, "#site-search-q")["x"] + box(page, "#site-search-q")["width"])) <= 2
    assert box(page, "header.portal-header")["height"] <= 120
    phone.check()


def test_the_header_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(live_server + "/producten/paspoort")
        page.locator(".portal-menu__toggle").click()
        expect(page.locator("#site-search-q")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_and_search_have_one_search_box_with_its_button_beside_it(journey, size):
    page = journey.page
    page.set_viewport_size(size)
    for path in ("/", "/zoeken?q=paspoort"):
        journey.open(path)
        expect(page.locator('input[name="q"]')).to_have_count(1)
        field, button = box(page, "#catalog-search-q"), box(page, ".catalog-search button")
        gap = button["x"] - (field["x"] + field["width"])
        assert 0 <= gap <= 16, f"{path}: the search button is {gap}px from its field"
        assert abs(button["y"] + button["height"] - field["y"] - field["height"]) <= 2
        no_sideways_scroll(page)
    expect(page.locator(".portal-card__icon")).to_have_count(0)   # pictograms on home only
    journey.open("/")
    expect(page.locator(".portal-card__icon").first).to_be_visible()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_first_question_of_every_form_is_on_a_phones_first_screen(
        phone, context, live_server, language):
    if language == "en":
        in_english(context, live_server)
    page = phone.page
    page.goto(live_server + "/mijn-omgeving")
    log_in_at_mock_digid(page, FATIMA)
    expect(page).to_have_url(re.compile("/mijn-omgeving$"))
    for slug in FORMS:
        phone.open(f"/formulieren/{slug}")
        start = page.get_by_role("button", name=START)
        if not start.count():        # e.g. a parking permit the address already has
            continue
        start.click()
        phone.check()                # the first question on the first screen
        if page.locator(".portal-known").count():
            expect(page.locator(".portal-known .utrecht-data-list")).to_be_hidden()
            page.locator(".portal-known summary").click()
            expect(page.locator(".portal-known .utrecht-data-list")).to_be_visible()
        back = box(page, ".portal-back-link")
        rule = box(page, "header.portal-header")
        assert back["y"] - (rule["y"] + rule["height"]) >= 8, "the back link touches the header"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_step_of_a_report_keeps_its_question_on_the_first_screen(
        phone, context, live_server, language):
    if language == "en":
        in_english(context, live_server)
    words, page = WORDS[language], phone.page
    phone.open("/formulieren/melding-openbare-ruimte")
    page.get_by_role("button", name=START).click()
    phone.check()
    report_a_street_light(phone, words)              # each step checked on the way
    expect(page.locator(".portal-file-input")).to_have_count(0)  # past the photo step
    assert len(phone.pages_checked) >= 4


def open_zaken_for(live_app, count: int) -> list[str]:
    with live_app.app_context():
        db = get_session()
        numbers = []
        for number in range(count):
            zaak = open_zaak(db, zaaktype="VERHUIZING", initiator=Initiator(naam="Fatima", bsn=FATIMA),
                             omschrijving=f"Verhuizing {number}", registered_by="look",
                             aanvraaggegevens={"verhuisdatum": "2026-03-01", "hoofdbewoner": "nee"})
            if number == 0:
                set_status(db, zaak, volgnummer=2, gezet_door="look")
            numbers.append(zaak.identificatie)
        db.commit()
        return numbers


@pytest.mark.parametrize("language", ["nl", "en"])
def test_mijn_zaken_and_a_zaak_page_on_a_phone(phone, context, live_server, live_app, language):
    if language == "en":
        in_english(context, live_server)
    numbers = open_zaken_for(live_app, 3)
    page = phone.page
    page.goto(live_server + "/mijn-omgeving/zaken")
    log_in_at_mock_digid(page, FATIMA)
    expect(page).to_have_url(re.compile("/mijn-omgeving/zaken$"))
    phone.check()
    rows = page.locator(".portal-zaak-list .portal-zaak")
    for index in range(3):                           # three whole zaken on the first screen
        row = rows.nth(index).bounding_box()
        assert row["y"] + row["height"] <= PHONE["height"], f"zaak {index + 1} is below the fold"
        expect(rows.nth(index).locator(".utrecht-status-badge")).to_be_visible()
        expect(rows.nth(index).locator("strong")).to_have_text(re.compile(r"\d{4}$"))  # a date

    assert box(page, ".portal-breadcrumbs ol")["height"] <= 48  # one line: no separator alone

    page.locator(f'a[href="/mijn-omgeving/zaken/{numbers[0]}"]').click()  # the one in progress
    phone.check()
    assert box(page, ".portal-breadcrumbs ol")["height"] <= 48
    status = box(page, ".portal-zaak-status")
    assert status["y"] < PHONE["height"] / 2         # where it stands comes first
    for later in ("#dates-title", "#documenten-title", "#details-title"):
        assert box(page, later)["y"] > status["y"]
    steps = page.locator(".portal-steps li")
    expect(steps).to_have_count(3)                   # received (done), in progress, to come
    expect(steps.nth(0)).to_have_class(re.compile("portal-steps__step--done"))
    expect(steps.nth(1)).to_have_attribute("aria-current", "step")
    expect(steps.nth(2)).to_have_class(re.compile("portal-steps__step--to-come"))
    expect(steps.nth(0).locator(".portal-visually-hidden")).to_have_text(re.compile("^(Klaar|Done):"))


def test_summary_rows_line_up_on_a_wide_screen(journey, live_server):
    """The booking check page: rows with and without a "Change" link start their values at
    the same place."""
    page = journey.page
    page.set_viewport_size(DESKTOP)
    journey.open("/mijn-omgeving")
    log_in_at_mock_digid(page, FATIMA)
    walk_to_check(journey)                           # the contact details are known
    starts = {round(value.bounding_box()["x"])
              for value in page.locator(".portal-summary-list__row .utrecht-data-list__item-value").all()}
    assert len(starts) == 1, f"values start at {sorted(starts)}"
