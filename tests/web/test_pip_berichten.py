"""Berichten through the test client: the inbox, reading a message, the unread count in the
navigation and on the overview, messages on a zaak's page, the mails (delivered over a real
SMTP server), the correction-request confirmation, and a fixed number of queries per page."""

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.berichten.models import Message
from app.berichten.services import send_message
from app.db import get_session
from app.notifications.delivery import deliver_due
from app.notifications.models import OutboxMessage
from app.notifications.services import Attachment
from app.ui.dates import long_date_time
from app.zaken.services import Initiator, get_zaak, open_zaak, set_resultaat, set_status
from tests.eforms_fixtures import form_csrf
from tests.login import login_as
from tests.notifications_fixtures import smtp_server, smtp_settings_for  # noqa: F401
from tests.personas import FATIMA, JOHANNES, PIOTR
from tests.querycount import counted_queries
from tests.web.test_resident_authorization import CSRF_VALUE

INBOX = "/mijn-omgeving/berichten"
MESSAGE_LINK = re.compile(r'href="(/mijn-omgeving/berichten/[A-Za-z0-9_-]+)"')
ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")


def logged_in(client, bsn=FATIMA, language="en"):
    """Interface texts are read in English (msgids), data texts in Dutch from the TOML."""
    login_as(client, bsn)
    if language == "en":
        client.set_cookie("lang", "en")
    return client


def message(app, bsn=FATIMA, onderwerp="Uw vraag", tekst="Hier is ons antwoord.", **extra) -> str:
    """A committed message (in the test's transaction); its public_id."""
    with app.app_context():
        db = get_session()
        sent = send_message(db, bsn=bsn, onderwerp=onderwerp, tekst=tekst,
                            afzender="Gemeente Elburg", **extra)
        db.commit()
        return sent.public_id


def zaak_with_status(app, bsn=FATIMA, toelichting="Wij komen dinsdag langs.") -> str:
    """A WMO zaak that reached "Gesprek gepland" (informeren): the signal sent a message."""
    with app.app_context():
        db = get_session()
        zaak = open_zaak(db, zaaktype="HULPVRAAG_WMO", initiator=Initiator(naam="Test", bsn=bsn),
                         omschrijving="Hulp bij het huishouden", registered_by="test")
        set_status(db, zaak, volgnummer=2, toelichting=toelichting, gezet_door="test")
        db.commit()
        return zaak.identificatie


def read_state(app, public_id):
    with app.app_context():
        return get_session().scalar(select(Message.read_at).where(Message.public_id == public_id))


# --------------------------------------------------------------------------- the inbox


def test_the_inbox_lists_newest_first_and_says_which_are_new(client, app):
    older = message(app, onderwerp="Eerste bericht")
    newer = message(app, onderwerp="Tweede bericht")
    message(app, bsn=JOHANNES, onderwerp="Bericht voor Johannes")
    logged_in(client)
    client.get(f"{INBOX}/{older}")  # read
    page = client.get(INBOX).get_data(as_text=True)
    links = MESSAGE_LINK.findall(page)
    assert links.index(f"{INBOX}/{newer}") < links.index(f"{INBOX}/{older}")
    assert "Bericht voor Johannes" not in page
    newer_item = page.split(f'href="{INBOX}/{newer}"')[1].split("</li>")[0]
    older_item = page.split(f'href="{INBOX}/{older}"')[1].split("</li>")[0]
    assert ">New</span>" in newer_item and ">New</span>" not in older_item  # a word, not a colour
    assert "From Gemeente Elburg on " in newer_item
    assert FATIMA not in page


def test_the_inbox_pages_by_twenty(client, app):
    # Browser journeys and other tests may have messages for this persona: ours are the newest.
    ids = [message(app, onderwerp=f"Bericht {n}") for n in range(23)][::-1]
    logged_in(client)
    first = [link.rsplit("/", 1)[1] for link in MESSAGE_LINK.findall(
        client.get(INBOX).get_data(as_text=True))]
    second_page = client.get(f"{INBOX}?pagina=2").get_data(as_text=True)
    second = [link.rsplit("/", 1)[1] for link in MESSAGE_LINK.findall(second_page)]
    assert first == ids[:20] and second[:3] == ids[20:]
    assert 'rel="prev"' in second_page and "Page 2 of" in second_page
    assert client.get(f"{INBOX}?pagina=x").status_code == 200
    assert client.get(f"{INBOX}?pagina=999").status_code == 200


def test_an_empty_inbox_says_so(client):
    logged_in(client, PIOTR)
    page = client.get(INBOX).get_data(as_text=True)
    if "Your messages (0)" in page:  # unless other tests left Piotr messages in this database
        assert "You have no messages yet." in page


def test_the_inbox_in_dutch_has_the_dutch_navigation(client, app):
    message(app)
    logged_in(client, language="nl")
    page = client.get(INBOX).get_data(as_text=True)
    assert '<html lang="nl"' in page and 'aria-current="page"' in page


# --------------------------------------------------------------------------- one message


def test_reading_a_message_marks_it_read_and_lowers_the_count(client, app):
    public_id = message(app, onderwerp="Uw parkeervergunning",
                        tekst="Eerste alinea.\n\nTweede alinea\nmet een tweede regel.")
    logged_in(client)
    before = int(re.search(r"Messages \((\d+) new\)", client.get(INBOX).get_data(as_text=True))[1])
    page = client.get(f"{INBOX}/{public_id}").get_data(as_text=True)
    assert "<h1 class=\"utrecht-heading-1\">Uw parkeervergunning</h1>" in page
    assert "<title>Uw parkeervergunning - " in page
    assert "<p class=\"utrecht-paragraph\">Eerste alinea.</p>" in page
    assert "Tweede alinea<br>met een tweede regel." in page
    assert read_state(app, public_id) is not None
    after = client.get(INBOX).get_data(as_text=True)
    count = re.search(r"Messages \((\d+) new\)", after)
    assert (int(count[1]) if count else 0) == before - 1
    assert "no-store" in client.get(f"{INBOX}/{public_id}").headers["Cache-Control"]


def test_a_message_about_a_zaak_links_to_it_in_the_residents_language(client, app):
    zaaknummer = zaak_with_status(app)
    logged_in(client)
    with app.app_context():
        public_id = get_session().scalar(select(Message.public_id)
                                         .where(Message.zaak_identificatie == zaaknummer))
    page = client.get(f"{INBOX}/{public_id}").get_data(as_text=True)
    assert f'href="/mijn-omgeving/zaken/{zaaknummer}"' in page
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer)
        statustype = zaak.zaaktype.statustype(2)
        assert statustype.statustekst_en in page and "Wij komen dinsdag langs." in page
    client.set_cookie("lang", "nl")
    dutch = client.get(f"{INBOX}/{public_id}").get_data(as_text=True)
    assert "Hulpvraag Wmo: Gesprek gepland" in dutch
    assert "Wij hebben een gesprek met u gepland." in dutch


def test_another_residents_message_answers_404_like_a_missing_one(client, app, caplog):
    theirs = message(app, bsn=JOHANNES)
    logged_in(client)
    missing = "x" * len(theirs)
    answers = [client.get(f"{INBOX}/{theirs}"), client.get(f"{INBOX}/{missing}")]
    assert [a.status_code for a in answers] == [404, 404]
    pages = [CSRF_VALUE.sub(r'\1TOKEN"', a.get_data(as_text=True)) for a in answers]
    assert pages[0].replace(theirs, missing) == pages[1]
    assert read_state(app, theirs) is None
    refusals = [r for r in caplog.records if "message refused" in r.getMessage()]
    assert len(refusals) == 2 and all(FATIMA not in str(r.__dict__) for r in refusals)


# --------------------------------------------------------------------------- count elsewhere


def test_the_overview_tells_how_many_new_messages(client, app):
    message(app, onderwerp="Nieuw bericht over uw afspraak")
    logged_in(client)
    page = client.get("/mijn-omgeving").get_data(as_text=True)
    count = int(re.search(r"You have (\d+) new messages?<", page)[1])
    assert count >= 1 and f"Messages ({count} new)" in page
    assert "Nieuw bericht over uw afspraak" in page
    assert f'href="{INBOX}"' in page


def test_every_page_header_shows_the_new_messages(client, app):
    message(app, onderwerp="Uw afspraak is verzet")
    logged_in(client, language="nl")
    home = client.get("/").get_data(as_text=True)
    header = home[home.index("<header"):home.index("</header>")]
    count = int(re.search(r"Berichten \((\d+) nieuw\)", header)[1])
    assert count >= 1 and f'href="{INBOX}"' in header


def test_a_message_with_a_letter_attached_offers_it_for_download(client, app):
    letter = b"%PDF-1.4 besluit " + b"\x00" * 32
    public_id = message(app, onderwerp="Besluit over uw aanvraag",
                        attachments=[Attachment("C:\\scans\\besluit.pdf", "application/pdf", letter)])
    logged_in(client)
    page = client.get(f"{INBOX}/{public_id}").get_data(as_text=True)
    link = re.search(r'href="([^"]+/bijlagen/1)"[^>]*>besluit\.pdf<', page)[1]
    download = client.get(link)
    assert download.status_code == 200 and download.data == letter
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"


def test_a_zaak_page_lists_its_messages(client, app):
    zaaknummer = zaak_with_status(app)
    message(app, onderwerp="Over iets anders")
    logged_in(client)
    page = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    section = page.split('id="berichten"')[1].split("</section>")[0]
    assert "Messages about this case" in section
    assert "Help and care (Wmo) from Team Doe" in section and "Over iets anders" not in section
    assert 'aria-current="page">My cases</a>' in page and "new)</a>" in page


def test_a_zaak_page_reads_its_messages_newest_first_with_the_unread_count(client, app):
    told = zaak_with_status(app)  # its status change sent a message
    with app.app_context():
        db = get_session()
        zaak = get_zaak(db, told)
        send_message(db, bsn=FATIMA, onderwerp="Nog een vraag", tekst="Welke dag past u?",
                     afzender="Gemeente Elburg", zaak_identificatie=zaak.identificatie)
        quiet = open_zaak(db, zaaktype="HULPVRAAG_WMO", initiator=Initiator(naam="Test", bsn=FATIMA),
                          omschrijving="Nog niets over gehoord", registered_by="test").identificatie
        db.commit()
    logged_in(client)
    pages, queries = {}, {}
    for zaaknummer in (told, quiet):
        path = f"/mijn-omgeving/zaken/{zaaknummer}"
        client.get(path)  # once first: the session touch settles
        with counted_queries(app) as statements:
            pages[zaaknummer] = client.get(path).get_data(as_text=True)
        queries[zaaknummer] = len(statements)
    section = pages[told].split('id="berichten"')[1].split("</section>")[0]
    assert section.index("Nog een vraag") < section.index("Help and care (Wmo) from Team Doe")
    assert 'id="berichten"' not in pages[quiet]
    assert "Messages (2 new)" in pages[quiet]  # the navigation's count all the same
    # The login session, the zaak (from the zaken store), its messages with the unread count.
    assert queries[told] == queries[quiet] == 3


def test_a_message_about_someone_elses_zaak_does_not_open_that_zaak(client, app):
    zaaknummer = zaak_with_status(app, bsn=JOHANNES)
    with app.app_context():
        db = get_session()
        send_message(db, bsn=FATIMA, onderwerp="Over de zaak van uw buurman", tekst="-",
                     afzender="Gemeente Elburg", zaak_identificatie=zaaknummer)
        db.commit()
    logged_in(client)
    assert client.get(f"/mijn-omgeving/zaken/{zaaknummer}").status_code == 404


def test_the_pages_need_a_login(client, app):
    public_id = message(app)
    for path in (INBOX, f"{INBOX}/{public_id}"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/inloggen" in answer.headers["Location"], path
    assert read_state(app, public_id) is None


def test_no_url_contains_a_bsn(client, app):
    public_id = message(app)
    logged_in(client)
    for path in (INBOX, f"{INBOX}/{public_id}", "/mijn-omgeving"):
        page = client.get(path).get_data(as_text=True)
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', page):
            assert FATIMA not in url, (path, url)


# --------------------------------------------------------------------------- mail


def worker_sessions(db_connection):
    def sessions() -> Session:  # the worker's own sessions, inside the test's transaction
        return Session(bind=db_connection, join_transaction_mode="create_savepoint",
                       expire_on_commit=False)
    return sessions


def test_a_status_change_mail_arrives_without_content_or_bsn(
        client, app, db_connection, smtp_server):
    zaaknummer = zaak_with_status(app, toelichting="Wij komen dinsdag om 10.00 uur.")
    deliver_due(worker_sessions(db_connection), smtp_settings_for(smtp_server))
    mail = next(m for m in smtp_server.messages if zaaknummer in m.get_body(("plain",)).get_content())
    assert mail["To"] == "fatima.elamrani@example.nl"
    body = mail.get_body(("plain",)).get_content()
    assert "10.00" not in body and "gesprek" not in body.lower()
    assert FATIMA not in str(mail)
    link = re.search(r"https?://[^/\s]+(/mijn-omgeving/berichten/[A-Za-z0-9_-]+)", body)[1]
    logged_in(client)
    assert "Wij komen dinsdag om 10.00 uur." in client.get(link).get_data(as_text=True)


def test_closing_a_zaak_of_a_resident_without_email_sends_no_mail(client, app):
    with app.app_context():
        db = get_session()
        zaak = open_zaak(db, zaaktype="VERHUIZING", initiator=Initiator(naam="J", bsn=JOHANNES),
                         omschrijving="Verhuizing", registered_by="test")
        before = db.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
        set_resultaat(db, zaak, resultaattype="Verwerkt", gezet_door="test")
        after = db.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1))
        assert before == after
        assert db.scalar(select(Message.id).where(
            Message.zaak_identificatie == zaak.identificatie)) is not None


def test_a_correction_request_is_confirmed_by_mail_without_the_value_or_bsn(client, app):
    logged_in(client)
    url = "/mijn-omgeving/gegevens/correctie?veld=geboorteplaats"
    form = client.get(url).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1)
    data = {"csrf_token": form_csrf(form), "token": token,
            "wat_is_fout": "Ik ben in Kampen geboren.", "juiste_waarde": "Kampen"}
    answer = client.post(url, data=data)
    assert answer.status_code == 302
    zaaknummer = ZAAKNUMMER.search(client.get(answer.headers["Location"]).get_data(as_text=True))[0]
    client.post(url, data=data)  # a double click: still one zaak, one mail
    with app.app_context():
        mails = list(get_session().scalars(select(OutboxMessage).where(
            OutboxMessage.dedupe_key == f"correction:{zaaknummer}")))
    assert len(mails) == 1
    [mail] = mails
    assert mail.recipient == "fatima.elamrani@example.nl"
    assert zaaknummer in mail.subject and zaaknummer in mail.text_body
    assert "Kampen" not in mail.text_body and FATIMA not in mail.text_body + mail.subject
    assert "place of birth" in mail.text_body  # which item, asked in English
    assert f"/mijn-omgeving/zaken/{zaaknummer}" in mail.text_body


def test_no_correction_mail_without_an_email_address(client, app):
    logged_in(client, JOHANNES)
    url = "/mijn-omgeving/gegevens/correctie?veld=voornamen"
    form = client.get(url).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1)
    answer = client.post(url, data={"csrf_token": form_csrf(form), "token": token,
                                    "wat_is_fout": "Spelfout", "juiste_waarde": "Johannes Hendrik"})
    zaaknummer = ZAAKNUMMER.search(client.get(answer.headers["Location"]).get_data(as_text=True))[0]
    with app.app_context():
        assert get_session().scalar(select(OutboxMessage.id).where(
            OutboxMessage.dedupe_key == f"correction:{zaaknummer}")) is None


# --------------------------------------------------------------------------- queries




def queries_per_page(client, app, zaaknummer: str) -> dict[str, int]:
    public_id = message(app, onderwerp="Om te lezen")  # a fresh, unread one each round
    counts = {}
    for name, path in (("inbox", INBOX), ("message", f"{INBOX}/{public_id}"),
                       ("overview", "/mijn-omgeving"), ("zaak", f"/mijn-omgeving/zaken/{zaaknummer}"),
                       ("gegevens", "/mijn-omgeving/gegevens")):
        if name != "message":
            client.get(path)  # once first: the session touch and caches settle
        with counted_queries(app) as statements:
            assert client.get(path).status_code == 200
        counts[name] = len(statements)
    return counts


def test_every_page_runs_a_fixed_number_of_queries(client, app):
    zaaknummer = zaak_with_status(app)
    logged_in(client)
    client.get(INBOX)
    with_few = queries_per_page(client, app, zaaknummer)
    with app.app_context():
        db = get_session()
        zaak = get_zaak(db, zaaknummer)
        for number in range(30):
            send_message(db, bsn=FATIMA, onderwerp=f"Bericht {number}", tekst="Tekst",
                         afzender="Gemeente Elburg",
                         zaak_identificatie=zaak.identificatie if number % 2 else None)
        db.commit()
    with_many = queries_per_page(client, app, zaaknummer)
    assert with_few == with_many, (with_few, with_many)
    assert max(with_many.values()) <= 6, with_many


def test_message_times_are_the_municipalitys_in_the_pages_language(app):
    with app.test_request_context("/"):  # Dutch; summer time, UTC+2
        assert long_date_time(datetime(2025, 7, 1, 10, 5)) == "1 juli 2025, 12:05"
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):  # winter, UTC+1
        # As every date in Mijn omgeving: the language's long style.
        assert long_date_time(datetime(2025, 1, 1, 23, 30)) == "2 January 2025, 00:30"
