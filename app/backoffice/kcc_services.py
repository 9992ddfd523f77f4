"""The KCC's work: callback requests, written questions and a resident's contact overview.

Callbacks (zaaktype TERUGBELVERZOEK) and questions (VRAAG) are contact zaken of team
"kcc"; what the resident asked sits in the zaak's aanvraaggegevens (the e-form's answers:
content/forms/terugbelverzoek.toml, vraag.toml). Services take the caller's Session,
flush and never commit; every read runs a fixed number of queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.appointments.values import AppointmentView
from app.backoffice.models import FormSubmission
from app.backoffice.services import claim_submission
from app.contacts.services import (
    ContactLine,
    Kanaal,
    Soort,
    contacts_of,
    record_contact,
    soort_of_zaaktype,
)
from app.db import utcnow
from app.notifications.services import render_mail, send_mail
from app.persons.services import (
    ContactDetails,
    Persoon,
    disclosed_since,
    get_contact_details,
    log_disclosures,
)
from app.zaken.services import MUNICIPALITY_TIMEZONE
from app.zaken.store import (
    CallbackAttempt,
    ContactZaak,
    Initiator,
    StaffZaak,
    ZaakTransitionError,
    get_zaken_store,
)

CALLBACK = "TERUGBELVERZOEK"
QUESTION = "VRAAG"
KCC_TEAM = "kcc"
# The terugbelverzoek form's choices. A callback without one (entered some other way) is
# counted with the morning ones and listed after those for the current part of the day.
DAGDELEN = ("ochtend", "middag")
AFTERNOON_STARTS = time(12, 0)
# Result of a question once answered (content/zaaktypen.toml, VRAAG).
ANSWERED = "Beantwoord"
CHANNEL = "backoffice"  # one of app.persons.services.CHANNELS
SEARCH_LIMIT = 20


class ContactError(Exception):
    """A KCC action the zaak's state does not allow; ``code`` picks the page's message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --------------------------------------------------------------------------- time


def local_now(now: datetime | None = None) -> datetime:
    """Now on the municipality's clock (aware), from naive UTC."""
    moment = now or utcnow()
    return moment.replace(tzinfo=UTC).astimezone(MUNICIPALITY_TIMEZONE)


def current_dagdeel(now: datetime | None = None) -> str:
    return "ochtend" if local_now(now).time() < AFTERNOON_STARTS else "middag"


def local_day_start_utc(now: datetime | None = None) -> datetime:
    """Naive UTC instant at which today's local day began."""
    start = datetime.combine(local_now(now).date(), time(), MUNICIPALITY_TIMEZONE)
    return start.astimezone(UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------- lists
#
# Through the zaken store (app.zaken.store): ContactZaak values for the lists, a StaffZaak
# for one callback or question; each read is one query, whatever the number of zaken.


def open_callbacks(session: Session, *, team: str = KCC_TEAM, dagdeel: str | None = None,
                   first: str | None = None, limit: int = 50,
                   offset: int = 0) -> list[ContactZaak]:
    """Open callback requests: those for the part of the day `first` (usually the current
    one) first, then the other; the oldest first within each. `dagdeel` filters on one."""
    return get_zaken_store(session).open_contact_zaken(
        CALLBACK, team=team, dagdeel=dagdeel, dagdeel_first=first, limit=limit, offset=offset)


def count_open_callbacks(session: Session, *, team: str = KCC_TEAM) -> dict[str, int]:
    """Open callbacks per preferred part of the day (one query)."""
    counts = dict.fromkeys(DAGDELEN, 0)
    for dagdeel, count in get_zaken_store(session).count_open_by_dagdeel(
            CALLBACK, team=team).items():
        key = dagdeel if dagdeel in counts else DAGDELEN[0]
        counts[key] += count
    return counts


def open_questions(session: Session, *, team: str = KCC_TEAM, limit: int = 50,
                   offset: int = 0) -> list[ContactZaak]:
    """Open questions, the oldest first."""
    return get_zaken_store(session).open_contact_zaken(QUESTION, team=team, limit=limit,
                                                       offset=offset)


def count_open_questions(session: Session, *, team: str = KCC_TEAM) -> int:
    return sum(get_zaken_store(session).count_open_by_dagdeel(QUESTION, team=team).values())


def contact_zaak(session: Session, identificatie: str, zaaktype: str, *,
                 for_update: bool = False) -> StaffZaak | None:
    """A callback or question by zaaknummer, with what its page shows; None when there is no
    zaak of that type with this number (the page answers 404).

    for_update: lock the zaak (PostgreSQL; SQLite writers queue anyway), so of two submits
    at once the second finds the zaak closed instead of closing it again."""
    zaak = get_zaken_store(session).staff_zaak(identificatie, for_update=for_update)
    if zaak is None or zaak.zaaktype.identificatie != zaaktype:
        return None
    return zaak


# --------------------------------------------------------------------------- callbacks


def record_failed_attempt(session: Session, zaak: StaffZaak, *, notitie: str, door: str,
                          now: datetime | None = None) -> None:
    """The resident did not answer; the callback stays open for another try (the form
    promises one more)."""
    if zaak.is_closed:
        raise ContactError("closed")
    attempt = CallbackAttempt(moment=(now or utcnow()).replace(microsecond=0), door=door,
                              notitie=notitie)
    try:
        get_zaken_store(session).record_callback_attempt(zaak.identificatie, attempt)
    except ZaakTransitionError:
        raise ContactError("closed") from None


def complete_callback(session: Session, zaak: StaffZaak, *, resultaat: str, notitie: str,
                      door: str) -> None:
    """Close the callback with a result from its zaaktype; the note becomes the result's
    toelichting (the resident reads it with the last status in Mijn omgeving)."""
    if zaak.is_closed:
        raise ContactError("closed")
    try:
        get_zaken_store(session).set_resultaat(zaak.identificatie, resultaattype=resultaat,
                                               toelichting=notitie, gezet_door=door)
    except ZaakTransitionError:
        raise ContactError("resultaat") from None


@dataclass(frozen=True)
class CallbackRequest:
    """What a resident on the phone asks the KCC to call back about, as the terugbelverzoek
    form would have it (onderwerp: one of its topics; dagdeel: one of DAGDELEN)."""

    onderwerp: str
    vraag: str
    telefoon: str
    dagdeel: str


def register_callback(session: Session, person: Persoon, request: CallbackRequest, *,
                      omschrijving: str, token: str, door: str, username: str) -> str:
    """Open a TERUGBELVERZOEK for this resident, as the e-form does, with the KCC employee
    as its registrar; returns its zaaknummer (see _register_for_caller)."""
    return _register_for_caller(
        session, person, zaaktype=CALLBACK, action="register-callback", telefoon=request.telefoon,
        omschrijving=omschrijving, token=token, door=door, username=username,
        kenmerken={"onderwerp": request.onderwerp, "dagdeel": request.dagdeel},
        aanvraaggegevens={"onderwerp": request.onderwerp, "vraag": request.vraag,
                          "naam": person.full_name, "telefoon": request.telefoon,
                          "dagdeel": request.dagdeel})


def _register_for_caller(session: Session, person: Persoon, *, zaaktype: str,
                         action: str, telefoon: str, omschrijving: str, token: str, door: str,
                         username: str, aanvraaggegevens: dict,
                         kenmerken: dict | None = None) -> str:
    """Open a contact zaak for the resident on the phone, with the answers its e-form would
    have stored and the employee as registrar; returns its zaaknummer. The form's one-time
    token makes this happen once: a second submit of the same form gets the first one's
    zaaknummer."""
    store = get_zaken_store(session)
    identificatie = store.new_identificatie()
    if not claim_submission(session, token=token, action=action,
                            zaak=identificatie, username=username):
        return session.scalar(select(FormSubmission.zaak_identificatie)
                              .where(FormSubmission.token == token))
    opened = store.open_zaak(
        zaaktype=zaaktype, identificatie=identificatie, registered_by=door,
        initiator=Initiator(naam=person.full_name, bsn=person.bsn, telefoon=telefoon),
        omschrijving=omschrijving, kenmerken=kenmerken or {}, aanvraaggegevens=aanvraaggegevens)
    record_contact(session, kanaal=Kanaal.TELEFOON, soort=soort_of_zaaktype(zaaktype),
                   geregistreerd_door=username, onderwerp=str(aanvraaggegevens["onderwerp"]),
                   product=opened.product, bsn=person.bsn, zaak=opened)
    return identificatie


# --------------------------------------------------------------------------- quick contacts


# The channels a quick contact can have come in by, the phone first (the KCC's own).
QUICK_KANALEN = (Kanaal.TELEFOON, Kanaal.BALIE, Kanaal.EMAIL, Kanaal.POST)


@dataclass(frozen=True)
class QuickContact:
    """A contact answered at once: what about and whether it was answered right the first
    time (gelukt) or passed on to a colleague."""

    kanaal: Kanaal
    onderwerp: str
    product: str
    gelukt: bool


def record_quick_contact(session: Session, contact: QuickContact, *, bsn: str | None,
                         token: str, username: str) -> bool:
    """Record the contact once per form (its one-time token); bsn None for a caller who
    stays anonymous. False when this form was sent before."""
    if not claim_submission(session, token=token, action="quick-contact", zaak="",
                            username=username):
        return False
    record_contact(session, kanaal=contact.kanaal, soort=Soort.GESPREK,
                   geregistreerd_door=username, onderwerp=contact.onderwerp,
                   product=contact.product, bsn=bsn, gelukt=contact.gelukt)
    return True


# --------------------------------------------------------------------------- questions


@dataclass(frozen=True)
class QuestionRequest:
    """A written question of a resident on the phone, as the vraag form would have it
    (antwoord_via: one of its choices below; telefoon: "" when not needed)."""

    onderwerp: str
    vraag: str
    antwoord_via: str
    telefoon: str


# The vraag form's choices for "how would you like to receive the answer?". By email means,
# for a resident known by BSN, a message in Mijn omgeving and a mail that it is there.
ANSWER_BY_EMAIL = "email"
ANSWER_BY_PHONE = "telefoon"


def register_question(session: Session, person: Persoon, request: QuestionRequest, *,
                      omschrijving: str, token: str, door: str, username: str) -> str:
    """Open a VRAAG for this resident, as the e-form does, with the KCC employee as its
    registrar: for a question the employee cannot answer on the phone. Returns its
    zaaknummer (see _register_for_caller)."""
    return _register_for_caller(
        session, person, zaaktype=QUESTION, action="register-question", telefoon=request.telefoon,
        omschrijving=omschrijving, token=token, door=door, username=username,
        aanvraaggegevens={"onderwerp": request.onderwerp, "vraag": request.vraag,
                          "naam": person.full_name, "antwoord_via": request.antwoord_via,
                          **({"telefoon": request.telefoon} if request.telefoon else {})})


@dataclass(frozen=True)
class AnswerRoute:
    """How the answer to a question reaches the resident."""

    kind: str        # "message" (Mijn omgeving), "email" or "phone" (staff call; recorded only)
    address: str     # the email address or phone number; "" for a message


def answer_route(zaak: StaffZaak | ContactZaak) -> AnswerRoute:
    """A resident who asked to be called is called. Otherwise one known by BSN (logged in
    with DigiD, or registered by the KCC) gets the answer in Mijn omgeving; an anonymous
    one by email when they gave an address, else staff call the number given."""
    initiator = zaak.initiator
    answers = zaak.aanvraaggegevens
    via = answers.get("antwoord_via", ANSWER_BY_EMAIL)
    phone = (initiator.telefoon if initiator else "") or str(answers.get("telefoon") or "")
    if via == ANSWER_BY_PHONE and phone:
        return AnswerRoute("phone", phone)
    if initiator is not None and initiator.inp_bsn:
        return AnswerRoute("message", "")
    email = (initiator.email if initiator else "") or str(answers.get("email") or "")
    if email and via == ANSWER_BY_EMAIL:
        return AnswerRoute("email", email)
    if phone:
        return AnswerRoute("phone", phone)
    return AnswerRoute("email", email) if email else AnswerRoute("phone", "")


ANSWER_MAIL = "question_answer"


def answer_question(session: Session, zaak: StaffZaak, *, antwoord: str, naam: str, afzender: str,
                    door: str) -> AnswerRoute:
    """Send the answer the way answer_route says and close the question as answered, in the
    caller's transaction. `naam` is the resident's name for the greeting. The answer is in
    Dutch (the language of an anonymous question's answer); a message in My portal gets the
    mail's subject.

    The answer travels once: as a message (DigiD) or a mail (anonymous). The result's
    eindstatus "Beantwoord" then notifies as every status does (app.berichten.services), so the
    answer is not repeated in the statustoelichting; it is kept as the Resultaat's
    toelichting, the staff's record of what was answered.
    """
    if zaak.is_closed:
        raise ContactError("closed")
    route = answer_route(zaak)
    texts = dict(zaaknummer=zaak.identificatie, naam=naam, antwoord=antwoord, afzender=afzender,
                 onderwerp=str(zaak.aanvraaggegevens.get("onderwerp") or ""))
    if route.kind == "message":
        from app.berichten.services import send_message  # the berichten feature

        eindstatus = zaak.zaaktype.eindstatustype
        # One "new message" mail, not two, when the eindstatus sends its own message.
        status_mails = eindstatus.informeren and eindstatus.zichtbaar_voor_inwoner
        onderwerp = render_mail(ANSWER_MAIL, locale="nl", **texts).subject
        send_message(session, bsn=zaak.initiator.inp_bsn, onderwerp=onderwerp, tekst=antwoord,
                     afzender=afzender, zaak_identificatie=zaak.identificatie,
                     initiator_email=zaak.initiator.email, notify=not status_mails)
    elif route.kind == "email" and route.address:
        send_mail(session, ANSWER_MAIL, to=route.address, locale="nl",
                  dedupe_key=f"kcc-answer:{zaak.identificatie}", **texts)
    get_zaken_store(session).set_resultaat(zaak.identificatie, resultaattype=ANSWERED,
                                           toelichting=antwoord, statustoelichting="",
                                           gezet_door=door)
    return route


# --------------------------------------------------------------------------- persons


_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([a-zA-Z]{2})\s*$")


def normalise_postcode(value: str) -> str | None:
    """"8081bp" -> "8081 BP" (the BRP's spelling, as the persons store keeps it)."""
    match = _POSTCODE.match(value or "")
    return f"{match.group(1)} {match.group(2).upper()}" if match else None


@dataclass(frozen=True)
class ContactOverview:
    """One resident's contacts with the municipality across the channels."""

    person: Persoon
    zaken: list[ContactZaak]   # applications and reports, newest first
    callbacks: list[ContactZaak]
    questions: list[ContactZaak]
    messages: list            # app.berichten.models.Message, newest first
    appointments: list[AppointmentView]  # newest first
    contact: ContactDetails   # what the resident gave us in Mijn gegevens
    contacts: list[ContactLine]  # every contact with its channel (the ledger), newest first


def contact_overview(session: Session, person: Persoon, *,
                     limit: int = 50) -> ContactOverview:
    """Zaken (split into callbacks, questions and the rest), messages and appointments of
    this resident, in a fixed number of queries."""
    from app.appointments.services import agenda_backend
    from app.berichten.services import messages_for_bsn

    zaken = get_zaken_store(session).resident_contact_zaken(person.bsn, limit=limit)
    by_type: dict[str, list[ContactZaak]] = {CALLBACK: [], QUESTION: [], "": []}
    for zaak in zaken:
        by_type.get(zaak.zaaktype.identificatie, by_type[""]).append(zaak)
    return ContactOverview(
        person=person, zaken=by_type[""], callbacks=by_type[CALLBACK],
        questions=by_type[QUESTION],
        messages=list(messages_for_bsn(session, person.bsn, limit=limit, offset=0)),
        appointments=agenda_backend(session).for_resident(person.bsn, limit=limit),
        contact=get_contact_details(session, person.bsn),
        contacts=contacts_of(session, person.bsn, limit=limit))


# --------------------------------------------------------------------------- disclosure log


@dataclass(frozen=True)
class Viewed:
    """A resident whose data a list page showed, and the zaak it was shown for (or None)."""

    bsn: str
    zaak: str | None = None


def log_daily_views(session: Session, viewed: Iterable[Viewed], *, recipient: str,
                    purpose: str, data_categories: Sequence[str],
                    now: datetime | None = None) -> int:
    """Write one disclosure per resident (and zaak) per local day for a list page that shows
    many residents' data: the resident learns that this team looked, and on which day,
    without an entry for every reload. Two queries whatever the number of residents;
    returns how many entries were added."""
    recipient, purpose = recipient.strip(), purpose.strip()  # as log_disclosures writes them
    wanted = sorted({(item.bsn, item.zaak) for item in viewed if item.bsn},
                    key=lambda pair: (pair[0], pair[1] or ""))
    now = now or utcnow()
    seen = disclosed_since(session, (bsn for bsn, _ in wanted), recipient=recipient,
                           purpose=purpose, channel=CHANNEL, since=local_day_start_utc(now))
    return log_disclosures(session, (pair for pair in wanted if pair not in seen),
                           recipient=recipient, purpose=purpose,
                           data_categories=data_categories, channel=CHANNEL, when=now)


def log_views(session: Session, viewed: Iterable[Viewed], *, recipient: str, purpose: str,
              data_categories: Sequence[str]) -> int:
    """One disclosure per resident shown, every time (search results): a single INSERT."""
    return log_disclosures(session, ((item.bsn, item.zaak) for item in viewed),
                           recipient=recipient, purpose=purpose,
                           data_categories=data_categories, channel=CHANNEL)

