"""KCC pages through the test client: callbacks, questions, finding a resident and their
contact overview; who may see them, what is written to the disclosure log, query counts."""

import datetime as dt
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.berichten.models import Message
from app.db import get_session, utcnow
from app.notifications.models import OutboxMessage
from app.zaken.models import Zaak
from app.zaken.services import get_zaak, route_zaak, today
from tests.kcc_fixtures import (
    FATIMA,
    JOHANNES,
    ONE_TIME_TOKEN,
    TOKEN_LINK,
    appointment_today,
    callback_zaak,
    csrf_from,
    disclosures,
    overview_path,
    post_form,
    queries_for,
    question_zaak,
    search,
)
from tests.web.staff import login_staff

PURPOSE_CALLBACK = "Uw terugbelverzoek afhandelen"
PURPOSE_OVERVIEW = "Uw contacten met de gemeente bekijken om u te helpen"
PURPOSE_SEARCH = "U opzoeken om u te helpen bij uw contact met de gemeente"


@pytest.fixture(autouse=True)
def context(app, db_connection):
    """The test's own app context (and ORM session) beside the client's requests."""
    with app.test_request_context():
        yield


def fresh(zaaknummer: str):
    session = get_session()
    session.expire_all()
    return get_zaak(session, zaaknummer)


def english(client):
    client.get("/taal/en?next=/")


# --------------------------------------------------------------------------- who may


@pytest.mark.parametrize("path", ["/backoffice/terugbelverzoeken", "/backoffice/vragen",
                                  "/backoffice/inwoners"])
@pytest.mark.parametrize("username", ["bas", "bea"])
def test_only_the_kcc_sees_contacts(client, path, username):
    login_staff(client, username)
    assert client.get(path).status_code == 403


def test_other_roles_cannot_open_or_close_a_callback(client):
    zaaknummer = callback_zaak()
    login_staff(client, "bas")
    path = f"/backoffice/terugbelverzoeken/{zaaknummer}"
    assert client.get(path).status_code == 403
    page = client.get("/backoffice/").get_data(as_text=True)
    answer = client.post(path, data={"csrf_token": csrf_from(page), "uitkomst": "Teruggebeld",
                                     "notitie": "x"})
    assert answer.status_code == 403
    assert not fresh(zaaknummer).is_closed


def test_the_pages_ask_to_log_in_first(client):
    for path in ("/backoffice/terugbelverzoeken", "/backoffice/vragen", "/backoffice/inwoners",
                 "/backoffice/inwoners/abc"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/backoffice/inloggen" in answer.location, path


def test_the_menu_links_to_callbacks_and_residents_for_the_kcc_only(client):
    login_staff(client, "karin")
    page = client.get("/backoffice/").get_data(as_text=True)
    assert 'href="/backoffice/terugbelverzoeken"' in page
    assert 'href="/backoffice/inwoners"' in page


# --------------------------------------------------------------------------- callbacks


def test_callbacks_list_open_ones_with_the_preferred_time(client):
    morning = callback_zaak(dagdeel="ochtend", naam="Anna Ochtend")
    afternoon = callback_zaak(dagdeel="middag", naam="Bert Middag", bsn=None)
    question = question_zaak()
    closed = callback_zaak()
    login_staff(client, "karin")
    post_form(client, f"/backoffice/terugbelverzoeken/{closed}",
              {"uitkomst": "Teruggebeld", "notitie": "Gebeld"})
    client.get("/backoffice/terugbelverzoeken")  # shows the notice "... is done"
    page = client.get("/backoffice/terugbelverzoeken").get_data(as_text=True)
    assert morning in page and afternoon in page
    assert closed not in page and question not in page
    assert "Anna Ochtend" in page and "06 12345678" in page
    assert FATIMA not in page
    only_afternoon = client.get("/backoffice/terugbelverzoeken?dagdeel=middag").get_data(as_text=True)
    assert afternoon in only_afternoon and morning not in only_afternoon


def test_the_current_part_of_the_day_comes_first(client, monkeypatch):
    from app.backoffice import kcc_services

    first = callback_zaak(dagdeel="ochtend")
    second = callback_zaak(dagdeel="middag")
    login_staff(client, "karin")
    for now, order in (("ochtend", [first, second]), ("middag", [second, first])):
        monkeypatch.setattr(kcc_services, "current_dagdeel", lambda now=None, part=now: part)
        page = client.get("/backoffice/terugbelverzoeken").get_data(as_text=True)
        assert [page.index(nr) for nr in order] == sorted(page.index(nr) for nr in order)


def test_marking_a_callback_done_needs_a_note_and_records_the_result(client):
    zaaknummer = callback_zaak()
    login_staff(client, "karin")
    path = f"/backoffice/terugbelverzoeken/{zaaknummer}"
    page = client.get(path).get_data(as_text=True)
    assert "06 12345678" in page and "Wanneer wordt mijn paspoort klaar?" in page
    assert 'href="tel:0612345678"' in page
    refused = post_form(client, path, {"uitkomst": "Teruggebeld", "notitie": ""})
    assert refused.status_code == 200
    assert "<title>Fout: " in refused.get_data(as_text=True) or \
        "<title>Error: " in refused.get_data(as_text=True)
    assert 'href="#notitie"' in refused.get_data(as_text=True)
    assert not fresh(zaaknummer).is_closed
    done = post_form(client, path, {"uitkomst": "Teruggebeld",
                                    "notitie": "Paspoort ligt klaar vanaf vrijdag."})
    assert done.status_code == 302 and done.location.endswith("/backoffice/terugbelverzoeken")
    zaak = fresh(zaaknummer)
    assert zaak.is_closed and zaak.resultaat.resultaattype.omschrijving == "Teruggebeld"
    assert zaak.resultaat.toelichting == "Paspoort ligt klaar vanaf vrijdag."
    assert zaak.statussen[-1].statustoelichting == "Paspoort ligt klaar vanaf vrijdag."
    assert zaak.statussen[-1].gezet_door == "medewerker karin"
    assert zaaknummer in client.get("/backoffice/terugbelverzoeken").get_data(as_text=True)  # notice
    assert "Paspoort ligt klaar" in client.get(path).get_data(as_text=True)  # result shown


def test_not_reached_keeps_the_callback_open_with_the_attempt(client):
    zaaknummer = callback_zaak()
    login_staff(client, "karin")
    path = f"/backoffice/terugbelverzoeken/{zaaknummer}"
    answer = post_form(client, path, {"uitkomst": "opnieuw", "notitie": "Voicemail ingesproken."})
    assert answer.status_code == 302
    zaak = fresh(zaaknummer)
    assert not zaak.is_closed
    assert zaak.kenmerken["belpogingen"][0]["notitie"] == "Voicemail ingesproken."
    assert "Voicemail ingesproken." in client.get(path).get_data(as_text=True)
    post_form(client, path, {"uitkomst": "Niet bereikt", "notitie": "Twee keer geen gehoor."})
    assert fresh(zaaknummer).resultaat.resultaattype.omschrijving == "Niet bereikt"


def test_a_callback_closed_meanwhile_is_not_closed_twice(client):
    zaaknummer = callback_zaak()
    login_staff(client, "karin")
    path = f"/backoffice/terugbelverzoeken/{zaaknummer}"
    token = csrf_from(client.get(path).get_data(as_text=True))
    form = {"csrf_token": token, "uitkomst": "Teruggebeld", "notitie": "Gebeld."}
    assert client.post(path, data=form).status_code == 302
    again = client.post(path, data=form)
    assert again.status_code == 200
    assert len(fresh(zaaknummer).statussen) == 2


def test_a_callback_routed_to_another_team_is_read_only_for_the_kcc(client):
    zaaknummer = callback_zaak()
    session = get_session()
    route_zaak(session, get_zaak(session, zaaknummer), team="burgerzaken", door="test")
    session.commit()
    login_staff(client, "karin")
    path = f"/backoffice/terugbelverzoeken/{zaaknummer}"
    page = client.get(path).get_data(as_text=True)
    assert 'name="notitie"' not in page
    assert zaaknummer not in client.get("/backoffice/terugbelverzoeken").get_data(as_text=True)
    answer = client.post(path, data={"csrf_token": csrf_from(page), "uitkomst": "Teruggebeld",
                                     "notitie": "x"})
    assert answer.status_code == 403


def test_an_unknown_callback_or_another_zaaktype_answers_404(client):
    question = question_zaak()
    login_staff(client, "karin")
    assert client.get("/backoffice/terugbelverzoeken/ZAAK-2000-0000000001").status_code == 404
    assert client.get(f"/backoffice/terugbelverzoeken/{question}").status_code == 404


def test_callbacks_write_the_disclosure_log(client):
    zaaknummer = callback_zaak()
    callback_zaak(bsn=None)  # anonymous: no one to log for
    login_staff(client, "karin")
    client.get("/backoffice/terugbelverzoeken")
    client.get("/backoffice/terugbelverzoeken")
    listed = disclosures(FATIMA, PURPOSE_CALLBACK)
    assert len(listed) == 1, "a list logs once per resident per day"
    assert listed[0].zaak_identificatie == zaaknummer
    assert listed[0].recipient == "Gemeente Elburg, team Klantcontactcentrum"
    assert set(listed[0].data_categories) == {"naam", "contactgegevens", "zaakgegevens"}
    client.get(f"/backoffice/terugbelverzoeken/{zaaknummer}")
    client.get(f"/backoffice/terugbelverzoeken/{zaaknummer}")
    assert len(disclosures(FATIMA, PURPOSE_CALLBACK)) == 3, "each detail view is logged"


def test_the_callbacks_page_in_english(client):
    callback_zaak(dagdeel="middag")
    login_staff(client, "karin")
    english(client)
    page = client.get("/backoffice/terugbelverzoeken").get_data(as_text=True)
    for text in ("Callback requests", "Afternoon (12.00 to 17.00)", "Preferred time"):
        assert text in page


# --------------------------------------------------------------------------- questions


def mails_to(address: str) -> list[OutboxMessage]:
    return list(get_session().scalars(select(OutboxMessage)
                                      .where(OutboxMessage.recipient == address)))


def test_a_digid_question_is_answered_in_the_inbox(client):
    zaaknummer = question_zaak(bsn=FATIMA)
    login_staff(client, "karin")
    page = client.get("/backoffice/vragen").get_data(as_text=True)
    assert zaaknummer in page and "Grofvuil ophalen" in page
    path = f"/backoffice/vragen/{zaaknummer}"
    assert "Als bericht in Mijn omgeving" in client.get(path).get_data(as_text=True)
    answer = post_form(client, path, {"antwoord": "U mag 4 keer per jaar grofvuil laten ophalen."})
    assert answer.status_code == 302 and answer.location.endswith("/backoffice/vragen")
    zaak = fresh(zaaknummer)
    assert zaak.is_closed and zaak.resultaat.resultaattype.omschrijving == "Beantwoord"
    assert zaak.resultaat.toelichting == "U mag 4 keer per jaar grofvuil laten ophalen."
    messages = get_session().scalars(select(Message).where(
        Message.bsn == FATIMA, Message.zaak_identificatie == zaaknummer)).all()
    answers = [m for m in messages if "4 keer per jaar" in m.tekst]
    assert len(answers) == 1
    with force_locale("nl"):  # the resident's language
        assert answers[0].onderwerp == gettext("Answer to your question: %(subject)s",
                                               subject="Grofvuil ophalen")
    assert answers[0].afzender == "Gemeente Elburg, team Klantcontactcentrum"
    # The new message is announced once, without its content or the BSN.
    announced = mails_to("fatima.elamrani@example.nl")
    assert len(announced) == 1
    assert "4 keer per jaar" not in announced[0].text_body and FATIMA not in announced[0].text_body


def test_an_anonymous_question_is_answered_by_email(client):
    zaaknummer = question_zaak(bsn=None, naam="Piet Anoniem", email="piet@example.org")
    login_staff(client, "karin")
    path = f"/backoffice/vragen/{zaaknummer}"
    assert "piet@example.org" in client.get(path).get_data(as_text=True)
    post_form(client, path, {"antwoord": "Grofvuil haalt Circulus op afspraak op."})
    assert fresh(zaaknummer).is_closed
    answer = [m for m in mails_to("piet@example.org") if "Circulus" in m.text_body]
    assert len(answer) == 1 and zaaknummer in answer[0].text_body
    assert "Piet Anoniem" in answer[0].text_body


def test_a_question_to_call_back_is_closed_with_what_was_said(client):
    zaaknummer = question_zaak(bsn=None, naam="Kees Bel", telefoon="0525 123456",
                               antwoord_via="telefoon")
    login_staff(client, "karin")
    path = f"/backoffice/vragen/{zaaknummer}"
    assert "0525 123456" in client.get(path).get_data(as_text=True)
    post_form(client, path, {"antwoord": "Telefonisch uitgelegd hoe grofvuil werkt."})
    zaak = fresh(zaaknummer)
    assert zaak.is_closed and zaak.resultaat.toelichting.startswith("Telefonisch")
    assert get_session().scalar(select(OutboxMessage).where(
        OutboxMessage.text_body.contains("Telefonisch uitgelegd"))) is None


def test_an_answer_is_required_and_a_question_is_answered_once(client):
    zaaknummer = question_zaak(bsn=None, email="piet@example.org")
    login_staff(client, "karin")
    path = f"/backoffice/vragen/{zaaknummer}"
    refused = post_form(client, path, {"antwoord": "  "})
    assert refused.status_code == 200 and 'href="#antwoord"' in refused.get_data(as_text=True)
    token = csrf_from(client.get(path).get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token, "antwoord": "Ja."}).status_code == 302
    assert client.post(path, data={"csrf_token": token, "antwoord": "Ja."}).status_code == 200
    assert len([m for m in mails_to("piet@example.org") if "Ja." in m.text_body]) == 1


def test_bas_cannot_answer_a_question(client):
    zaaknummer = question_zaak()
    login_staff(client, "bas")
    assert client.get(f"/backoffice/vragen/{zaaknummer}").status_code == 403
    page = client.get("/backoffice/").get_data(as_text=True)
    answer = client.post(f"/backoffice/vragen/{zaaknummer}",
                         data={"csrf_token": csrf_from(page), "antwoord": "x"})
    assert answer.status_code == 403 and not fresh(zaaknummer).is_closed


# --------------------------------------------------------------------------- residents


def test_find_a_resident_by_name_and_birth_date(client):
    login_staff(client, "karin")
    page = search(client, "naam", achternaam="el amr", **{
        "geboortedatum-day": "12", "geboortedatum-month": "4", "geboortedatum-year": "1987"})
    html = page.get_data(as_text=True)
    assert "Fatima El Amrani" in html and "Vischpoortstraat 14" in html
    assert FATIMA not in html
    (token,) = TOKEN_LINK.findall(html)
    assert FATIMA not in token
    assert len(disclosures(FATIMA, PURPOSE_SEARCH)) == 1


def test_find_a_resident_by_address_and_by_bsn(client):
    login_staff(client, "karin")
    html = search(client, "adres", postcode="8081bp", huisnummer="14").get_data(as_text=True)
    assert "Fatima El Amrani" in html
    html = search(client, "bsn", bsn=JOHANNES).get_data(as_text=True)
    assert "Berg" in html and JOHANNES not in html
    entry = disclosures(JOHANNES, PURPOSE_SEARCH)[0]
    assert "bsn" in entry.data_categories


SANNE = "999990032"  # has geheimhouding persoonsgegevens (app/persons/personas.toml)


def test_a_resident_with_geheimhouding_is_found_with_a_warning(client):
    """Staff of the municipality may use the data of a resident with geheimhouding
    persoonsgegevens to help them; the results and the overview say not to pass it on."""
    login_staff(client, "karin")
    with client.application.test_request_context(), force_locale("nl"):
        secrecy = gettext("Secrecy of personal data (geheimhouding)")
        warning = gettext("This resident asked the municipality not to give their data to "
                          "others outside the government. Use it only to help them; do not "
                          "tell anyone else anything about them, not even whether they live "
                          "here.")
    found = search(client, "adres", postcode="8084 HC", huisnummer="52").get_data(as_text=True)
    assert "Sanne de Vries" in found and secrecy in found
    others = search(client, "adres", postcode="8081 BP", huisnummer="14").get_data(as_text=True)
    assert "Fatima El Amrani" in others and secrecy not in others
    overview = client.get(overview_path(client, SANNE)).get_data(as_text=True)
    assert warning in overview
    assert warning not in client.get(overview_path(client, FATIMA)).get_data(as_text=True)


def test_a_search_with_mistakes_shows_them(client):
    login_staff(client, "karin")
    answer = search(client, "bsn", bsn="123456789")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'href="#bsn-bsn"' in html
    html = search(client, "naam", achternaam="B", **{
        "geboortedatum-day": "31", "geboortedatum-month": "2", "geboortedatum-year": "1990"}
    ).get_data(as_text=True)
    assert 'href="#naam-achternaam"' in html and 'href="#naam-geboortedatum"' in html
    html = search(client, "adres", postcode="0000 AA", huisnummer="1a").get_data(as_text=True)
    assert 'href="#adres-postcode"' in html and 'href="#adres-huisnummer"' in html
    assert "123456789" not in client.get("/backoffice/inwoners").get_data(as_text=True)


def test_no_match_says_so(client):
    login_staff(client, "karin")
    html = search(client, "adres", postcode="8081 AA", huisnummer="999").get_data(as_text=True)
    assert TOKEN_LINK.search(html) is None


def test_the_contact_overview_shows_every_channel_and_is_logged_each_time(client):
    from tests.backoffice_fixtures import new_zaak

    verhuizing = new_zaak(client.application, "VERHUIZING")
    callback = callback_zaak()
    question = question_zaak()
    other = callback_zaak(bsn=JOHANNES)
    visit = appointment_today(days=1)
    from app.berichten.services import send_message
    send_message(get_session(), bsn=FATIMA, onderwerp="Uw parkeervergunning", tekst="Tekst",
                 afzender="Gemeente Elburg")
    get_session().commit()
    login_staff(client, "karin")
    path = overview_path(client)
    before = len(disclosures(FATIMA, PURPOSE_OVERVIEW))
    html = client.get(path).get_data(as_text=True)
    for text in (verhuizing, callback, question, visit.reference, "Uw parkeervergunning",
                 "Fatima El Amrani", "Vischpoortstraat 14"):
        assert text in html, text
    assert other not in html and FATIMA not in html
    assert f'href="/backoffice/zaken/{verhuizing}"' in html
    assert f'href="/backoffice/terugbelverzoeken/{callback}"' in html
    client.get(path)
    entries = disclosures(FATIMA, PURPOSE_OVERVIEW)
    assert len(entries) == before + 2
    assert entries[-1].recipient == "Gemeente Elburg, team Klantcontactcentrum"


def test_an_overview_link_works_only_in_the_session_of_the_employee_who_searched(client, app):
    login_staff(client, "karin")
    path = overview_path(client)
    assert overview_path(client) == path  # the same resident keeps one address
    assert client.get(path[:-2] + "xx").status_code == 404
    assert client.get("/backoffice/inwoners/1").status_code == 404
    colleague = app.test_client()  # another KCC employee's browser: karin's link means nothing
    login_staff(colleague, "karin")
    assert colleague.get(path).status_code == 404
    assert client.get(path).status_code == 200


def test_bea_cannot_see_the_contact_overview(client):
    login_staff(client, "karin")
    path = overview_path(client)
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_from(
        client.get("/backoffice/").get_data(as_text=True))})
    login_staff(client, "bea")
    assert client.get(path).status_code == 403


# --------------------------------------------------------------------------- a callback by phone

PURPOSE_REGISTER = "Een terugbelverzoek voor u vastleggen"


def registered_by_karin() -> list[Zaak]:
    return list(get_session().scalars(select(Zaak).where(
        Zaak.registered_by == "medewerker karin")))


def callback_form(client, path: str, **answers) -> dict:
    """The register page's form as a KCC employee fills it in (its CSRF and one-time token
    from the page)."""
    page = client.get(path).get_data(as_text=True)
    return {"csrf_token": csrf_from(page), "token": ONE_TIME_TOKEN.search(page).group(1),
            "onderwerp": "reisdocumenten", "vraag": "Is mijn paspoort al klaar?",
            "telefoon": "06 12345678", "dagdeel": "middag", **answers}


def test_the_kcc_registers_a_callback_the_resident_sees_in_my_portal(client, app):
    from tests.web.digid import login

    login_staff(client, "karin")
    overview = overview_path(client)
    assert f'href="{overview}/terugbelverzoek"' in client.get(overview).get_data(as_text=True)
    page = client.get(overview + "/terugbelverzoek").get_data(as_text=True)
    assert "Fatima El Amrani" in page and 'value="06 12345678"' in page  # what we know
    assert len(disclosures(FATIMA, PURPOSE_REGISTER)) == 1
    answer = client.post(overview + "/terugbelverzoek",
                         data=callback_form(client, overview + "/terugbelverzoek"))
    assert answer.status_code == 302 and answer.location.endswith(overview)
    (zaak,) = registered_by_karin()
    assert zaak.zaaktype.identificatie == "TERUGBELVERZOEK" and zaak.initiator.inp_bsn == FATIMA
    assert zaak.aanvraaggegevens == {"onderwerp": "reisdocumenten", "dagdeel": "middag",
                                     "vraag": "Is mijn paspoort al klaar?",
                                     "naam": "Fatima El Amrani", "telefoon": "0612345678"}
    shown = client.get(overview).get_data(as_text=True)
    assert f"Terugbelverzoek {zaak.identificatie} is vastgelegd" in shown
    assert zaak.identificatie in client.get("/backoffice/terugbelverzoeken").get_data(
        as_text=True)
    details = client.get(f"/backoffice/terugbelverzoeken/{zaak.identificatie}")
    assert "Een telefoongesprek, vastgelegd door medewerker karin" in details.get_data(
        as_text=True)
    resident = app.test_client()
    login(resident, FATIMA)
    assert zaak.identificatie in resident.get("/mijn-omgeving/zaken").get_data(as_text=True)


def test_sending_the_callback_form_twice_registers_one_callback(client):
    login_staff(client, "karin")
    path = overview_path(client) + "/terugbelverzoek"
    form = callback_form(client, path)
    first, second = client.post(path, data=form), client.post(path, data=form)
    assert first.status_code == second.status_code == 302
    assert len(registered_by_karin()) == 1


def test_a_callback_form_with_mistakes_says_where_and_keeps_the_rest(client):
    login_staff(client, "karin")
    path = overview_path(client) + "/terugbelverzoek"
    answer = client.post(path, data=callback_form(client, path, onderwerp="",
                                                  telefoon="12345", dagdeel=""))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    for field in ("onderwerp", "telefoon", "dagdeel"):
        assert f'href="#{field}"' in html, field
    assert "Is mijn paspoort al klaar?" in html
    assert not registered_by_karin()


# --------------------------------------------------------------------------- a question by phone

PURPOSE_REGISTER_QUESTION = "Uw vraag voor u vastleggen"


def question_form(client, path: str, **answers) -> dict:
    page = client.get(path).get_data(as_text=True)
    return {"csrf_token": csrf_from(page), "token": ONE_TIME_TOKEN.search(page).group(1),
            "onderwerp": "Kapvergunning", "vraag": "Mag ik de eik in mijn tuin kappen?",
            "antwoord_via": "email", "telefoon": "", **answers}


def test_the_kcc_registers_a_question_the_resident_is_answered_in_my_portal(client, app):
    from tests.web.digid import login

    login_staff(client, "karin")
    overview = overview_path(client)
    path = overview + "/vraag"
    assert f'href="{path}"' in client.get(overview).get_data(as_text=True)
    assert "Fatima El Amrani" in client.get(path).get_data(as_text=True)
    assert len(disclosures(FATIMA, PURPOSE_REGISTER_QUESTION)) == 1
    answer = client.post(path, data=question_form(client, path))
    assert answer.status_code == 302 and answer.location.endswith(overview)
    (zaak,) = registered_by_karin()
    assert zaak.zaaktype.identificatie == "VRAAG" and zaak.initiator.inp_bsn == FATIMA
    assert zaak.aanvraaggegevens == {"onderwerp": "Kapvergunning", "antwoord_via": "email",
                                     "vraag": "Mag ik de eik in mijn tuin kappen?",
                                     "naam": "Fatima El Amrani"}
    assert f"Vraag {zaak.identificatie} is vastgelegd" in client.get(overview).get_data(
        as_text=True)
    assert zaak.identificatie in client.get("/backoffice/vragen").get_data(as_text=True)
    details = client.get(f"/backoffice/vragen/{zaak.identificatie}").get_data(as_text=True)
    assert "Een telefoongesprek, vastgelegd door medewerker karin" in details
    assert "Als bericht in Mijn omgeving" in details
    post_form(client, f"/backoffice/vragen/{zaak.identificatie}",
              {"antwoord": "Voor een eik in uw tuin heeft u een kapvergunning nodig."})
    resident = app.test_client()
    login(resident, FATIMA)
    closed = resident.get("/mijn-omgeving/zaken?status=gesloten").get_data(as_text=True)
    assert zaak.identificatie in closed
    inbox = resident.get("/mijn-omgeving/berichten").get_data(as_text=True)
    assert "Kapvergunning" in inbox


def test_a_question_to_answer_by_phone_needs_the_number_and_is_called_back(client):
    login_staff(client, "karin")
    path = overview_path(client) + "/vraag"
    refused = client.post(path, data=question_form(client, path, antwoord_via="telefoon"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'href="#telefoon"' in html
    assert "Mag ik de eik in mijn tuin kappen?" in html and not registered_by_karin()
    client.post(path, data=question_form(client, path, antwoord_via="telefoon",
                                         telefoon="06 12345678"))
    (zaak,) = registered_by_karin()
    details = client.get(f"/backoffice/vragen/{zaak.identificatie}").get_data(as_text=True)
    assert "bel 0612345678" in details.lower()


def test_a_question_form_with_mistakes_says_where_and_registers_nothing(client):
    login_staff(client, "karin")
    path = overview_path(client) + "/vraag"
    answer = client.post(path, data=question_form(client, path, onderwerp=" ", vraag="",
                                                  antwoord_via=""))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    for field in ("onderwerp", "vraag", "antwoord_via"):
        assert f'href="#{field}"' in html, field
    assert not registered_by_karin()


def test_sending_the_question_form_twice_registers_one_question(client):
    login_staff(client, "karin")
    path = overview_path(client) + "/vraag"
    form = question_form(client, path)
    assert client.post(path, data=form).status_code == client.post(path, data=form).status_code
    assert len(registered_by_karin()) == 1


def test_a_digid_resident_who_asked_to_be_called_is_called(client):
    zaaknummer = question_zaak(bsn=FATIMA, telefoon="0525 123456", antwoord_via="telefoon")
    login_staff(client, "karin")
    page = client.get(f"/backoffice/vragen/{zaaknummer}").get_data(as_text=True)
    assert "0525 123456" in page and "Als bericht in Mijn omgeving" not in page


# --------------------------------------------------------------------------- an appointment by phone

PURPOSE_BOOKING = "Een afspraak voor u maken"
BOOKING_KEY = re.compile(r'name="key" type="hidden" value="([^"]+)"')


def free_day(client_app) -> str:
    """The first day with room for one passport at the gemeentehuis."""
    from app.appointments.services import Visit, agenda_backend

    visit = Visit("gemeentehuis", ("paspoort",), 1)
    return agenda_backend(get_session()).days_with_room(visit, utcnow())[0].isoformat()


def booking_page(client, overview: str, day: str) -> tuple[str, str]:
    """The booking page for one passport on that day: its address and HTML."""
    path = (f"{overview}/afspraak?products=paspoort&persons=1&location=gemeentehuis"
            f"&day={day}")
    return path, client.get(path).get_data(as_text=True)


def booking_form(html: str, **fields) -> dict:
    start = re.search(r'type="radio" id="[^"]+" name="start" value="([^"]+)"', html).group(1)
    return {"csrf_token": csrf_from(html), "key": BOOKING_KEY.search(html).group(1),
            "start": start, "email": "fatima.elamrani@example.nl", "phone": "", **fields}


def test_the_kcc_books_an_appointment_for_a_caller(client, app):
    from app.appointments.models import Appointment
    from tests.web.digid import login

    login_staff(client, "karin")
    overview = overview_path(client)
    assert f'href="{overview}/afspraak"' in client.get(overview).get_data(as_text=True)
    path, html = booking_page(client, overview, free_day(app))
    assert 'name="start"' in html and len(disclosures(FATIMA, PURPOSE_BOOKING)) == 1
    answer = client.post(path, data=booking_form(html))
    assert answer.status_code == 302 and answer.location.endswith(overview)
    (booked,) = get_session().scalars(select(Appointment).where(Appointment.bsn == FATIMA))
    assert booked.name == "Fatima El Amrani" and booked.status == "booked"
    assert booked.reference in client.get(overview).get_data(as_text=True)  # notice and list
    assert [m.subject for m in mails_to("fatima.elamrani@example.nl")] == [
        f"Uw afspraak {booked.reference}"]
    resident = app.test_client()
    login(resident, FATIMA)
    assert booked.reference in resident.get("/afspraak/mijn-afspraken").get_data(as_text=True)


def test_booking_twice_from_the_same_page_books_once_and_without_email_sends_nothing(client, app):
    from app.appointments.models import Appointment

    login_staff(client, "karin")
    path, html = booking_page(client, overview_path(client), free_day(app))
    form = booking_form(html, email="")
    assert client.post(path, data=form).status_code == client.post(path, data=form).status_code
    (booked,) = get_session().scalars(select(Appointment).where(Appointment.bsn == FATIMA))
    assert booked.email == "" and mails_to("fatima.elamrani@example.nl") == []


def test_a_time_taken_meanwhile_is_said_at_the_time(client, app):
    from app.appointments.models import Appointment, Desk, DeskSlot

    login_staff(client, "karin")
    path, html = booking_page(client, overview_path(client), free_day(app))
    form = booking_form(html)
    taken = dt.datetime.fromisoformat(form["start"])
    session = get_session()
    for desk in session.scalars(select(Desk).where(Desk.location == "gemeentehuis")):
        session.add(DeskSlot(desk_id=desk.id, slot_start=taken))  # everyone else was quicker
    session.commit()
    answer = client.post(path, data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and 'href="#start"' in page
    assert "Iemand anders heeft deze tijd net gekozen" in page
    assert session.scalar(select(Appointment.id).where(Appointment.bsn == FATIMA)) is None


def test_the_agenda_books_for_a_caller_the_persons_store_does_not_know(client, app):
    from app.appointments.models import Appointment

    login_staff(client, "karin")
    assert 'href="/backoffice/agenda/afspraak"' in client.get("/backoffice/agenda").get_data(
        as_text=True)
    day = free_day(app)
    path = (f"/backoffice/agenda/afspraak?products=paspoort&persons=1&location=gemeentehuis"
            f"&day={day}")
    html = client.get(path).get_data(as_text=True)
    nobody = client.post(path, data=booking_form(html, email=""))  # no name, no way to reach
    page = nobody.get_data(as_text=True)
    assert nobody.status_code == 200 and 'href="#name"' in page and 'href="#phone"' in page
    answer = client.post(path, data=booking_form(html, email="", name="Piet Bezoeker",
                                                 phone="06 55554444"))
    assert answer.status_code == 302 and f"datum={day}" in answer.location
    (booked,) = get_session().scalars(select(Appointment).where(
        Appointment.name == "Piet Bezoeker"))
    assert booked.bsn is None and booked.phone == "0655554444" and booked.email == ""
    assert booked.reference in client.get(answer.location).get_data(as_text=True)


def test_the_kcc_cancels_a_callers_appointment_and_only_theirs(client):
    visit = appointment_today(days=2)
    johannes = appointment_today(days=2, hour=11, bsn=JOHANNES, name="Johannes Berg",
                                 email="johannes@example.org")
    login_staff(client, "karin")
    overview = overview_path(client)
    html = client.get(overview).get_data(as_text=True)
    action = f"{overview}/afspraken/{visit.public_id}/afzeggen"
    assert f'action="{action}"' in html
    assert client.post(f"{overview}/afspraken/{johannes.public_id}/afzeggen",
                       data={"csrf_token": csrf_from(html)}).status_code == 404
    assert client.get(f"{overview}/afspraken/{johannes.public_id}/verzetten").status_code == 404
    answer = client.post(action, data={"csrf_token": csrf_from(html)})
    assert answer.status_code == 302 and answer.location.endswith(overview)
    get_session().refresh(visit)
    assert visit.status == "cancelled"
    assert f"{visit.reference} (Fatima El Amrani) is afgezegd" in client.get(overview).get_data(
        as_text=True)
    assert [m.subject for m in mails_to("fatima@example.org")] == [
        f"Uw afspraak {visit.reference} is geannuleerd"]


def test_the_kcc_moves_a_callers_appointment_once_keeping_its_reference(client, app):
    visit = free_visit_for_fatima(app)
    login_staff(client, "karin")
    overview = overview_path(client)
    move = f"{overview}/afspraken/{visit.public_id}/verzetten"
    assert f'href="{move}"' in client.get(overview).get_data(as_text=True)
    day = free_day(app)
    html = client.get(f"{move}?day={day}").get_data(as_text=True)
    starts = re.findall(r'type="radio" id="[^"]+" name="start" value="([^"]+)"', html)
    new_start = next(start for start in starts if start != visit.starts_at.isoformat())
    form = {"csrf_token": csrf_from(html), "start": new_start,
            "token": ONE_TIME_TOKEN.search(html).group(1)}
    first = client.post(f"{move}?day={day}", data=form)
    second = client.post(f"{move}?day={day}", data=form)  # a double click
    assert first.status_code == second.status_code == 302
    visit = booked_again(visit)
    assert visit.starts_at.isoformat() == new_start and visit.sequence == 1
    assert len(mails_to("fatima.elamrani@example.nl")) == 1  # "moved", once
    assert f"Afspraak {visit.reference} is verzet naar" in client.get(overview).get_data(
        as_text=True)


def test_the_agenda_moves_any_visit_to_a_free_time(client, app):
    visit = free_visit_for_fatima(app)
    login_staff(client, "karin")
    day = free_day(app)
    agenda_day = client.get(f"/backoffice/agenda?datum={to_day(visit)}").get_data(as_text=True)
    move = f"/backoffice/agenda/afspraken/{visit.public_id}/verzetten"
    assert f'href="{move}"' in agenda_day
    html = client.get(f"{move}?day={day}").get_data(as_text=True)
    starts = re.findall(r'type="radio" id="[^"]+" name="start" value="([^"]+)"', html)
    new_start = next(start for start in starts if start != visit.starts_at.isoformat())
    answer = client.post(f"{move}?day={day}", data={
        "csrf_token": csrf_from(html), "start": new_start,
        "token": ONE_TIME_TOKEN.search(html).group(1)})
    assert answer.status_code == 302 and "/backoffice/agenda?" in answer.location
    visit = booked_again(visit)
    assert visit.starts_at.isoformat() == new_start


def to_day(visit) -> str:
    from app.appointments.agenda import get_agenda
    from app.appointments.services import to_local

    return to_local(get_agenda(), visit.starts_at).date().isoformat()


def booked_again(visit):
    """The visit as the agenda has it now (what the backend hands out does not change)."""
    from app.appointments.services import agenda_backend

    return agenda_backend(get_session()).by_public_id(visit.public_id)


def free_visit_for_fatima(app):
    """A passport visit for Fatima, booked through the agenda like any other."""
    from app.appointments.services import Contact, Visit, agenda_backend

    day = dt.date.fromisoformat(free_day(app))
    visit = Visit("gemeentehuis", ("paspoort",), 1)
    backend = agenda_backend(get_session())
    start = backend.times_on(visit, day, utcnow())[-1]
    booked = backend.book(visit, start, Contact("Fatima El Amrani", "fatima.elamrani@example.nl",
                                                bsn=FATIMA),
                          idempotency_key="kcc-move-test", locale="nl", now=utcnow())
    get_session().commit()
    return booked


def test_the_agenda_cancels_a_visit_and_refuses_one_that_began(client):
    later = appointment_today(days=1)
    began = appointment_today(hour=0)
    login_staff(client, "karin")
    page = client.get(f"/backoffice/agenda?datum={today() + dt.timedelta(days=1)}")
    html = page.get_data(as_text=True)
    action = f"/backoffice/agenda/afspraken/{later.public_id}/afzeggen"
    assert f'action="{action}"' in html
    client.post(action, data={"csrf_token": csrf_from(html)})
    get_session().refresh(later)
    assert later.status == "cancelled"
    answer = client.post(f"/backoffice/agenda/afspraken/{began.public_id}/afzeggen",
                         data={"csrf_token": csrf_from(html)}, follow_redirects=True)
    with force_locale("nl"):
        refusal = gettext("This visit has begun or is over: it can no longer be moved or "
                          "cancelled.")
    assert refusal in answer.get_data(as_text=True)
    get_session().refresh(began)
    assert began.status == "booked"


@pytest.mark.parametrize("action", ["terugbelverzoek", "afspraak"])
def test_only_the_kcc_acts_for_a_caller_and_only_for_one_it_found(client, action):
    login_staff(client, "karin")
    path = f"{overview_path(client)}/{action}"
    assert client.get(path.replace("/inwoners/", "/inwoners/x")).status_code == 404
    client.post("/backoffice/uitloggen", data={"csrf_token": csrf_from(
        client.get("/backoffice/").get_data(as_text=True))})
    login_staff(client, "bas")
    assert client.get(path).status_code == 403


# --------------------------------------------------------------------------- query counts


def test_kcc_pages_run_a_fixed_number_of_queries(client, app):
    from tests.backoffice_fixtures import new_zaak

    callback = callback_zaak()
    question = question_zaak()
    new_zaak(app, "VERHUIZING")
    appointment_today(days=1)
    login_staff(client, "karin")
    overview = overview_path(client)
    pages = ("/backoffice/terugbelverzoeken", "/backoffice/vragen",
             f"/backoffice/terugbelverzoeken/{callback}", f"/backoffice/vragen/{question}",
             overview)
    with_one = {path: queries_for(client, app, path) for path in pages}
    for n in range(20):
        callback_zaak(bsn=JOHANNES if n % 2 else FATIMA, dagdeel=("ochtend", "middag")[n % 2])
        question_zaak(bsn=None if n % 2 else FATIMA, email="x@example.org")
        new_zaak(app, "VERHUIZING")
        appointment_today(days=1, hour=9 + n % 8, minute=10 * (n % 6),
                          desk_code=f"balie-{1 + n % 3}")
    with_many = {path: queries_for(client, app, path) for path in pages}
    assert with_one == with_many, (with_one, with_many)
