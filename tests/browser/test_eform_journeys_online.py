"""Journeys through the seven forms that put seven more products online (issue 17): from the
product page's "online" route to the confirmation, in Dutch and English, by label where a
question stands alone and by item where a repeating group holds several. Axe checks every page.
"""

from datetime import date, timedelta

from playwright.sync_api import expect

from app.zaken.services import today as today_in_municipality
from tests.browser.test_eform_journeys_more import (  # noqa: F401 (language is an autouse fixture)
    LANGUAGE,
    PDF,
    ZAAKNUMMER,
    date_inputs,
    heading,
    label,
    language,
    option,
    proceed,
    send,
    texts,
    tr,
)
from tests.browser.test_journeys import log_in_at_mock_digid
from tests.images import JPEG
from tests.personas import FATIMA, SANNE

IN_A_MONTH = today_in_municipality() + timedelta(days=30)


def from_product_page(journey, product: str, form) -> None:
    """The product page's online route leads to the form; DigiD first, then "Start now"."""
    page = journey.page
    journey.open(f"/producten/{product}")
    page.locator(f'a[href="/formulieren/{form.slug}"]').first.click()
    expect(heading(page)).to_have_text(form.title.get(LANGUAGE["current"]))
    journey.check()
    page.get_by_role("link", name=tr("Log in with DigiD")).click()
    # Sanne in the Dutch run, Fatima in the English one: each run has its own resident.
    log_in_at_mock_digid(page, SANNE if LANGUAGE["current"] == "nl" else FATIMA)
    expect(heading(page)).to_have_text(form.title.get(LANGUAGE["current"]))
    page.get_by_role("button", name=tr("Start now")).click()
    journey.check()


def fill(page, form, name: str, value: str) -> None:
    page.get_by_label(label(form, name), exact=True).fill(value)


def choose(page, form, name: str, value: str) -> None:
    page.get_by_label(option(form, name, value), exact=True).check()


def in_group(page, name: str, value: str) -> None:
    page.locator(f'[name="{name}"]').fill(value)


def date_in_group(page, name: str, day: date) -> None:
    for part, number in (("day", day.day), ("month", day.month), ("year", day.year)):
        page.locator(f'[name="{name}-{part}"]').fill(str(number))


def upload(page, form, name: str, tmp_path, file_name: str, content: bytes) -> None:
    path = tmp_path / file_name
    path.write_bytes(content)
    page.get_by_label(label(form, name), exact=True).set_input_files(str(path))


def address(page, prefix: str) -> None:
    page.locator(f'[name="{prefix}-postcode"]').fill("8081 CR")
    page.locator(f'[name="{prefix}-huisnummer"]').fill("7")


def test_grofvuil(journey):
    form, page = texts("grofvuil"), journey.page
    from_product_page(journey, "grofvuil-ophalen", form)
    in_group(page, "spullen-0-omschrijving", "Bank, 3 zits")
    in_group(page, "spullen-0-aantal", "1")
    page.get_by_role("button", name=tr("Add another")).click()
    journey.check()
    in_group(page, "spullen-1-omschrijving", "Matras")
    in_group(page, "spullen-1-aantal", "2")
    proceed(journey)
    choose(page, form, "soorten", "matras")
    choose(page, form, "dagdeel_voorkeur", "ochtend")
    proceed(journey)
    expect(page.get_by_text("Matras, 2", exact=True)).to_be_visible()
    assert ZAAKNUMMER.fullmatch(send(journey, form))


def test_minicontainer_repair_asks_what_is_broken(journey):
    form, page = texts("minicontainer"), journey.page
    from_product_page(journey, "minicontainer-en-afvalpas", form)
    choose(page, form, "wat", "reparatie")
    proceed(journey)   # which bin and what is broken are asked for a repair
    expect(page.locator("#wat_kapot-error")).to_be_visible()
    choose(page, form, "soort_container", "gft")
    fill(page, form, "wat_kapot", "Het deksel")
    proceed(journey)
    assert ZAAKNUMMER.fullmatch(send(journey, form))


def test_kapvergunning_with_photo_and_drawing(journey, tmp_path):
    form, page = texts("kapvergunning"), journey.page
    from_product_page(journey, "kapvergunning", form)
    address(page, "boom_adres")
    fill(page, form, "plek_op_perceel", "In de achtertuin")
    proceed(journey)
    fill(page, form, "stamomtrek", "60")
    choose(page, form, "reden", "schade")
    fill(page, form, "toelichting", "De wortels tillen het terras op")
    choose(page, form, "herplant", "ja")
    proceed(journey)   # a trunk under 95 cm needs no permit
    expect(page.locator("#stamomtrek-error")).to_contain_text("95")
    fill(page, form, "stamomtrek", "140")
    proceed(journey)
    upload(page, form, "foto", tmp_path, "boom.jpg", JPEG)
    upload(page, form, "tekening", tmp_path, "tekening.pdf", PDF)
    proceed(journey)
    expect(page.get_by_text("tekening.pdf")).to_be_visible()
    assert ZAAKNUMMER.fullmatch(send(journey, form, declaration=True))


def test_evenement_refuses_an_end_before_the_start(journey, tmp_path):
    form, page = texts("evenement"), journey.page
    from_product_page(journey, "evenementenvergunning", form)
    fill(page, form, "naam_evenement", "Buurtfeest")
    choose(page, form, "soort_aanvraag", "melding")
    fill(page, form, "beschrijving", "Een straatfeest")
    proceed(journey)
    date_in_group(page, "begindatum", IN_A_MONTH)
    date_in_group(page, "einddatum", IN_A_MONTH - timedelta(days=1))
    fill(page, form, "tijden", "14.00 tot 22.00 uur")
    proceed(journey)
    on_or_after = tr("The date must be on or after %(date)s", date="|").split("|")[0].strip()
    expect(page.locator("#einddatum-error")).to_contain_text(on_or_after)
    date_in_group(page, "einddatum", IN_A_MONTH)
    proceed(journey)
    address(page, "locatie_adres")
    fill(page, form, "locatie_beschrijving", "De hele straat")
    fill(page, form, "bezoekers", "80")
    proceed(journey)
    upload(page, form, "plattegrond", tmp_path, "plattegrond.pdf", PDF)
    proceed(journey)
    assert ZAAKNUMMER.fullmatch(send(journey, form, declaration=True))


def fill_in_the_notice(journey, form, tmp_path, partner: tuple[str, date, str, str]) -> None:
    """A free marriage at the town hall with two witnesses, from the first step to the
    check page; partner: (naam, geboortedatum, bsn, email)."""
    page = journey.page
    naam, born, bsn, email = partner
    choose(page, form, "soort", "huwelijk")
    proceed(journey)
    fill(page, form, "partner_naam", naam)
    date_in_group(page, "partner_geboortedatum", born)
    fill(page, form, "partner_bsn", bsn)
    fill(page, form, "partner_email", email)
    proceed(journey)
    date_in_group(page, "datum_voorkeur", IN_A_MONTH)
    choose(page, form, "ceremonie", "gratis")
    choose(page, form, "eigen_locatie", "gemeentehuis")
    proceed(journey)
    for index, (name, witness_born) in enumerate((("Anna de Wit", date(1985, 1, 2)),
                                                  ("Ben Blom", date(1980, 5, 6)))):
        in_group(page, f"getuigen-{index}-naam", name)
        date_in_group(page, f"getuigen-{index}-geboortedatum", witness_born)
    proceed(journey)
    upload(page, form, "id_getuigen", tmp_path, "getuigen.pdf", PDF)
    proceed(journey)


def test_melding_huwelijk_with_two_witnesses(journey, tmp_path):
    form, page = texts("melding-huwelijk"), journey.page
    from_product_page(journey, "huwelijk-en-partnerschap", form)
    # Johannes: the partner must be someone the persons source knows.
    fill_in_the_notice(journey, form, tmp_path,
                       ("Johannes Berg", date(1990, 3, 27), "999990020", "johannes@example.org"))
    expect(page.get_by_text("Ben Blom")).to_be_visible()
    assert ZAAKNUMMER.fullmatch(send(journey, form, declaration=True))


def test_hondenbelasting_deregistration_asks_for_the_account(journey):
    form, page = texts("hondenbelasting"), journey.page
    from_product_page(journey, "hondenbelasting", form)
    choose(page, form, "melding", "afmelden")
    proceed(journey)
    in_group(page, "honden-0-naam", "Bobbie")
    date_in_group(page, "honden-0-datum", today_in_municipality() - timedelta(days=3))
    proceed(journey)
    choose(page, form, "reden_afmelden", "overleden")
    fill(page, form, "iban", "NL91 ABNA 0417 1643 00")
    proceed(journey)
    assert ZAAKNUMMER.fullmatch(send(journey, form))


def test_kwijtschelding_with_income_and_statements(journey, tmp_path):
    form, page = texts("kwijtschelding"), journey.page
    from_product_page(journey, "kwijtschelding-gemeentelijke-belastingen", form)
    fill(page, form, "aanslagnummer", "2026-000123")
    date_inputs(page, today_in_municipality() - timedelta(days=20))
    proceed(journey)
    choose(page, form, "huishouden", "alleen_kinderen")
    choose(page, form, "woning", "huur")
    choose(page, form, "auto", "nee")
    proceed(journey)
    page.locator('[name="inkomsten-0-soort"]').select_option("uitkering")
    in_group(page, "inkomsten-0-bedrag", "1350,50")
    proceed(journey)
    fill(page, form, "saldo", "420")
    proceed(journey)
    upload(page, form, "bewijs_inkomen", tmp_path, "uitkering.pdf", PDF)
    upload(page, form, "afschriften", tmp_path, "bank.pdf", PDF)
    proceed(journey)
    assert ZAAKNUMMER.fullmatch(send(journey, form, declaration=True))

