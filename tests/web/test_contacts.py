"""Every contact recorded with its channel: the KCC's quick registration of a contact
answered at once, contacts made elsewhere (a callback by phone, a booking, a closing zaak)
in the ledger, and the channel where staff see it (contact overview, zaak page)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.contacts.models import Contact
from app.db import get_session, utcnow
from app.ui.dates import local_date
from app.zaken.store import get_zaken_store
from tests.contacts_fixtures import zaak_in_ledger
from tests.factories import new_zaak
from tests.kcc_fixtures import FATIMA, ONE_TIME_TOKEN, csrf_from, overview_path
from tests.web.staff import login_staff

QUICK = "/backoffice/contacten/nieuw"


@pytest.fixture(autouse=True)
def context(app, db_connection):
    with app.test_request_context():
        yield


def ledger(soort: str | None = None) -> list[Contact]:
    session = get_session()
    session.expire_all()
    query = select(Contact).order_by(Contact.id)
    return list(session.scalars(query if soort is None else query.where(Contact.soort == soort)))


def quick_form(client, path: str, **answers) -> dict:
    page = client.get(path).get_data(as_text=True)
    return {"csrf_token": csrf_from(page), "token": ONE_TIME_TOKEN.search(page).group(1),
            "kanaal": "telefoon", "onderwerp": "Openingstijden milieustraat",
            "product": "grofvuil-ophalen", "uitkomst": "gelukt", **answers}


def test_the_kcc_records_an_anonymous_call_in_a_few_clicks(client):
    login_staff(client, "karin")
    assert f'href="{QUICK}"' in client.get("/backoffice/").get_data(as_text=True)
    answer = client.post(QUICK, data=quick_form(client, QUICK))
    assert answer.status_code == 302 and answer.location.endswith(QUICK)
    assert "Het contact is vastgelegd" in client.get(QUICK).get_data(as_text=True)
    (call,) = ledger()
    assert (call.kanaal, call.soort, call.product, call.onderwerp, call.bsn,
            call.indicatie_contact_gelukt, call.geregistreerd_door) == (
        "telefoon", "gesprek", "grofvuil-ophalen", "Openingstijden milieustraat", None, True,
        "karin")


def test_a_call_passed_on_at_the_desk_counts_as_not_right_first_time(client):
    login_staff(client, "karin")
    client.post(QUICK, data=quick_form(client, QUICK, kanaal="balie", product="",
                                       uitkomst="doorverbonden"))
    (call,) = ledger()
    assert (call.kanaal, call.product, call.indicatie_contact_gelukt) == ("balie", "", False)


def test_sending_the_quick_form_twice_records_one_contact(client):
    login_staff(client, "karin")
    form = quick_form(client, QUICK)
    client.post(QUICK, data=form)
    client.post(QUICK, data=form)
    assert len(ledger()) == 1


def test_a_quick_form_with_mistakes_says_where_and_records_nothing(client):
    login_staff(client, "karin")
    answer = client.post(QUICK, data=quick_form(client, QUICK, onderwerp="", uitkomst=""))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<title>Fout: " in html
    assert 'href="#onderwerp"' in html and 'href="#uitkomst"' in html
    assert not ledger()


@pytest.mark.parametrize("username", ["bas", "bea"])
def test_only_the_kcc_records_contacts(client, username):
    login_staff(client, username)
    assert client.get(QUICK).status_code == 403


def test_a_call_for_a_found_resident_shows_in_their_contact_overview(client):
    login_staff(client, "karin")
    overview = overview_path(client)
    assert f'href="{overview}/contact"' in client.get(overview).get_data(as_text=True)
    answer = client.post(overview + "/contact", data=quick_form(client, overview + "/contact"))
    assert answer.status_code == 302 and answer.location.endswith(overview)
    (call,) = ledger()
    assert call.bsn == FATIMA
    page = client.get(overview).get_data(as_text=True)
    assert "Openingstijden milieustraat" in page and "Telefoon" in page
    assert "Goed geholpen in 1 keer" in page


def test_a_callback_registered_by_phone_is_a_phone_contact_with_its_zaak(client):
    login_staff(client, "karin")
    path = overview_path(client) + "/terugbelverzoek"
    page = client.get(path).get_data(as_text=True)
    client.post(path, data={"csrf_token": csrf_from(page),
                            "token": ONE_TIME_TOKEN.search(page).group(1),
                            "onderwerp": "reisdocumenten", "vraag": "Is mijn paspoort klaar?",
                            "telefoon": "06 12345678", "dagdeel": "middag"})
    (callback,) = ledger("terugbelverzoek")
    assert (callback.kanaal, callback.bsn, callback.onderwerp, callback.product) == (
        "telefoon", FATIMA, "reisdocumenten", "terugbelverzoek")  # its zaaktype's product
    assert callback.zaak_identificatie.startswith("ZAAK-")


def test_a_closing_zaak_records_its_decision_date_once(app):
    from app.contacts.services import Kanaal, Soort, record_contact
    from app.zaken.services import today

    zaaknummer = new_zaak(app, "VERHUIZING")
    session = get_session()
    store = get_zaken_store(session)
    record_contact(session, kanaal=Kanaal.ONLINE, soort=Soort.ZAAK, geregistreerd_door="inwoner",
                   zaak=store.opened_zaak(zaaknummer))
    store.set_resultaat(zaaknummer, resultaattype="Verwerkt", gezet_door="test")
    (zaak,) = ledger("zaak")
    assert zaak.einddatum == today()


def _extend(session, store, zaaknummer):
    store.extend_term(zaaknummer, duur="P2W", reden="Wij wachten op een advies.", door="test")


def _suspend_ten_days(session, store, zaaknummer):
    """A document asked for ten days ago and sent today: the term stood still nine days."""
    from app.zaken.models import Zaak
    from app.zaken.services import today
    from tests.factories import PDF
    from tests.personas import FATIMA

    store.request_document(zaaknummer, omschrijving="Huurcontract", requested_by="test")
    session.scalar(select(Zaak).where(Zaak.identificatie == zaaknummer)).opgeschort_sinds = (
        today() - timedelta(days=10))
    (request,) = store.open_document_requests(FATIMA)
    store.answer_document_request(FATIMA, zaaknummer, request.id, bestandsnaam="huur.pdf",
                                  formaat="application/pdf", content=PDF, added_by="inwoner")


@pytest.mark.parametrize("move_the_term", [_extend, _suspend_ten_days])
def test_a_closing_zaak_records_the_legal_end_its_term_moved_to(app, move_the_term):
    from app.zaken.services import today

    # Its legal end as it opened (four weeks) passed three days ago.
    zaaknummer = new_zaak(app, "VERHUIZING", startdatum=today() - timedelta(weeks=4, days=3))
    zaak_in_ledger(app, zaaknummer)
    session = get_session()
    store = get_zaken_store(session)
    move_the_term(session, store, zaaknummer)
    moved_to = store.staff_zaak(zaaknummer).uiterlijke_einddatum_afdoening
    store.set_resultaat(zaaknummer, resultaattype="Verwerkt", gezet_door="test")
    (zaak,) = ledger("zaak")
    assert zaak.uiterlijke_einddatum_afdoening == moved_to
    assert zaak.einddatum == today() <= moved_to


def test_a_zaak_closed_while_waiting_for_documents_records_the_days_it_waited(app):
    from app.zaken.models import Zaak
    from app.zaken.services import today

    # Its legal end as it opened (four weeks) passed three days ago, but a document was
    # asked for ten days ago and never came: the term stood still the nine days since.
    zaaknummer = new_zaak(app, "VERHUIZING", startdatum=today() - timedelta(weeks=4, days=3))
    zaak_in_ledger(app, zaaknummer)
    session = get_session()
    store = get_zaken_store(session)
    opened_end = store.staff_zaak(zaaknummer).uiterlijke_einddatum_afdoening
    store.request_document(zaaknummer, omschrijving="Huurcontract", requested_by="test")
    session.scalar(select(Zaak).where(Zaak.identificatie == zaaknummer)).opgeschort_sinds = (
        today() - timedelta(days=10))
    store.set_resultaat(zaaknummer, resultaattype="Verwerkt", gezet_door="test")
    (zaak,) = ledger("zaak")
    assert zaak.uiterlijke_einddatum_afdoening == opened_end + timedelta(days=9)
    assert zaak.einddatum == today() <= zaak.uiterlijke_einddatum_afdoening  # in time


def test_the_zaak_page_says_how_the_zaak_came_in(client, app):
    from app.contacts.services import Kanaal, Soort, record_contact

    zaaknummer = new_zaak(app, "VERHUIZING")
    session = get_session()
    record_contact(session, kanaal=Kanaal.NAMENS, soort=Soort.ZAAK,
                   geregistreerd_door="inwoner",
                   zaak=get_zaken_store(session).opened_zaak(zaaknummer))
    session.commit()
    login_staff(client, "bas")
    page = client.get(f"/backoffice/zaken/{zaaknummer}").get_data(as_text=True)
    assert "Binnengekomen via" in page and "Namens de inwoner" in page


def test_the_demo_zaken_came_in_by_their_own_channel_and_their_pages_say_so(client, app,
                                                                            monkeypatch):
    from app.zaken.models import Zaak
    from app.zaken.sql.demo import DEMO_REGISTERED_BY, seed_demo_zaken
    from tests.personas import FATIMA

    monkeypatch.setitem(app.config, "DEMO_DATA", True)
    session = get_session()
    seed_demo_zaken(session)
    fatimas = {zaak.identificatie: zaak for zaak in session.scalars(
        select(Zaak).where(Zaak.registered_by == DEMO_REGISTERED_BY))
        if zaak.initiator.inp_bsn == FATIMA}
    contacts = {c.zaak_identificatie: c for c in ledger("zaak") + ledger("vraag")
                if c.zaak_identificatie in fatimas}
    assert contacts.keys() == fatimas.keys()  # every zaak once
    # Her questions about three zaken, dated when she asked them (the back office's list).
    asked = {c.zaak_identificatie: c.plaatsgevonden_op for c in ledger("bericht")}
    # (at least a day back at office hours: half a day before now, whatever the time zone)
    assert len(asked) == 3 and all(when < utcnow() - timedelta(hours=12)
                                   for when in asked.values())
    for identificatie, contact in contacts.items():
        zaak = fatimas[identificatie]
        assert local_date(contact.plaatsgevonden_op) == zaak.startdatum
        assert (contact.product, contact.einddatum) == (zaak.zaaktype.product, zaak.einddatum)
    by_type = {zaak.zaaktype.identificatie: identificatie
               for identificatie, zaak in fatimas.items()}
    login_staff(client, "karin")
    for zaaktype, kanaal in (("VRAAG", "Telefoon"), ("BEZWAAR", "Post"),
                             ("HULPVRAAG_WMO", "Online")):
        page = client.get(f"/backoffice/zaken/{by_type[zaaktype]}").get_data(as_text=True)
        assert re.search(rf"Binnengekomen via\s*</dt>\s*<dd[^>]*>\s*{kanaal}\s*<", page), zaaktype
