"""Helpers for the KCC, agenda and beheer tests: contact zaken as the e-forms open them,
appointments on today's agenda, the disclosure log, query counting and CSRF tokens."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import select

from app.appointments import services as appointments
from app.appointments.agenda import get_agenda
from app.appointments.models import Appointment, Desk
from app.db import get_session, utcnow
from app.persons.models import Disclosure
from app.zaken.services import Initiator, open_zaak
from tests.querycount import counted_queries

FATIMA = "999990019"       # Fatima El Amrani, 12 April 1987, 8081 BP 14
JOHANNES = "999990020"     # Johannes Hendrik Berg, 3 November 1948, 8081 CR 7
CSRF = re.compile(r'name="(?:[a-z]+-)?csrf_token" type="hidden" value="([^"]+)"')
CSRF_PLAIN = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)"')


TOKEN_LINK = re.compile(r'href="/backoffice/inwoners/([^"]+)"')  # a contact overview
ONE_TIME_TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')


def csrf_from(page: str) -> str:
    match = CSRF.search(page) or CSRF_PLAIN.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def post_form(client, path: str, data: dict, page_path: str | None = None, prefix: str = ""):
    """GET the page (for its CSRF token), then POST the form to path. prefix: the form's
    prefix on a page with several forms (its CSRF field is "<prefix>-csrf_token")."""
    page = client.get(page_path or path).get_data(as_text=True)
    name = f"{prefix}-csrf_token" if prefix else "csrf_token"
    return client.post(path, data={name: csrf_from(page), **data})


def search(client, zoekwijze: str, **fields):
    """The contact search, by one of its three ways (naam, adres, bsn)."""
    data = {"zoekwijze": zoekwijze, **{f"{zoekwijze}-{k}": v for k, v in fields.items()}}
    return post_form(client, "/backoffice/inwoners", data, prefix=zoekwijze)


def overview_path(client, bsn: str = FATIMA) -> str:
    """The contact overview's address of this resident, found by BSN as the KCC does."""
    html = search(client, "bsn", bsn=bsn).get_data(as_text=True)
    return "/backoffice/inwoners/" + TOKEN_LINK.search(html).group(1)


def callback_zaak(*, bsn: str | None = FATIMA, naam: str = "Fatima El Amrani",
                  telefoon: str = "06 12345678", dagdeel: str = "ochtend",
                  vraag: str = "Wanneer wordt mijn paspoort klaar?", startdatum=None) -> str:
    """A TERUGBELVERZOEK as the form opens it; committed in the test's transaction."""
    db = get_session()
    zaak = open_zaak(db, zaaktype="TERUGBELVERZOEK",
                     initiator=Initiator(naam=naam, bsn=bsn, telefoon=telefoon),
                     omschrijving="Terugbelverzoek", registered_by="test", startdatum=startdatum,
                     aanvraaggegevens={"onderwerp": "reisdocumenten", "vraag": vraag,
                                       "naam": naam, "telefoon": telefoon, "dagdeel": dagdeel},
                     kenmerken={"onderwerp": "reisdocumenten", "dagdeel": dagdeel})
    db.commit()
    return zaak.identificatie


def question_zaak(*, bsn: str | None = FATIMA, naam: str = "Fatima El Amrani",
                  email: str = "", telefoon: str = "", antwoord_via: str = "email",
                  onderwerp: str = "Grofvuil ophalen",
                  vraag: str = "Hoe vaak mag ik grofvuil laten ophalen?") -> str:
    """A VRAAG as the form opens it; committed in the test's transaction."""
    db = get_session()
    answers = {"onderwerp": onderwerp, "vraag": vraag, "naam": naam, "antwoord_via": antwoord_via}
    if email:
        answers["email"] = email
    if telefoon:
        answers["telefoon"] = telefoon
    zaak = open_zaak(db, zaaktype="VRAAG",
                     initiator=Initiator(naam=naam, bsn=bsn, email=email, telefoon=telefoon),
                     omschrijving="Vraag aan de gemeente", registered_by="test",
                     aanvraaggegevens=answers)
    db.commit()
    return zaak.identificatie


def disclosures(bsn: str, purpose: str | None = None) -> list[Disclosure]:
    query = select(Disclosure).where(Disclosure.bsn == bsn, Disclosure.channel == "backoffice")
    if purpose:
        query = query.where(Disclosure.purpose == purpose)
    return list(get_session().scalars(query.order_by(Disclosure.id)))


def appointment_today(*, hour: int = 10, minute: int = 0, desk_code: str = "balie-1",
                      bsn: str | None = FATIMA, name: str = "Fatima El Amrani",
                      email: str = "fatima@example.org", phone: str = "06 11112222",
                      days: int = 0, status: str = "booked") -> Appointment:
    """A booked visit at the gemeentehuis, today (or `days` later) at hour:minute local time,
    written directly (the booking rules are tested elsewhere)."""
    agenda = get_agenda()
    session = get_session()
    day = appointments.local_today(agenda, utcnow()) + dt.timedelta(days=days)
    start, _ = appointments.local_day_bounds(agenda, day)
    start = start + dt.timedelta(hours=hour, minutes=minute)
    desk = session.scalar(select(Desk).where(Desk.location == "gemeentehuis",
                                             Desk.code == desk_code))
    token = secrets.token_urlsafe(8)
    appointment = Appointment(
        public_id=token, reference="AFS-" + secrets.token_hex(3).upper(), idempotency_key=token,
        location="gemeentehuis", desk_id=desk.id, products=["paspoort"], persons=1,
        starts_at=start, ends_at=start + dt.timedelta(minutes=10), status=status, name=name,
        email=email, phone=phone, bsn=bsn, locale="nl", sequence=0, needs_follow_up=False,
        created_at=utcnow(), updated_at=utcnow())
    session.add(appointment)
    session.commit()
    return appointment




def queries_for(client, app, path: str) -> int:
    client.get(path)  # once first: the session touch and caches settle
    with counted_queries(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)
