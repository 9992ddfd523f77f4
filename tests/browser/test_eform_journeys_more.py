"""Journeys through the uittreksel, parkeervergunning, Wmo, terugbel and vraag forms.

In Dutch and in English: the assertions take the form's own texts from its
definition (content/forms/*.toml) and the interface texts from the message
catalogue, in the language of the run. Every page is checked with axe.
Logged in through the mock DigiD where the form needs it; anonymous for the
callback request and the question.
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import expect

from app.eforms.definitions import DEFAULT_PATH, load_definition
from app.zaken.services import today as today_in_municipality
from tests.browser.conftest import pay_at_mock_psp
from tests.browser.test_journeys import log_in_at_mock_digid
from tests.personas import FATIMA, JOHANNES, SANNE

ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")
# A minimal PDF: the upload check looks at the content, not the name.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


DUTCH = Translations.load(str(Path(__file__).resolve().parents[2] / "translations"), ["nl"])
# The language of the running journey; set by the `language` fixture below.
LANGUAGE = {"current": "en"}


@pytest.fixture(autouse=True, params=["nl", "en"])
def language(request, context, live_server):
    LANGUAGE["current"] = request.param
    if request.param == "en":
        context.add_cookies([{"name": "lang", "value": "en", "url": live_server}])
    return request.param


def tr(msgid: str, **values) -> str:
    """An interface text as the resident sees it in the journey's language."""
    text = DUTCH.gettext(msgid) if LANGUAGE["current"] == "nl" else msgid
    return text % values if values else text


def texts(slug: str):
    return load_definition(DEFAULT_PATH / f"{slug}.toml")


def label(definition, name: str) -> str:
    return definition.field(name).label.get(LANGUAGE["current"])


def option(definition, name: str, value: str) -> str:
    return definition.field(name).option_label(value, LANGUAGE["current"])


def heading(page):
    return page.get_by_role("heading", level=1)


def proceed(journey) -> None:
    # Wait for the answer page: axe must not run on the page that is being left.
    with journey.page.expect_navigation():
        journey.page.get_by_role("button", name=tr("Continue")).click()
    journey.check()


def expect_error(page, field_id: str, message: str) -> None:
    """The message is in the error summary, linked to the field, and at the field itself."""
    summary = page.locator("[data-error-summary]")
    expect(summary.get_by_role("link", name=message)).to_have_attribute("href", f"#{field_id}")
    expect(page.locator(f"#{field_id}-error")).to_contain_text(message)
    expect(page).to_have_title(re.compile("^" + tr("Error:")))


def start(journey, definition, bsn: str | None = None) -> None:
    journey.open(f"/formulieren/{definition.slug}")
    expect(heading(journey.page)).to_have_text(definition.title.get(LANGUAGE["current"]))
    if bsn:
        journey.page.get_by_role("link", name=tr("Log in with DigiD")).click()
        log_in_at_mock_digid(journey.page, bsn)
        expect(heading(journey.page)).to_have_text(definition.title.get(LANGUAGE["current"]))
        journey.check()
    journey.page.get_by_role("button", name=tr("Start now")).click()
    journey.check()


def pay_button_name() -> re.Pattern:
    before, after = tr("Pay %(amount)s and send").split("%(amount)s")
    return re.compile(f"^{re.escape(before)}.+{re.escape(after)}$")


def send(journey, definition, declaration: bool = False) -> str:
    """Send the form from its check page; a form with a fee is paid at the mock provider."""
    page = journey.page
    expect(heading(page)).to_have_text(tr("Check your answers"))
    if declaration:
        page.get_by_label(definition.declaration.get(LANGUAGE["current"])).check()
    if definition.fee:
        page.get_by_role("button", name=pay_button_name()).click()
        pay_at_mock_psp(journey, "Betaald (Paid)")
    else:
        page.get_by_role("button", name=tr("Send form")).click()
    expect(heading(page)).to_have_text(tr("Form sent"))
    journey.check()
    first_paragraph = definition.what_happens_next.paragraphs(LANGUAGE["current"])[0]
    expect(page.get_by_text(with_terms(first_paragraph))).to_be_visible()
    return ZAAKNUMMER.search(page.locator(".portal-case-number").inner_text())[0]


# A zaaktype's term written out ("3 dagen", "2 weeks", "1 maand en 2 dagen"): the value is the
# live zaaktype's, which beheer may have changed in an earlier journey. The written-answer
# norm is a setting in working days ("5 werkdagen").
TERM_IN_WORDS = r"\d+ \w+(?:(?:,| en| and) \d+ \w+)*"
WORKING_DAYS_IN_WORDS = r"\d+ (?:werkdagen|werkdag|working days?)"


def with_terms(paragraph: str) -> re.Pattern:
    """A form text as the page shows it: its {servicenorm}, {doorlooptijd} and
    {written_answer_norm} written out."""
    pattern = re.escape(paragraph)
    for placeholder, words in (("servicenorm", TERM_IN_WORDS), ("doorlooptijd", TERM_IN_WORDS),
                               ("written_answer_norm", WORKING_DAYS_IN_WORDS)):
        pattern = pattern.replace(re.escape("{" + placeholder + "}"), words)
    return re.compile(f"^{pattern}$")


def date_inputs(page, day: date) -> None:
    page.get_by_label(tr("Day")).fill(str(day.day))
    page.get_by_label(tr("Month")).fill(str(day.month))
    page.get_by_label(tr("Year")).fill(str(day.year))


# --------------------------------------------------------------------------- logged in

def test_uittreksel_brp(journey):
    form = texts("uittreksel-brp")
    page = journey.page
    start(journey, form, FATIMA)
    expect(page.locator("#main-content").get_by_text("Fatima El Amrani").first).to_be_visible()  # prefilled

    page.get_by_label(option(form, "voor_wie", "kind")).check()   # the product is for children too
    proceed(journey)
    page.get_by_label(label(form, "kind_naam")).fill("Yara El Amrani")
    date_inputs(page, today_in_municipality() - timedelta(days=8 * 365))
    proceed(journey)
    earlier_addresses = page.get_by_label(label(form, "adreshistorie"))
    expect(earlier_addresses).to_be_hidden()             # only with the Dutch extract
    page.get_by_label(option(form, "soort", "brp")).check()
    expect(earlier_addresses).to_be_visible()
    journey.check()
    page.get_by_label(option(form, "soort", "internationaal")).check()
    expect(earlier_addresses).to_be_hidden()
    proceed(journey)

    proceed(journey)   # nothing chosen
    expect_error(page, "doel", tr('Choose an answer for "%(label)s"', label=label(form, "doel")))
    expect(page.locator("[data-error-summary]")).to_be_focused()
    what_for = page.get_by_label(label(form, "doel_anders"))
    expect(what_for).to_be_hidden()
    page.get_by_label(label(form, "doel")).select_option("anders")
    expect(what_for).to_be_visible()
    journey.check()
    proceed(journey)   # "something else" needs the explanation below it
    expect_error(page, "doel_anders", tr('Fill in "%(label)s"', label=label(form, "doel_anders")))
    page.get_by_label(label(form, "doel_anders")).fill("Voor mijn vereniging")
    proceed(journey)

    page.get_by_label(label(form, "aantal")).fill("9")
    proceed(journey)
    expect_error(page, "aantal", tr("The number must be %(max)s or less", max=5))
    page.get_by_label(label(form, "aantal")).fill("2")
    proceed(journey)

    page.get_by_label(option(form, "levering", "balie")).check()
    proceed(journey)
    expect(page.get_by_text(option(form, "soort", "internationaal"))).to_be_visible()
    assert ZAAKNUMMER.fullmatch(send(journey, form))


def test_uittreksel_brp_without_javascript_asks_the_follow_up_when_the_answer_needs_it(
        no_script_journey, language):
    journey, form = no_script_journey, texts("uittreksel-brp")
    page = journey.page
    if language == "en":
        page.context.add_cookies([{"name": "lang", "value": "en", "url": journey.base_url}])
    start(journey, form, FATIMA)
    page.get_by_label(option(form, "voor_wie", "mijzelf")).check()
    proceed(journey)
    page.get_by_label(option(form, "soort", "internationaal")).check()
    proceed(journey)

    what_for = page.get_by_label(label(form, "doel_anders"))
    expect(what_for).to_be_hidden()
    page.get_by_label(label(form, "doel")).select_option("anders")
    proceed(journey)   # the page comes back with the question its answer asks, not an error
    expect(what_for).to_be_visible()
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    proceed(journey)   # seen and left empty: now it is an error, announced without JavaScript
    expect_error(page, "doel_anders", tr('Fill in "%(label)s"', label=label(form, "doel_anders")))
    expect(page.locator("[data-error-summary] [role=alert]")).to_be_visible()
    what_for.fill("Voor mijn vereniging")
    proceed(journey)
    expect(heading(page)).to_have_text(form.step("aantal").title.get(LANGUAGE["current"]))


def test_parkeervergunning_shows_every_error_in_the_summary_and_at_the_field(journey, tmp_path):
    form = texts("parkeervergunning")
    page = journey.page
    # One permit per address: each language's run applies from another address.
    start(journey, form, SANNE if LANGUAGE["current"] == "nl" else FATIMA)

    kenteken = page.get_by_label(label(form, "kenteken"))
    proceed(journey)
    expect_error(page, "kenteken", tr('Fill in "%(label)s"', label=label(form, "kenteken")))
    kenteken.fill("ABC-123")
    proceed(journey)
    expect_error(page, "kenteken", tr("Enter a Dutch licence plate number, like AB-123-C"))
    expect(kenteken).to_have_attribute("aria-invalid", "true")
    kenteken.fill("ab123c")
    proceed(journey)

    page.get_by_label(option(form, "eigendom", "lease")).check()
    proceed(journey)

    proceed(journey)   # the lease contract is needed for a lease car
    expect_error(page, "bewijs", tr('Choose a file for "%(label)s"', label=label(form, "bewijs")))
    contract = tmp_path / "leasecontract.pdf"
    contract.write_bytes(PDF)
    page.get_by_label(label(form, "bewijs")).set_input_files(str(contract))
    proceed(journey)

    today = today_in_municipality()
    page.get_by_label(tr("Day")).fill("31")
    page.get_by_label(tr("Month")).fill("2")
    page.get_by_label(tr("Year")).fill(str(today.year + 1))
    proceed(journey)
    expect_error(page, "ingangsdatum", tr("Enter a real date, for example: there is no 31 February"))
    date_inputs(page, today - timedelta(days=1))
    proceed(journey)
    expect_error(page, "ingangsdatum", tr("The date must be today or in the future"))
    date_inputs(page, today + timedelta(days=200))
    proceed(journey)
    on_or_before = tr("The date must be on or before %(date)s", date="|").split("|")[0].strip()
    expect(page.locator("#ingangsdatum-error")).to_contain_text(on_or_before)
    date_inputs(page, today + timedelta(days=14))
    proceed(journey)

    expect(page.get_by_text("AB-123-C")).to_be_visible()        # stored normalised
    expect(page.get_by_text("leasecontract.pdf")).to_be_visible()
    page.get_by_role("button", name=pay_button_name()).click()  # declaration not ticked
    expect(page.locator("[data-error-summary]")).to_contain_text(tr("Confirm the declaration to send the form"))
    journey.check()
    send(journey, form, declaration=True)


def test_hulpvraag_wmo_with_a_carer(journey):
    form = texts("hulpvraag-wmo")
    page = journey.page
    start(journey, form, JOHANNES)

    proceed(journey)
    expect_error(page, "soort_hulp", tr('Choose an answer for "%(label)s"', label=label(form, "soort_hulp")))
    page.get_by_label(option(form, "soort_hulp", "huishouden")).check()
    page.get_by_label(option(form, "soort_hulp", "anders")).check()
    proceed(journey)

    expect(heading(page)).to_have_text(form.step("andere-hulp").title.get(LANGUAGE["current"]))
    page.get_by_label(label(form, "anders_toelichting")).fill("Hulp bij het uitlaten van de hond.")
    proceed(journey)

    page.get_by_label(label(form, "situatie")).fill("Sinds mijn heupoperatie lukt traplopen niet meer.")
    proceed(journey)

    page.get_by_label(option(form, "mantelzorger", "ja")).check()
    page.get_by_label(label(form, "mantelzorger_naam")).fill("Anna van den Berg")
    page.get_by_label(label(form, "mantelzorger_telefoon")).fill("12345")
    proceed(journey)
    expect_error(page, "mantelzorger_telefoon",
                 tr("Enter a phone number, like 06 12345678 or 0525 123456. "
                    "From abroad with the country code, like +32 ..."))
    page.get_by_label(label(form, "mantelzorger_telefoon")).fill("+31 6 1122 3344")
    proceed(journey)

    page.get_by_label(option(form, "contact_voorkeur", "telefoon")).check()
    expect(page.get_by_label(label(form, "telefoon"))).to_have_value("0525 681234")   # prefilled
    proceed(journey)

    expect(page.get_by_text("0611223344")).to_be_visible()
    send(journey, form, declaration=True)


# --------------------------------------------------------------------------- anonymous

def test_terugbelverzoek_without_logging_in(journey):
    form = texts("terugbelverzoek")
    page = journey.page
    start(journey, form)

    page.get_by_label(label(form, "onderwerp")).select_option("aanvraag")
    page.get_by_label(label(form, "zaaknummer")).fill("ZAAK-2026-0000000042")
    page.get_by_label(label(form, "vraag")).fill("Wanneer krijg ik bericht over mijn aanvraag?")
    proceed(journey)

    page.get_by_label(label(form, "naam")).fill("Kees Jansen")
    page.get_by_label(label(form, "telefoon")).fill("06-1234-5678")
    proceed(journey)
    expect_error(page, "dagdeel", tr('Choose an answer for "%(label)s"', label=label(form, "dagdeel")))
    page.get_by_label(option(form, "dagdeel", "middag")).check()
    proceed(journey)

    expect(page.get_by_text(option(form, "dagdeel", "middag"))).to_be_visible()
    send(journey, form)


def test_vraag_without_logging_in(journey):
    form = texts("vraag")
    page = journey.page
    start(journey, form)

    page.get_by_label(label(form, "onderwerp")).fill("Grofvuil ophalen")
    page.get_by_label(label(form, "vraag")).fill("Haalt de gemeente ook een oude bank op?")
    proceed(journey)

    page.get_by_label(label(form, "naam")).fill("Kees Jansen")
    page.get_by_label(option(form, "antwoord_via", "email")).check()
    page.get_by_label(label(form, "email")).fill("kees@example")
    proceed(journey)
    expect_error(page, "email", tr("Enter an email address like name@example.nl"))
    page.get_by_label(label(form, "email")).fill("kees@example.nl")
    proceed(journey)

    expect(page.get_by_text("kees@example.nl")).to_be_visible()
    send(journey, form)
