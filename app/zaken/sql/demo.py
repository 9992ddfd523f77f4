"""Demo zaken for the personas in the embedded store, so a newcomer logs in to a lived-in
Mijn omgeving.

Each persona gets zaken in varied states: just received, in behandeling and waiting
for a document, overdue, decided with a result, closed long ago, with the messages
those status changes send (through set_status / set_resultaat, so the real signal
writes them) and one general message. Fatima also asked about three of her zaken: one
question waits past the written-answer norm, one waits within it, one was answered, so
the back office's "Berichten van inwoners" shows its list at once. Demo zaken are registered by ``DEMO_REGISTERED_BY``
and carry ``kenmerken["demo"] = True``, so staff and scripts recognise them.

Seeded only when the config ``DEMO_DATA`` is true (the demo script sets it; tests and
production leave it off). Idempotent: a persona that has demo zaken gets none again. It
lives with the embedded store because it dates zaken back, which no store's port allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.berichten.conversations import Topic, answer_thread, write_to_municipality
from app.berichten.models import Message
from app.berichten.services import (
    backdate_messages_about,
    mark_read_about,
    send_message,
    without_mail,
)
from app.contacts.services import (
    INWONER,
    Kanaal,
    backdate_decision,
    backdate_message_contacts,
    record_contact,
    soort_of_zaaktype,
)
from app.db import utcnow
from app.persons.services import load_personas
from app.zaken.models import Rol, Zaak
from app.zaken.services import (
    add_document,
    extend_term,
    open_zaak,
    request_document,
    set_contact_person,
    set_resultaat,
    set_status,
    today,
)
from app.zaken.store import ContactPerson, Initiator, OpenedZaak, RelevanteZaak

DEMO_REGISTERED_BY = "demo"
DEMO_KENMERKEN = {"demo": True}
STAFF = "medewerker demo"
SARA = ContactPerson(medewerker="sara", naam="Sara Smit", team="sociaal-domein",
                     telefoon="0525688120", email="sara.smit@elburg.example")


def seed_demo_zaken(session: Session) -> int:
    """Add the demo zaken of every persona that has none yet; returns how many were added."""
    if not current_app.config["DEMO_DATA"]:
        return 0
    seeded = set(session.scalars(
        select(Rol.inp_bsn).join(Zaak, Zaak.id == Rol.zaak_id)
        .where(Zaak.registered_by == DEMO_REGISTERED_BY, Rol.omschrijving_generiek == "initiator")))
    added = 0
    for persona in load_personas():
        if persona["bsn"] in seeded:
            continue
        added += _seed_persona(session, persona)
    session.commit()
    return added


# --------------------------------------------------------------------------- one persona


@dataclass
class Demo:
    """A persona's zaken being written; moments are days ago at office hours (UTC)."""

    session: Session
    persona: dict

    @property
    def bsn(self) -> str:
        return self.persona["bsn"]

    def initiator(self) -> Initiator:
        persona = self.persona
        naam = " ".join(p for p in (persona["voornamen"], persona["voorvoegsel"],
                                    persona["geslachtsnaam"]) if p)
        adres = (f'{persona["straat"]} {persona["huisnummer"]}{persona["huisletter"]}, '
                 f'{persona["postcode"]} {persona["woonplaats"]}')
        return Initiator(naam=naam, bsn=self.bsn, email=persona["email"],
                         telefoon=persona["telefoon"], adres=adres)

    def open(self, zaaktype: str, omschrijving: str, days_ago: int,
             aanvraaggegevens: dict | None = None, about: Zaak | None = None,
             kanaal: Kanaal = Kanaal.ONLINE) -> Zaak:
        """A zaak that came in days_ago by kanaal (online: sent with its e-form), in the
        contact ledger as such."""
        start = today() - timedelta(days=days_ago)
        zaak = open_zaak(self.session, zaaktype=zaaktype, initiator=self.initiator(),
                         omschrijving=omschrijving, aanvraaggegevens=aanvraaggegevens,
                         kenmerken=DEMO_KENMERKEN, registered_by=DEMO_REGISTERED_BY,
                         startdatum=start, relevante_andere_zaken=(
                             (RelevanteZaak(about.identificatie),) if about else ()))
        # Listed by registratiedatum: a demo zaak is registered on the day it started.
        zaak.registratiedatum = start
        zaak.statussen[0].datum_status_gezet = moment(days_ago)
        record_contact(self.session, kanaal=kanaal, soort=soort_of_zaaktype(zaaktype),
                       geregistreerd_door=INWONER if kanaal == Kanaal.ONLINE else STAFF,
                       product=zaak.zaaktype.product, onderwerp=omschrijving, bsn=self.bsn,
                       zaak=OpenedZaak(zaak.identificatie, zaak.einddatum_gepland,
                                       zaak.uiterlijke_einddatum_afdoening),
                       plaatsgevonden_op=moment(days_ago))
        return zaak

    def status(self, zaak: Zaak, volgnummer: int, days_ago: int, toelichting: str = "") -> None:
        status = set_status(self.session, zaak, volgnummer=volgnummer, toelichting=toelichting,
                            gezet_door=STAFF)
        status.datum_status_gezet = moment(days_ago)
        self._date_new_messages(zaak, days_ago)

    def close(self, zaak: Zaak, resultaat: str, days_ago: int, toelichting: str = "") -> None:
        set_resultaat(self.session, zaak, resultaattype=resultaat, toelichting=toelichting,
                      gezet_door=STAFF)
        zaak.resultaat.datum = moment(days_ago)
        zaak.statussen[-1].datum_status_gezet = moment(days_ago)
        zaak.einddatum = today() - timedelta(days=days_ago)
        backdate_decision(self.session, zaak.identificatie, zaak.einddatum)
        self._date_new_messages(zaak, days_ago)

    def _date_new_messages(self, zaak: Zaak, days_ago: int) -> None:
        """The message the signal just wrote (dated now) gets the status's date; earlier
        steps' messages are older than that date already and stay as they are."""
        backdate_messages_about(self.session, zaak.identificatie, moment(days_ago))

    def ask(self, zaak: Zaak, tekst: str, days_ago: int) -> Message:
        """The resident's question about the zaak, days_ago, waiting for its team since."""
        question = write_to_municipality(
            self.session, bsn=self.bsn, afzender=self.initiator().naam,
            topic=Topic.zaak(zaak.identificatie, zaak.team), tekst=tekst)
        question.created_at = question.read_at = moment(days_ago)
        question.thread.created_at = question.thread.waiting_since = moment(days_ago)
        backdate_message_contacts(self.session, zaak.identificatie, moment(days_ago))
        return question

    def answer(self, question: Message, tekst: str, afzender: str, days_ago: int) -> None:
        """Staff answered the question days_ago; the resident read it that day."""
        answer = answer_thread(self.session, question.thread, tekst=tekst, afzender=afzender)
        answer.created_at = question.staff_read_at = moment(days_ago, 11)
        answer.read_at = moment(days_ago, 15)

    def mark_read(self, *zaken: Zaak) -> None:
        """The resident read these zaken's messages a day after they came."""
        mark_read_about(self.session, [zaak.identificatie for zaak in zaken],
                        after=timedelta(days=1))


def moment(days_ago: int, hour: int = 9) -> datetime:
    """A naive-UTC moment days_ago at about office hours (never later than now)."""
    return min(datetime.combine(today() - timedelta(days=days_ago), time(hour, 30)), utcnow())


def _seed_persona(session: Session, persona: dict) -> int:
    demo = Demo(session, persona)
    scenarios = PERSONA_SCENARIOS.get(persona["bsn"], DEFAULT_SCENARIOS)
    with without_mail():  # demo messages are dated in the past: no "new message" mails
        zaken = [scenario(demo) for scenario in scenarios]
        _welcome(demo)
    session.flush()
    return len(zaken)


# --------------------------------------------------------------------------- the scenarios


def just_received(demo: Demo) -> Zaak:
    return demo.open("UITTREKSEL_BRP", "Uittreksel BRP voor een nieuwe werkgever", 0,
                     {"reden": "werkgever", "aantal": 1})


def waiting_for_a_document(demo: Demo) -> Zaak:
    zaak = demo.open("VERHUIZING", "Verhuizing binnen de gemeente", 6,
                     {"verhuisdatum": str(today() - timedelta(days=10)), "hoofdbewoner": "ja"})
    demo.status(zaak, 2, 4, "Wij hebben uw verhuizing bekeken. Wij missen nog een bewijs "
                            "dat u op het nieuwe adres woont.")
    request_document(demo.session, zaak, omschrijving="Een kopie van uw huurcontract of koopakte",
                     requested_by=STAFF)
    zaak.document_requests[-1].created_at = moment(4, 10)
    zaak.opgeschort_sinds = today() - timedelta(days=4)  # the term stands still since then
    return zaak


def overdue(demo: Demo) -> Zaak:
    # Started seven weeks ago, legal deadline four weeks: the page says it has passed.
    zaak = demo.open("MELDING_OPENBARE_RUIMTE", "Losliggende stoeptegels voor de school", 49,
                     {"locatie": "Zuiderzeestraatweg bij de basisschool"})
    demo.status(zaak, 2, 40, "De stratenmaker komt zo snel mogelijk.")
    return zaak


def decided(demo: Demo) -> Zaak:
    zaak = demo.open("PARKEERVERGUNNING", "Parkeervergunning binnenstad", 20,
                     {"kenteken": "AB-123-C"})
    demo.status(zaak, 2, 17)
    demo.status(zaak, 3, 10)
    add_document(demo.session, zaak, titel="Besluit parkeervergunning",
                 bestandsnaam="besluit-parkeervergunning.pdf", formaat="application/pdf",
                 content=demo_pdf("Besluit parkeervergunning"), added_by=STAFF)
    demo.close(zaak, "Toegekend", 2, "Uw vergunning geldt vanaf de eerste dag van de volgende "
                                     "maand. U hoeft niets te doen.")
    return zaak


def objection_under_way(demo: Demo) -> Zaak:
    """A refused permit and the objection against it, whose term the jurist extended."""
    refused = demo.open("PARKEERVERGUNNING", "Tweede parkeervergunning binnenstad", 60,
                        {"kenteken": "XY-987-Z"})
    demo.close(refused, "Afgewezen", 40, "Per adres is er één vergunning. U heeft er al een.")
    # A letter, as many objections still come in.
    objection = demo.open("BEZWAAR", "Bezwaar tegen een besluit", 35, kanaal=Kanaal.POST,
                          aanvraaggegevens={
        "besluit": {"identificatie": refused.identificatie,
                    "zaaktype": refused.zaaktype.omschrijving,
                    "zaaktype_en": refused.zaaktype.omschrijving_en,
                    "einddatum": refused.einddatum.isoformat()},
        "gronden": "Mijn partner en ik werken allebei met de auto."}, about=refused)
    demo.status(objection, 2, 30, "Een jurist bekijkt uw bezwaar.")
    extend_term(demo.session, objection, duur="P6W",
                reden="De bezwaarcommissie vergadert pas over zes weken over uw bezwaar.")
    return objection


def closed_long_ago(demo: Demo) -> Zaak:
    zaak = demo.open("VERHUIZING", "Verhuizing naar Elburg", 420,
                     {"verhuisdatum": str(today() - timedelta(days=425)), "hoofdbewoner": "ja"})
    demo.status(zaak, 2, 418)
    demo.close(zaak, "Verwerkt", 415)
    demo.mark_read(zaak)
    return zaak


def wmo_with_messages(demo: Demo) -> Zaak:
    zaak = demo.open("HULPVRAAG_WMO", "Hulp bij het huishouden", 16,
                     {"hulpvraag": "Ik kan het huishouden niet meer alleen doen."})
    demo.status(zaak, 2, 13, "Een consulent komt op een dinsdagochtend bij u thuis voor een "
                             "keukentafelgesprek. Wij bellen u een dag van tevoren.")
    demo.status(zaak, 3, 5)
    # The consulent became the resident's contact person (app/auth/staff_accounts.toml's
    # Sara Smit).
    set_contact_person(demo.session, zaak, SARA, door=STAFF)
    return zaak


def overdue_asked_about(demo: Demo) -> Zaak:
    # Twelve days ago: past the written-answer norm (5 working days), so the list marks it.
    zaak = overdue(demo)
    demo.ask(zaak, "De stoeptegels liggen er nog steeds los. Wanneer komt de stratenmaker? "
                   "Er zijn al kinderen gestruikeld.", 12)
    return zaak


def waiting_for_a_document_asked_about(demo: Demo) -> Zaak:
    zaak = waiting_for_a_document(demo)
    demo.ask(zaak, "Ik huur een kamer en heb geen huurcontract. Is een brief van de "
                   "hoofdbewoner ook goed?", 1)
    return zaak


def wmo_with_a_conversation(demo: Demo) -> Zaak:
    zaak = wmo_with_messages(demo)
    question = demo.ask(zaak, "Mag mijn dochter bij het keukentafelgesprek zijn?", 4)
    demo.answer(question, "Ja, dat is goed. Uw dochter is van harte welkom. Ik zie u "
                          "dinsdag.", SARA.naam, 3)
    return zaak


def question_answered(demo: Demo) -> Zaak:
    # Asked on the phone; the KCC registered it for the back office.
    zaak = demo.open("VRAAG", "Vraag over de afvalkalender", 9,
                     {"vraag": "Wanneer wordt het oud papier opgehaald?"}, kanaal=Kanaal.TELEFOON)
    demo.close(zaak, "Beantwoord", 7, "Het oud papier wordt in uw wijk elke tweede woensdag "
                                      "van de maand opgehaald. Zet de container voor 7.30 uur "
                                      "buiten.")
    demo.mark_read(zaak)
    return zaak


DEFAULT_SCENARIOS: tuple[Callable[[Demo], Zaak], ...] = (
    closed_long_ago, overdue, decided, waiting_for_a_document, just_received)
PERSONA_SCENARIOS = {
    "999990019": (closed_long_ago, overdue_asked_about, question_answered, decided,
                  objection_under_way, wmo_with_a_conversation,
                  waiting_for_a_document_asked_about, just_received),  # the full tour
    "999990020": (closed_long_ago, wmo_with_messages, waiting_for_a_document),  # Johannes
}


def _welcome(demo: Demo) -> None:
    """One general message, not about a zaak."""
    message = send_message(
        demo.session, bsn=demo.bsn, afzender=current_app.config["MUNICIPALITY_NAME"],
        onderwerp="Welkom in Mijn omgeving",
        tekst="In Mijn omgeving ziet u uw aanvragen, uw gegevens en de berichten van de "
              "gemeente.\n\nHeeft u een vraag? Bel ons of stuur een bericht via het "
              "contactformulier.",
        onderwerp_en="Welcome to My portal",
        tekst_en="In My portal you see your requests, your details and the messages from "
                 "the municipality.\n\nDo you have a question? Call us or send a message "
                 "with the contact form.")
    message.created_at = moment(30)
    message.read_at = moment(29)


# --------------------------------------------------------------------------- a document


def demo_pdf(title: str) -> bytes:
    """A one-page PDF that says it is a demo document (built by hand: no PDF library)."""
    text = f"{title} (voorbeelddocument)".encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)
