"""One truth per product: the shipped content agrees with itself, and every kind of
contradiction between the catalogue, a form, a zaaktype and the agenda is refused."""

from dataclasses import replace
from pathlib import Path

import pytest

from app.appointments.agenda import load_agenda
from app.catalog.check import Content, ZaakTypeFacts, check_content, zaaktypen_from_file
from app.catalog.content import load_catalog
from app.eforms.definitions import DEFAULT_PATH as FORMS_PATH
from app.eforms.definitions import load_definitions
from app.texts import Text
from app.zaken.catalogi import DEFAULT_ZAAKTYPEN_PATH, load_zaaktypen_file

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def shipped() -> Content:
    catalog = load_catalog(CONTENT / "catalog.toml")
    agenda = load_agenda(CONTENT / "agenda.toml", catalog)
    return Content(catalog=catalog, forms=load_definitions(FORMS_PATH),
                   zaaktypen=zaaktypen_from_file(load_zaaktypen_file(DEFAULT_ZAAKTYPEN_PATH)),
                   agenda_products={p.slug for p in agenda.products})


def with_product(content: Content, slug: str, **changes) -> Content:
    products = tuple(replace(p, **changes) if p.slug == slug else p
                     for p in content.catalog.products)
    return replace(content, catalog=replace(content.catalog, products=products))


def with_channels(content: Content, slug: str, **changes) -> Content:
    product = content.catalog.product(slug)
    return with_product(content, slug, channels=replace(product.channels, **changes))


def with_form(content: Content, slug: str, **changes) -> Content:
    return replace(content, forms={**content.forms, slug: replace(content.forms[slug], **changes)})


def with_zaaktype(content: Content, identificatie: str, **changes) -> Content:
    zaaktypen = dict(content.zaaktypen)
    zaaktypen[identificatie] = replace(zaaktypen[identificatie], **changes)
    return replace(content, zaaktypen=zaaktypen)


def test_the_shipped_content_agrees_with_itself(shipped):
    assert check_content(shipped) == []


def test_a_legal_term_in_the_catalogue_beside_the_zaaktypes_is_refused(shipped):
    # The case: the product page said 4 weeks, the zaak page 2 weeks.
    content = with_product(shipped, "uittreksel-brp", doorlooptijd=Text("4 weken", "4 weeks"))
    [problem] = check_content(content)
    assert "product uittreksel-brp: doorlooptijd" in problem and "UITTREKSEL_BRP: P2W" in problem


def test_an_appointment_button_for_a_product_the_agenda_does_not_offer_is_refused(shipped):
    content = replace(shipped, agenda_products=set(shipped.agenda_products) - {"geboorteaangifte"})
    [problem] = check_content(content)
    assert "product geboorteaangifte: appointment = true, but the agenda does not offer it" in problem
    # Without appointments switched on, there is no button and nothing to contradict.
    assert check_content(replace(content, agenda_products=None)) == []


def test_a_form_for_yourself_on_a_product_for_children_is_refused(shipped):
    content = with_form(shipped, "uittreksel-brp", applies_for="self")
    [problem] = check_content(content)
    assert "form uittreksel-brp: applies_for 'self'" in problem
    assert "'self_and_children'" in problem


def test_online_without_a_working_form_is_refused(shipped):
    content = with_channels(shipped, "omgevingsvergunning", online="/formulieren/omgevingsvergunning",
                            online_available=True)
    [problem] = check_content(content)
    assert "product omgevingsvergunning" in problem and "no form 'omgevingsvergunning'" in problem


def test_online_to_a_page_that_does_not_exist_is_refused(shipped):
    content = replace(with_channels(shipped, "afspraak-maken", online="/afspraken-maken"),
                      route_exists=lambda path: path == "/afspraak")
    [problem] = check_content(content)
    assert "'/afspraken-maken' is no page of the portal" in problem


def test_a_form_the_product_page_offers_must_be_marked_online(shipped):
    content = with_channels(shipped, "verhuizing-doorgeven", online_available=False)
    [problem] = check_content(content)
    assert "form 'verhuizing' exists" in problem


def test_two_lists_of_what_you_need_are_refused(shipped):
    content = with_form(shipped, "uittreksel-brp",
                        what_you_need=(Text("uw paspoort", "your passport"),))
    [problem] = check_content(content)
    assert "what_you_need repeats what product uittreksel-brp lists" in problem


def test_a_fee_in_a_form_text_must_be_the_products(shipped):
    form = shipped.forms["uittreksel-brp"]
    intro = Text(form.intro.nl.replace("€ 15,10", "€ 14,50"), form.intro.en)
    [problem] = check_content(with_form(shipped, "uittreksel-brp", intro=intro))
    assert "intro (nl) says € 14,50, but that is no fee of product uittreksel-brp" in problem


def test_a_form_naming_a_norm_its_zaaktype_lacks_is_refused(shipped):
    content = with_zaaktype(shipped, "UITTREKSEL_BRP", servicenorm=None)
    [problem] = check_content(content)
    assert "{servicenorm}, but zaaktype UITTREKSEL_BRP has none" in problem
    form = shipped.forms["terugbelverzoek"]
    typo = Text(form.intro.nl.replace("{servicenorm}", "{servicenrom}"), form.intro.en)
    [problem] = check_content(with_form(shipped, "terugbelverzoek", intro=typo))
    assert "unknown {servicenrom}" in problem


def test_the_written_answer_norm_is_the_settings_whatever_the_zaaktype(shipped):
    # The question form promises the setting's norm, so the zaaktype need not have one.
    assert "{written_answer_norm}" in shipped.forms["vraag"].intro.nl
    assert check_content(with_zaaktype(shipped, "VRAAG", servicenorm=None)) == []


def test_one_english_name_per_product(shipped):
    content = with_zaaktype(shipped, "UITTREKSEL_BRP",
                            omschrijving=Text("Uittreksel BRP aanvragen", "Request an extract"))
    [problem] = check_content(content)
    assert "zaaktype UITTREKSEL_BRP: omschrijving (en) 'Request an extract'" in problem
    assert "'Extract from the Personal Records Database (BRP)'" in problem


def test_a_top_task_may_shorten_the_english_name_but_not_change_it(shipped):
    tasks = tuple(replace(t, title=Text(t.title.nl, "Extract from the population register"))
                  if t.product == "uittreksel-brp" else t for t in shipped.catalog.toptaken)
    content = replace(shipped, catalog=replace(shipped.catalog, toptaken=tasks))
    [problem] = check_content(content)
    assert "'Extract from the population register' is not the product's name" in problem


def test_a_zaaktype_and_a_form_must_name_the_same_product(shipped):
    zaaktypen = {**shipped.zaaktypen, "ANDERS": ZaakTypeFacts(
        "ANDERS", Text("Anders", "Other"), "bestaat-niet", "P1W", None)}
    assert check_content(replace(shipped, zaaktypen=zaaktypen)) == [
        "zaaktype ANDERS: product 'bestaat-niet' is not in the catalogue"]
    [problem] = check_content(with_form(shipped, "uittreksel-brp", zaaktype="VRAAG"))
    assert problem == ("form uittreksel-brp: its zaaktype VRAAG belongs to product "
                       "'(none)', the form to 'uittreksel-brp'")


def test_a_page_link_to_a_missing_form_is_refused(shipped):
    content = replace(shipped, forms={k: v for k, v in shipped.forms.items() if k != "vraag"})
    problems = check_content(content)
    assert any(p.startswith("pages.contact.sections[") and "no form 'vraag'" in p
               for p in problems)



def with_option(content: Content, slug: str, field_name: str, value: str, **changes) -> Content:
    """The shipped content with one option of one form's field changed."""
    def changed(field):
        return replace(field, options=tuple(replace(o, **changes) if o.value == value else o
                                            for o in field.options))
    steps = tuple(replace(step, fields=tuple(changed(f) if f.name == field_name else f
                                             for f in step.fields))
                  for step in content.forms[slug].steps)
    return with_form(content, slug, steps=steps)


def test_an_option_fee_must_be_a_fee_of_the_product(shipped):
    [problem] = check_content(with_option(shipped, "melding-huwelijk", "ceremonie", "zaterdag",
                                          fee="Zondag"))
    assert "an option's fee 'Zondag' is no fee of product huwelijk-en-partnerschap" in problem


def test_an_amount_in_an_option_label_must_be_a_fee_of_the_product(shipped):
    problems = check_content(with_option(shipped, "minicontainer", "grootte", "140",
                                         hint=Text("€ 45,00", "€ 45.00")))
    assert problems == [
        "form minicontainer: steps.wat.grootte.options.140.hint (nl) says € 45,00, but that is "
        "no fee of product minicontainer-en-afvalpas",
        "form minicontainer: steps.wat.grootte.options.140.hint (en) says € 45.00, but that is "
        "no fee of product minicontainer-en-afvalpas"]
