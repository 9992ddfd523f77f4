"""The seven forms that made seven more products arrangeable online (issue 17), walked
through the test client from the product page to the zaak; and the engine's date order."""

import re
from datetime import date, timedelta
from io import BytesIO

import pytest

from app.db import get_session
from app.zaken.services import get_zaak, today
from tests.eforms_fixtures import (  # noqa: F401
    JPEG,
    PDF,
    PNG,
    date_parts,
    form_rate_limit,
    post_page,
    start_form,
)
from tests.login import login_as
from tests.payments_fixtures import pay_at_mock, portal_path
from tests.personas import FATIMA, JOHANNES

pytestmark = pytest.mark.usefixtures("form_rate_limit")
ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")
ADDRESS = {"postcode": "8081cr", "huisnummer": "7"}


def _address(name: str) -> dict:
    return {f"{name}-{part}": value for part, value in ADDRESS.items()}


def _file(name: str, content: bytes, filename: str) -> dict:
    # Opened when the step is sent: a file object is used up by one request.
    return {name: (content, filename)}


IN_A_MONTH = today() + timedelta(days=30)

# Each form: its product, its zaaktype, and the answers of each step in order; a step's
# answers with files are sent as multipart, as the browser does.
WALKS = {
    "grofvuil": ("grofvuil-ophalen", "GROFVUIL", [
        {"spullen-count": "1", "spullen-0-omschrijving": "Bank, 3 zits", "spullen-0-aantal": "1",
         "action": "continue"},
        {"soorten": ["hout"], "dagdeel_voorkeur": "ochtend", "plek": ""},
    ]),
    "minicontainer": ("minicontainer-en-afvalpas", "MINICONTAINER", [
        {"wat": "reparatie", "soort_container": "gft", "wat_kapot": "Het deksel is gebroken"},
    ]),
    "kapvergunning": ("kapvergunning", "KAPVERGUNNING", [
        {**_address("boom_adres"), "plek_op_perceel": "In de achtertuin"},
        {"soort_boom": "Berk", "stamomtrek": "140", "reden": "schade",
         "toelichting": "De wortels tillen het terras op", "herplant": "ja"},
        {**_file("foto", JPEG, "boom.jpg"), **_file("tekening", PDF, "tekening.pdf"),
         "action": "continue"},
    ]),
    "evenement": ("evenementenvergunning", "EVENEMENTVERGUNNING", [
        {"naam_evenement": "Buurtfeest Jufferenstraat", "soort_aanvraag": "melding",
         "beschrijving": "Een straatfeest met een springkussen"},
        {**date_parts("begindatum", IN_A_MONTH), **date_parts("einddatum", IN_A_MONTH),
         "tijden": "14.00 tot 22.00 uur"},
        {**_address("locatie_adres"), "locatie_beschrijving": "De hele straat", "bezoekers": "80"},
        {**_file("plattegrond", PDF, "plattegrond.pdf"), "action": "continue"},
    ]),
    "melding-huwelijk": ("huwelijk-en-partnerschap", "MELDING_HUWELIJK", [
        {"soort": "huwelijk"},
        {"partner_naam": "Karim Haddou", **date_parts("partner_geboortedatum", date(1990, 3, 27)),
         "partner_bsn": "999990020", "partner_email": "karim@example.org"},
        {**date_parts("datum_voorkeur", IN_A_MONTH), "ceremonie": "gratis",
         "eigen_locatie": "gemeentehuis"},
        {"getuigen-count": "2", "getuigen-0-naam": "Anna de Wit",
         **date_parts("getuigen-0-geboortedatum", date(1985, 1, 2)),
         "getuigen-1-naam": "Ben Blom", **date_parts("getuigen-1-geboortedatum", date(1980, 5, 6)),
         "action": "continue"},
        {**_file("id_getuigen", PDF, "getuigen.pdf"), "action": "continue"},
    ]),
    "hondenbelasting": ("hondenbelasting", "HONDENBELASTING", [
        {"melding": "afmelden"},
        {"honden-count": "1", "honden-0-naam": "Bobbie",
         **date_parts("honden-0-datum", today() - timedelta(days=3)), "action": "continue"},
        {"reden_afmelden": "overleden", "iban": "NL91 ABNA 0417 1643 00"},
    ]),
    "kwijtschelding": ("kwijtschelding-gemeentelijke-belastingen", "KWIJTSCHELDING", [
        {"aanslagnummer": "2026-000123", **date_parts("datum_aanslag", today() - timedelta(days=20))},
        {"huishouden": "alleen_kinderen", "woning": "huur", "auto": "nee"},
        {"inkomsten-count": "1", "inkomsten-0-soort": "uitkering", "inkomsten-0-bedrag": "1350,50",
         "action": "continue"},
        {"saldo": "420"},
        {**_file("bewijs_inkomen", PDF, "uitkering.pdf"), **_file("afschriften", PDF, "bank.pdf"),
         "action": "continue"},
    ]),
}


def walk(client, slug: str) -> str:
    """Every step of the form, in order; returns the check page's path."""
    step = start_form(client, slug)
    for answers in WALKS[slug][2]:
        has_file = any(isinstance(value, tuple) for value in answers.values())
        answers = {name: (BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
                   for name, value in answers.items()}
        answer = post_page(client, step, answers,
                           **({"content_type": "multipart/form-data"} if has_file else {}))
        assert answer.status_code == 302, (step, _errors(answer.get_data(as_text=True)))
        step = answer.headers["Location"]
    assert step.endswith("/controleren"), step
    return step


def _errors(html: str) -> list[str]:
    return re.findall(r'class="[^"]*error-message[^"]*"[^>]*>(.*?)</', html, re.S)


def send(client, check: str, psp: str):
    """Send the form from its check page; a form with a fee is paid at the mock provider."""
    answer = post_page(client, check, {"declaration": "y"})
    if answer.headers["Location"].startswith(psp):
        answer = client.get(portal_path(pay_at_mock(answer.headers["Location"], "paid")))
    return answer


@pytest.mark.parametrize("slug", sorted(WALKS))
def test_each_new_form_opens_its_zaak_from_its_product_page(client, app, mock_psp, slug):
    product, zaaktype, _ = WALKS[slug]
    product_page = client.get(f"/producten/{product}").get_data(as_text=True)
    assert f'href="/formulieren/{slug}"' in product_page
    login_as(client, FATIMA)
    answer = send(client, walk(client, slug), mock_psp)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/bevestiging")
    zaaknummer = ZAAKNUMMER.search(client.get(answer.headers["Location"]).get_data(as_text=True))
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer.group(0))
        assert zaak.zaaktype.identificatie == zaaktype
        assert zaak.initiator.inp_bsn == FATIMA
        # Grofvuil and the tree permit have one fee in the catalogue: paid before it is sent.
        paid = slug in ("grofvuil", "kapvergunning")
        assert zaak.betalingsindicatie == ("geheel" if paid else None)


def test_the_new_forms_keep_their_answers_and_files_on_the_zaak(client, app):
    login_as(client, FATIMA)
    answer = post_page(client, walk(client, "kwijtschelding"), {"declaration": "y"})
    zaaknummer = ZAAKNUMMER.search(client.get(answer.headers["Location"]).get_data(as_text=True))
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer.group(0))
        assert zaak.aanvraaggegevens["inkomsten"] == [{"soort": "uitkering", "bedrag": 1350.5}]
        assert sorted(d.bestandsnaam for d in zaak.documenten) == ["bank.pdf", "uitkering.pdf"]


def test_an_end_date_before_the_start_date_is_refused_at_the_field(client):
    login_as(client, FATIMA)
    step = start_form(client, "evenement")
    answer = post_page(client, step, WALKS["evenement"][2][0])
    when = answer.headers["Location"]
    refused = post_page(client, when, {**date_parts("begindatum", IN_A_MONTH),
                                       **date_parts("einddatum", IN_A_MONTH - timedelta(days=1)),
                                       "tijden": "de hele dag"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "De datum moet op of na" in html
    assert 'value="Buurtfeest' not in html  # the page is the date step, not the first one
    assert f'value="{IN_A_MONTH.day}"' in html  # what was typed is still there


def test_the_follow_up_question_is_asked_only_when_it_applies(client, app):
    login_as(client, FATIMA)
    step = start_form(client, "hondenbelasting")
    answer = post_page(client, step, {"melding": "aanmelden"})
    answer = post_page(client, answer.headers["Location"], {
        "honden-count": "1", "honden-0-naam": "Bobbie",
        **date_parts("honden-0-datum", today()), "action": "continue"})
    assert answer.headers["Location"].endswith("/controleren")  # no refund question
    html = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "IBAN" not in html


def test_a_marriage_notice_needs_digid_substantieel(client):
    login_as(client, JOHANNES)  # DigiD midden
    page = client.get("/formulieren/melding-huwelijk").get_data(as_text=True)
    assert "Log opnieuw in" in page and "Nu beginnen" not in page



def test_an_organisation_is_sent_to_the_phone_and_mail_for_an_event(client, app):
    # Associations and companies would need eHerkenning, which the portal does not offer.
    page = client.get("/formulieren/evenement").get_data(as_text=True)
    assert "Vraagt u aan voor een organisatie?" in page
    assert app.config["MUNICIPALITY_PHONE"] in page and app.config["MUNICIPALITY_EMAIL"] in page
    assert "Vraagt u aan voor een organisatie?" not in client.get(
        "/formulieren/minicontainer").get_data(as_text=True)
