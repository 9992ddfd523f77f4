"""What the ZGW store keeps of the zaaksysteem: a resident's Mijn zaken pages, briefly.

Not a copy of the zaken: a page as it was shown, for a few minutes, so a resident who
goes back and forth does not wait on the zaaksysteem twice for the same thing. It lives
in the database so every node shares it and the notificaties worker (another process)
can drop it the moment the zaaksysteem says a zaak of the page changed.
"""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class CachedResidentPage(Base):
    __tablename__ = "zgw_resident_pages"

    # A Mijn zaken page, "<resident key>:<open|closed>:<limit>:<offset>", or a zaak's page,
    # "<resident key>:zaak:<level rank>:<zaaknummer>"; the resident key is an HMAC of the
    # BSN (app.zaken.zgw.cache), so no BSN is stored here.
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    resident_key: Mapped[str] = mapped_column(String(64), index=True)
    page: Mapped[dict] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC


class CachedPageZaak(Base):
    """Which zaken a cached page shows: a notificatie about one of them drops the page."""

    __tablename__ = "zgw_resident_page_zaken"
    __table_args__ = (Index("ix_zgw_resident_page_zaken_zaak_url", "zaak_url"),)

    page_key: Mapped[str] = mapped_column(
        ForeignKey("zgw_resident_pages.key", ondelete="CASCADE"), primary_key=True)
    zaak_url: Mapped[str] = mapped_column(Text, primary_key=True)


class ZgwDocumentRequest(Base):
    """The municipality asked the initiator of a zaak in the zaaksysteem for a document.

    The ZGW APIs have no such thing, so the request is the portal's own data, keyed by the
    zaaknummer (no copy of the zaak, no BSN: whose zaak it is, the Zaken API says). Open
    while fulfilled_at is None; the resident's answer becomes a document of the zaak in the
    Documenten API (document_uuid), and staff see it there.
    """

    __tablename__ = "zgw_document_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_identificatie: Mapped[str] = mapped_column(String(40), index=True)
    omschrijving: Mapped[str] = mapped_column(Text)  # what is asked, for the resident (Dutch)
    created_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    requested_by: Mapped[str] = mapped_column(String(200))
    fulfilled_at: Mapped[datetime | None] = mapped_column(DateTime)
    document_uuid: Mapped[str | None] = mapped_column(String(40))


class ZgwCallbackAttempt(Base):
    """A call of the KCC that did not reach the initiator of a callback (a TERUGBELVERZOEK
    zaak) in the zaaksysteem; the callback stays open for another try.

    The ZGW APIs keep contact moments in Klantinteracties, which this portal has no server
    of; so an attempt is the portal's own data (no copy of the zaak, no BSN), keyed by the
    zaak's UUID: a zaaksysteem may give a deleted zaak's number to a new one (Open Zaak
    does), which must not inherit its attempts; the zaaknummer is there for people.
    """

    __tablename__ = "zgw_callback_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_uuid: Mapped[str] = mapped_column(String(36), index=True)
    zaak_identificatie: Mapped[str] = mapped_column(String(40))
    moment: Mapped[datetime] = mapped_column(DateTime)  # naive UTC, whole seconds
    door: Mapped[str] = mapped_column(String(200))
    notitie: Mapped[str] = mapped_column(Text)


class ZgwContactPerson(Base):
    """The contact person of a zaak whose zaaktype has no roltype behandelaar in the
    zaaksysteem, so no rol can hold them (app.zaken.store.ContactPerson): the portal's own
    record, one per zaak, keyed like ZgwCallbackAttempt by the zaak's UUID (no copy of the
    zaak, no BSN)."""

    __tablename__ = "zgw_contact_persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    zaak_identificatie: Mapped[str] = mapped_column(String(40))
    medewerker: Mapped[str] = mapped_column(String(128))
    naam: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(50))
    telefoon: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254))
    registered_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    door: Mapped[str] = mapped_column(String(200))


class ZgwEndingDecision(Base):
    """A Besluit in the zaaksysteem that ends (vervaldatum) on a zaak a resident initiated:
    what the daily reminders look for (app.reminders). The Besluiten API cannot be searched
    by vervaldatum, so the notificaties keep this small index of it (app.zaken.zgw.besluiten).

    It holds the initiator's BSN for this purpose only: a row goes once its reminder was
    sent or its vervaldatum passed.
    """

    __tablename__ = "zgw_ending_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    besluit_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    zaak_identificatie: Mapped[str] = mapped_column(String(40), index=True)
    zaaktype_url: Mapped[str] = mapped_column(Text)
    vervaldatum: Mapped[date] = mapped_column(Date, index=True)  # the reminders' query
    initiator_bsn: Mapped[str] = mapped_column(String(9))
