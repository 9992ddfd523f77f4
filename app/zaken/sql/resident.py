"""The resident's reads of the embedded store: Mijn zaken, one zaak's page, its documents
and the document requests, each in a fixed number of queries.

The pages read plain rows through Core, not ORM objects: they show a few columns of a
zaak and its statussen, and loading zaken with their statussen, documents and requests as
objects cost more than everything else on the page. The statements are built once, at
import, with bind parameters: a fresh statement's cache key costs more Python time than
these small queries take in the database, so a request only fills in the values.
"""

from __future__ import annotations

from sqlalchemy import Row, and_, bindparam, exists, func, select

from app.texts import Text
from app.zaken.models import (
    Document,
    DocumentRequest,
    RelevanteAndereZaak,
    Resultaat,
    ResultaatType,
    Rol,
    Status,
    StatusType,
    Zaak,
    ZaakType,
)
from app.zaken.store import (
    BEHANDELAAR,
    MEDEWERKER,
    Betaling,
    ContactPerson,
    DocumentSummary,
    EndingDecision,
    Milestone,
    OpenDocumentRequest,
    ReachedMilestone,
    RelevanteZaak,
    ResidentZaak,
    ResultaatSummary,
    TermChanges,
    ZaakSummary,
)

_zaken, _rollen, _zaaktypen = Zaak.__table__, Rol.__table__, ZaakType.__table__
_statussen, _statustypen = Status.__table__, StatusType.__table__
_resultaten, _resultaattypen = Resultaat.__table__, ResultaatType.__table__
_documenten, _requests = Document.__table__, DocumentRequest.__table__
_relaties = RelevanteAndereZaak.__table__


def initiated_by(bsn):
    """WHERE clause: the zaak's initiator logged in with this BSN (a value or a bindparam)."""
    return exists().where(_rollen.c.zaak_id == _zaken.c.id, _rollen.c.inp_bsn == bsn,
                          _rollen.c.omschrijving_generiek == "initiator")


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
    """The texts of the current milestone, as _summary() reads them."""
    return (statustype.c.omschrijving.label("status"),
            statustype.c.omschrijving_en.label("status_en"),
            statustype.c.statustekst, statustype.c.statustekst_en)


# --------------------------------------------------------------------------- contact person

_contact = _rollen.alias("contact_rol")


def with_contact_person(query, zaak_id):
    """The query with the zaak's contact person's columns (None without one): a zaak has at
    most one (uq_rollen_contact_person), so no row is repeated."""
    return (query.add_columns(_contact.c.betrokkene_identificatie.label("contact_medewerker"),
                              _contact.c.naam.label("contact_naam"),
                              _contact.c.functie.label("contact_team"),
                              _contact.c.telefoon.label("contact_telefoon"),
                              _contact.c.email.label("contact_email"))
            .outerjoin(_contact, and_(_contact.c.zaak_id == zaak_id,
                                      _contact.c.omschrijving_generiek == BEHANDELAAR,
                                      _contact.c.betrokkene_type == MEDEWERKER)))


def contact_person(row: Row) -> ContactPerson | None:
    """The contact person from the columns with_contact_person() added."""
    if row.contact_medewerker is None:
        return None
    return ContactPerson(medewerker=row.contact_medewerker, naam=row.contact_naam,
                         team=row.contact_team, telefoon=row.contact_telefoon,
                         email=row.contact_email)


def _summary(row: Row) -> ZaakSummary:
    status = None
    if row.status is not None:
        status = Milestone(omschrijving=Text(row.status, row.status_en),
                           statustekst=Text(row.statustekst, row.statustekst_en))
    return ZaakSummary(
        identificatie=row.identificatie, zaaktype=Text(row.zaaktype, row.zaaktype_en),
        omschrijving=row.omschrijving, registratiedatum=row.registratiedatum,
        startdatum=row.startdatum, einddatum=row.einddatum,
        einddatum_gepland=row.einddatum_gepland,
        uiterlijke_einddatum_afdoening=row.uiterlijke_einddatum_afdoening, status=status,
        zaaktype_identificatie=row.zaaktype_identificatie,
        opgeschort=row.opschorting_indicatie, contact_person=contact_person(row))


# --------------------------------------------------------------------------- lists


def _closed_is(closed: bool):
    return _zaken.c.einddatum.is_not(None) if closed else _zaken.c.einddatum.is_(None)


def _summaries_statement(closed: bool):
    """The page of zaken first (LIMIT), with the number of them all; then each one's zaaktype
    and current milestone."""
    z = _zaken.c
    page = (select(z.id, z.identificatie, z.zaaktype_id, z.omschrijving, z.registratiedatum,
                   z.startdatum, z.einddatum, z.einddatum_gepland,
                   z.uiterlijke_einddatum_afdoening, z.opschorting_indicatie,
                   func.count().over().label("total"))
            .where(initiated_by(bindparam("bsn")), _closed_is(closed))
            .order_by(z.registratiedatum.desc(), z.id.desc())
            .limit(bindparam("limit")).offset(bindparam("offset")).subquery())
    current = _statustypen.alias("current_st")
    query = (select(page, _zaaktypen.c.identificatie.label("zaaktype_identificatie"),
                    _zaaktypen.c.omschrijving.label("zaaktype"),
                    _zaaktypen.c.omschrijving_en.label("zaaktype_en"), *_status_columns(current))
             .join(_zaaktypen, _zaaktypen.c.id == page.c.zaaktype_id)
             .outerjoin(current, current.c.id == _current_milestone_id(page.c.id))
             .order_by(page.c.registratiedatum.desc(), page.c.id.desc()))
    return with_contact_person(query, page.c.id)


SUMMARIES = {closed: _summaries_statement(closed) for closed in (False, True)}
COUNTS = {closed: select(func.count(_zaken.c.id))
          .where(initiated_by(bindparam("bsn")), _closed_is(closed))
          for closed in (False, True)}


def summaries(rows: list[Row]) -> tuple[tuple[ZaakSummary, ...], int]:
    """The zaken of a SUMMARIES page and the number of them all (0 past the last page)."""
    return tuple(_summary(row) for row in rows), (rows[0].total if rows else 0)


# --------------------------------------------------------------------------- one zaak


def _open_requests_of(zaak_id):
    return and_(_requests.c.zaak_id == zaak_id, _requests.c.fulfilled_at.is_(None))


def _zaak_page_statement():
    """The zaak with its zaaktype, current and next milestone, resultaat and whether it has
    documents (at any level) or open requests, once for each of its milestones (once, with
    no milestone columns, when it has none), in the order they were reached."""
    z, zaaktype, resultaattype = _zaken.c, _zaaktypen.c, _resultaattypen.c
    current = _statustypen.alias("current_st")
    upcoming = _statustypen.alias("next_st")
    milestone = _statustypen.alias("milestone_st")
    query = (select(z.id, z.identificatie, z.omschrijving, z.registratiedatum, z.startdatum,
                   z.einddatum, z.einddatum_gepland, z.uiterlijke_einddatum_afdoening,
                   z.aanvraaggegevens, z.opschorting_indicatie, z.opschorting_reden,
                   z.verlenging_duur, z.verlenging_reden, z.betalingsindicatie,
                   z.laatste_betaaldatum, z.kenmerken,
                   exists().where(_relaties.c.zaak_id == z.id).label("has_relaties"),
                   zaaktype.identificatie.label("zaaktype_identificatie"),
                   zaaktype.omschrijving.label("zaaktype"),
                   zaaktype.omschrijving_en.label("zaaktype_en"), *_status_columns(current),
                   upcoming.c.omschrijving.label("next_step"),
                   upcoming.c.omschrijving_en.label("next_step_en"),
                   resultaattype.omschrijving.label("resultaat"),
                   resultaattype.omschrijving_en.label("resultaat_en"),
                   resultaattype.toelichting.label("resultaat_toelichting"),
                   resultaattype.toelichting_en.label("resultaat_toelichting_en"),
                   # Any document: resident_zaak() then reads those the resident may see.
                   exists().where(_documenten.c.zaak_id == z.id).label("has_documents"),
                   exists().where(_open_requests_of(z.id)).label("has_open_requests"),
                   milestone.c.omschrijving.label("milestone"),
                   milestone.c.omschrijving_en.label("milestone_en"),
                   milestone.c.statustekst.label("milestone_tekst"),
                   milestone.c.statustekst_en.label("milestone_tekst_en"),
                   _statussen.c.datum_status_gezet, _statussen.c.statustoelichting)
            .select_from(_zaken)
            .join(_zaaktypen, zaaktype.id == z.zaaktype_id)
            .outerjoin(current, current.c.id == _current_milestone_id(z.id))
            .outerjoin(upcoming, upcoming.c.id == _next_milestone_id())
            .outerjoin(_resultaten, _resultaten.c.zaak_id == z.id)
            .outerjoin(_resultaattypen, resultaattype.id == _resultaten.c.resultaattype_id)
            .outerjoin(_statussen.join(milestone, and_(milestone.c.id == _statussen.c.statustype_id,
                                                       milestone.c.zichtbaar_voor_inwoner)),
                       _statussen.c.zaak_id == z.id)
            .where(z.identificatie == bindparam("zaaknummer"), initiated_by(bindparam("bsn")))
            .order_by(_statussen.c.id))
    return with_contact_person(query, z.id)


ZAAK_PAGE = _zaak_page_statement()
DOCUMENTS = (select(_documenten.c.id, _documenten.c.titel, _documenten.c.bestandsnaam,
                    _documenten.c.bestandsomvang, _documenten.c.creatiedatum)
             .where(_documenten.c.zaak_id == bindparam("zaak_id"),
                    _documenten.c.vertrouwelijkheidaanduiding.in_(
                        bindparam("levels", expanding=True)))
             .order_by(_documenten.c.id))
_REQUEST_COLUMNS = (_requests.c.id, _requests.c.omschrijving, _requests.c.created_at,
                    _zaken.c.identificatie.label("zaak_identificatie"),
                    _zaaktypen.c.omschrijving.label("zaaktype"),
                    _zaaktypen.c.omschrijving_en.label("zaaktype_en"))
_OPEN_REQUESTS = (select(*_REQUEST_COLUMNS)
                  .select_from(_requests)
                  .join(_zaken, _zaken.c.id == _requests.c.zaak_id)
                  .join(_zaaktypen, _zaaktypen.c.id == _zaken.c.zaaktype_id)
                  .where(_requests.c.fulfilled_at.is_(None), _zaken.c.einddatum.is_(None)))
OPEN_REQUESTS_OF_ZAAK = (_OPEN_REQUESTS.where(_requests.c.zaak_id == bindparam("zaak_id"))
                         .order_by(_requests.c.id))
OPEN_REQUESTS_OF_RESIDENT = (_OPEN_REQUESTS.where(initiated_by(bindparam("bsn")))
                             .order_by(_requests.c.created_at, _requests.c.id))
OPEN_REQUEST = _OPEN_REQUESTS.where(
    _requests.c.id == bindparam("request_id"), _zaken.c.identificatie == bindparam("zaaknummer"),
    initiated_by(bindparam("bsn")))


_andere = _zaken.alias("andere_zaak")
RELATIES = (select(_andere.c.identificatie, _relaties.c.aard_relatie)
            .join(_andere, _andere.c.id == _relaties.c.andere_zaak_id)
            .where(_relaties.c.zaak_id == bindparam("zaak_id"))
            .order_by(_relaties.c.id))


def relaties(rows: list[Row]) -> tuple[RelevanteZaak, ...]:
    return tuple(RelevanteZaak(identificatie=row.identificatie, aard_relatie=row.aard_relatie)
                 for row in rows)


def term_changes(row: Row) -> TermChanges:
    return TermChanges(opschorting_reden=row.opschorting_reden if row.opschorting_indicatie
                       else "", verlenging_duur=row.verlenging_duur or "",
                       verlenging_reden=row.verlenging_reden)


def open_request(row: Row) -> OpenDocumentRequest:
    return OpenDocumentRequest(id=row.id, omschrijving=row.omschrijving,
                               created_at=row.created_at,
                               zaak_identificatie=row.zaak_identificatie,
                               zaaktype=Text(row.zaaktype, row.zaaktype_en))


def resident_zaak(rows: list[Row], documents: list[Row], requests: list[Row],
                  relaties_rows: list[Row]) -> ResidentZaak:
    """The zaak from its ZAAK_PAGE rows, DOCUMENTS and OPEN_REQUESTS_OF_ZAAK."""
    head = rows[0]
    return ResidentZaak(
        summary=_summary(head), zaaktype_identificatie=head.zaaktype_identificatie,
        aanvraaggegevens=dict(head.aanvraaggegevens or {}),
        next_step=(Text(head.next_step, head.next_step_en)
                   if head.next_step is not None else None),
        resultaat=(ResultaatSummary(
            omschrijving=Text(head.resultaat, head.resultaat_en),
            toelichting=Text(head.resultaat_toelichting, head.resultaat_toelichting_en))
            if head.resultaat is not None else None),
        milestones=tuple(
            ReachedMilestone(omschrijving=Text(row.milestone, row.milestone_en),
                             statustekst=Text(row.milestone_tekst, row.milestone_tekst_en),
                             datum_status_gezet=row.datum_status_gezet,
                             statustoelichting=row.statustoelichting)
            for row in rows if row.milestone is not None),
        documents=tuple(DocumentSummary(id=row.id, titel=row.titel,
                                        bestandsnaam=row.bestandsnaam,
                                        bestandsomvang=row.bestandsomvang,
                                        creatiedatum=row.creatiedatum) for row in documents),
        open_requests=tuple(open_request(row) for row in requests),
        terms=term_changes(head), relevante_andere_zaken=relaties(relaties_rows),
        betaling=Betaling.of_zaak(head.betalingsindicatie, head.laatste_betaaldatum,
                                  head.kenmerken or {}))


# --------------------------------------------------------------------------- decisions ending

DECISIONS_ENDING = (
    select(_zaken.c.identificatie, _zaaktypen.c.omschrijving, _zaaktypen.c.omschrijving_en,
           _zaaktypen.c.product, _resultaten.c.vervaldatum, _rollen.c.inp_bsn)
    .join(_resultaten, _resultaten.c.zaak_id == _zaken.c.id)
    .join(_zaaktypen, _zaaktypen.c.id == _zaken.c.zaaktype_id)
    .join(_rollen, and_(_rollen.c.zaak_id == _zaken.c.id,
                        _rollen.c.omschrijving_generiek == "initiator",
                        _rollen.c.inp_bsn.is_not(None)))
    .where(_resultaten.c.vervaldatum.between(bindparam("since"), bindparam("until")))
    .order_by(_resultaten.c.vervaldatum, _zaken.c.identificatie))


def ending_decisions(rows: list[Row]) -> list[EndingDecision]:
    return [EndingDecision(zaak_identificatie=row.identificatie,
                           zaaktype=Text(row.omschrijving, row.omschrijving_en),
                           product=row.product, vervaldatum=row.vervaldatum,
                           initiator_bsn=row.inp_bsn) for row in rows]
