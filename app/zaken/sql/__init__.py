"""The embedded zaken store (ZAKEN_STORE=local): the zaken port on the portal's own tables.

It works in the Session it is given and never commits: the caller (a route through
app.db.transaction(), a CLI command, the worker) owns the transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import date

from flask import Flask
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, contains_eager

from app.texts import Text
from app.zaken import services
from app.zaken.models import (
    Document,
    DocumentRequest,
    Resultaat,
    Status,
    StatusType,
    Zaak,
    ZaakType,
)
from app.zaken.services import fulfil_document_request, read_document
from app.zaken.signals import document_added
from app.zaken.sql import resident
from app.zaken.sql.catalogi import CatalogiQueries
from app.zaken.sql.partners import PartnerQueries
from app.zaken.sql.staff import StaffQueries
from app.zaken.store import (
    Betaling,
    CallbackAttempt,
    ContactPerson,
    DocumentAdded,
    DocumentFile,
    EndingDecision,
    Gemachtigde,
    Initiator,
    NewDocument,
    OpenDocumentRequest,
    OpenedZaak,
    RelevanteZaak,
    ResidentZaak,
    ResultaatRecord,
    ResultaatTypeRecord,
    StaffDocument,
    StatusRecord,
    StatusTypeRecord,
    UnknownZaak,
    ZaakTransitionError,
    ZakenPage,
    visible_levels,
)

log = logging.getLogger(__name__)

_OPENED = select(Zaak.identificatie, Zaak.einddatum_gepland, Zaak.uiterlijke_einddatum_afdoening,
                 ZaakType.product).join(Zaak.zaaktype).where(
    Zaak.identificatie == bindparam("identificatie"))


class SqlZakenStore(StaffQueries, PartnerQueries, CatalogiQueries):
    registers_later = False  # open_zaak runs in the submit's own transaction

    def __init__(self, session: Session) -> None:
        self.session = session

    def _read(self, statement, values: dict):
        # The resident's pages read plain rows on the session's connection: the session's ORM
        # execution path costs more Python time than these small queries take.
        return self.session.connection().execute(statement, values)

    def _read_scalar(self, statement, values: dict):
        return self._read(statement, values).scalar()

    # ----------------------------------------------------------------------- the resident

    def resident_zaken(self, bsn: str, *, closed: bool, limit: int,
                       offset: int = 0) -> ZakenPage:
        rows = self._read(resident.SUMMARIES[closed],
                                    {"bsn": bsn, "limit": limit, "offset": offset}).all()
        zaken, total = resident.summaries(rows)
        return ZakenPage(zaken=zaken, total=total)

    def count_resident_zaken(self, bsn: str, *, closed: bool) -> int:
        return self._read_scalar(resident.COUNTS[closed], {"bsn": bsn})

    def resident_zaak(self, bsn: str, identificatie: str, *,
                      max_level: str) -> ResidentZaak | None:
        """At most four queries, whatever the number of statussen, documents and requests."""
        rows = self._read(resident.ZAAK_PAGE,
                                    {"zaaknummer": identificatie, "bsn": bsn}).all()
        if not rows:
            return None
        ids = {"zaak_id": rows[0].id}
        # Many zaken have neither: the zaak's query says so, which saves asking. (A zaak with
        # only documents above max_level asks and finds none.)
        documents = (self._read(resident.DOCUMENTS,
                                          {**ids, "levels": visible_levels(max_level)}).all()
                     if rows[0].has_documents else [])
        requests = (self._read(resident.OPEN_REQUESTS_OF_ZAAK, ids).all()
                    if rows[0].has_open_requests else [])
        relaties = self._read(resident.RELATIES, ids).all() if rows[0].has_relaties else []
        return resident.resident_zaak(rows, documents, requests, relaties)

    def resident_document(self, bsn: str, identificatie: str, document_id: str, *,
                          max_level: str) -> DocumentFile | None:
        if not str(document_id).isdigit():
            return None
        document = self.session.scalar(
            select(Document).join(Document.zaak)
            .where(Document.id == int(document_id), Zaak.identificatie == identificatie,
                   resident.initiated_by(bsn),
                   Document.vertrouwelijkheidaanduiding.in_(visible_levels(max_level))))
        if document is None:
            return None
        return DocumentFile(bestandsnaam=document.bestandsnaam, formaat=document.formaat,
                            content=read_document(document))

    def open_document_requests(self, bsn: str) -> list[OpenDocumentRequest]:
        rows = self._read(resident.OPEN_REQUESTS_OF_RESIDENT, {"bsn": bsn})
        return [resident.open_request(row) for row in rows]

    def decisions_ending(self, *, since: date, until: date) -> list[EndingDecision]:
        return resident.ending_decisions(
            self._read(resident.DECISIONS_ENDING, {"since": since, "until": until}).all())

    def decisions_told(self, identificaties: Collection[str], *, today: date) -> None:
        """Nothing to forget: a decision's end is its zaak's resultaat."""

    def open_document_request(self, bsn: str, identificatie: str,
                              request_id: int) -> OpenDocumentRequest | None:
        row = self._read(resident.OPEN_REQUEST, {
            "bsn": bsn, "zaaknummer": identificatie, "request_id": request_id}).one_or_none()
        return resident.open_request(row) if row is not None else None

    def answer_document_request(self, bsn: str, identificatie: str, request_id: int, *,
                                bestandsnaam: str, formaat: str, content: bytes,
                                added_by: str) -> bool:
        # Read again in the writing transaction, past what the session loaded before: a
        # second tab may have answered it meanwhile.
        document_request = self.session.scalar(
            select(DocumentRequest).join(DocumentRequest.zaak)
            .where(DocumentRequest.id == request_id, Zaak.identificatie == identificatie,
                   resident.initiated_by(bsn), DocumentRequest.fulfilled_at.is_(None),
                   Zaak.einddatum.is_(None))
            .options(contains_eager(DocumentRequest.zaak))
            .execution_options(populate_existing=True))
        if document_request is None:
            return False
        # Its title is what was asked, so staff see at once which request it answers.
        fulfil_document_request(self.session, document_request,
                                titel=document_request.omschrijving[:200],
                                bestandsnaam=bestandsnaam, formaat=formaat, content=content,
                                added_by=added_by)
        return True

    # ----------------------------------------------------------------------- changes

    def new_identificatie(self) -> str:
        return services.next_zaaknummer(self.session, services.today().year)

    def open_zaak(self, *, zaaktype: str, initiator: Initiator, omschrijving: str,
                  registered_by: str, toelichting: str = "",
                  aanvraaggegevens: dict | None = None, kenmerken: dict | None = None,
                  startdatum=None, identificatie: str | None = None,
                  gemachtigde: Gemachtigde | None = None,
                  documents: tuple[NewDocument, ...] = (),
                  betaling: Betaling | None = None,
                  relevante_andere_zaken: tuple[RelevanteZaak, ...] = ()) -> OpenedZaak:
        zaak = services.open_zaak(
            self.session, zaaktype=zaaktype, initiator=initiator, omschrijving=omschrijving,
            toelichting=toelichting, aanvraaggegevens=aanvraaggegevens, kenmerken=kenmerken,
            registered_by=registered_by, startdatum=startdatum, identificatie=identificatie,
            gemachtigde=gemachtigde, betaling=betaling,
            relevante_andere_zaken=relevante_andere_zaken)
        for document in documents:
            self._add_document(zaak, document, registered_by)
        return OpenedZaak(identificatie=zaak.identificatie,
                          einddatum_gepland=zaak.einddatum_gepland,
                          uiterlijke_einddatum_afdoening=zaak.uiterlijke_einddatum_afdoening,
                          product=zaak.zaaktype.product)

    def opened_zaak(self, identificatie: str) -> OpenedZaak | None:
        row = self._read(_OPENED, {"identificatie": identificatie}).one_or_none()
        return OpenedZaak(**row._mapping) if row is not None else None

    def set_status(self, identificatie: str, *, volgnummer: int, toelichting: str = "",
                   gezet_door: str) -> StatusRecord:
        return _status_record(services.set_status(
            self.session, self._zaak(identificatie), volgnummer=volgnummer,
            toelichting=toelichting, gezet_door=gezet_door))

    def set_resultaat(self, identificatie: str, *, resultaattype: str, toelichting: str = "",
                      gezet_door: str, statustoelichting: str | None = None) -> ResultaatRecord:
        # The eindstatus is set (and its signal sent) with the statustoelichting; the
        # result then keeps its own toelichting.
        resultaat = services.set_resultaat(
            self.session, self._zaak(identificatie), resultaattype=resultaattype,
            toelichting=toelichting if statustoelichting is None else statustoelichting,
            gezet_door=gezet_door)
        if resultaat.toelichting != toelichting:
            resultaat.toelichting = toelichting
            self.session.flush()
        return _resultaat_record(resultaat)

    def add_document(self, identificatie: str, document: NewDocument, *,
                     added_by: str) -> StaffDocument:
        zaak = self._zaak(identificatie)
        added = self._add_document(zaak, document, added_by)
        initiator = zaak.initiator
        document_added.send(DocumentAdded(
            zaak_identificatie=zaak.identificatie, document_key=str(added.id), titel=added.titel,
            zaaktype=Text(zaak.zaaktype.omschrijving, zaak.zaaktype.omschrijving_en),
            levels=(zaak.vertrouwelijkheidaanduiding, added.vertrouwelijkheidaanduiding),
            initiator_bsn=initiator.inp_bsn if initiator else None,
            initiator_email=initiator.email if initiator else ""), session=self.session)
        return _staff_document(added)

    def request_document(self, identificatie: str, *, omschrijving: str,
                         requested_by: str) -> None:
        services.request_document(self.session, self._zaak(identificatie),
                                  omschrijving=omschrijving, requested_by=requested_by)

    def extend_term(self, identificatie: str, *, duur: str, reden: str, door: str) -> date:
        end = services.extend_term(self.session, self._zaak(identificatie), duur=duur,
                                   reden=reden)
        log.info("zaak term extended", extra={"zaak": identificatie, "duur": duur, "door": door})
        return end

    def route(self, identificatie: str, *, team: str, door: str) -> None:
        services.route_zaak(self.session, self._zaak(identificatie), team=team, door=door)

    def set_contact_person(self, identificatie: str, contact: ContactPerson, *,
                           door: str) -> None:
        services.set_contact_person(self.session, self._zaak(identificatie), contact, door=door)

    def record_callback_attempt(self, identificatie: str, attempt: CallbackAttempt) -> None:
        zaak = self._zaak(identificatie)
        if zaak.is_closed:
            raise ZaakTransitionError(f"{identificatie} is closed")
        item = {"moment": attempt.moment.isoformat(timespec="seconds"), "door": attempt.door,
                "notitie": attempt.notitie}
        # A new dict: the JSON column only notices a change when the value is replaced
        # (staff.callback_attempts reads them back).
        zaak.kenmerken = {**(zaak.kenmerken or {}),
                          "belpogingen": [*(zaak.kenmerken or {}).get("belpogingen", []), item]}
        self.session.flush()

    def _zaak(self, identificatie: str) -> Zaak:
        # The session's own object when it has one (the staff page loaded and locked it).
        zaak = services.get_zaak(self.session, identificatie)
        if zaak is None:
            raise UnknownZaak(identificatie)
        return zaak

    def _add_document(self, zaak: Zaak, document: NewDocument, added_by: str) -> Document:
        return services.add_document(
            self.session, zaak, titel=document.titel, bestandsnaam=document.bestandsnaam,
            formaat=document.formaat, content=document.content,
            vertrouwelijkheidaanduiding=document.vertrouwelijkheidaanduiding,
            added_by=added_by)


# The writes' answers, from the objects they just flushed.


def _statustype_record(statustype: StatusType) -> StatusTypeRecord:
    return StatusTypeRecord(
        volgnummer=statustype.volgnummer,
        omschrijving=Text(statustype.omschrijving, statustype.omschrijving_en),
        informeren=statustype.informeren, is_eindstatus=statustype.is_eindstatus,
        zichtbaar_voor_inwoner=statustype.zichtbaar_voor_inwoner)


def _status_record(status: Status) -> StatusRecord:
    return StatusRecord(id=str(status.id), statustype=_statustype_record(status.statustype),
                        datum_status_gezet=status.datum_status_gezet,
                        statustoelichting=status.statustoelichting, gezet_door=status.gezet_door)


def _resultaat_record(resultaat: Resultaat) -> ResultaatRecord:
    resultaattype = resultaat.resultaattype
    return ResultaatRecord(
        resultaattype=ResultaatTypeRecord(
            omschrijving=Text(resultaattype.omschrijving, resultaattype.omschrijving_en),
            toelichting=Text(resultaattype.toelichting, resultaattype.toelichting_en),
            omschrijving_generiek=resultaattype.omschrijving_generiek),
        toelichting=resultaat.toelichting, datum=resultaat.datum,
        gezet_door=resultaat.gezet_door)


def _staff_document(document: Document) -> StaffDocument:
    return StaffDocument(id=str(document.id), titel=document.titel,
                         bestandsnaam=document.bestandsnaam, formaat=document.formaat,
                         bestandsomvang=document.bestandsomvang,
                         vertrouwelijkheidaanduiding=document.vertrouwelijkheidaanduiding,
                         creatiedatum=document.creatiedatum, added_by=document.added_by)


def setup_local_store(app: Flask) -> type[SqlZakenStore]:
    """ZAKEN_STORE=local (app.ports)."""
    return SqlZakenStore
