"""A zaak's contact person (the regievoerder) through the test client: staff make a colleague
the contact person from the zaak page (only those who may handle the zaak), the resident is
told and sees whom to reach on the zaak page and in Mijn zaken (only on their own zaken),
the KCC's contact overview shows it, and the pages still cost a fixed number of queries."""

import re

from sqlalchemy import select

from app.berichten.models import Message
from app.db import get_session
from app.zaken.store import ContactPerson, get_zaken_store
from tests.backoffice_fixtures import FATIMA, JOHANNES, MISSING
from tests.factories import SARA, new_zaak
from tests.login import login_as
from tests.web.test_backoffice_kcc import overview_path
from tests.web.test_backoffice_zaken import QUEUE, page_of, post_form, staff
from tests.web.test_pip_zaken import english, queries_per_page

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
BAS = ContactPerson(medewerker="bas", naam="Bas Bakker", team="burgerzaken",
                    telefoon="0525688130", email="bas.bakker@elburg.example")


def contact_of(app, zaaknummer: str) -> ContactPerson | None:
    with app.test_request_context():
        return get_zaken_store(get_session()).staff_zaak(zaaknummer).contact_person


def messages_to(app, bsn: str) -> list[Message]:
    """The messages that name a contact person (not those of a status or a result)."""
    with app.app_context():
        return list(get_session().scalars(select(Message).where(
            Message.bsn == bsn, Message.onderwerp_en == "Your contact person")
            .order_by(Message.id)))


def make_contact(client, zaaknummer: str, medewerker: str, **more):
    answer, _body, _path = post_form(client, zaaknummer, "contactpersoon",
                                     {"medewerker": medewerker, **more})
    return answer


# --------------------------------------------------------------------------- staff


def test_a_behandelaar_makes_a_colleague_the_contact_person_and_the_resident_is_told(
        client, app):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO")
    staff(client, "sara")
    answer = make_contact(client, zaaknummer, "sara")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"{QUEUE}/{zaaknummer}#samenvatting")
    page = page_of(client, answer.headers["Location"])
    assert f"Sara Smit is now the contact person for {zaaknummer}." in page
    assert "Sara Smit, Social Services, 0525 688 120" in page        # the zaak's summary
    assert contact_of(app, zaaknummer) == SARA
    [message] = messages_to(app, FATIMA)
    assert (message.zaak_identificatie, message.onderwerp, message.onderwerp_en) == (
        zaaknummer, "Uw contactpersoon", "Your contact person")
    for text in ("Sara Smit", "Sociaal domein", "0525 688 120", "sara.smit@elburg.example",
                 zaaknummer):
        assert text in message.tekst
    assert "Social Services" in message.tekst_en


def test_naming_the_contact_person_again_changes_nothing_and_tells_nobody(client, app):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO", contact_person=SARA)
    staff(client, "sara")
    page = page_of(client, f"{QUEUE}/{zaaknummer}")
    assert '<option selected value="sara">' in page or '<option value="sara" selected>' in page
    answer = make_contact(client, zaaknummer, "sara")
    assert "Sara Smit was the contact person already." in page_of(client, answer.headers["Location"])
    assert messages_to(app, FATIMA) == []


def test_one_contact_person_for_all_open_zaken_of_the_resident_in_the_social_domain(
        client, app):
    this, other = new_zaak(app, "HULPVRAAG_WMO"), new_zaak(app, "HULPVRAAG_WMO")
    closed = new_zaak(app, "HULPVRAAG_WMO", resultaat="Toegekend")
    moving = new_zaak(app, "VERHUIZING")                      # not the social domain
    someone_elses = new_zaak(app, "HULPVRAAG_WMO", bsn=JOHANNES)
    staff(client, "sara")
    make_contact(client, this, "sara", reikwijdte="sociaal-domein")
    assert [contact_of(app, z) for z in (this, other, closed, moving, someone_elses)] == [
        SARA, SARA, None, None, None]
    [message] = messages_to(app, FATIMA)
    assert this in message.tekst and other in message.tekst and closed not in message.tekst


def test_the_social_domain_choice_shows_on_a_social_domain_zaak_only(client, app):
    wmo, moving = new_zaak(app, "HULPVRAAG_WMO"), new_zaak(app, "VERHUIZING")
    staff(client, "sara")
    assert "All open cases of this resident in the social domain" in page_of(
        client, f"{QUEUE}/{wmo}")
    staff(client, "bas")
    page = page_of(client, f"{QUEUE}/{moving}")
    assert "Contact person for the resident" in page
    assert "in the social domain" not in page


def test_only_who_may_handle_the_zaak_names_its_contact_person(client, app):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO")
    mine = new_zaak(app, "VERHUIZING")
    for username in ("bas", "karin"):              # another team's behandelaar; the KCC
        staff(client, username)
        token = CSRF.search(page_of(client, f"{QUEUE}/{mine}")).group(1)
        answer = client.post(f"{QUEUE}/{zaaknummer}/contactpersoon", data={
            "contactpersoon-csrf_token": token,
            "contactpersoon-token": "z" * 32, "contactpersoon-medewerker": "bas"})
        assert answer.status_code == 403, username
    answer = client.post(f"{QUEUE}/{MISSING}/contactpersoon",
                         data={"contactpersoon-csrf_token": token})
    assert answer.status_code == 404
    assert contact_of(app, zaaknummer) is None and messages_to(app, FATIMA) == []


def test_the_contact_person_is_an_active_colleague_in_a_team(client, app):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO")
    staff(client, "sara")
    for medewerker in ("", "bea", "niemand"):    # none; a beheerder (no team); unknown
        answer = make_contact(client, zaaknummer, medewerker)
        assert answer.status_code == 400, medewerker
        assert 'href="#contactpersoon-medewerker"' in answer.get_data(as_text=True)
    assert contact_of(app, zaaknummer) is None


# --------------------------------------------------------------------------- the resident


def test_the_resident_sees_whom_to_reach_on_the_zaak_page_and_in_mijn_zaken(client, app):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO", contact_person=SARA)
    closed = new_zaak(app, "HULPVRAAG_WMO", contact_person=BAS, resultaat="Toegekend")
    login_as(client, FATIMA)
    english(client)
    page = page_of(client, f"/mijn-omgeving/zaken/{zaaknummer}")
    assert "Your contact person" in page and "Sara Smit" in page and "team Social Services" in page
    assert 'href="tel:0525688120">0525 688 120</a>' in page
    assert 'href="mailto:sara.smit@elburg.example"' in page
    for path in ("/mijn-omgeving/zaken", "/mijn-omgeving"):
        listed = page_of(client, path)
        assert "Your contact person: <strong>Sara Smit</strong>, team Social Services" in listed
    # A closed zaak's contact person no longer coordinates it.
    assert "Bas Bakker" not in page_of(client, f"/mijn-omgeving/zaken/{closed}")
    assert "Bas Bakker" not in page_of(client, "/mijn-omgeving/zaken?status=gesloten")


def test_another_residents_zaak_and_its_contact_person_are_not_found(client, app):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO", contact_person=SARA)
    login_as(client, JOHANNES)
    assert client.get(f"/mijn-omgeving/zaken/{zaaknummer}").status_code == 404
    assert "Sara Smit" not in page_of(client, "/mijn-omgeving/zaken")


def test_the_pages_with_contact_persons_run_a_fixed_number_of_queries(client, app):
    first = new_zaak(app, "HULPVRAAG_WMO", statussen=[2], contact_person=SARA)
    login_as(client, FATIMA)
    with_one = queries_per_page(client, app, first)
    for n in range(29):
        new_zaak(app, "HULPVRAAG_WMO", contact_person=SARA if n % 2 else BAS)
    assert queries_per_page(client, app, first) == with_one


def test_the_kccs_contact_overview_shows_the_contact_person(client, app):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO", contact_person=SARA)
    staff(client, "karin")
    page = page_of(client, overview_path(client))
    assert zaaknummer in page and "Sara Smit, Social Services, 0525 688 120" in page
