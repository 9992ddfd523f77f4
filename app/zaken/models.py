"""Catalogi and zaken, named as in the ZGW standard (Catalogi API and Zaken API).

Texts the resident reads exist in Dutch and English: the ZGW column holds the
Dutch text (so a field maps 1:1 to the standard) and a ``<name>_en`` column
the English one; ``localized(locale)`` picks one. Datetimes are naive UTC,
dates are calendar dates in Europe/Amsterdam.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base
from app.texts import Localized

# --------------------------------------------------------------------------- catalogi


class ZaakType(Localized, Base):
    __tablename__ = "zaaktypen"

    id: Mapped[int] = mapped_column(primary_key=True)
    identificatie: Mapped[str] = mapped_column(String(50), unique=True)
    omschrijving: Mapped[str] = mapped_column(String(200))
    omschrijving_en: Mapped[str] = mapped_column(String(200), default="")
    doel: Mapped[str] = mapped_column(Text)
    aanleiding: Mapped[str] = mapped_column(Text, default="")
    # ISO 8601 durations ("P8W"); dates are computed with app.zaken.durations.
    doorlooptijd: Mapped[str] = mapped_column(String(20))
    servicenorm: Mapped[str | None] = mapped_column(String(20))
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    verlenging_mogelijk: Mapped[bool] = mapped_column(default=False)
    # ISO 8601 duration: the longest extension of the legal term (ZGW verlengingstermijn).
    verlengingstermijn: Mapped[str | None] = mapped_column(String(20))
    product: Mapped[str] = mapped_column(String(100), default="")  # catalogue slug
    indicatie_intern_of_extern: Mapped[str] = mapped_column(String(10), default="extern")
    handeling_initiator: Mapped[str] = mapped_column(String(50), default="")
    # The team that handles zaken of this type (app.auth.staff.TEAMS); new zaken start there.
    team: Mapped[str] = mapped_column(String(50), default="")

    statustypen: Mapped[list[StatusType]] = relationship(
        back_populates="zaaktype", order_by="StatusType.volgnummer")
    resultaattypen: Mapped[list[ResultaatType]] = relationship(
        back_populates="zaaktype", order_by="ResultaatType.id")

    def statustype(self, volgnummer: int) -> StatusType | None:
        return next((s for s in self.statustypen if s.volgnummer == volgnummer), None)

    @property
    def eindstatustype(self) -> StatusType:
        return next(s for s in self.statustypen if s.is_eindstatus)

    def resultaattype(self, omschrijving: str) -> ResultaatType | None:
        return next((r for r in self.resultaattypen if r.omschrijving == omschrijving), None)

    def __repr__(self) -> str:
        return f"<ZaakType {self.identificatie}>"


class StatusType(Localized, Base):
    __tablename__ = "statustypen"
    __table_args__ = (UniqueConstraint("zaaktype_id", "volgnummer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zaaktype_id: Mapped[int] = mapped_column(ForeignKey("zaaktypen.id"))
    volgnummer: Mapped[int]
    omschrijving: Mapped[str] = mapped_column(String(100))
    omschrijving_en: Mapped[str] = mapped_column(String(100), default="")
    statustekst: Mapped[str] = mapped_column(Text, default="")  # for the resident
    statustekst_en: Mapped[str] = mapped_column(Text, default="")
    informeren: Mapped[bool] = mapped_column(default=False)
    is_eindstatus: Mapped[bool] = mapped_column(default=False)
    # False: an internal step; the resident's page folds it into the visible step before it.
    zichtbaar_voor_inwoner: Mapped[bool] = mapped_column(default=True)

    zaaktype: Mapped[ZaakType] = relationship(back_populates="statustypen")


class ResultaatType(Localized, Base):
    __tablename__ = "resultaattypen"
    __table_args__ = (UniqueConstraint("zaaktype_id", "omschrijving"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zaaktype_id: Mapped[int] = mapped_column(ForeignKey("zaaktypen.id"))
    omschrijving: Mapped[str] = mapped_column(String(100))
    omschrijving_en: Mapped[str] = mapped_column(String(100), default="")
    toelichting: Mapped[str] = mapped_column(Text, default="")
    toelichting_en: Mapped[str] = mapped_column(Text, default="")
    # A result that grants something for a while (a parking permit for a year): how long,
    # as an ISO 8601 duration; the resident is reminded to renew before it ends.
    geldigheid: Mapped[str | None] = mapped_column(String(20))
    # ZGW omschrijvingGeneriek: the kind of result in the standard's words (the Selectielijst's
    # resultaattypeomschrijving: Toegekend, Verleend, Afgewezen, Ingetrokken, ...), whatever
    # the municipality calls it; says whether the result lets the application go ahead.
    omschrijving_generiek: Mapped[str] = mapped_column(String(40), default="")

    zaaktype: Mapped[ZaakType] = relationship(back_populates="resultaattypen")


# --------------------------------------------------------------------------- zaken


class ZaaknummerCounter(Base):
    """The last zaaknummer handed out per year; bumped atomically by open_zaak."""

    __tablename__ = "zaaknummer_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Zaak(Base):
    __tablename__ = "zaken"

    id: Mapped[int] = mapped_column(primary_key=True)
    identificatie: Mapped[str] = mapped_column(String(40), unique=True)  # ZAAK-2026-0000000001
    zaaktype_id: Mapped[int] = mapped_column(ForeignKey("zaaktypen.id"), index=True)
    omschrijving: Mapped[str] = mapped_column(String(200))
    toelichting: Mapped[str] = mapped_column(Text, default="")
    registratiedatum: Mapped[date] = mapped_column(Date)
    startdatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date)  # set when the zaak is closed
    einddatum_gepland: Mapped[date | None] = mapped_column(Date)  # start + servicenorm (target)
    uiterlijke_einddatum_afdoening: Mapped[date] = mapped_column(Date)  # start + doorlooptijd
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    aanvraaggegevens: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    kenmerken: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Paid online before it was opened (app.payments): "geheel" and when; None otherwise.
    betalingsindicatie: Mapped[str | None] = mapped_column(String(20))
    laatste_betaaldatum: Mapped[datetime | None] = mapped_column(DateTime)
    registered_by: Mapped[str] = mapped_column(String(200))
    # The team handling it: the zaaktype's team, unless the KCC routed it elsewhere.
    team: Mapped[str] = mapped_column(String(50), default="", index=True)
    # The legal term (app.zaken.terms), as ZGW's opschorting and verlenging: suspended while
    # the municipality waits for documents (since the request), extended once with a reason.
    opschorting_indicatie: Mapped[bool] = mapped_column(default=False)
    opschorting_reden: Mapped[str] = mapped_column(String(200), default="")
    opgeschort_sinds: Mapped[date | None] = mapped_column(Date)
    verlenging_duur: Mapped[str | None] = mapped_column(String(20))
    verlenging_reden: Mapped[str] = mapped_column(String(200), default="")

    zaaktype: Mapped[ZaakType] = relationship()
    statussen: Mapped[list[Status]] = relationship(
        back_populates="zaak", order_by="Status.id", cascade="all, delete-orphan")
    rollen: Mapped[list[Rol]] = relationship(
        back_populates="zaak", order_by="Rol.id", cascade="all, delete-orphan")
    resultaat: Mapped[Resultaat | None] = relationship(
        back_populates="zaak", cascade="all, delete-orphan")
    documenten: Mapped[list[Document]] = relationship(
        back_populates="zaak", order_by="Document.id", cascade="all, delete-orphan")
    document_requests: Mapped[list[DocumentRequest]] = relationship(
        back_populates="zaak", order_by="DocumentRequest.id", cascade="all, delete-orphan")
    relevante_andere_zaken: Mapped[list[RelevanteAndereZaak]] = relationship(
        order_by="RelevanteAndereZaak.id", cascade="all, delete-orphan",
        foreign_keys="RelevanteAndereZaak.zaak_id")

    @property
    def is_closed(self) -> bool:
        return self.einddatum is not None

    @property
    def initiator(self) -> Rol | None:
        return next((r for r in self.rollen if r.omschrijving_generiek == "initiator"), None)

    def __repr__(self) -> str:
        return f"<Zaak {self.identificatie}>"


class Status(Base):
    __tablename__ = "statussen"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaken.id"), index=True)
    statustype_id: Mapped[int] = mapped_column(ForeignKey("statustypen.id"))
    datum_status_gezet: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    statustoelichting: Mapped[str] = mapped_column(Text, default="")
    gezet_door: Mapped[str] = mapped_column(String(200))

    zaak: Mapped[Zaak] = relationship(back_populates="statussen")
    statustype: Mapped[StatusType] = relationship()


class Rol(Base):
    """A person's part in a zaak; the portal records the initiator (and a gemachtigde), and
    staff the contact person: a rol behandelaar of a medewerker (app.zaken.store.ContactPerson)."""

    __tablename__ = "rollen"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaken.id"), index=True)
    betrokkene_type: Mapped[str] = mapped_column(String(30), default="natuurlijk_persoon")
    omschrijving_generiek: Mapped[str] = mapped_column(String(30), default="initiator")
    # Set when the initiator logged in with DigiD; the PIP lists zaken by it.
    inp_bsn: Mapped[str | None] = mapped_column(String(9), index=True)
    naam: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    telefoon: Mapped[str] = mapped_column(String(30), default="")
    adres: Mapped[str] = mapped_column(String(300), default="")
    # ZGW: "" (acts for themselves), "gemachtigde" or "machtiginggever".
    indicatie_machtiging: Mapped[str] = mapped_column(String(20), default="")
    # A medewerker's betrokkeneIdentificatie.identificatie (the staff member's username) and
    # contactpersoonRol.functie (the contact person's team); "" for the other rollen.
    betrokkene_identificatie: Mapped[str] = mapped_column(String(128), default="")
    functie: Mapped[str] = mapped_column(String(50), default="")

    zaak: Mapped[Zaak] = relationship(back_populates="rollen")


class Resultaat(Base):
    __tablename__ = "resultaten"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaken.id"), unique=True)
    resultaattype_id: Mapped[int] = mapped_column(ForeignKey("resultaattypen.id"))
    toelichting: Mapped[str] = mapped_column(Text, default="")
    datum: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    gezet_door: Mapped[str] = mapped_column(String(200))
    # The day what was decided ends (ZGW: the Besluit's vervaldatum), from the
    # resultaattype's geldigheid; None when it does not end. Indexed: the daily reminders.
    vervaldatum: Mapped[date | None] = mapped_column(Date, index=True)

    zaak: Mapped[Zaak] = relationship(back_populates="resultaat")
    resultaattype: Mapped[ResultaatType] = relationship()


class Document(Base):
    """A zaak document: a ZGW EnkelvoudigInformatieObject, linked to its zaak by zaak_id
    (in ZGW terms the ZaakInformatieObject). The bytes live in the DocumentStore under
    storage_key; bestandsnaam is metadata only, never a path."""

    __tablename__ = "zaak_documenten"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaken.id"), index=True)
    titel: Mapped[str] = mapped_column(String(200))
    bestandsnaam: Mapped[str] = mapped_column(String(255))
    formaat: Mapped[str] = mapped_column(String(100))  # media type, e.g. application/pdf
    bestandsomvang: Mapped[int]  # bytes
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    creatiedatum: Mapped[date] = mapped_column(Date)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    added_by: Mapped[str] = mapped_column(String(200))

    zaak: Mapped[Zaak] = relationship(back_populates="documenten")


class DocumentRequest(Base):
    """The municipality asks the initiator for a document (ZGW has no such resource; Open
    Zaak portals model it as a zaak task). Open while fulfilled_at is None; the resident's
    upload in Mijn omgeving fulfils it and records which document answered it."""

    __tablename__ = "zaak_document_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaken.id"), index=True)
    omschrijving: Mapped[str] = mapped_column(Text)  # what is asked, for the resident (Dutch)
    created_at: Mapped[datetime] = mapped_column(DateTime)  # naive UTC
    requested_by: Mapped[str] = mapped_column(String(200))
    fulfilled_at: Mapped[datetime | None] = mapped_column(DateTime)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("zaak_documenten.id"))

    zaak: Mapped[Zaak] = relationship(back_populates="document_requests")
    document: Mapped[Document | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.fulfilled_at is None


class RelevanteAndereZaak(Base):
    """Another zaak this zaak concerns (ZGW relevanteAndereZaken): an objection or a
    complaint names the zaak it is about, with aard_relatie "onderwerp"."""

    __tablename__ = "relevante_andere_zaken"

    id: Mapped[int] = mapped_column(primary_key=True)
    zaak_id: Mapped[int] = mapped_column(ForeignKey("zaken.id"), index=True)
    andere_zaak_id: Mapped[int] = mapped_column(ForeignKey("zaken.id"), index=True)
    aard_relatie: Mapped[str] = mapped_column(String(20))  # vervolg | onderwerp | bijdrage

    andere_zaak: Mapped[Zaak] = relationship(foreign_keys=[andere_zaak_id])


# --------------------------------------------------------------------------- indexes
#
# For the back office's queries (app.zaken.sql.staff).

# The work queue: a team's open zaken (einddatum IS NULL), most urgent deadline first.
Index("ix_zaken_team_einddatum_uiterlijke", Zaak.team, Zaak.einddatum,
      Zaak.uiterlijke_einddatum_afdoening)
# The KCC's queue across teams: every open zaak, most urgent deadline first.
Index("ix_zaken_einddatum_uiterlijke", Zaak.einddatum, Zaak.uiterlijke_einddatum_afdoening)
# The current status of every zaak on a queue page: max(id) per zaak_id from the index alone.
Index("ix_statussen_zaak_id_id", Status.zaak_id, Status.id)
# A zaak has one contact person, found by its zaak with the resident's pages.
_IS_CONTACT_PERSON = "omschrijving_generiek = 'behandelaar' AND betrokkene_type = 'medewerker'"
Index("uq_rollen_contact_person", Rol.zaak_id, unique=True,
      sqlite_where=text(_IS_CONTACT_PERSON), postgresql_where=text(_IS_CONTACT_PERSON))
# The queue's search: part of a name (ILIKE) or the last digits of a zaaknummer (LIKE
# '%...'), which a b-tree cannot serve; PostgreSQL's trigram indexes (pg_trgm, GIN) can.
# SQLite gets plain indexes of the same name that the search does not use: it scans, which
# takes milliseconds at a small municipality's volume. Created by migration 6f7a8b9cab01.
Index("ix_rollen_naam_trgm", Rol.naam,
      postgresql_using="gin", postgresql_ops={"naam": "gin_trgm_ops"})
Index("ix_zaken_identificatie_trgm", Zaak.identificatie,
      postgresql_using="gin", postgresql_ops={"identificatie": "gin_trgm_ops"})
