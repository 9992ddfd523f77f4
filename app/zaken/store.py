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

from collections.abc import Collection, Sequence
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


# Which deadline an open zaak passed: the target date (servicenorm) or the legal deadline
# (doorlooptijd); a zaak past its legal deadline is past its target too.
OVERDUE_TARGET, OVERDUE_LEGAL = "servicenorm", "doorlooptijd"


@dataclass(frozen=True)
class ZaakDates:
    """A zaak's dates that tell whether it is on time."""

    startdatum: date
    einddatum: date | None                # set when the zaak was closed
    einddatum_gepland: date | None        # start + servicenorm: the target
    # start + doorlooptijd, moved by ended suspensions and an extension (app.zaken.terms)
    uiterlijke_einddatum_afdoening: date
    # ZGW opschorting.indicatie: the term stands still (the municipality waits for documents
    # it asked for); keyword-only so the dataclasses built on this one keep their order.
    opgeschort: bool = field(default=False, kw_only=True)

    @property
    def is_closed(self) -> bool:
        return self.einddatum is not None

    def overdue_on(self, today: date) -> tuple[str | None, int]:
        """(which deadline passed, by how many days) for an open zaak: the legal deadline
        before the target; (None, 0) when on time, closed or suspended (a suspended term
        has no end yet, so no resident is told it passed)."""
        if self.is_closed or self.opgeschort:
            return None, 0
        if today > self.uiterlijke_einddatum_afdoening:
            return OVERDUE_LEGAL, (today - self.uiterlijke_einddatum_afdoening).days
        if self.einddatum_gepland is not None and today > self.einddatum_gepland:
            return OVERDUE_TARGET, (today - self.einddatum_gepland).days
        return None, 0


# The contact person's rol: ZGW omschrijvingGeneriek "behandelaar", betrokkeneType
# "medewerker". (A team handling a zaak is a behandelaar too, of betrokkeneType
# organisatorische_eenheid: app.zaken.zgw.staff.)
BEHANDELAAR, MEDEWERKER = "behandelaar", "medewerker"


@dataclass(frozen=True)
class ContactPerson:
    """The employee the resident deals with for a zaak (the concept's regievoerder): one
    person who coordinates a complex question and whom the resident can reach directly. A
    rol behandelaar of a medewerker with its contactpersoonRol; what it says is kept as it
    was when the person was made the contact person."""

    medewerker: str  # the employee's username (betrokkeneIdentificatie.identificatie)
    naam: str
    # A team (app.auth.staff.TEAMS), kept as contactpersoonRol.functie; a zaaksysteem's own
    # functie text shows as itself.
    team: str
    telefoon: str = ""  # direct line (ZGW: at most 20 characters)
    email: str = ""


@dataclass(frozen=True)
class ZaakSummary(ZaakDates):
    """A zaak as a list shows it (Mijn zaken, the overview) and the head of its page."""

    identificatie: str
    zaaktype: Text
    omschrijving: str
    registratiedatum: date
    status: Milestone | None  # the latest milestone reached, None before any
    # A remote zaaksysteem gave the zaak but not its statussen just now: the list still shows
    # the zaak and says its status cannot be shown, rather than failing the page.
    status_unavailable: bool = False
    zaaktype_identificatie: str = ""
    contact_person: ContactPerson | None = None


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
    id: str  # the store's own key: a number in the embedded store, a UUID in a ZGW one
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
class TermChanges:
    """How the legal term moved (app.zaken.terms): a running suspension with its reason,
    and the extension with the reason the resident reads. ZGW: the zaak's opschorting and
    verlenging."""

    opschorting_reden: str = ""     # while suspended: why (Dutch, as the store keeps it)
    verlenging_duur: str = ""       # ISO 8601 duration; "" when never extended
    verlenging_reden: str = ""

    @property
    def extended(self) -> bool:
        return bool(self.verlenging_duur)


# ZGW aardRelatie of relevanteAndereZaken: "onderwerp" (the other zaak is this one's
# subject: an objection against its decision), "bijdrage", "vervolg".
RELATIE_ONDERWERP = "onderwerp"


@dataclass(frozen=True)
class RelevanteZaak:
    """Another zaak this one concerns (ZGW relevanteAndereZaken), by its zaaknummer."""

    identificatie: str
    aard_relatie: str = RELATIE_ONDERWERP


@dataclass(frozen=True)
class DecidedZaak:
    """A resident's closed zaak with a result: what they can object or complain about."""

    identificatie: str
    zaaktype: Text
    zaaktype_identificatie: str
    einddatum: date  # the day of the decision


@dataclass(frozen=True)
class EndingDecision:
    """What a resident's closed zaak decided ends on vervaldatum (a parking permit granted
    for a year): what a reminder to renew it needs."""

    zaak_identificatie: str
    zaaktype: Text
    product: str  # the zaaktype's product in the catalogue (its slug)
    vervaldatum: date
    initiator_bsn: str = field(repr=False)


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
    terms: TermChanges = TermChanges()
    relevante_andere_zaken: tuple[RelevanteZaak, ...] = ()
    betaling: Betaling | None = None  # paid online (or at all) before the zaak was opened


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
    loa: int | None = None  # the DigiD level (app.auth.loa.Loa) when they logged in themselves


@dataclass(frozen=True)
class Gemachtigde:
    """Who acted for the initiator (DigiD Machtigen): recorded as a rol of its own, with
    indicatie_machtiging "gemachtigde"; the initiator's rol then says "machtiginggever"."""

    naam: str
    bsn: str
    loa: int | None = None  # the level of the gemachtigde's own DigiD login


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
    zaaktype_identificatie: str = ""  # what feedback on the closed zaak is counted under
    # The legal end as the term stands now, moved by ended suspensions and an extension
    # (app.zaken.terms): with the eindstatus, whether the zaak was decided in time.
    uiterlijke_einddatum_afdoening: date | None = None

    @property
    def meant_for_the_resident(self) -> bool:
        return self.informeren and self.zichtbaar_voor_inwoner


@dataclass(frozen=True)
class DocumentAdded:
    """The municipality added a document to a zaak (staff, a chain partner, the zaaksysteem
    itself): what the resident may be told of it. Sent with the signal document_added
    (app.zaken.signals) by every store; never for what the resident sent themselves."""

    zaak_identificatie: str
    document_key: str               # the document's (or its link's) id in the store
    titel: str
    zaaktype: Text
    levels: tuple[str, str]         # the zaak's and the document's vertrouwelijkheidaanduiding
    initiator_bsn: str | None       # no BSN (no DigiD): no inbox, nor a page with documents
    initiator_email: str


@dataclass(frozen=True)
class Betaling:
    """What the resident paid online before the zaak was opened: the Zaak's
    ``betalingsindicatie`` ("geheel": paid in full) and ``laatsteBetaaldatum``, and the
    payment provider's transaction id, kept as the zaak's kenmerk "betaling"."""

    indicatie: str
    betaaldatum: datetime  # naive UTC
    transactie: str

    def as_kenmerken(self) -> dict[str, str]:
        return {BETALING_KENMERK: self.transactie}

    @classmethod
    def of_zaak(cls, indicatie: str | None, betaaldatum: datetime | None,
                kenmerken: dict) -> Betaling | None:
        """A zaak's payment as the zaak records it; None when nothing was paid (ZGW says
        "nvt" or "nog_niet" then, the embedded store nothing)."""
        if indicatie not in PAID_INDICATIES or betaaldatum is None:
            return None
        return cls(indicatie=indicatie, betaaldatum=betaaldatum,
                   transactie=str(kenmerken.get(BETALING_KENMERK) or ""))


BETALING_KENMERK = "betaling"
PAID_INDICATIES = ("geheel", "gedeeltelijk")


@dataclass(frozen=True)
class OpenedZaak:
    """What the confirmation (page and mail) tells of a zaak just opened."""

    identificatie: str
    einddatum_gepland: date | None
    uiterlijke_einddatum_afdoening: date
    product: str = ""  # the zaaktype's product in the catalogue (its slug; "" for none)


def visible_levels(max_level: str) -> list[str]:
    """The vertrouwelijkheidaanduidingen up to and including max_level."""
    top = Vertrouwelijkheidaanduiding(max_level).rank
    return [level.value for level in Vertrouwelijkheidaanduiding if level.rank <= top]


# --------------------------------------------------------------------------- staff


# The queue's status filter: these three, or the Dutch omschrijving of a statustype.
STATUS_OPEN, STATUS_CLOSED, STATUS_ALL = "open", "gesloten", "alle"


@dataclass(frozen=True)
class QueueFilters:
    zaaktype: str = ""            # ZaakType.identificatie; "" for every zaaktype
    status: str = STATUS_OPEN     # open | gesloten | alle | a statustype's Dutch omschrijving
    team: str = ""                # "" for every team in scope
    overdue: str = ""             # "" | servicenorm | doorlooptijd
    q: str = ""                   # a zaaknummer (or its last digits) or part of a name

    @property
    def on_statustype(self) -> bool:
        return self.status not in (STATUS_OPEN, STATUS_CLOSED, STATUS_ALL)


@dataclass(frozen=True)
class QueueRow(ZaakDates):
    """A zaak as the work queue lists it."""

    identificatie: str
    zaaktype: Text
    team: str
    naam: str              # the initiator's name; "" when none is known
    status: Text | None    # the current status's statustype, None before any
    overdue: str | None    # overdue_on(the day asked): None, servicenorm or doorlooptijd
    days_overdue: int
    # A remote zaaksysteem gave the zaak but not its rollen or status just now: the row
    # shows without them and says so, rather than failing the page.
    status_unavailable: bool = False


@dataclass(frozen=True)
class QueuePage:
    """A page of the work queue and how many zaken match the filters in all."""

    rows: tuple[QueueRow, ...]
    total: int


@dataclass(frozen=True)
class ZaakTypeName:
    identificatie: str
    omschrijving: Text


@dataclass(frozen=True)
class StatusTypeRecord:
    volgnummer: int
    omschrijving: Text  # .nl: the name the queue filters on
    informeren: bool    # setting it tells the resident (a message, and a mail)
    is_eindstatus: bool
    zichtbaar_voor_inwoner: bool  # False: an internal step the resident does not see


# The omschrijvingGeneriek of the results that let an application go ahead (a permit granted,
# a notice accepted), as against those that end it (Afgewezen, Ingetrokken, ...).
GOING_AHEAD = frozenset({"Toegekend", "Verleend"})


@dataclass(frozen=True)
class ResultaatTypeRecord:
    omschrijving: Text  # .nl: what set_resultaat takes
    toelichting: Text   # what the result means, for the resident
    omschrijving_generiek: str = ""  # ZGW: the kind of result in the standard's words

    @property
    def goes_ahead(self) -> bool:
        return self.omschrijving_generiek in GOING_AHEAD


@dataclass(frozen=True)
class StaffZaakType:
    identificatie: str
    omschrijving: Text
    statustypen: tuple[StatusTypeRecord, ...]        # by volgnummer
    resultaattypen: tuple[ResultaatTypeRecord, ...]

    def statustype(self, volgnummer: int) -> StatusTypeRecord | None:
        return next((s for s in self.statustypen if s.volgnummer == volgnummer), None)

    @property
    def eindstatustype(self) -> StatusTypeRecord:
        return next(s for s in self.statustypen if s.is_eindstatus)

    def resultaattype(self, omschrijving: str) -> ResultaatTypeRecord | None:
        return next((r for r in self.resultaattypen if r.omschrijving.nl == omschrijving), None)


@dataclass(frozen=True)
class StatusRecord:
    id: str  # opaque: tells whether the zaak moved on since a form was shown
    statustype: StatusTypeRecord
    datum_status_gezet: datetime  # naive UTC
    statustoelichting: str
    gezet_door: str


@dataclass(frozen=True)
class RolRecord:
    """A person's part in the zaak. inp_bsn is for the disclosure log and the inbox only:
    never in a URL, a log line or a page (staff see it masked)."""

    omschrijving_generiek: str  # initiator, belanghebbende, ...
    betrokkene_type: str        # natuurlijk_persoon, ...
    naam: str
    inp_bsn: str | None = field(repr=False)
    email: str
    telefoon: str
    adres: str
    indicatie_machtiging: str  # "", "gemachtigde" or "machtiginggever"


@dataclass(frozen=True)
class StaffDocument:
    id: str  # the store's own key: a number in the embedded store, a UUID in a ZGW one
    titel: str
    bestandsnaam: str
    formaat: str
    bestandsomvang: int  # bytes
    vertrouwelijkheidaanduiding: str
    creatiedatum: date
    added_by: str


@dataclass(frozen=True)
class DocumentRequestRecord:
    omschrijving: str
    created_at: datetime  # naive UTC
    requested_by: str
    fulfilled_at: datetime | None  # None while the resident has not answered


@dataclass(frozen=True)
class ResultaatRecord:
    resultaattype: ResultaatTypeRecord
    toelichting: str
    datum: datetime  # naive UTC
    gezet_door: str


@dataclass(frozen=True)
class StaffZaak(ZaakDates):
    """One zaak with everything staff see of it: documents at every level included."""

    identificatie: str
    zaaktype: StaffZaakType
    omschrijving: str
    toelichting: str
    registratiedatum: date
    vertrouwelijkheidaanduiding: str
    aanvraaggegevens: dict[str, Any]
    kenmerken: dict[str, Any]
    registered_by: str
    team: str
    statussen: tuple[StatusRecord, ...]  # oldest first
    rollen: tuple[RolRecord, ...]
    documenten: tuple[StaffDocument, ...]
    document_requests: tuple[DocumentRequestRecord, ...]
    resultaat: ResultaatRecord | None
    callback_attempts: tuple[CallbackAttempt, ...] = ()  # calls that did not reach them
    terms: TermChanges = TermChanges()
    relevante_andere_zaken: tuple[RelevanteZaak, ...] = ()
    verlengingstermijn: str | None = None  # the zaaktype's longest extension; None: none
    contact_person: ContactPerson | None = None

    @property
    def current_status(self) -> StatusRecord | None:
        return self.statussen[-1] if self.statussen else None

    @property
    def initiator(self) -> RolRecord | None:
        return next((r for r in self.rollen if r.omschrijving_generiek == "initiator"), None)

    @property
    def initiator_bsn(self) -> str | None:
        """None when the initiator did not log in with DigiD (no inbox, no disclosure log)."""
        return self.initiator.inp_bsn if self.initiator else None

    @property
    def gemachtigde(self) -> RolRecord | None:
        """Who acted for the initiator (DigiD Machtigen), if anyone."""
        initiator = self.initiator
        return next((r for r in self.rollen
                     if r.indicatie_machtiging == "gemachtigde" and r is not initiator), None)


@dataclass(frozen=True)
class StaffDocumentFile:
    """A document's bytes for staff, with what the permission check and the disclosure log
    need of its zaak."""

    zaak_identificatie: str
    team: str
    initiator_bsn: str | None = field(repr=False)
    file: DocumentFile


@dataclass(frozen=True)
class CallbackAttempt:
    """A call of the KCC that did not reach the resident; the callback stays open."""

    moment: datetime  # naive UTC
    door: str
    notitie: str


@dataclass(frozen=True)
class ContactZaak:
    """A zaak as the KCC's lists show it (callbacks, questions, a resident's contact
    overview): less than a StaffZaak, in one read for any number of zaken."""

    identificatie: str
    zaaktype: ZaakTypeName
    team: str
    registratiedatum: date
    startdatum: date
    einddatum: date | None
    aanvraaggegevens: dict[str, Any]   # what the resident asked (the e-form's answers)
    initiator: RolRecord | None
    received_at: datetime | None       # when the first status was set (naive UTC)
    status: Text | None                # the current status's statustype, None before any
    callback_attempts: tuple[CallbackAttempt, ...]  # oldest first
    contact_person: ContactPerson | None = None

    @property
    def is_closed(self) -> bool:
        return self.einddatum is not None


class StaffZaken(Protocol):
    """What the back office reads: the work queue and one zaak with all staff see.

    teams: the teams whose zaken the employee may see (app.auth.permissions decides); None
    for every team, zaken without a team included.
    """

    # Whether the queue's search q finds part of the initiator's name. A ZGW Zaken API has
    # no filter on a person's name: there q finds zaaknummers only, and the page says so.
    queue_searches_names: bool
    # Whether open zaken come by their deadline; a ZGW Zaken API cannot order by it: there
    # they come oldest first (by startdatum, the deadline's order within a zaaktype).
    queue_orders_by_deadline: bool

    def work_queue(self, filters: QueueFilters, *, teams: list[str] | None, today: date,
                   limit: int, offset: int = 0) -> QueuePage:
        """A page of the zaken that match. Open zaken come most urgent first (legal deadline,
        then target date, then the oldest); closed ones most recently closed first. The
        search q finds a whole zaaknummer, its last digits, or part of the initiator's
        name (3+ characters, any case; wildcards are literal). overdue_on(today) marks each
        row. A page past the last one is empty, with the total."""

    def queue_zaaktypen(self) -> list[ZaakTypeName]:
        """Every zaaktype, by Dutch name: the queue's zaaktype filter."""

    def queue_statussen(self) -> list[Text]:
        """The statustypen's names across zaaktypen, once each, in the order zaken reach
        them: the queue's status filter (it filters on the Dutch name)."""

    def staff_zaak(self, identificatie: str, *, for_update: bool = False) -> StaffZaak | None:
        """The zaak with all its page shows, whatever team it is in (the caller checks).
        for_update: lock the zaak for the transaction, so two actions on one zaak run one
        after the other (PostgreSQL; SQLite writers queue anyway)."""

    def open_zaken_of_type(self, zaaktype: str, *, team: str) -> list[StaffZaak]:
        """The open zaken of this zaaktype that this team handles, oldest first."""

    def staff_document(self, identificatie: str, document_id: str) -> StaffDocumentFile | None:
        """A document of this zaak at any level, with its bytes; None when the zaak has no
        such document."""

    # ----------------------------------------------------------------------- the KCC
    #
    # Contact zaken (callbacks, questions) keep what the resident asked in their
    # aanvraaggegevens; a callback's preferred part of the day is its "dagdeel".

    def open_contact_zaken(self, zaaktype: str, *, team: str, dagdeel: str | None = None,
                           dagdeel_first: str | None = None, limit: int,
                           offset: int = 0) -> list[ContactZaak]:
        """The open zaken of this zaaktype that this team handles, oldest first. dagdeel:
        only those with this preferred part of the day; dagdeel_first: those with it
        first (then the rest, each oldest first)."""

    def count_open_by_dagdeel(self, zaaktype: str, *, team: str) -> dict[str, int]:
        """How many open zaken of this zaaktype this team has, per preferred part of the
        day ("" for those without one); only the parts that have any."""

    def resident_contact_zaken(self, bsn: str, *, limit: int) -> list[ContactZaak]:
        """The zaken this BSN initiated, of every zaaktype, open and closed, newest first:
        the KCC's contact overview."""


# --------------------------------------------------------------------------- partners


# What the zaken API shows a chain partner of a zaak, field for field (ZGW names). The rollen
# carry the BSN like everywhere in the port; the API never answers with it: it is there for
# the disclosure log the resident reads.


@dataclass(frozen=True)
class PartnerZaakSummary(ZaakDates):
    """A zaak as the API's list shows it (no rollen, so no personal data), and the head of
    one zaak's read."""

    identificatie: str
    zaaktype: str  # its identificatie
    omschrijving: str
    toelichting: str
    registratiedatum: date
    vertrouwelijkheidaanduiding: str
    status: StatusRecord | None  # the current status, internal steps included
    resultaat: ResultaatRecord | None
    initiator_bsn: str | None = field(repr=False)  # None: filed without DigiD (no log)


@dataclass(frozen=True)
class PartnerZakenPage:
    """A page of the zaken in a partner's scope, newest first; total counts them all."""

    zaken: tuple[PartnerZaakSummary, ...]
    total: int


@dataclass(frozen=True)
class PartnerZaak:
    """One zaak as a partner reads it: with every status, oldest first, and its rollen."""

    summary: PartnerZaakSummary
    statussen: tuple[StatusRecord, ...]
    rollen: tuple[RolRecord, ...]


@dataclass(frozen=True)
class ZaakForChange:
    """A partner's zaak held for a change: the steps and results of its zaaktype, which the
    change is checked against before it is made."""

    identificatie: str
    zaaktype: StaffZaakType
    initiator_bsn: str | None = field(repr=False)


class PartnerZaken(Protocol):
    """What the zaken API gives chain partners: zaken of the zaaktypen in their scope.

    zaaktypen: the partner's scope (zaaktype identificaties). A zaak of any other zaaktype
    is not found (None), exactly like a missing one, so a partner cannot learn it exists.
    """

    def partner_zaken(self, zaaktypen: Collection[str], *, closed: bool | None = None,
                      limit: int, offset: int = 0) -> PartnerZakenPage:
        """A page of the zaken of these zaaktypen, newest first: all of them, or only the
        closed (True) or open (False) ones. A page past the last one is empty, with the
        total."""

    def partner_zaak(self, zaaktypen: Collection[str],
                     identificatie: str) -> PartnerZaak | None:
        """The zaak with its statussen and rollen, when it is of one of these zaaktypen."""

    def partner_zaak_for_change(self, zaaktypen: Collection[str],
                                identificatie: str) -> ZaakForChange | None:
        """The zaak, when it is of one of these zaaktypen, held until the transaction ends:
        a second change to it waits, so two cannot both pass the checks on one state."""

    def known_zaaktypen(self, identificaties: Collection[str]) -> set[str]:
        """Those of these zaaktypen the catalogi have (a partner's scope names only those)."""


# --------------------------------------------------------------------------- catalogi


@dataclass(frozen=True)
class BeheerStatusType(StatusTypeRecord):
    statustekst: Text  # what the resident is told on reaching it


@dataclass(frozen=True)
class BeheerZaakType:
    """A zaaktype as beheer shows and edits it: its norms and its statustypen's texts."""

    identificatie: str
    omschrijving: Text
    doel: str
    team: str
    doorlooptijd: str         # ISO 8601 duration: the legal term
    servicenorm: str | None   # ISO 8601 duration: the target, when there is one
    statustypen: tuple[BeheerStatusType, ...]  # by volgnummer


@dataclass(frozen=True)
class StatusTypeTexts:
    """What beheer sets of one statustype: its text for the resident and whether reaching
    it tells them."""

    volgnummer: int
    statustekst: Text
    informeren: bool


class CatalogiNotEditable(ZaakError):
    """The catalogi are the zaaksysteem's own: change the zaaktype there."""


class CatalogiBeheer(Protocol):
    """What beheer changes in the catalogi: a zaaktype's norms and its status texts. Each
    change raises UnknownZaakType when there is no such zaaktype."""

    # False: the catalogi belong to the zaaksysteem (a ZGW Catalogi API), where a change is
    # a new version of the zaaktype made in its own catalogue beheer; beheer here shows the
    # zaaktypen and says so, and set_norms and set_status_texts raise CatalogiNotEditable.
    catalogi_editable: bool

    def beheer_zaaktypen(self) -> list[BeheerZaakType]:
        """Every zaaktype with its statustypen, by Dutch name."""

    def beheer_zaaktype(self, identificatie: str) -> BeheerZaakType | None: ...

    def set_norms(self, zaaktype: str, *, doorlooptijd: str, servicenorm: str | None) -> None:
        """New norms (ISO 8601 durations) for the zaken opened from now on: an open zaak
        keeps the dates it was given (the resident was told them)."""

    def set_status_texts(self, zaaktype: str, texts: Sequence[StatusTypeTexts]) -> None:
        """New texts for these statustypen (by volgnummer); the others keep theirs. Raises
        ZaakError, changing nothing, when the zaaktype has no statustype with one of the
        volgnummers."""


# --------------------------------------------------------------------------- the port


class ZakenStore(StaffZaken, PartnerZaken, CatalogiBeheer, Protocol):
    """The zaaksysteem as the features use it."""

    # False: open_zaak joins the caller's transaction (the embedded store), so a submitted
    # form becomes a zaak in its request. True: a remote zaaksysteem, which no request's
    # transaction can include: the submission is recorded and the worker registers it
    # (app.eforms.registrations), with new_document and open_zaak's document_urls.
    registers_later: bool

    # ----------------------------------------------------------------------- the resident

    def resident_zaken(self, bsn: str, *, closed: bool, limit: int,
                       offset: int = 0) -> ZakenPage:
        """A page of the zaken this BSN initiated, open or closed, newest first. A page past
        the last one is empty (its total then 0: ask count_resident_zaken)."""

    def count_resident_zaken(self, bsn: str, *, closed: bool) -> int: ...

    def resident_zaak(self, bsn: str, identificatie: str, *,
                      max_level: str) -> ResidentZaak | None:
        """The zaak's page when this BSN initiated it; documents up to max_level."""

    def resident_document(self, bsn: str, identificatie: str, document_id: str, *,
                          max_level: str) -> DocumentFile | None:
        """A document of the resident's zaak at a level they may see, with its bytes."""

    def open_document_requests(self, bsn: str) -> list[OpenDocumentRequest]:
        """What the resident still has to send, across their open zaken, oldest first."""

    def decisions_ending(self, *, since: date, until: date) -> list[EndingDecision]:
        """The decisions that end from `since` up to and including `until`, of zaken a
        resident initiated with DigiD, by vervaldatum."""

    def decisions_told(self, identificaties: Collection[str], *, today: date) -> None:
        """The reminders of these zaken's decisions were sent: what the store keeps only to
        find them may go, with that of every decision that ended before today."""

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
                  documents: tuple[NewDocument, ...] = (),
                  betaling: Betaling | None = None,
                  relevante_andere_zaken: tuple[RelevanteZaak, ...] = ()) -> OpenedZaak:
        """Register a zaak of this zaaktype with its initiator (and gemachtigde), its first
        status, its documents, the zaken it concerns and the payment made for it. startdatum
        defaults to today. Raises UnknownZaakType, or UnknownZaak for a relevante andere zaak."""

    def opened_zaak(self, identificatie: str) -> OpenedZaak | None:
        """What a confirmation page tells of a zaak opened before (its target and legal
        dates); the caller knows the number from its own record of the submit."""

    def set_status(self, identificatie: str, *, volgnummer: int, toelichting: str = "",
                   gezet_door: str) -> StatusRecord:
        """Move the zaak to the statustype with this volgnummer (not the eindstatus: a
        resultaat closes a zaak); the status as set."""

    def set_resultaat(self, identificatie: str, *, resultaattype: str, toelichting: str = "",
                      gezet_door: str, statustoelichting: str | None = None) -> ResultaatRecord:
        """Record the result (the resultaattype's Dutch omschrijving) with its toelichting
        and close the zaak; the result as recorded. The eindstatus's statustoelichting (what
        the resident is told with it) is the result's toelichting unless given apart: ""
        keeps a text that reaches the resident another way (an answered question) off the
        status."""

    def add_document(self, identificatie: str, document: NewDocument, *,
                     added_by: str) -> StaffDocument:
        """The document as stored: its file name made safe, its level, its date."""

    def request_document(self, identificatie: str, *, omschrijving: str,
                         requested_by: str) -> None:
        """Ask the initiator for a document; Mijn omgeving shows the request until answered.
        The legal term is suspended from today (opschorting) unless it is already; the
        answer to the last open request ends the suspension and moves the term's end by
        the days it stood still (app.zaken.terms)."""

    def extend_term(self, identificatie: str, *, duur: str, reden: str, door: str) -> date:
        """Extend the legal term by duur (ISO 8601) with the reason the resident reads; the
        new end. Raises TermError (app.zaken.terms) when the zaaktype allows no extension,
        the zaak was extended before, or duur is longer than its verlengingstermijn."""

    def route(self, identificatie: str, *, team: str, door: str) -> None:
        """Hand the zaak to another team."""

    def set_contact_person(self, identificatie: str, contact: ContactPerson, *,
                           door: str) -> None:
        """Make this employee the zaak's contact person, in place of the one before (a zaak
        has one); the resident's pages show the new one at once."""

    def record_callback_attempt(self, identificatie: str, attempt: CallbackAttempt) -> None:
        """Keep a call that did not reach the resident with the (open) zaak; the next read
        lists it last in callback_attempts."""

    # ----------------------------------------------------------------------- rules across zaken

    def address_has_zaak(self, zaaktype: str, *, adres: str, granted: str,
                         closed_after: date) -> bool:
        """Whether a zaak of this zaaktype with the kenmerk "adres" is open, or was closed
        with the resultaat `granted` (its Dutch omschrijving) after closed_after (the
        e-forms' one-permit-per-address rule, app.eforms.validators)."""


def get_zaken_store(session: Session | None = None) -> ZakenStore:
    """The store ZAKEN_STORE chose (app.ports), on this Session (the request's by default)."""
    return implementation(ZAKEN_STORE)(session or get_session())
