"""The authorization sweep: every resident route with an id in it, tried by resident A with
resident B's id, answers 404 exactly like a missing id, and the refusal is logged without the
BSN; anonymous visitors are sent to the login page (Mijn omgeving) or get the same 404 (e-forms
and appointments, which also serve people without DigiD).

A guard test keeps the sweep complete: a new resident route with an id that is not swept here
fails it."""

import io
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.appointments.models import Appointment, Desk
from app.berichten.services import send_message
from app.db import get_session, utcnow
from app.eforms.definitions import get_definition
from app.eforms.models import FormConfirmation
from app.eforms.services import create_draft
from app.notifications.services import Attachment
from app.zaken.services import Initiator, add_document, open_zaak, request_document
from tests.eforms_fixtures import form_csrf
from tests.login import login_as
from tests.personas import FATIMA, JOHANNES, PIOTR
from tests.web.digid import csrf_token

A = FATIMA   # Fatima, logged in
B = JOHANNES   # Johannes, whose ids she tries
PDF = b"%PDF-1.4\n" + b"\x00" * 64
MISSING_ZAAK = "ZAAK-2000-0000000001"
MISSING_NUMBER = 999999


@dataclass(frozen=True)
class Ids:
    zaak: str
    document: int
    request: int
    correction: str
    message: str
    draft: str
    appointment: str
    my_zaak: str
    my_document: int
    my_request: int
    confirmation: str = "x"  # a form B is asked to confirm


def _make_ids(app) -> Ids:
    """B's objects (and A's own zaak, for "my zaak, their document"), committed in the
    test's transaction."""
    with app.app_context():
        db = get_session()
        theirs = _zaak(db, B)
        mine = _zaak(db, A)
        correction = open_zaak(db, zaaktype="CORRECTIEVERZOEK", initiator=Initiator(naam="B", bsn=B),
                               omschrijving="Correctie voornamen", registered_by="mijn-omgeving")
        message = send_message(db, bsn=B, onderwerp="Voor B", tekst="Alleen voor B",
                               afzender="Gemeente Elburg",
                               attachments=[Attachment("brief.pdf", "application/pdf", PDF)])
        draft = create_draft(db, get_definition("verhuizing"), owner_bsn=B,
                             lifetime=timedelta(days=1))
        appointment = _appointment(db, B)
        confirmation = _confirmation(db, confirmer=B, zaak=theirs.identificatie)
        db.commit()
        return Ids(zaak=theirs.identificatie, document=theirs.documenten[0].id,
                   request=theirs.document_requests[0].id, correction=correction.identificatie,
                   message=message.public_id, draft=draft.id, appointment=appointment.public_id,
                   my_zaak=mine.identificatie, my_document=mine.documenten[0].id,
                   my_request=mine.document_requests[0].id, confirmation=confirmation)


def _confirmation(db, *, confirmer: str, zaak: str) -> str:
    """A marriage notice someone sent that waits for `confirmer`; its public id."""
    confirmation = FormConfirmation(
        public_id=secrets.token_urlsafe(32), draft_id=secrets.token_urlsafe(16),
        form_slug="melding-huwelijk", zaak=zaak, requester_bsn=PIOTR, requester_naam="P",
        confirmer_bsn=confirmer, shown={"soort": "huwelijk"}, created_at=utcnow())
    db.add(confirmation)
    db.flush()
    return confirmation.public_id


def _zaak(db, bsn):
    zaak = open_zaak(db, zaaktype="VERHUIZING", initiator=Initiator(naam="Test", bsn=bsn),
                     omschrijving="Verhuizing", registered_by="test")
    add_document(db, zaak, titel="besluit", bestandsnaam="besluit.pdf", formaat="application/pdf",
                 content=PDF, added_by="test")
    request_document(db, zaak, omschrijving="Een kopie van uw huurcontract", requested_by="test")
    return zaak


def _appointment(db, bsn) -> Appointment:
    desk = db.query(Desk).first()
    start = (utcnow() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    appointment = Appointment(
        public_id=secrets.token_urlsafe(16), reference="AFS-" + secrets.token_hex(4)[:8].upper(),
        idempotency_key=secrets.token_hex(16), location=desk.location, desk_id=desk.id,
        products=["paspoort"], persons=1, starts_at=start, ends_at=start + timedelta(minutes=10),
        name="B", email="b@example.org", bsn=bsn, locale="nl", created_at=utcnow(),
        updated_at=utcnow())
    db.add(appointment)
    db.flush()
    return appointment


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    theirs: str       # the path with B's id(s)
    missing: str      # the same path with an id that does not exist
    anonymous: str    # "login": redirect to the login page; "404": not found either
    data: tuple = ()  # form fields of a POST besides the CSRF token


def cases(ids: Ids) -> list[Case]:
    zaken, berichten = "/mijn-omgeving/zaken", "/mijn-omgeving/berichten"
    bevestigen = "/mijn-omgeving/bevestigen"
    draft, missing_draft = f"/formulieren/verhuizing/{ids.draft}", "/formulieren/verhuizing/" + "d" * len(ids.draft)
    afspraak = f"/afspraak/afspraken/{ids.appointment}"
    missing_afspraak = "/afspraak/afspraken/" + "a" * len(ids.appointment)
    upload = (("document", "scan.pdf"),)
    question = (("tekst", "Is dit van mij?"), ("token", "q" * 32))
    return [
        Case("pip.zaak", "GET", f"{zaken}/{ids.zaak}", f"{zaken}/{MISSING_ZAAK}", "login"),
        Case("pip.document", "GET", f"{zaken}/{ids.zaak}/documenten/{ids.document}",
             f"{zaken}/{MISSING_ZAAK}/documenten/{ids.document}", "login"),
        Case("pip.document", "GET", f"{zaken}/{ids.my_zaak}/documenten/{ids.document}",
             f"{zaken}/{ids.my_zaak}/documenten/{MISSING_NUMBER}", "login"),
        Case("pip.document", "GET", f"{zaken}/{ids.zaak}/documenten/{ids.my_document}",
             f"{zaken}/{MISSING_ZAAK}/documenten/{ids.my_document}", "login"),
        Case("pip.upload", "POST", f"{zaken}/{ids.zaak}/verzoeken/{ids.request}",
             f"{zaken}/{MISSING_ZAAK}/verzoeken/{ids.request}", "login", upload),
        Case("pip.upload", "POST", f"{zaken}/{ids.my_zaak}/verzoeken/{ids.request}",
             f"{zaken}/{ids.my_zaak}/verzoeken/{MISSING_NUMBER}", "login", upload),
        Case("pip.gegevens_correctie_ontvangen", "GET",
             f"/mijn-omgeving/gegevens/correctie/{ids.correction}",
             f"/mijn-omgeving/gegevens/correctie/{MISSING_ZAAK}", "login"),
        Case("pip.bericht", "GET", f"{berichten}/{ids.message}",
             f"{berichten}/" + "m" * len(ids.message), "login"),
        Case("pip.bericht", "POST", f"{berichten}/{ids.message}",
             f"{berichten}/" + "m" * len(ids.message), "login", question),
        Case("pip.vraag", "POST", f"{zaken}/{ids.zaak}/vraag", f"{zaken}/{MISSING_ZAAK}/vraag",
             "login", question),
        Case("pip.bericht_bijlage", "GET", f"{berichten}/{ids.message}/bijlagen/1",
             f"{berichten}/{ids.message}/bijlagen/2", "login"),
        Case("pip.confirmation", "GET", f"{bevestigen}/{ids.confirmation}",
             f"{bevestigen}/" + "c" * len(ids.confirmation), "login"),
        Case("pip.confirmation", "POST", f"{bevestigen}/{ids.confirmation}",
             f"{bevestigen}/" + "c" * len(ids.confirmation), "login", (("answer", "bevestigen"),)),
        Case("eforms.step", "GET", f"{draft}/nieuw-adres", f"{missing_draft}/nieuw-adres", "404"),
        Case("eforms.step", "POST", f"{draft}/nieuw-adres", f"{missing_draft}/nieuw-adres", "404"),
        Case("eforms.check", "GET", f"{draft}/controleren", f"{missing_draft}/controleren", "404"),
        Case("eforms.check", "POST", f"{draft}/controleren", f"{missing_draft}/controleren", "404",
             (("declaration", "y"),)),
        Case("eforms.confirmation", "GET", f"{draft}/bevestiging", f"{missing_draft}/bevestiging",
             "404"),
        Case("eforms.paid", "GET", f"{draft}/betaling", f"{missing_draft}/betaling", "404"),
        Case("eforms.receipt", "GET", f"{draft}/ontvangstbewijs", f"{missing_draft}/ontvangstbewijs",
             "404"),
        Case("eforms.later", "GET", f"{draft}/later", f"{missing_draft}/later", "404"),
        Case("eforms.later", "POST", f"{draft}/later", f"{missing_draft}/later", "404",
             (("email", "a@example.org"),)),
        Case("appointments.manage", "GET", afspraak, missing_afspraak, "404"),
        Case("appointments.move_date", "GET", f"{afspraak}/verzetten", f"{missing_afspraak}/verzetten",
             "404"),
        Case("appointments.calendar_file", "GET", f"{afspraak}/afspraak.ics",
             f"{missing_afspraak}/afspraak.ics", "404"),
        Case("appointments.move_time", "GET", f"{afspraak}/verzetten/tijd?dag=2030-01-07",
             f"{missing_afspraak}/verzetten/tijd?dag=2030-01-07", "404"),
        Case("appointments.move_time", "POST", f"{afspraak}/verzetten/tijd?dag=2030-01-07",
             f"{missing_afspraak}/verzetten/tijd?dag=2030-01-07", "404",
             (("start", "2030-01-07T09:00:00"),)),
        Case("appointments.cancel", "GET", f"{afspraak}/annuleren", f"{missing_afspraak}/annuleren",
             "404"),
        Case("appointments.cancel", "POST", f"{afspraak}/annuleren", f"{missing_afspraak}/annuleren",
             "404"),
    ]


# The routes whose variable part is not an object of a resident: a catalogue slug, a language
# code, a form's slug, and the bearer tokens of mailed links (signed or hashed, checked there;
# a feedback link leads to nobody's data at all).
NOT_RESIDENT_IDS = {"static", "ui.municipality_logo", "catalog.product", "ui.set_language", "eforms.start",
                    "eforms.resume", "appointments.manage_link", "feedback.question"}
STAFF_AND_MACHINES = ("/backoffice", "/api/")


def test_the_sweep_covers_every_resident_route_with_an_id(app):
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if "<" in rule.rule and not rule.rule.startswith(STAFF_AND_MACHINES)
              and rule.endpoint not in NOT_RESIDENT_IDS}
    dummy = Ids(*(["x"] * 3), "x", "x", "x", "x", "x", 0, 0)
    swept = {case.endpoint for case in cases(dummy)}
    assert routes == swept, f"not swept: {routes - swept}; gone: {swept - routes}"
    methods = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
               if rule.endpoint in swept for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert methods == {(case.endpoint, case.method) for case in cases(dummy)}


def _request(client, case: Case, path: str, token: str | None):
    if case.method == "GET":
        return client.get(path)
    data = {"csrf_token": token, **dict(case.data)}
    if case.endpoint == "pip.upload":
        request_id = path.rsplit("/", 1)[1]
        data = {"csrf_token": token, f"verzoek-{request_id}-document": (io.BytesIO(PDF), "scan.pdf")}
        return client.post(path, data=data, content_type="multipart/form-data")
    return client.post(path, data=data)


@pytest.fixture
def ids(app, db_connection) -> Ids:
    return _make_ids(app)


SWEEP = [pytest.param(index, id=f"{case.endpoint}-{case.method}-{index}")
         for index, case in enumerate(cases(Ids(*(["x"] * 3), "x", "x", "x", "x", "x", 0, 0)))]


@pytest.mark.parametrize("index", SWEEP)
def test_another_residents_id_answers_404_like_a_missing_one(client, ids, index, caplog):
    case = cases(ids)[index]
    login_as(client, A)
    token = csrf_token(client.get("/mijn-omgeving").get_data(as_text=True))
    caplog.set_level(logging.WARNING)
    theirs = _request(client, case, case.theirs, token)
    missing = _request(client, case, case.missing, token)
    assert (theirs.status_code, missing.status_code) == (404, 404), case
    assert _normalised(theirs, case.theirs) == _normalised(missing, case.missing)
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) >= 2, case
    assert all(A not in str(r.__dict__) and B not in str(r.__dict__) for r in refusals)


CSRF_VALUE = re.compile(r'(name="csrf[_-]token"[^>]*(?:content|value)=")[^"]+"')


def _normalised(response, path: str) -> str:
    """The page with its own path taken out (the language link repeats it) and the CSRF
    token too (it carries a timestamp, so two pages a second apart differ in it)."""
    page = response.get_data(as_text=True).replace(path.split("?")[0], "PATH")
    return CSRF_VALUE.sub(r'\1TOKEN"', page)


@pytest.mark.parametrize("index", SWEEP)
def test_anonymous_visitors_are_sent_to_log_in_or_find_nothing(client, ids, index):
    case = cases(ids)[index]
    token = form_csrf(client.get("/formulieren/melding-openbare-ruimte").get_data(as_text=True))
    answer = _request(client, case, case.theirs, token)
    if case.anonymous == "login":
        assert answer.status_code == 302 and "/inloggen" in answer.headers["Location"], case
    else:
        assert answer.status_code == 404, case
