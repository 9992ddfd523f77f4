"""Document requests on a ZGW zaaksysteem: the municipality asks the initiator of a zaak for
a document, the resident answers it in Mijn omgeving.

The ZGW APIs have no such resource, so a request is the portal's own data (a row of
zgw_document_requests, keyed by the zaaknummer); whose zaak it is and whether it is still
open is always asked of the Zaken API, so the portal keeps no BSN with it. Answering one
adds the document to the zaak in the Documenten and Zaken API; the request is claimed first
in the caller's transaction, so a second answer (another tab) finds it answered, and a
refused upload rolls the claim back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.zaken.store import (
    DocumentRequestRecord,
    NewDocument,
    OpenDocumentRequest,
    StaffDocument,
)
from app.zaken.zgw.models import ZgwDocumentRequest

if TYPE_CHECKING:
    from app.zaken.zgw.catalogue import CatalogueCache

_requests = ZgwDocumentRequest.__table__
PAGE_MAX = 500


class ZgwDocumentRequests:
    """Document requests for ZgwZakenStore (mixed in; it gives session, catalogue, the
    zaak lookups and add_document)."""

    session: Session
    catalogue: CatalogueCache

    # ----------------------------------------------------------------------- staff

    def request_document(self, identificatie: str, *, omschrijving: str,
                         requested_by: str) -> None:
        # UnknownZaak, or closed: ZaakTransitionError
        zaak, _zaaktype = self._open_zaak_and_type(identificatie)
        self.session.add(ZgwDocumentRequest(
            zaak_identificatie=identificatie, omschrijving=omschrijving, created_at=utcnow(),
            requested_by=requested_by))
        self.session.flush()
        self._suspend(zaak, omschrijving)  # Awb 4:15 (app.zaken.zgw.terms)

    def _document_requests(self, identificatie: str) -> tuple[DocumentRequestRecord, ...]:
        rows = self.session.connection().execute(
            select(_requests).where(_requests.c.zaak_identificatie == identificatie)
            .order_by(_requests.c.created_at, _requests.c.id))
        return tuple(DocumentRequestRecord(omschrijving=row.omschrijving,
                                           created_at=row.created_at,
                                           requested_by=row.requested_by,
                                           fulfilled_at=row.fulfilled_at) for row in rows)

    # ----------------------------------------------------------------------- the resident

    def open_document_requests(self, bsn: str) -> list[OpenDocumentRequest]:
        """Across the resident's open zaken, oldest first. Asks the Zaken API only when some
        request is open at all (most of the time none is)."""
        if not self._any_open_request():
            return []
        found = self._resident_list(bsn, closed=False, limit=PAGE_MAX, offset=0)
        zaken = {zaak["identificatie"]: zaak for zaak in found["results"]}
        if not zaken:
            return []
        rows = self.session.connection().execute(
            select(_requests).where(_requests.c.zaak_identificatie.in_(zaken),
                                    _requests.c.fulfilled_at.is_(None))
            .order_by(_requests.c.created_at, _requests.c.id))
        return [self._open_request(row, zaken[row.zaak_identificatie]) for row in rows]

    def open_document_request(self, bsn: str, identificatie: str,
                              request_id: int) -> OpenDocumentRequest | None:
        row = self._open_row(identificatie, request_id)
        if row is None:
            return None
        zaak = self._resident_zaak(bsn, identificatie)
        if zaak is None or zaak.get("einddatum"):
            return None
        return self._open_request(row, zaak)

    def answer_document_request(self, bsn: str, identificatie: str, request_id: int, *,
                                bestandsnaam: str, formaat: str, content: bytes,
                                added_by: str) -> bool:
        zaak = self._resident_zaak(bsn, identificatie)
        if zaak is None or zaak.get("einddatum"):
            return False
        row = self._open_row(identificatie, request_id)
        if row is None:
            return False
        # Claim it (one UPDATE: a second answer waits for this transaction, then finds it
        # answered); the upload follows, and its failure rolls the claim back.
        claimed = self.session.connection().execute(
            update(_requests).where(_requests.c.id == request_id,
                                    _requests.c.fulfilled_at.is_(None))
            .values(fulfilled_at=utcnow())).rowcount
        if not claimed:
            return False
        # Its title is what was asked, so staff see at once which request it answers.
        added: StaffDocument = self.add_document(identificatie, NewDocument(
            titel=row.omschrijving[:200], bestandsnaam=bestandsnaam, formaat=formaat,
            content=content), added_by=added_by)
        self.session.connection().execute(
            update(_requests).where(_requests.c.id == request_id)
            .values(document_uuid=added.id))
        self._resume_when_complete(identificatie)  # the last one: the term runs again
        return True

    def _open_requests_of(self, zaak: dict) -> tuple[OpenDocumentRequest, ...]:
        """What the resident still has to send for this zaak (their page of it)."""
        if zaak.get("einddatum"):
            return ()
        rows = self.session.connection().execute(
            select(_requests).where(_requests.c.zaak_identificatie == zaak["identificatie"],
                                    _requests.c.fulfilled_at.is_(None))
            .order_by(_requests.c.created_at, _requests.c.id))
        return tuple(self._open_request(row, zaak) for row in rows)

    # ----------------------------------------------------------------------- rows

    def _any_open_request(self) -> bool:
        return self.session.connection().execute(
            select(_requests.c.id).where(_requests.c.fulfilled_at.is_(None)).limit(1)
        ).first() is not None

    def _open_row(self, identificatie: str, request_id: int):
        return self.session.connection().execute(
            select(_requests).where(_requests.c.id == request_id,
                                    _requests.c.zaak_identificatie == identificatie,
                                    _requests.c.fulfilled_at.is_(None))).first()

    def _open_request(self, row, zaak: dict) -> OpenDocumentRequest:
        return OpenDocumentRequest(
            id=row.id, omschrijving=row.omschrijving, created_at=row.created_at,
            zaak_identificatie=row.zaak_identificatie,
            zaaktype=self.catalogue.zaaktype(zaak["zaaktype"]).omschrijving)
