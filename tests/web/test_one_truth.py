"""One truth per product, as the resident reads it: every page says the same about a
product because each fact comes from one place; `flask catalog check` refuses a second,
contradicting copy. And the small text defects of issue 16."""

import re
from pathlib import Path

import pytest

from app.db import get_session
from app.zaken.store import get_zaken_store
from tests.factories import new_zaak
from tests.login import login_as
from tests.personas import FATIMA

CATALOG = Path(__file__).resolve().parents[2] / "content" / "catalog.toml"
ENGLISH_MONTH = ("January|February|March|April|May|June|July|August|September|October|"
                 "November|December")


def text_of(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, path
    return answer.get_data(as_text=True)


def english(client):
    client.get("/taal/en?next=/")


# --------------------------------------------------------------------------- the check


def test_the_check_passes_on_the_shipped_content(app, db_connection):
    for args in (["catalog", "check", "--files-only"], ["catalog", "check"]):
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("OK: ")


def test_the_check_refuses_a_catalogue_that_contradicts_the_zaaktype(app, db_connection,
                                                                      tmp_path, monkeypatch):
    catalogue = tmp_path / "catalog.toml"
    catalogue.write_text(CATALOG.read_text(encoding="utf-8").replace(
        'applies_for = "self_and_children"',
        'applies_for = "self_and_children"\ndoorlooptijd = { nl = "4 weken", en = "4 weeks" }'),
        encoding="utf-8")
    monkeypatch.setitem(app.config, "CATALOG_PATH", str(catalogue))
    result = app.test_cli_runner().invoke(args=["catalog", "check", "--files-only"])
    assert result.exit_code == 1
    assert "product uittreksel-brp: doorlooptijd is the zaaktype's (UITTREKSEL_BRP: P2W)" in result.output
    assert "1 contradiction(s)" in result.output


# --------------------------------------------------------------------------- one source per fact


def test_the_product_page_and_the_start_page_say_the_same(client):
    product = text_of(client, "/producten/uittreksel-brp")
    start = text_of(client, "/formulieren/uittreksel-brp")
    # The terms are the zaaktype's (P3D, P2W), as the zaak page's dates count them.
    assert "3 dagen" in product and "2 weken" in product
    assert "werkdagen" not in product and "4 weken" not in product
    for page in (product, start):
        assert "U kunt het aanvragen voor uzelf en voor uw kinderen." in page
        assert "De reden waarom u het uittreksel nodig heeft" in page
        assert "Haalt u het uittreksel op aan de balie?" in page
    assert "U vraagt het uittreksel aan voor uzelf." not in start


def test_a_changed_norm_reaches_the_product_page_and_the_form(client, app):
    with app.app_context():
        store = get_zaken_store()
        store.set_norms("UITTREKSEL_BRP", doorlooptijd="P4W", servicenorm="P5D")
        store.set_norms("TERUGBELVERZOEK", doorlooptijd="P2W", servicenorm="P1W")
        get_session().commit()
    product = text_of(client, "/producten/uittreksel-brp")
    assert "5 dagen" in product and "4 weken" in product and "3 dagen" not in product
    assert "Een medewerker belt u binnen 1 week terug." in text_of(client,
                                                                  "/formulieren/terugbelverzoek")


def test_the_start_page_writes_the_norm_in_english(client):
    english(client)
    page = text_of(client, "/formulieren/terugbelverzoek")
    assert "An employee will call you back within 1 day." in page and "{servicenorm}" not in page


def test_every_appointment_button_opens_the_agenda_with_its_product(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "APPOINTMENTS_ENABLED", True)
    for slug in ("geboorteaangifte", "huwelijk-en-partnerschap", "aangifte-overlijden"):
        assert f'href="/afspraak?product={slug}"' in text_of(client, f"/producten/{slug}")
        start = text_of(client, f"/afspraak?product={slug}")
        assert re.search(rf'name="products" value="{slug}"\s+checked', start), slug


def test_making_an_appointment_does_not_say_you_need_not_come(client):
    page = text_of(client, "/producten/afspraak-maken")
    assert "U hoeft hiervoor niet naar het gemeentehuis te komen." not in page
    assert "Kom naar het gemeentehuis op de tijd van uw afspraak." in page
    # A product arranged only at the balie says only what it offers.
    passport = text_of(client, "/producten/paspoort")
    assert "Regel het online." not in passport


# --------------------------------------------------------------------------- small text defects


def test_the_phone_hours_read_as_part_of_the_sentence(client):
    page = text_of(client, "/")
    assert "Bel ons op 14 0525 (maandag tot en met vrijdag, 8.30 tot 17.00 uur)." in page
    assert "14 0525. maandag" not in page
    assert "Bereikbaar maandag tot en met vrijdag" in page   # the footer


def test_the_question_form_is_linked_from_the_contact_page(client):
    assert 'href="/formulieren/vraag"' in text_of(client, "/contact")


def test_the_complaint_text_on_the_contact_page_links_the_complaint_form(client):
    page = text_of(client, "/contact")
    complaint = page.split("Een klacht of een compliment", 1)[1]
    assert 'href="/formulieren/klacht"' in complaint and "Dien een klacht in" in complaint
    assert client.get("/formulieren/klacht").status_code == 200  # anonymous may complain


def test_a_zaak_waiting_for_the_residents_document_says_so_as_its_next_step(client, app):
    # Status 2 reached and 3 internal: the next milestone would be "Afgehandeld".
    waiting = new_zaak(app, statussen=[2], requests=["Een kopie van uw huurcontract"])
    moving_on = new_zaak(app, statussen=[2])
    login_as(client, FATIMA)
    page = text_of(client, f"/mijn-omgeving/zaken/{waiting}")
    still_to_come = "Nog te komen: </span>"  # the step indicator's next step
    assert still_to_come + "U stuurt ons het document waar wij om vragen." in page
    assert still_to_come + "Afgehandeld" not in page
    assert still_to_come + "Afgehandeld" in text_of(client, f"/mijn-omgeving/zaken/{moving_on}")


# --------------------------------------------------------------------------- English pages


def test_dutch_data_on_an_english_page_is_marked_dutch(client, app):
    zaaknummer = new_zaak(app, omschrijving="Verhuizing naar de Beekstraat",
                          requests=["Een kopie van uw huurcontract"])
    login_as(client, FATIMA)
    english(client)
    page = text_of(client, f"/mijn-omgeving/zaken/{zaaknummer}")
    assert '<span lang="nl">Verhuizing naar de Beekstraat</span>' in page
    assert '<span lang="nl">Een kopie van uw huurcontract</span>' in page
    overview = text_of(client, "/mijn-omgeving")
    assert '<span lang="nl">Een kopie van uw huurcontract</span>' in overview
    # British English dates: 6 December 2026, never December 6, 2026.
    assert re.search(rf"\b\d{{1,2}} ({ENGLISH_MONTH}) \d{{4}}\b", page)
    assert not re.search(rf"\b({ENGLISH_MONTH}) \d{{1,2}}, \d{{4}}\b", page)


def test_dutch_pages_do_not_mark_dutch_data(client, app):
    zaaknummer = new_zaak(app, omschrijving="Verhuizing naar de Beekstraat")
    login_as(client, FATIMA)
    page = text_of(client, f"/mijn-omgeving/zaken/{zaaknummer}")
    assert "Verhuizing naar de Beekstraat" in page and '<span lang="nl">' not in page


@pytest.mark.parametrize("path, name", [
    ("/producten/uittreksel-brp", "Extract from the Personal Records Database (BRP)"),
    ("/formulieren/uittreksel-brp", "Extract from the Personal Records Database (BRP)"),
    ("/producten/verhuizing-doorgeven", "Report a change of address"),
    ("/formulieren/verhuizing", "Report a change of address"),
])
def test_one_english_name_per_product(client, path, name):
    english(client)
    assert name.casefold() in text_of(client, path).casefold()
