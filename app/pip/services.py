"""Mijn omgeving: what a resident sees of their zaken, read in a fixed number of queries.

Every query here is scoped to the initiator's BSN, so another resident's zaak, document
or request is simply not found: the routes answer 404 exactly as for a missing one.
Services take the caller's Session and never commit.

The pages read plain rows through Core, not ORM objects: they show a few columns of a
zaak and its statussen, and loading zaken with their statussen, documents and requests as
objects cost more than everything else on the page. Those statements are built once, at
import, with bind parameters: a fresh statement's cache key costs more Python time than
these small queries take in the database, so a request only fills in the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Row,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, contains_eager

from app.pip.messages import unread_count_subquery
from app.pip.models import Message
from app.zaken.models import (
    Document,
    DocumentRequest,
    Resultaat,
    ResultaatType,
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

_zaken, _rollen, _zaaktypen = Zaak.__table__, Rol.__table__, ZaakType.__table__
_statussen, _statustypen = Status.__table__, StatusType.__table__
_resultaten, _resultaattypen = Resultaat.__table__, ResultaatType.__table__
_documenten, _requests = Document.__table__, DocumentRequest.__table__
_messages = Message.__table__


def _initiated_by(bsn):
    """WHERE clause: the zaak's initiator logged in with this BSN (a value or a bindparam)."""
    return exists().where(_rollen.c.zaak_id == _zaken.c.id, _rollen.c.inp_bsn == bsn,
                          _rollen.c.omschrijving_generiek == "initiator")


def visible_levels(max_level: str) -> list[str]:
    """The vertrouwelijkheidaanduidingen up to and including max_level."""
    top = Vertrouwelijkheidaanduiding(max_level).rank
    return [level.value for level in Vertrouwelijkheidaanduiding if level.rank <= top]


# --------------------------------------------------------------------------- deadlines


@dataclass(frozen=True)
class Deadlines:
    target: date | None  # einddatum_gepland: start + servicenorm, what we aim for
    legal: date          # uiterlijke_einddatum_afdoening: start + doorlooptijd
    target_passed: bool
    legal_passed: bool


def deadlines(zaak, today: date) -> Deadlines:
    """zaak: anything with its einddatum, einddatum_gepland and uiterlijke_einddatum_afdoening."""
    still_open = zaak.einddatum is None
    target, legal = zaak.einddatum_gepland, zaak.uiterlijke_einddatum_afdoening
    return Deadlines(target=target, legal=legal,
                     target_passed=still_open and target is not None and today > target,
                     legal_passed=still_open and today > legal)


# --------------------------------------------------------------------------- milestones
#
# The resident sees only the statussen whose statustype is zichtbaar_voor_inwoner (the
# milestones); an internal status is folded into the visible one before it.


def _current_milestone_id(zaak_id):
    """Correlated with zaak_id: the statustype of the zaak's latest milestone (None before
    any)."""
    return (select(_statussen.c.statustype_id)
            .join(_statustypen, _statustypen.c.id == _statussen.c.statustype_id)
            .where(_statussen.c.zaak_id == zaak_id, _statustypen.c.zichtbaar_voor_inwoner)
            .order_by(_statussen.c.id.desc()).limit(1).scalar_subquery())


def _latest_volgnummer():
    """Correlated with the zaak: the volgnummer its latest status reached (internal or not)."""
    reached = _statustypen.alias("reached_st")
    return (select(reached.c.volgnummer)
            .join(reached, reached.c.id == _statussen.c.statustype_id)
            .where(_statussen.c.zaak_id == _zaken.c.id)
            .order_by(_statussen.c.id.desc()).limit(1)
            # Used two levels down, where auto-correlation would not reach the zaak.
            .correlate(_zaken).scalar_subquery())


def _next_milestone_id():
    """Correlated with the zaak: the first visible statustype after the one its latest
    status reached (None when there is none)."""
    following = _statustypen.alias("following_st")
    return (select(following.c.id)
            .where(following.c.zaaktype_id == _zaken.c.zaaktype_id,
                   following.c.zichtbaar_voor_inwoner,
                   following.c.volgnummer > _latest_volgnummer())
            .order_by(following.c.volgnummer).limit(1).scalar_subquery())


def _status_columns(statustype):
    """The texts of the current milestone, as zaak_summaries() rows name them."""
    return (statustype.c.omschrijving.label("status"),
            statustype.c.omschrijving_en.label("status_en"),
            statustype.c.statustekst, statustype.c.statustekst_en)


# --------------------------------------------------------------------------- lists


def _closed_is(closed: bool):
    return _zaken.c.einddatum.is_not(None) if closed else _zaken.c.einddatum.is_(None)


def _summaries_statement(closed: bool):
    """The page of zaken first (LIMIT), with the number of them all; then each one's zaaktype
    and current milestone, and the resident's unread messages for the navigation."""
    z = _zaken.c
    page = (select(z.id, z.identificatie, z.zaaktype_id, z.omschrijving, z.registratiedatum,
                   z.startdatum, z.einddatum, z.einddatum_gepland,
                   z.uiterlijke_einddatum_afdoening, func.count().over().label("total"))
            .where(_initiated_by(bindparam("bsn")), _closed_is(closed))
            .order_by(z.registratiedatum.desc(), z.id.desc())
            .limit(bindparam("limit")).offset(bindparam("offset")).subquery())
    current = _statustypen.alias("current_st")
    return (select(page, _zaaktypen.c.omschrijving.label("zaaktype"),
                   _zaaktypen.c.omschrijving_en.label("zaaktype_en"), *_status_columns(current),
                   unread_count_subquery(bindparam("bsn")).label("unread"))
            .join(_zaaktypen, _zaaktypen.c.id == page.c.zaaktype_id)
            .outerjoin(current, current.c.id == _current_milestone_id(page.c.id))
            .order_by(page.c.registratiedatum.desc(), page.c.id.desc()))


_SUMMARIES = {closed: _summaries_statement(closed) for closed in (False, True)}
_COUNTS = {closed: select(func.count(_zaken.c.id))
           .where(_initiated_by(bindparam("bsn")), _closed_is(closed))
           for closed in (False, True)}


def zaak_summaries(session: Session, bsn: str, *, closed: bool, limit: int,
                   offset: int = 0) -> list[Row]:
    """A page of the resident's open or closed zaken, newest first, in one query. Each row
    has the zaak's columns, zaaktype and zaaktype_en, its current milestone's status,
    status_en, statustekst and statustekst_en (None before any milestone), and, the same in
    every row, total (the resident's open or closed zaken) and unread (their unread
    messages). A page past the last one has no rows, so neither."""
    return session.execute(_SUMMARIES[closed],
                           {"bsn": bsn, "limit": limit, "offset": offset}).all()


def count_zaken(session: Session, bsn: str, *, closed: bool) -> int:
    return session.scalar(_COUNTS[closed], {"bsn": bsn})


# --------------------------------------------------------------------------- one zaak


def _open_requests_of(zaak_id):
    return and_(_requests.c.zaak_id == zaak_id, _requests.c.fulfilled_at.is_(None))


def _zaak_rows():
    """The zaak with its zaaktype, current and next milestone, resultaat, whether it has
    documents (at any level) or open requests, and the resident's unread messages (for the
    navigation), once for each of its milestones (once, with no milestone columns, when it
    has none)."""
    z, zaaktype, resultaattype = _zaken.c, _zaaktypen.c, _resultaattypen.c
    current = _statustypen.alias("current_st")
    upcoming = _statustypen.alias("next_st")
    milestone = _statustypen.alias("milestone_st")
    return (select(z.id, z.identificatie, z.omschrijving, z.startdatum, z.einddatum,
                   z.einddatum_gepland, z.uiterlijke_einddatum_afdoening, z.aanvraaggegevens,
                   zaaktype.identificatie.label("zaaktype_identificatie"),
                   zaaktype.omschrijving.label("zaaktype"),
                   zaaktype.omschrijving_en.label("zaaktype_en"), *_status_columns(current),
                   upcoming.c.omschrijving.label("next_step"),
                   upcoming.c.omschrijving_en.label("next_step_en"),
                   resultaattype.omschrijving.label("resultaat"),
                   resultaattype.omschrijving_en.label("resultaat_en"),
                   resultaattype.toelichting.label("resultaat_toelichting"),
                   resultaattype.toelichting_en.label("resultaat_toelichting_en"),
                   # Any document: zaak_page() then reads those the resident may see.
                   exists().where(_documenten.c.zaak_id == z.id).label("has_documents"),
                   exists().where(_open_requests_of(z.id)).label("has_open_requests"),
                   unread_count_subquery(bindparam("bsn")).label("unread"),
                   milestone.c.omschrijving.label("milestone"),
                   milestone.c.omschrijving_en.label("milestone_en"),
                   milestone.c.statustekst.label("milestone_tekst"),
                   milestone.c.statustekst_en.label("milestone_tekst_en"),
                   _statussen.c.datum_status_gezet, _statussen.c.statustoelichting,
                   _statussen.c.id.label("status_id"))
            .select_from(_zaken)
            .join(_zaaktypen, zaaktype.id == z.zaaktype_id)
            .outerjoin(current, current.c.id == _current_milestone_id(z.id))
            .outerjoin(upcoming, upcoming.c.id == _next_milestone_id())
            .outerjoin(_resultaten, _resultaten.c.zaak_id == z.id)
            .outerjoin(_resultaattypen, resultaattype.id == _resultaten.c.resultaattype_id)
            .outerjoin(_statussen.join(milestone, and_(milestone.c.id == _statussen.c.statustype_id,
                                                       milestone.c.zichtbaar_voor_inwoner)),
                       _statussen.c.zaak_id == z.id)
            .where(z.identificatie == bindparam("zaaknummer"), _initiated_by(bindparam("bsn"))))


# A zaak gets a message per status change meant for the resident and a few from staff; the
# page shows at most this many (Berichten has them all).
MESSAGES_ON_ZAAK_PAGE = 100


def _zaak_messages():
    """The resident's messages about the zaak, newest first, as message_row() reads them."""
    m = _messages.c
    return (select(m.id.label("message_id"), m.public_id, m.onderwerp, m.onderwerp_en,
                   m.afzender, m.created_at, m.read_at, m.zaak_identificatie)
            .where(m.bsn == bindparam("bsn"), m.zaak_identificatie == bindparam("zaaknummer"))
            .order_by(m.created_at.desc(), m.id.desc()).limit(MESSAGES_ON_ZAAK_PAGE).subquery("m"))


# A bare NULL: null() would be written "NULL AS anon__12", and psycopg converts a statement
# of over 4096 characters anew on every execution instead of once.
_NULL = literal_column("NULL")


def _nulls_for(columns):
    """NULL in place of each column, named and typed as it (the first part of a UNION names
    and types the columns of every part)."""
    return [type_coerce(null(), column.type).label(column.key) for column in columns]


def _zaak_page_statement():
    """The zaak's page in one statement, as rows of two parts: part 0, the zaak once per
    milestone (_zaak_rows), then part 1, the resident's messages about it (_zaak_messages,
    without the zaak's columns). A separate query for the messages cost a round trip and
    more Python time than the database needs for both."""
    zaak, messages = _zaak_rows(), _zaak_messages()
    zaak_columns, message_columns = list(zaak.selected_columns), list(messages.c)
    page = union_all(
        zaak.add_columns(literal_column("0").label("part"), *_nulls_for(message_columns)),
        select(*(_NULL for _ in zaak_columns), literal_column("1").label("part"),
               *message_columns))
    ordered = page.selected_columns
    return page.order_by(ordered.part, ordered.status_id, ordered.created_at.desc(),
                         ordered.message_id.desc())


_ZAAK_PAGE = _zaak_page_statement()
_DOCUMENTS = (select(_documenten.c.id, _documenten.c.titel, _documenten.c.bestandsnaam,
                     _documenten.c.bestandsomvang, _documenten.c.creatiedatum)
              .where(_documenten.c.zaak_id == bindparam("zaak_id"),
                     _documenten.c.vertrouwelijkheidaanduiding.in_(
                         bindparam("levels", expanding=True)))
              .order_by(_documenten.c.id))
_OPEN_REQUESTS = (select(_requests.c.id, _requests.c.omschrijving, _requests.c.created_at)
                  .where(_open_requests_of(bindparam("zaak_id"))).order_by(_requests.c.id))


@dataclass(frozen=True)
class ZaakPage:
    """What the zaak's page shows, as plain rows (zaak_page()).

    zaak: the columns of a zaak_summaries() row (but total), plus aanvraaggegevens,
        zaaktype_identificatie, next_step and next_step_en (the next milestone's name),
        resultaat, resultaat_en, resultaat_toelichting and resultaat_toelichting_en.
    milestones: in order; rows with milestone(_en) (its name), milestone_tekst(_en),
        datum_status_gezet and statustoelichting.
    messages: the resident's messages about the zaak, newest first (at most
        MESSAGES_ON_ZAAK_PAGE); rows with public_id, onderwerp(_en), afzender, created_at,
        read_at and zaak_identificatie, as message_row() reads them.
    documents: those the resident may see; id, titel, bestandsnaam, bestandsomvang,
        creatiedatum.
    open_requests: document requests still to answer; id, omschrijving, created_at.
    """

    zaak: Row
    milestones: list[Row]
    documents: list[Row]
    open_requests: list[Row]
    messages: list[Row]


def zaak_page(session: Session, bsn: str, identificatie: str, *,
              max_level: str) -> ZaakPage | None:
    """Everything the zaak's page shows, or None when it is not this resident's zaak: at most
    three queries, whatever the number of statussen, messages, documents and requests."""
    rows = session.execute(_ZAAK_PAGE, {"zaaknummer": identificatie, "bsn": bsn}).all()
    if not rows or rows[0].part != 0:  # not the resident's zaak (their messages come last)
        return None
    zaak, ids = rows[0], {"zaak_id": rows[0].id}
    # Many zaken have neither: the zaak's query says so, which saves asking. (A zaak with
    # only documents above max_level asks and finds none.)
    documents = (session.execute(_DOCUMENTS, {**ids, "levels": visible_levels(max_level)}).all()
                 if zaak.has_documents else [])
    requests = session.execute(_OPEN_REQUESTS, ids).all() if zaak.has_open_requests else []
    return ZaakPage(zaak=zaak, documents=documents, open_requests=requests,
                    milestones=[row for row in rows if row.part == 0 and row.milestone is not None],
                    messages=[row for row in rows if row.part == 1])


_OPEN_REQUESTS_OF_RESIDENT = (
    select(_requests.c.omschrijving, _requests.c.created_at, _zaken.c.identificatie,
           _zaaktypen.c.omschrijving.label("zaaktype"),
           _zaaktypen.c.omschrijving_en.label("zaaktype_en"))
    .select_from(_requests)
    .join(_zaken, _zaken.c.id == _requests.c.zaak_id)
    .join(_zaaktypen, _zaaktypen.c.id == _zaken.c.zaaktype_id)
    .where(_initiated_by(bindparam("bsn")), _requests.c.fulfilled_at.is_(None),
           _zaken.c.einddatum.is_(None))
    .order_by(_requests.c.created_at, _requests.c.id))


def open_document_requests(session: Session, bsn: str) -> list[Row]:
    """Requests the resident still has to answer, oldest first, in one query: rows with
    omschrijving, created_at, identificatie (the zaak's) and zaaktype(_en)."""
    return session.execute(_OPEN_REQUESTS_OF_RESIDENT, {"bsn": bsn}).all()


# --------------------------------------------------------------------------- objects


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
