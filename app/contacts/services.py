"""Writing the contact ledger: one row per contact, from every place a contact is made.

Services take the caller's Session, add and flush in its transaction (a rolled-back zaak or
booking takes its contact with it) and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.contacts.models import Contact
from app.db import utcnow
from app.zaken.services import today
from app.zaken.signals import status_set
from app.zaken.store import OpenedZaak, StatusChange


class Kanaal(StrEnum):
    """How a contact came in (Klantinteracties: klantcontact.kanaal)."""

    ONLINE = "online"
    TELEFOON = "telefoon"
    BALIE = "balie"
    EMAIL = "email"
    POST = "post"
    NAMENS = "namens"  # someone acting for the resident: a gemachtigde (DigiD Machtigen)


class Soort(StrEnum):
    """What the contact was."""

    ZAAK = "zaak"                        # an application or report: opens a zaak
    TERUGBELVERZOEK = "terugbelverzoek"
    VRAAG = "vraag"
    AFSPRAAK = "afspraak"                # a balie appointment booked
    GESPREK = "gesprek"                  # a phone call (or desk question) answered at once
    BERICHT = "bericht"
    # An e-form started online: not a contact of its own, but what the share of forms sent
    # is measured against, so it is counted beside the contacts.
    FORMULIER = "formulier"


# The contact zaaktypen (content/zaaktypen.toml); every other zaaktype is an application or
# a report.
CONTACT_ZAAKTYPEN = {"TERUGBELVERZOEK": Soort.TERUGBELVERZOEK, "VRAAG": Soort.VRAAG}


def soort_of_zaaktype(zaaktype: str) -> Soort:
    return CONTACT_ZAAKTYPEN.get(zaaktype, Soort.ZAAK)


# Soorten that are a zaak: the decision date is recorded when it closes.
ZAAK_SOORTEN = (Soort.ZAAK, Soort.TERUGBELVERZOEK, Soort.VRAAG)
INWONER = "inwoner"  # geregistreerd_door when the resident did it themselves


def record_contact(session: Session, *, kanaal: Kanaal, soort: Soort, geregistreerd_door: str,
                   product: str = "", onderwerp: str = "", bsn: str | None = None,
                   zaak: OpenedZaak | None = None, about_zaak: str | None = None,
                   afspraak_referentie: str | None = None, gelukt: bool | None = None,
                   plaatsgevonden_op: datetime | None = None,
                   now: datetime | None = None) -> Contact:
    """Add one contact to the ledger; for a zaak with its target and legal end dates, which
    tell later whether it was decided in time. about_zaak: the zaaknummer a contact that is
    no zaak itself (a message) is about. plaatsgevonden_op: when the contact took place, if
    not now (generated and migrated data)."""
    now = now or utcnow()
    contact = Contact(
        kanaal=kanaal.value, soort=soort.value, onderwerp=onderwerp[:200], product=product,
        bsn=bsn, geregistreerd_door=geregistreerd_door[:100], indicatie_contact_gelukt=gelukt,
        afspraak_referentie=afspraak_referentie, bijgewerkt_op=now,
        plaatsgevonden_op=plaatsgevonden_op or now,
        zaak_identificatie=zaak.identificatie if zaak else about_zaak,
        einddatum_gepland=zaak.einddatum_gepland if zaak else None,
        uiterlijke_einddatum_afdoening=zaak.uiterlijke_einddatum_afdoening if zaak else None)
    session.add(contact)
    session.flush()
    return contact


def record_message(session: Session, *, bsn: str, onderwerp: str, about_zaak: str | None,
                   namens: bool) -> Contact:
    """A resident's message (a question about a zaak, an answer to a message): a contact
    that came in online, or on their behalf by a gemachtigde; counted under the product of
    the zaak it is about, as the zaak's own contact recorded it."""
    return record_contact(session, kanaal=Kanaal.NAMENS if namens else Kanaal.ONLINE,
                          soort=Soort.BERICHT, geregistreerd_door=INWONER, bsn=bsn,
                          onderwerp=onderwerp, about_zaak=about_zaak,
                          product=_of_zaak(session, Contact.product, about_zaak) or "")


def _of_zaak(session: Session, column, identificatie: str | None):
    """A column of the contact that opened the zaak (not of a message about it); None when
    the ledger does not know the zaak."""
    if not identificatie:
        return None
    return session.scalar(select(column).where(*_opened(identificatie)).limit(1))


def has_contact_for_appointment(session: Session, reference: str) -> bool:
    return session.scalar(select(Contact.id).where(Contact.afspraak_referentie == reference)
                          .limit(1)) is not None


def record_decision(session: Session, zaak_identificatie: str, einddatum: date, *,
                    uiterlijke_einddatum_afdoening: date | None = None,
                    now: datetime | None = None) -> None:
    """The zaak closed on einddatum: its contact's einddatum and the legal end its term had
    by then, moved by suspensions and an extension (None: the one recorded when it opened);
    once: a store that sends the eindstatus again changes nothing."""
    values = {"einddatum": einddatum, "bijgewerkt_op": now or utcnow()}
    if uiterlijke_einddatum_afdoening is not None:
        values["uiterlijke_einddatum_afdoening"] = uiterlijke_einddatum_afdoening
    session.execute(_update_zaak_contact(zaak_identificatie)
                    .where(Contact.einddatum.is_(None)).values(**values))


def backdate_decision(session: Session, zaak_identificatie: str, einddatum: date) -> None:
    """Generated history (the demo) dates a zaak's decision back: so does its contact."""
    session.execute(_update_zaak_contact(zaak_identificatie)
                    .values(einddatum=einddatum, bijgewerkt_op=utcnow()))


def backdate_message_contacts(session: Session, zaak_identificatie: str, moment: datetime) -> None:
    """Generated history (the demo) dates a resident's message about the zaak back: so does
    its contact (the demo writes one at a time)."""
    session.execute(update(Contact).where(Contact.zaak_identificatie == zaak_identificatie,
                                          Contact.soort == Soort.BERICHT.value,
                                          Contact.plaatsgevonden_op > moment)
                    .values(plaatsgevonden_op=moment, bijgewerkt_op=utcnow())
                    .execution_options(synchronize_session=False))


def _update_zaak_contact(zaak_identificatie: str):
    return (update(Contact).where(*_opened(zaak_identificatie))
            .execution_options(synchronize_session=False))


def _opened(zaak_identificatie: str) -> tuple:
    """The contact that opened the zaak, not a message about it."""
    return (Contact.zaak_identificatie == zaak_identificatie,
            Contact.soort.in_([s.value for s in ZAAK_SOORTEN]))


def _on_status_set(change: StatusChange, *, session: Session, **_extra) -> None:
    if change.is_eindstatus:
        record_decision(session, change.zaak_identificatie, today(),
                        uiterlijke_einddatum_afdoening=change.uiterlijke_einddatum_afdoening)


def connect_signals() -> None:
    """Listen to the zaken domain's status changes (called when app.contacts is imported
    by the app factory). A strong reference: the receiver lives as long as the process."""
    status_set.connect(_on_status_set, weak=False)


@dataclass(frozen=True)
class ContactLine:
    """A contact as staff see it in a resident's contact overview."""

    plaatsgevonden_op: datetime
    kanaal: str
    soort: str
    onderwerp: str
    zaak_identificatie: str | None
    gelukt: bool | None


def contacts_of(session: Session, bsn: str, *, limit: int = 50) -> list[ContactLine]:
    """A resident's contacts, newest first (one query)."""
    rows = session.scalars(select(Contact).where(Contact.bsn == bsn)
                           .order_by(Contact.plaatsgevonden_op.desc(), Contact.id.desc())
                           .limit(limit))
    return [ContactLine(row.plaatsgevonden_op, row.kanaal, row.soort, row.onderwerp,
                        row.zaak_identificatie, row.indicatie_contact_gelukt) for row in rows]


def kanaal_of_zaak(session: Session, identificatie: str) -> str | None:
    """How this zaak came in; None when the ledger does not know it."""
    return _of_zaak(session, Contact.kanaal, identificatie)
