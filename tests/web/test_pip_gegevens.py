"""Mijn gegevens through the test client: the data held, correction requests, contact
preferences with a verified email, verstrekkingen; only ever the logged-in resident's."""

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from app.db import get_session
from app.extensions import limiter
from app.notifications.models import OutboxMessage
from app.persons.models import ContactVerification
from app.persons.services import get_contact_details, log_disclosure
from app.zaken.models import Rol, Zaak
from tests.eforms_fixtures import PDF, form_csrf, post_page
from tests.login import login_as
from tests.personas import FATIMA, JOHANNES, SANNE

GEGEVENS = "/mijn-omgeving/gegevens"
CONTACT = GEGEVENS + "/contact"
CODE_PAGE = CONTACT + "/code"
VERSTREKKINGEN = GEGEVENS + "/verstrekkingen"
ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")
SIX_DIGITS = re.compile(r"\b(\d{6})\b")


@pytest.fixture(autouse=True)
def contact_rate_limit(app, monkeypatch):
    global APP
    APP = app
    monkeypatch.setitem(app.config, "CONTACT_CODE_RATE_LIMIT", "1000 per minute")
    limiter.reset()
    yield
    limiter.reset()


APP = None


def _query(run):
    """Run `run(session)` in an app context of its own (the requests have theirs)."""
    with APP.app_context():
        return run(get_session())


def _logged_in(client, bsn=FATIMA, language="nl"):
    """Logged in; language "en" where a test reads interface texts (English msgids, so the
    test does not depend on the Dutch translation)."""
    login_as(client, bsn)
    if language == "en":
        client.set_cookie("lang", "en")
    return client


def _corrections_of(bsn):
    return _query(lambda db: db.scalar(
        select(func.count(Zaak.id)).join(Zaak.rollen)
        .where(Rol.inp_bsn == bsn, Zaak.registered_by == "mijn-omgeving")))


def test_the_pages_need_a_login(client):
    for path in (GEGEVENS, GEGEVENS + "/correctie?veld=voornamen", CONTACT, VERSTREKKINGEN):
        answer = client.get(path)
        assert answer.status_code == 302 and "/inloggen" in answer.headers["Location"]


def test_the_page_shows_the_residents_data_with_its_source(client):
    page = _logged_in(client).get(GEGEVENS).get_data(as_text=True)
    for value in ("Fatima", "El Amrani", "12 april 1987", "Utrecht", "Nederlandse",
                  "Vischpoortstraat", "8081 BP", "Elburg", "1 september 2016",
                  "fatima.elamrani@example.nl", "06 12345678", FATIMA):
        assert value in page
    assert "Basisregistratie Personen (BRP)" in page
    assert 'href="/mijn-omgeving/gegevens/correctie?veld=geboorteplaats"' in page
    assert "Vischpoortstraat" not in "".join(re.findall(r'href="([^"]*)"', page))


@pytest.fixture
def on_day(monkeypatch):
    """Mijn gegevens as on the given day (travel documents are valid until a date)."""
    def set_day(day: date) -> None:
        monkeypatch.setattr("app.pip.gegevens.today", lambda: day)
    return set_day


def test_the_page_shows_nationalities_earlier_addresses_and_travel_documents(client, on_day):
    on_day(date(2026, 12, 5))
    page = _logged_in(client, language="en").get(GEGEVENS).get_data(as_text=True)
    for value in ("Nederlandse, Marokkaanse", "Living at this address since", "1 September 2016",
                  "Earlier addresses", "Stationslaan 40-3, 3841 DB Harderwijk",
                  "From 1 August 2010 to 1 September 2016",
                  "Kanaalstraat 112, 3531 CH Utrecht", "From 12 April 1987 to 1 August 2010",
                  "Travel documents", "Passport", "Number NW5K3LP81, valid until 20 May 2031",
                  "Identity card", "Number IR7F2D9K4, valid until 2 October 2029",
                  "Secrecy of your data (geheimhouding)"):
        assert value in page, value
    assert page.index("Stationslaan") < page.index("Kanaalstraat")  # newest first
    assert 'href="/afspraak"' not in page  # nothing to renew yet
    # Not items to correct: the BRP's history and the travel documents' issuing authority.
    assert "veld=reisdocumenten" not in page and "veld=eerdere" not in page


def test_a_travel_document_ending_within_four_months_asks_to_renew_it(client, on_day):
    _logged_in(client, JOHANNES, language="en")
    on_day(date(2026, 11, 1))  # the passport ends 1 March 2027: four months on
    page = client.get(GEGEVENS).get_data(as_text=True)
    assert "Number NP8D41RK3, valid until 1 March 2027" in page
    assert "will not be within 4 months" in page and 'href="/afspraak"' in page
    on_day(date(2026, 10, 31))
    assert 'href="/afspraak"' not in client.get(GEGEVENS).get_data(as_text=True)
    on_day(date(2027, 3, 2))
    page = client.get(GEGEVENS).get_data(as_text=True)
    assert "Number NP8D41RK3, expired on 1 March 2027" in page and 'href="/afspraak"' in page


def test_the_resident_sees_their_geheimhouding(client):
    page = _logged_in(client, SANNE, language="en").get(GEGEVENS).get_data(as_text=True)
    assert "Yes: we do not give your data to organisations outside the government" in page
    assert "We have no Dutch passport" not in page


def test_a_correction_request_opens_one_zaak_even_when_sent_twice(client):
    _logged_in(client)
    url = GEGEVENS + "/correctie?veld=geboorteplaats"
    form = client.get(url).get_data(as_text=True)
    assert "Utrecht" in form
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1)
    before = _corrections_of(FATIMA)
    data = {"csrf_token": form_csrf(form), "token": token, "wat_is_fout": "Ik ben in Zwolle geboren.",
            "juiste_waarde": "Zwolle"}
    first = client.post(url, data={**data, "bewijs": (_file(PDF), "akte.pdf")},
                        content_type="multipart/form-data")
    second = client.post(url, data={**data, "bewijs": (_file(PDF), "akte.pdf")},
                         content_type="multipart/form-data")
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _corrections_of(FATIMA) == before + 1
    confirmation = client.get(first.headers["Location"]).get_data(as_text=True)
    zaaknummer = ZAAKNUMMER.search(confirmation).group(0)
    with APP.app_context():
        zaak = get_session().scalar(select(Zaak).where(Zaak.identificatie == zaaknummer))
        assert zaak.zaaktype.identificatie == "CORRECTIEVERZOEK"
        assert zaak.aanvraaggegevens == {
            "veld": "geboorteplaats", "veld_omschrijving": "Geboorteplaats",
            "huidige_waarde": "Utrecht", "juiste_waarde": "Zwolle",
            "toelichting": "Ik ben in Zwolle geboren."}
        assert [(d.bestandsnaam, d.formaat) for d in zaak.documenten] == [
            ("akte.pdf", "application/pdf")]
    # Another resident cannot see the confirmation: 404, like a zaak that does not exist.
    other = client.application.test_client()
    _logged_in(other, JOHANNES)
    assert other.get(first.headers["Location"]).status_code == 404
    assert other.get(GEGEVENS + "/correctie/ZAAK-2026-9999999999").status_code == 404


def _file(content):
    return io.BytesIO(content)


def test_a_correction_request_needs_its_answers_and_checks_the_evidence(client):
    _logged_in(client, language="en")
    url = GEGEVENS + "/correctie?veld=achternaam"
    before = _corrections_of(FATIMA)
    empty = post_page(client, url, {})
    assert empty.status_code == 200 and "Describe what is wrong" in empty.get_data(as_text=True)
    form = client.get(url).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1)
    wrong = client.post(url, data={"csrf_token": form_csrf(form), "token": token,
                                   "wat_is_fout": "Spelfout", "juiste_waarde": "El-Amrani",
                                   "bewijs": (_file(b"MZ not a pdf"), "virus.exe")},
                        content_type="multipart/form-data")
    assert wrong.status_code == 200
    assert "The file virus.exe is not a PDF, JPG, PNG file" in wrong.get_data(as_text=True)
    assert _corrections_of(FATIMA) == before


def test_an_unknown_item_answers_404(client):
    _logged_in(client)
    assert client.get(GEGEVENS + "/correctie?veld=bsn").status_code == 404
    assert client.get(GEGEVENS + "/correctie").status_code == 404


def _code_from_outbox(email):
    subject, text = _query(lambda db: db.execute(
        select(OutboxMessage.subject, OutboxMessage.text_body)
        .where(OutboxMessage.recipient == email).order_by(OutboxMessage.id.desc())).first())
    assert FATIMA not in text and FATIMA not in subject
    return SIX_DIGITS.search(text).group(1)


def _email_of(bsn):
    return _query(lambda db: get_contact_details(db, bsn).email)


def _ask_for_code(client, email="nieuw@example.nl", telefoon="06 12345678"):
    answer = post_page(client, CONTACT, {"email": email, "telefoon": telefoon})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(CODE_PAGE)
    return _code_from_outbox(email)


def test_a_new_email_is_used_only_after_the_code_from_the_mail(client):
    _logged_in(client, language="en")
    code = _ask_for_code(client, telefoon="0525 123456")
    assert _email_of(FATIMA) == "fatima.elamrani@example.nl"  # the old one until verified
    assert _query(lambda db: get_contact_details(db, FATIMA).telefoon) == "0525123456"
    assert "nieuw@example.nl" in client.get(GEGEVENS).get_data(as_text=True)  # shown as pending
    wrong = post_page(client, CODE_PAGE, {"code": f"{(int(code) + 1) % 1_000_000:06d}"})
    assert wrong.status_code == 200
    assert "You can try 4 more times" in wrong.get_data(as_text=True)
    assert _email_of(FATIMA) == "fatima.elamrani@example.nl"
    right = post_page(client, CODE_PAGE, {"code": code})
    assert right.status_code == 302 and right.headers["Location"].endswith(GEGEVENS)
    assert _email_of(FATIMA) == "nieuw@example.nl"


def test_five_wrong_codes_end_the_verification(client):
    _logged_in(client, language="en")
    code = _ask_for_code(client)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        assert post_page(client, CODE_PAGE, {"code": wrong}).status_code == 200
    fifth = post_page(client, CODE_PAGE, {"code": wrong}).get_data(as_text=True)
    assert "This code can no longer be used" in fifth
    assert "This code can no longer be used" in client.get(CODE_PAGE).get_data(as_text=True)
    assert _email_of(FATIMA) == "fatima.elamrani@example.nl"


def test_an_expired_code_is_refused(client):
    _logged_in(client, language="en")
    code = _ask_for_code(client)
    with APP.app_context():
        verification = get_session().scalar(select(ContactVerification)
                                            .where(ContactVerification.bsn == FATIMA))
        verification.expires_at -= timedelta(minutes=31)
        get_session().commit()
    page = client.get(CODE_PAGE).get_data(as_text=True)
    assert "This code can no longer be used" in page and 'name="code"' not in page
    assert _email_of(FATIMA) == "fatima.elamrani@example.nl"
    assert code  # the mail was sent; the code is just too old


def test_another_resident_never_sees_a_pending_email_or_the_code_page(client):
    _logged_in(client)
    _ask_for_code(client)
    other = client.application.test_client()
    _logged_in(other, JOHANNES, language="en")
    assert "nieuw@example.nl" not in other.get(GEGEVENS).get_data(as_text=True)
    assert "This code can no longer be used" in other.get(CODE_PAGE).get_data(as_text=True)


def test_an_invalid_email_is_refused(client):
    _logged_in(client, language="en")
    answer = post_page(client, CONTACT, {"email": "geen-adres", "telefoon": ""})
    assert answer.status_code == 200
    assert "Enter an email address like name@example.nl" in answer.get_data(as_text=True)


def test_verstrekkingen_lists_only_the_residents_own_newest_first(client):
    with APP.app_context():
        session = get_session()
        log_disclosure(session, bsn=FATIMA, recipient="Team Test Nieuwste", purpose="Controle",
                       data_categories=["naam"], zaak="ZAAK-2026-0000000042", channel="api")
        log_disclosure(session, bsn=JOHANNES, recipient="Alleen voor Johannes", purpose="Iets",
                       data_categories=["adres"], channel="backoffice")
        session.commit()
    page = _logged_in(client).get(VERSTREKKINGEN).get_data(as_text=True)
    assert "Alleen voor Johannes" not in page
    assert page.index("Team Test Nieuwste") < page.index("Zorgaanbieder De Linde")
    assert "ZAAK-2026-0000000042" in page
    assert client.get(VERSTREKKINGEN + "?pagina=99").status_code == 404


def test_verstrekkingen_are_paged_with_a_constant_number_of_queries(client, app):
    with app.app_context():
        session = get_session()
        for number in range(45):
            log_disclosure(session, bsn=FATIMA, recipient=f"Team {number}", purpose="Test",
                           data_categories=["naam"], channel="backoffice")
        session.commit()
    _logged_in(client)
    counts = []
    for page_number in (1, 2, 3):
        statements = []

        def listener(*args, sink=statements) -> None:
            sink.append(args[2])

        event.listen(app.extensions["db"].engine, "before_cursor_execute", listener)
        try:
            page = client.get(f"{VERSTREKKINGEN}?pagina={page_number}")
        finally:
            event.remove(app.extensions["db"].engine, "before_cursor_execute", listener)
        assert page.status_code == 200
        counts.append(len([s for s in statements if "disclosures" in s]))
    assert counts == [1, 1, 1]
    html = client.get(VERSTREKKINGEN + "?pagina=2").get_data(as_text=True)
    assert "pagina=1" in html and "pagina=3" in html


def test_no_url_on_these_pages_contains_a_bsn(client):
    _logged_in(client)
    for path in (GEGEVENS, GEGEVENS + "/correctie?veld=voornamen", CONTACT, VERSTREKKINGEN):
        page = client.get(path).get_data(as_text=True)
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', page):
            assert FATIMA not in url, (path, url)
