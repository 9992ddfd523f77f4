"""Two-way contact through the test client: a resident asks about a zaak and answers a
message (text and a file, the upload rules, CSRF, sent once), staff of the zaak's team see
it waiting with the servicenorm, read it (a disclosure) and answer; the unread marks on both
sides; another resident's or team's conversation is not theirs; what the resident typed
survives the end of their session."""

import io
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.berichten.models import Message, Thread
from app.contacts.models import Contact
from app.contacts.services import Soort, kanaal_of_zaak
from app.db import get_session
from app.notifications.delivery import deliver_due
from tests.backoffice_fixtures import disclosures, form_fields
from tests.contacts_fixtures import contacts_about, zaak_in_ledger
from tests.conversation_fixtures import resident_asks
from tests.factories import PDF, SARA, new_zaak
from tests.login import login_as
from tests.notifications_fixtures import smtp_server, smtp_settings_for  # noqa: F401
from tests.personas import FATIMA, JOHANNES, SANNE
from tests.querycount import counted_queries
from tests.web.digid import login
from tests.web.test_kept_input import _expire as expire
from tests.web.test_kept_input import _value_of as value_of
from tests.web.test_pip_berichten import message, worker_sessions

INBOX = "/mijn-omgeving/berichten"
MESSAGE_PAGE = re.compile(r"/mijn-omgeving/berichten/([A-Za-z0-9_-]{20,})")
NEW_IN_NAV = re.compile(r"Messages \((\d+) new\)")
TEAM = "burgerzaken"


def english(client, who):
    login_as(client, who)
    client.set_cookie("lang", "en")
    return client


def post_form(client, page_path: str, action: str, **fields):
    """Post the form on page_path whose action ends with `action`, with its hidden fields
    (CSRF and one-time token) and these."""
    target, hidden = form_fields(client.get(page_path).get_data(as_text=True), action)
    return client.post(target, data={**hidden, **fields}, content_type="multipart/form-data")


def ask(client, zaaknummer, tekst="Wanneer komt u langs?", bijlage=None):
    fields = {"tekst": tekst}
    if bijlage is not None:
        fields["bijlage"] = bijlage
    return post_form(client, f"/mijn-omgeving/zaken/{zaaknummer}", "/vraag", **fields)


def threads_of(app, bsn):
    with app.app_context():
        return get_session().scalars(select(Thread).where(Thread.bsn == bsn)).all()


def messages_in(app, thread_id):
    with app.app_context():
        return get_session().scalars(select(Message).where(Message.thread_id == thread_id)
                                     .options(selectinload(Message.attachments))
                                     .order_by(Message.id)).all()


def unread_in_nav(client) -> int:
    """The navigation's count of unread messages (it says none when there are none)."""
    found = NEW_IN_NAV.search(client.get(INBOX).get_data(as_text=True))
    return int(found[1]) if found else 0


# --------------------------------------------------------------------------- the resident


def test_a_resident_asks_about_a_zaak_with_a_file(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    english(client, FATIMA)
    sent = ask(client, zaaknummer, bijlage=(io.BytesIO(PDF), "C:\\scans\\brief.pdf"))
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "We have received your message" in page
    assert "From You on " in page and "Wanneer komt u langs?" in page and "brief.pdf" in page
    [thread] = [t for t in threads_of(app, FATIMA) if t.zaak_identificatie == zaaknummer]
    assert thread.team == TEAM and thread.waiting_since is not None
    [question] = messages_in(app, thread.id)
    assert question.from_resident and question.afzender == "Fatima El Amrani"
    # The zaak page lists it with the messages about the zaak, said as "You".
    zaak_page = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    assert f"Your question about case {zaaknummer}" in zaak_page and "From You on" in zaak_page
    assert FATIMA not in sent.headers["Location"]


def test_a_question_sent_twice_is_one_message(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    english(client, FATIMA)
    target, hidden = form_fields(
        client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True), "/vraag")
    first = client.post(target, data={**hidden, "tekst": "Eén keer"})
    second = client.post(target, data={**hidden, "tekst": "Eén keer"})
    assert first.headers["Location"] == second.headers["Location"]
    [thread] = [t for t in threads_of(app, FATIMA) if t.zaak_identificatie == zaaknummer]
    assert len(messages_in(app, thread.id)) == 1


@pytest.mark.parametrize(("fields", "field", "error"), [
    ({"tekst": ""}, "tekst", "Write your message"),
    ({"tekst": "x" * 5001}, "tekst", "Write at most 5000 characters"),
    ({"tekst": "Zie bijlage", "bijlage": (io.BytesIO(b"MZ\x90 exe"), "a.pdf")}, "bijlage",
     "The file a.pdf is not a PDF, JPG, PNG file"),
])
def test_a_question_that_breaks_a_rule_is_shown_again_with_the_error(client, app, fields, field,
                                                                     error):
    zaaknummer = new_zaak(app, team=TEAM)
    english(client, FATIMA)
    answer = post_form(client, f"/mijn-omgeving/zaken/{zaaknummer}", "/vraag", **fields)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "<title>Error: " in page and error in page
    assert f'href="#{field}"' in page  # the error summary links to the field
    assert not [t for t in threads_of(app, FATIMA) if t.zaak_identificatie == zaaknummer]


def test_a_question_without_the_csrf_token_is_refused(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    english(client, FATIMA)
    _target, hidden = form_fields(
        client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True), "/vraag")
    hidden.pop("csrf_token")
    answer = client.post(f"/mijn-omgeving/zaken/{zaaknummer}/vraag",
                         data={**hidden, "tekst": "Zonder token"})
    assert answer.status_code == 400
    assert not [t for t in threads_of(app, FATIMA) if t.zaak_identificatie == zaaknummer]


def test_another_residents_zaak_and_message_answer_404(client, app):
    zaaknummer = new_zaak(app, team=TEAM, bsn=JOHANNES)
    theirs = message(app, bsn=JOHANNES, onderwerp="Voor Johannes")
    english(client, FATIMA)
    own_zaak = new_zaak(app, team=TEAM)
    _target, hidden = form_fields(
        client.get(f"/mijn-omgeving/zaken/{own_zaak}").get_data(as_text=True), "/vraag")
    data = {**hidden, "tekst": "Van een ander"}
    assert client.post(f"/mijn-omgeving/zaken/{zaaknummer}/vraag", data=data).status_code == 404
    assert client.post(f"{INBOX}/{theirs}", data=data).status_code == 404
    assert client.get(f"{INBOX}/{theirs}").status_code == 404
    assert threads_of(app, JOHANNES) == []


def test_answering_a_message_opens_a_conversation_shown_once_in_the_inbox(client, app):
    letter = message(app, onderwerp="Uw parkeervergunning", tekst="Uw vergunning verloopt.")
    english(client, FATIMA)
    sent = post_form(client, f"{INBOX}/{letter}", f"{INBOX}/{letter}",
                     tekst="Hoe verleng ik die?")
    assert sent.status_code == 302
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert page.index("Uw vergunning verloopt.") < page.index("Hoe verleng ik die?")
    [thread] = [t for t in threads_of(app, FATIMA) if t.onderwerp == "Uw parkeervergunning"]
    assert thread.team == "kcc" and thread.zaak_identificatie == ""
    inbox = client.get(INBOX).get_data(as_text=True)
    assert "Your reply: Uw parkeervergunning" in inbox
    assert f"{INBOX}/{letter}\"" not in inbox  # the conversation shows once, by its newest


def test_a_residents_message_is_a_contact_online_under_the_zaaks_product(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    zaak_in_ledger(app, zaaknummer, product="verhuizing-doorgeven")
    english(client, FATIMA)
    ask(client, zaaknummer)
    [contact] = contacts_about(app, zaaknummer, Soort.BERICHT)
    assert (contact.kanaal, contact.product, contact.bsn, contact.geregistreerd_door) == (
        "online", "verhuizing-doorgeven", FATIMA, "inwoner")
    assert contact.onderwerp == f"Uw vraag over zaak {zaaknummer}"


def test_a_message_a_gemachtigde_writes_came_in_on_behalf_and_the_zaak_keeps_its_channel(
        client, app):
    zaaknummer = new_zaak(app, team=TEAM, bsn=JOHANNES)
    zaak_in_ledger(app, zaaknummer)
    login_as(client, SANNE, acting_for=JOHANNES)
    ask(client, zaaknummer)
    [contact] = contacts_about(app, zaaknummer, Soort.BERICHT)
    assert (contact.kanaal, contact.bsn) == ("namens", JOHANNES)
    with app.app_context():
        assert kanaal_of_zaak(get_session(), zaaknummer) == "online"


def test_an_answer_to_a_message_not_about_a_zaak_is_a_contact_without_product(client, app):
    letter = message(app, onderwerp="Uw parkeervergunning", tekst="Uw vergunning verloopt.")
    english(client, FATIMA)
    post_form(client, f"{INBOX}/{letter}", f"{INBOX}/{letter}", tekst="Hoe verleng ik die?")
    with app.app_context():
        [contact] = get_session().scalars(select(Contact).where(
            Contact.bsn == FATIMA, Contact.soort == Soort.BERICHT.value)).all()
    assert (contact.kanaal, contact.product, contact.zaak_identificatie) == ("online", "", None)
    assert contact.onderwerp == "Uw reactie: Uw parkeervergunning"


# --------------------------------------------------------------------------- the staff


def test_staff_see_the_waiting_question_with_the_norm_read_and_answer_it(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    thread_id = resident_asks(app, zaaknummer, team=TEAM)
    english(client, "bas")  # burgerzaken
    home = client.get("/backoffice/").get_data(as_text=True)
    assert re.search(r"\d+ waits? for an answer", home)
    listed = client.get("/backoffice/gesprekken").get_data(as_text=True)
    row = listed.split(f"/backoffice/gesprekken/{thread_id}")[1].split("</tr>")[0]
    assert f"Case {zaaknummer}" in row and "0 working days" in row
    assert "Answer by " in row and "1 new message" in row
    assert "Fatima" not in listed  # the list reads no personal data
    path = f"/backoffice/gesprekken/{thread_id}"
    page = client.get(path).get_data(as_text=True)
    assert "Wanneer komt de ambtenaar langs?" in page and "Waiting for an answer" in page
    [logged] = [d for d in disclosures(app, FATIMA, zaaknummer)
                if d.purpose == "Uw bericht lezen en beantwoorden"]
    assert logged.data_categories == ["naam", "berichten"]
    assert "1 new message" not in client.get("/backoffice/gesprekken").get_data(as_text=True)
    english(client, FATIMA)
    unread_before = unread_in_nav(client)
    english(client, "bas")
    answered = post_form(client, path, path, tekst="Dinsdag om tien uur.",
                         bijlage=(io.BytesIO(PDF), "afspraak.pdf"))
    assert answered.status_code == 302
    assert thread_id not in client.get("/backoffice/gesprekken").get_data(as_text=True)
    answer = messages_in_thread(app, thread_id)[-1]
    assert (answer.tekst, answer.from_resident) == ("Dinsdag om tien uur.", False)
    assert [a.bestandsnaam for a in answer.attachments] == ["afspraak.pdf"]
    english(client, FATIMA)
    assert unread_in_nav(client) == unread_before + 1
    page = client.get(f"{INBOX}/{answer.public_id}").get_data(as_text=True)
    assert page.index("Wanneer komt de ambtenaar langs?") < page.index("Dinsdag om tien uur.")
    assert unread_in_nav(client) == unread_before


def messages_in_thread(app, public_id):
    with app.app_context():
        db = get_session()
        thread = db.scalar(select(Thread).where(Thread.public_id == public_id))
        return messages_in(app, thread.id)


def test_an_answer_sent_twice_is_one_message(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    thread_id = resident_asks(app, zaaknummer, team=TEAM)
    login_as(client, "bas")
    path = f"/backoffice/gesprekken/{thread_id}"
    target, hidden = form_fields(client.get(path).get_data(as_text=True), path)
    for _ in range(2):
        assert client.post(target, data={**hidden, "tekst": "Eén antwoord"}).status_code == 302
    assert [m.tekst for m in messages_in_thread(app, thread_id)].count("Eén antwoord") == 1


def test_an_empty_answer_is_shown_again_with_the_error(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    thread_id = resident_asks(app, zaaknummer, team=TEAM)
    english(client, "bas")
    path = f"/backoffice/gesprekken/{thread_id}"
    answer = post_form(client, path, path, tekst="  ")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "<title>Error: " in page and "Write the answer" in page
    assert len(messages_in_thread(app, thread_id)) == 1


def test_only_staff_who_may_see_the_zaak_see_its_conversation(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    thread_id = resident_asks(app, zaaknummer, team=TEAM)
    path = f"/backoffice/gesprekken/{thread_id}"
    login_as(client, "vera")  # vergunningen
    assert thread_id not in client.get("/backoffice/gesprekken").get_data(as_text=True)
    assert client.get(path).status_code == 403
    assert client.post(path, data={"tekst": "x"}).status_code in (400, 403)
    login_as(client, "karin")  # the KCC sees every zaak
    assert thread_id in client.get("/backoffice/gesprekken").get_data(as_text=True)
    assert client.get(path).status_code == 200
    assert client.get("/backoffice/gesprekken/onbekend").status_code == 404
    with app.app_context():
        assert get_session().scalar(select(func.count(Message.id)).where(
            Message.tekst == "x")) == 0


def test_the_resident_downloads_the_answers_file_and_staff_the_residents(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    english(client, FATIMA)
    ask(client, zaaknummer, bijlage=(io.BytesIO(PDF), "vraag.pdf"))
    [thread] = [t for t in threads_of(app, FATIMA) if t.zaak_identificatie == zaaknummer]
    login_as(client, "bas")
    page = client.get(f"/backoffice/gesprekken/{thread.public_id}").get_data(as_text=True)
    link = re.search(r'href="(/backoffice/gesprekken/[^"]+/bijlagen/1)"', page)[1]
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF
    login_as(client, "vera")
    assert client.get(link).status_code == 403


def test_a_question_typed_when_the_session_ended_is_back_after_logging_in(client, app,
                                                                           db_connection):
    zaaknummer = new_zaak(app, team=TEAM)
    zaak_page = f"/mijn-omgeving/zaken/{zaaknummer}"
    login(client, FATIMA)
    target, hidden = form_fields(client.get(zaak_page).get_data(as_text=True), "/vraag")
    expire(client, db_connection)
    sent = client.post(target, data={**hidden, "tekst": "Bijna weg"},
                       headers={"Referer": f"http://localhost{zaak_page}"})
    assert sent.headers["Location"].startswith("/sessie-verlopen?next=")
    back = login(client, FATIMA, next_path=zaak_page)
    assert back.headers["Location"] == zaak_page
    assert value_of(client.get(zaak_page).get_data(as_text=True), "tekst") == "Bijna weg"
    assert not [t for t in threads_of(app, FATIMA) if t.zaak_identificatie == zaaknummer]


def test_the_zaak_page_leads_staff_to_the_conversation_without_showing_it(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    thread_id = resident_asks(app, zaaknummer, team=TEAM, tekst="Alleen in het gesprek te lezen")
    english(client, "bas")
    page = client.get(f"/backoffice/zaken/{zaaknummer}").get_data(as_text=True)
    assert "Written by the resident" in page and "Alleen in het gesprek te lezen" not in page
    link = f"/backoffice/zaken/{zaaknummer}/gesprek"
    assert f'href="{link}"' in page
    assert client.get(link).headers["Location"] == f"/backoffice/gesprekken/{thread_id}"
    login_as(client, "vera")
    assert client.get(link).status_code == 403
    login_as(client, "bas")
    assert client.get(f"/backoffice/zaken/{new_zaak(app, team=TEAM)}/gesprek").status_code == 404


def test_a_waiting_question_goes_along_when_the_zaak_is_routed(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    thread_id = resident_asks(app, zaaknummer, team=TEAM)
    login_as(client, "karin")
    zaak_page = f"/backoffice/zaken/{zaaknummer}"
    assert post_form(client, zaak_page, "/team", **{"team-team": "vergunningen"}
                     ).status_code == 302
    login_as(client, "vera")  # vergunningen
    assert thread_id in client.get("/backoffice/gesprekken").get_data(as_text=True)
    assert client.get(f"/backoffice/gesprekken/{thread_id}").status_code == 200
    login_as(client, "bas")
    assert thread_id not in client.get("/backoffice/gesprekken").get_data(as_text=True)


def test_the_waiting_list_and_a_conversation_cost_the_same_queries_however_long(client, app):
    def queries(path):
        with counted_queries(app) as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    first = new_zaak(app, team=TEAM)
    thread_id = resident_asks(app, first, team=TEAM)
    login_as(client, "bas")
    queries("/backoffice/gesprekken")  # the first view of the session reads a little more
    short_list = queries("/backoffice/gesprekken")
    short_talk = queries(f"/backoffice/gesprekken/{thread_id}")
    for n in range(5):
        resident_asks(app, new_zaak(app, team=TEAM), team=TEAM)
        resident_asks(app, first, team=TEAM, tekst=f"Nog een vraag {n}")
    assert queries("/backoffice/gesprekken") == short_list
    assert queries(f"/backoffice/gesprekken/{thread_id}") == short_talk


def test_an_answer_without_the_csrf_token_is_refused(client, app):
    zaaknummer = new_zaak(app, team=TEAM)
    thread_id = resident_asks(app, zaaknummer, team=TEAM)
    login_as(client, "bas")
    path = f"/backoffice/gesprekken/{thread_id}"
    _target, hidden = form_fields(client.get(path).get_data(as_text=True), path)
    hidden.pop("csrf_token")
    assert client.post(path, data={**hidden, "tekst": "Zonder token"}).status_code == 400
    assert len(messages_in_thread(app, thread_id)) == 1


# --------------------------------------------------------------------------- the contact person


def mails_delivered(db_connection, smtp_server):
    deliver_due(worker_sessions(db_connection), smtp_settings_for(smtp_server))
    return smtp_server.messages


def test_the_contact_person_gets_a_mail_without_content_when_the_resident_writes(
        client, app, db_connection, smtp_server):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO", contact_person=SARA)
    english(client, FATIMA)
    assert ask(client, zaaknummer, tekst="Mijn moeder is gevallen.").status_code == 302
    [mail] = [m for m in mails_delivered(db_connection, smtp_server)
              if m["To"] == SARA.email]
    body = mail.get_body(("plain",)).get_content()
    assert zaaknummer in mail["Subject"] and "contactpersoon" in body
    assert "gevallen" not in str(mail) and "Fatima" not in str(mail) and FATIMA not in str(mail)
    link = re.search(r"https?://[^/\s]+(/backoffice/gesprekken/[A-Za-z0-9_-]+)", body)[1]
    english(client, "sara")
    assert "Mijn moeder is gevallen." in client.get(link).get_data(as_text=True)


def test_answering_a_message_about_the_zaak_tells_the_contact_person_too(
        client, app, db_connection, smtp_server):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO", contact_person=SARA)
    letter = message(app, onderwerp="Uw hulpvraag", zaak_identificatie=zaaknummer)
    english(client, FATIMA)
    post_form(client, f"{INBOX}/{letter}", f"{INBOX}/{letter}", tekst="Dank u.")
    assert [m["To"] for m in mails_delivered(db_connection, smtp_server)].count(SARA.email) == 1


def test_a_zaak_without_a_contact_person_mails_no_employee(client, app, db_connection,
                                                           smtp_server):
    zaaknummer = new_zaak(app, team=TEAM)
    english(client, FATIMA)
    ask(client, zaaknummer)
    assert not [m for m in mails_delivered(db_connection, smtp_server)
                if "/backoffice/" in m.get_body(("plain",)).get_content()]
