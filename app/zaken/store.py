"""The zaken store port: what the features ask of the zaaksysteem, and the typed values it
answers with.

The methods are shaped by the pages, not by the tables: one method is one page's read (a
resident's list of zaken, one zaak's page), so an implementation can answer it in one
statement (the embedded SQL store) or in parallel calls (a ZGW zaaksysteem). Values are
frozen dataclasses, never ORM objects or rows, so every implementation answers alike.

Every resident read is scoped to the initiator's BSN: another resident's zaak, document or
request is simply not found (None), exactly like a missing one.

Implementations: ``local`` (app.zaken.sql, the portal's own tables), chosen by the setting
ZAKEN_STORE (app.ports). Features get the configured one with ``get_zaken_store()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy.orm import Session

from app.db import get_session
from app.ports import ZAKEN_STORE, implementation
from app.texts import Text


class Vertrouwelijkheidaanduiding(StrEnum):
    """Confidentiality levels, declared from open to closed (the order is meaningful)."""

    OPENBAAR = "openbaar"
    BEPERKT_OPENBAAR = "beperkt_openbaar"
    INTERN = "intern"
    ZAAKVERTROUWELIJK = "zaakvertrouwelijk"
    VERTROUWELIJK = "vertrouwelijk"
    CONFIDENTIEEL = "confidentieel"
    GEHEIM = "geheim"
    ZEER_GEHEIM = "zeer_geheim"

    @property
    def rank(self) -> int:
        """0 for openbaar up to 7 for zeer_geheim: compare levels by rank, not by name."""
        return list(type(self)).index(self)


@dataclass(frozen=True)
class Milestone:
    """A status meant for the resident (its statustype is zichtbaar_voor_inwoner)."""

    omschrijving: Text
    statustekst: Text

    def text_in(self, locale: object) -> str:
        """The statustekst, or the status's name when it has none."""
        return self.statustekst.get(locale) or self.omschrijving.get(locale)


@dataclass(frozen=True)
class ReachedMilestone(Milestone):
    datum_status_gezet: datetime  # naive UTC
    statustoelichting: str        # what staff wrote for the resident (Dutch)


@dataclass(frozen=True)
class ZaakSummary:
    """A zaak as a list shows it (Mijn zaken, the overview) and the head of its page."""

    identificatie: str
    zaaktype: Text
    omschrijving: str
    registratiedatum: date
    startdatum: date
    einddatum: date | None
    einddatum_gepland: date | None        # start + servicenorm: what we aim for
    uiterlijke_einddatum_afdoening: date  # start + doorlooptijd: the legal term
    status: Milestone | None              # the latest milestone reached, None before any

    @property
    def is_closed(self) -> bool:
        return self.einddatum is not None


@dataclass(frozen=True)
class ZakenPage:
    """A page of a resident's open or closed zaken, newest first; total counts them all."""

    zaken: tuple[ZaakSummary, ...]
    total: int


@dataclass(frozen=True)
class ResultaatSummary:
    omschrijving: Text
    toelichting: Text


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    titel: str
    bestandsnaam: str
    bestandsomvang: int  # bytes
    creatiedatum: date


@dataclass(frozen=True)
class OpenDocumentRequest:
    """The municipality asked the initiator for a document and is waiting for it."""

    id: int
    omschrijving: str  # what is asked (Dutch, as staff wrote it)
    created_at: datetime  # naive UTC
    zaak_identificatie: str
    zaaktype: Text


@dataclass(frozen=True)
class ResidentZaak:
    """Everything the resident's page of one zaak shows of the zaak itself."""

    summary: ZaakSummary
    zaaktype_identificatie: str
    aanvraaggegevens: dict[str, Any]
    next_step: Text | None  # the next milestone, while there is one
    resultaat: ResultaatSummary | None
    milestones: tuple[ReachedMilestone, ...]
    documents: tuple[DocumentSummary, ...]  # those the resident may see
    open_requests: tuple[OpenDocumentRequest, ...]


@dataclass(frozen=True)
class DocumentFile:
    """A document's bytes with what a download needs."""

    bestandsnaam: str
    formaat: str  # media type
    content: bytes = field(repr=False)


class ZaakError(Exception):
    """A request the zaken domain refuses."""


class UnknownZaakType(ZaakError, LookupError):
    """No zaaktype with this identificatie in the catalogi."""


class UnknownZaak(ZaakError, LookupError):
    """No zaak with this identificatie."""


class ZaakTransitionError(ZaakError):
    """The zaak cannot make this change in its current state (the API answers 409)."""


@dataclass(frozen=True)
class Initiator:
    """The Rol with omschrijving_generiek "initiator"."""

    naam: str
    bsn: str | None = None  # when logged in with DigiD
    email: str = ""
    telefoon: str = ""
    adres: str = ""  # one line, e.g. "Vischpoortstraat 14, 8081 BP Elburg"


@dataclass(frozen=True)
class Gemachtigde:
    """Who acted for the initiator (DigiD Machtigen): recorded as a rol of its own, with
    indicatie_machtiging "gemachtigde"; the initiator's rol then says "machtiginggever"."""

    naam: str
    bsn: str


@dataclass(frozen=True)
class NewDocument:
    """A document to add to a zaak. Without a vertrouwelijkheidaanduiding it gets the zaak's."""

    titel: str
    bestandsnaam: str
    formaat: str  # media type
    content: bytes = field(repr=False)
    vertrouwelijkheidaanduiding: str | None = None


@dataclass(frozen=True)
class StatusChange:
    """A zaak reached a new status: what the resident may be told of it. Sent with the
    signal status_set (app.zaken.signals) by every store, whoever set the status."""

    zaak_identificatie: str
    status_key: str                 # the status's own id in the store (deduplicates mail)
    zaaktype: Text
    statustype: Text                # its omschrijving
    statustekst: Text
    statustoelichting: str          # what staff wrote for the resident (Dutch)
    informeren: bool                # the statustype says to tell the resident
    zichtbaar_voor_inwoner: bool
    is_eindstatus: bool
    resultaat_toelichting: Text | None  # with the eindstatus, the result's explanation
    initiator_bsn: str | None       # logged in with DigiD: the resident's inbox
    initiator_email: str            # else, where a short mail may go

    @property
    def meant_for_the_resident(self) -> bool:
        return self.informeren and self.zichtbaar_voor_inwoner


@dataclass(frozen=True)
class OpenedZaak:
    """What the confirmation (page and mail) tells of a zaak just opened."""

    identificatie: str
    einddatum_gepland: date | None
    uiterlijke_einddatum_afdoening: date


def visible_levels(max_level: str) -> list[str]:
    """The vertrouwelijkheidaanduidingen up to and including max_level."""
    top = Vertrouwelijkheidaanduiding(max_level).rank
    return [level.value for level in Vertrouwelijkheidaanduiding if level.rank <= top]


# --------------------------------------------------------------------------- staff


class StaffZaken(Protocol):
    """What the back office reads: the work queue and one zaak with all staff see."""


# --------------------------------------------------------------------------- partners


class PartnerZaken(Protocol):
    """What the zaken API gives chain partners: zaken of the zaaktypen in their scope."""


# --------------------------------------------------------------------------- the port


class ZakenStore(StaffZaken, PartnerZaken, Protocol):
    """The zaaksysteem as the features use it."""

    # ----------------------------------------------------------------------- the resident

    def resident_zaken(self, bsn: str, *, closed: bool, limit: int,
                       offset: int = 0) -> ZakenPage:
        """A page of the zaken this BSN initiated, open or closed, newest first. A page past
        the last one is empty (its total then 0: ask count_resident_zaken)."""

    def count_resident_zaken(self, bsn: str, *, closed: bool) -> int: ...

    def resident_zaak(self, bsn: str, identificatie: str, *,
                      max_level: str) -> ResidentZaak | None:
        """The zaak's page when this BSN initiated it; documents up to max_level."""

    def resident_document(self, bsn: str, identificatie: str, document_id: int, *,
                          max_level: str) -> DocumentFile | None:
        """A document of the resident's zaak at a level they may see, with its bytes."""

    def open_document_requests(self, bsn: str) -> list[OpenDocumentRequest]:
        """What the resident still has to send, across their open zaken, oldest first."""

    def open_document_request(self, bsn: str, identificatie: str,
                              request_id: int) -> OpenDocumentRequest | None:
        """One request the resident still has to answer on their open zaak."""

    def answer_document_request(self, bsn: str, identificatie: str, request_id: int, *,
                                bestandsnaam: str, formaat: str, content: bytes,
                                added_by: str) -> bool:
        """Add the resident's document to the zaak and close the request with it; False
        when the request is not (or no longer) open, e.g. answered in another tab."""

    # ----------------------------------------------------------------------- changes
    #
    # Each takes the zaak by its identificatie and raises UnknownZaak when there is none,
    # ZaakTransitionError when the zaak cannot make the change (closed, no such step).

    def new_identificatie(self) -> str:
        """A zaaknummer for a zaak about to be opened, never handed out twice; a caller takes
        it first when it must record the number in the same transaction (a claimed draft)."""

    def open_zaak(self, *, zaaktype: str, initiator: Initiator, omschrijving: str,
                  registered_by: str, toelichting: str = "",
                  aanvraaggegevens: dict | None = None, kenmerken: dict | None = None,
                  startdatum: date | None = None, identificatie: str | None = None,
                  gemachtigde: Gemachtigde | None = None,
                  documents: tuple[NewDocument, ...] = ()) -> OpenedZaak:
        """Register a zaak of this zaaktype with its initiator (and gemachtigde), its first
        status and its documents. startdatum defaults to today. Raises UnknownZaakType."""

    def set_status(self, identificatie: str, *, volgnummer: int, toelichting: str = "",
                   gezet_door: str) -> None:
        """Move the zaak to the statustype with this volgnummer (not the eindstatus: a
        resultaat closes a zaak)."""

    def set_resultaat(self, identificatie: str, *, resultaattype: str, toelichting: str = "",
                      gezet_door: str) -> None:
        """Record the result (the resultaattype's Dutch omschrijving) and close the zaak."""

    def add_document(self, identificatie: str, document: NewDocument, *,
                     added_by: str) -> None: ...

    def request_document(self, identificatie: str, *, omschrijving: str,
                         requested_by: str) -> None:
        """Ask the initiator for a document; Mijn omgeving shows the request until answered."""

    def route(self, identificatie: str, *, team: str, door: str) -> None:
        """Hand the zaak to another team."""

    # ----------------------------------------------------------------------- rules across zaken

    def address_is_taken(self, zaaktype: str, adres: str, *, granted: str,
                         granted_since: date) -> bool:
        """Whether a zaak of this type holds the address (its kenmerk "adres"): one that is
        open, or one closed with the resultaat `granted` on or after granted_since."""


def get_zaken_store(session: Session | None = None) -> ZakenStore:
    """The store ZAKEN_STORE chose (app.ports), on this Session (the request's by default)."""
    return implementation(ZAKEN_STORE)(session or get_session())
