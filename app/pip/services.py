"""Mijn omgeving: what a resident sees of their zaken, read in a fixed number of queries.

Every query here is scoped to the initiator's BSN, so another resident's zaak, document
or request is simply not found: the routes answer 404 exactly as for a missing one.
Services take the caller's Session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from app.zaken.models import (
    Document,
    DocumentRequest,
    Resultaat,
    Rol,
    Status,
    StatusType,
    Vertrouwelijkheidaanduiding,
    Zaak,
    ZaakType,
)
from app.zaken.services import fulfil_document_request

# Documents up to this level are the resident's to see (ZGW: a zaak's own parties may see
# zaakvertrouwelijk); stricter levels are for staff.
DEFAULT_MAX_VERTROUWELIJKHEID = Vertrouwelijkheidaanduiding.ZAAKVERTROUWELIJK.value
UPLOADED_BY = "inwoner via Mijn omgeving"


def _initiated_by(bsn: str):
    """WHERE clause: the zaak's initiator logged in with this BSN."""
    return exists().where(Rol.zaak_id == Zaak.id, Rol.inp_bsn == bsn,
                          Rol.omschrijving_generiek == "initiator")


def visible_levels(max_level: str) -> list[str]:
    """The vertrouwelijkheidaanduidingen up to and including max_level."""
    top = Vertrouwelijkheidaanduiding(max_level).rank
    return [level.value for level in Vertrouwelijkheidaanduiding if level.rank <= top]


# --------------------------------------------------------------------------- milestones


@dataclass(frozen=True)
class Milestone:
    """A resident-visible status; internal statuses after it are folded into it."""

    statustype: StatusType
    datum: datetime  # naive UTC, when the zaak reached this milestone
    toelichting: str


def milestones(zaak: Zaak) -> list[Milestone]:
    """The statussen as the resident sees them: visible ones only, in order. An internal
    status stays under the visible one before it (its toelichting is for staff)."""
    return [Milestone(status.statustype, status.datum_status_gezet, status.statustoelichting)
            for status in zaak.statussen if status.statustype.zichtbaar_voor_inwoner]


def current_milestone(zaak: Zaak) -> Milestone | None:
    visible = milestones(zaak)
    return visible[-1] if visible else None


def next_step(zaak: Zaak) -> StatusType | None:
    """The next visible statustype after the zaak's actual (maybe internal) status."""
    if zaak.is_closed or not zaak.statussen:
        return None
    reached = zaak.statussen[-1].statustype.volgnummer
    return next((statustype for statustype in zaak.zaaktype.statustypen
                 if statustype.volgnummer > reached and statustype.zichtbaar_voor_inwoner), None)


@dataclass(frozen=True)
class Deadlines:
    target: date | None  # einddatum_gepland: start + servicenorm, what we aim for
    legal: date          # uiterlijke_einddatum_afdoening: start + doorlooptijd
    target_passed: bool
    legal_passed: bool


def deadlines(zaak: Zaak, today: date) -> Deadlines:
    still_open = not zaak.is_closed
    target, legal = zaak.einddatum_gepland, zaak.uiterlijke_einddatum_afdoening
    return Deadlines(target=target, legal=legal,
                     target_passed=still_open and target is not None and today > target,
                     legal_passed=still_open and today > legal)


# --------------------------------------------------------------------------- reading


def overview_zaken(session: Session, bsn: str, *, limit: int) -> list[Zaak]:
    """The newest open zaken with their statussen: one query (the statussen are joined)."""
    query = (select(Zaak).where(_initiated_by(bsn), Zaak.einddatum.is_(None))
             .options(joinedload(Zaak.zaaktype),
                      joinedload(Zaak.statussen).joinedload(Status.statustype))
             .order_by(Zaak.registratiedatum.desc(), Zaak.id.desc()).limit(limit))
    return list(session.scalars(query).unique())


def open_document_requests(session: Session, bsn: str) -> list[DocumentRequest]:
    """Requests the resident still has to answer, oldest first, with their zaak: one query."""
    query = (select(DocumentRequest).join(DocumentRequest.zaak)
             .where(_initiated_by(bsn), DocumentRequest.fulfilled_at.is_(None),
                    Zaak.einddatum.is_(None))
             .options(contains_eager(DocumentRequest.zaak).joinedload(Zaak.zaaktype))
             .order_by(DocumentRequest.created_at, DocumentRequest.id))
    return list(session.scalars(query))


def count_zaken(session: Session, bsn: str, *, closed: bool) -> int:
    query = select(func.count(Zaak.id)).where(_initiated_by(bsn))
    query = query.where(Zaak.einddatum.is_not(None) if closed else Zaak.einddatum.is_(None))
    return session.scalar(query)


def owned_zaak(session: Session, bsn: str, identificatie: str, *, max_level: str) -> Zaak | None:
    """The zaak with all its detail page needs, or None when it is not this resident's.

    Four queries: the zaak with zaaktype, statustypen and result; then statussen, the
    documents the resident may see (filtered in SQL) and the document requests.
    """
    query = (
        select(Zaak).where(Zaak.identificatie == identificatie, _initiated_by(bsn))
        .options(joinedload(Zaak.zaaktype).joinedload(ZaakType.statustypen),
                 joinedload(Zaak.resultaat).joinedload(Resultaat.resultaattype),
                 selectinload(Zaak.statussen).joinedload(Status.statustype),
                 selectinload(Zaak.documenten.and_(
                     Document.vertrouwelijkheidaanduiding.in_(visible_levels(max_level)))),
                 selectinload(Zaak.document_requests))
    )
    return session.scalars(query).unique().one_or_none()


def owned_document(session: Session, bsn: str, identificatie: str, document_id: int, *,
                   max_level: str) -> Document | None:
    """The document when it belongs to this resident's zaak and is at a level they may see."""
    query = (select(Document).join(Document.zaak)
             .where(Document.id == document_id, Zaak.identificatie == identificatie,
                    _initiated_by(bsn),
                    Document.vertrouwelijkheidaanduiding.in_(visible_levels(max_level))))
    return session.scalar(query)


def owned_open_request(session: Session, bsn: str, identificatie: str, request_id: int, *,
                       refresh: bool = False) -> DocumentRequest | None:
    query = (select(DocumentRequest).join(DocumentRequest.zaak)
             .where(DocumentRequest.id == request_id, Zaak.identificatie == identificatie,
                    _initiated_by(bsn), DocumentRequest.fulfilled_at.is_(None),
                    Zaak.einddatum.is_(None))
             .options(contains_eager(DocumentRequest.zaak))
             .execution_options(populate_existing=refresh))
    return session.scalar(query)


# --------------------------------------------------------------------------- uploading


def upload_requested_document(session: Session, document_request: DocumentRequest, *,
                              bestandsnaam: str, formaat: str, content: bytes) -> Document:
    """The resident's answer to a request: a document on the zaak, the request fulfilled.
    Its title is what was asked, so staff see at once which request it answers."""
    return fulfil_document_request(session, document_request,
                                   titel=document_request.omschrijving[:200],
                                   bestandsnaam=bestandsnaam, formaat=formaat, content=content,
                                   added_by=UPLOADED_BY)
