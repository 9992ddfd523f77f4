"""The back office's reads of the embedded store (StaffZaken in app.zaken.store): the work
queue, its filters' choices and one zaak with everything staff see.

Like the resident's reads (resident.py) they run Core statements and build typed values,
not ORM objects. The statements for one zaak are built once, at import, with bind
parameters; the queue's statement depends on the filters and is built per request, as the
filters say, so each kind of search meets the index that serves it (app.zaken.models).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Row, and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from app.texts import Text
from app.zaken.documents import get_document_store
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
from app.zaken.services import ZAAKNUMMER
from app.zaken.sql.resident import (
    contact_person,
    relaties,
    term_changes,
    with_contact_person,
)
from app.zaken.store import (
    BEHANDELAAR,
    MEDEWERKER,
    OVERDUE_LEGAL,
    OVERDUE_TARGET,
    STATUS_CLOSED,
    STATUS_OPEN,
    CallbackAttempt,
    ContactPerson,
    ContactZaak,
    DocumentFile,
    DocumentRequestRecord,
    QueueFilters,
    QueuePage,
    QueueRow,
    ResultaatRecord,
    ResultaatTypeRecord,
    RolRecord,
    StaffDocument,
    StaffDocumentFile,
    StaffZaak,
    StaffZaakType,
    StatusRecord,
    StatusTypeRecord,
    ZaakTypeName,
)

_zaken, _rollen, _zaaktypen = Zaak.__table__, Rol.__table__, ZaakType.__table__
_statussen, _statustypen = Status.__table__, StatusType.__table__
_resultaten, _resultaattypen = Resultaat.__table__, ResultaatType.__table__
_documenten, _requests = Document.__table__, DocumentRequest.__table__
_relaties, _andere = RelevanteAndereZaak.__table__, Zaak.__table__.alias("andere_zaak")
DIGITS = re.compile(r"[0-9]+")


# What rol_record() and rol_contact_person() read of a rol.
ROL_COLUMNS = (_rollen.c.omschrijving_generiek, _rollen.c.betrokkene_type, _rollen.c.naam,
               _rollen.c.inp_bsn, _rollen.c.email, _rollen.c.telefoon, _rollen.c.adres,
               _rollen.c.indicatie_machtiging, _rollen.c.betrokkene_identificatie,
               _rollen.c.functie)


def rol_record(row: Row) -> RolRecord:
    return RolRecord(omschrijving_generiek=row.omschrijving_generiek,
                     betrokkene_type=row.betrokkene_type, naam=row.naam, inp_bsn=row.inp_bsn,
                     email=row.email, telefoon=row.telefoon, adres=row.adres,
                     indicatie_machtiging=row.indicatie_machtiging)


def is_contact_person(row: Row) -> bool:
    return row.omschrijving_generiek == BEHANDELAAR and row.betrokkene_type == MEDEWERKER


def rol_contact_person(rows: list[Row]) -> ContactPerson | None:
    """The contact person among a zaak's ROL_COLUMNS rows (a zaak has at most one)."""
    row = next((row for row in rows if is_contact_person(row)), None)
    if row is None:
        return None
    return ContactPerson(medewerker=row.betrokkene_identificatie, naam=row.naam,
                         team=row.functie, telefoon=row.telefoon, email=row.email)


def _is_initiator(rollen=_rollen):
    return and_(rollen.c.zaak_id == _zaken.c.id, rollen.c.omschrijving_generiek == "initiator")


# --------------------------------------------------------------------------- the queue


def _latest_status_id():
    """The id of the zaak's newest status: statussen only grow, so the highest id is the
    current one. Correlated to the outer zaak; the index (zaak_id, id) answers it."""
    newer = _statussen.alias("newer")
    return (select(func.max(newer.c.id)).where(newer.c.zaak_id == _zaken.c.id)
            .correlate(_zaken).scalar_subquery())


def _search_condition(text: str):
    """A whole zaaknummer, its last digits ("12" finds ZAAK-2026-0000000012), or part of the
    initiator's name, any case; LIKE wildcards typed by staff are literal. Each kind is
    looked up where an index serves it (the zaaknummer's unique index; on PostgreSQL the
    trigram indexes on zaaknummer and name, app.zaken.models): an OR of them across the
    joined tables made PostgreSQL scan every zaak."""
    text = text.strip()
    if ZAAKNUMMER.fullmatch(text.upper()):
        return _zaken.c.identificatie == text.upper()
    if DIGITS.fullmatch(text):
        return _zaken.c.identificatie.endswith(text, autoescape=True)
    return _rollen.c.naam.icontains(text, autoescape=True)


def _queue_conditions(filters: QueueFilters, teams: list[str] | None, today: date) -> list:
    z = _zaken.c
    conditions = []
    if teams is not None:
        conditions.append(z.team.in_(teams))
    if filters.team:
        conditions.append(z.team == filters.team)
    if filters.zaaktype:
        conditions.append(_zaaktypen.c.identificatie == filters.zaaktype)
    if filters.status == STATUS_OPEN:
        conditions.append(z.einddatum.is_(None))
    elif filters.status == STATUS_CLOSED:
        conditions.append(z.einddatum.is_not(None))
    elif filters.on_statustype:
        conditions.append(_statustypen.c.omschrijving == filters.status)
    # A suspended term has no end yet: such a zaak is never overdue (ZaakDates.overdue_on).
    if filters.overdue == OVERDUE_LEGAL:
        conditions += [z.einddatum.is_(None), z.opschorting_indicatie.is_(False),
                       z.uiterlijke_einddatum_afdoening < today]
    elif filters.overdue == OVERDUE_TARGET:
        conditions += [z.einddatum.is_(None), z.opschorting_indicatie.is_(False),
                       or_(z.einddatum_gepland < today, z.uiterlijke_einddatum_afdoening < today)]
    if filters.q:
        conditions.append(_search_condition(filters.q))
    return conditions


def _queue_from(query, *, with_status: bool = True):
    query = (query.select_from(_zaken)
             .join(_zaaktypen, _zaaktypen.c.id == _zaken.c.zaaktype_id)
             .outerjoin(_rollen, _is_initiator()))
    if not with_status:
        return query
    return (query.outerjoin(_statussen, _statussen.c.id == _latest_status_id())
            .outerjoin(_statustypen, _statustypen.c.id == _statussen.c.statustype_id))


def count_statement(filters: QueueFilters, teams: list[str] | None, today: date):
    """How many zaken match; the current status is looked up only when filtered on."""
    return (_queue_from(select(func.count(_zaken.c.id)), with_status=filters.on_statustype)
            .where(*_queue_conditions(filters, teams, today)))


def page_statement(filters: QueueFilters, teams: list[str] | None, today: date, *,
                   limit: int, offset: int):
    """One page of the queue in one statement: each zaak with its zaaktype, initiator's
    name and current statustype."""
    z = _zaken.c
    query = _queue_from(select(
        z.identificatie, z.team, z.startdatum, z.einddatum, z.einddatum_gepland,
        z.uiterlijke_einddatum_afdoening, z.opschorting_indicatie,
        _zaaktypen.c.omschrijving.label("zaaktype"),
        _zaaktypen.c.omschrijving_en.label("zaaktype_en"), _rollen.c.naam,
        _statustypen.c.omschrijving.label("status"),
        _statustypen.c.omschrijving_en.label("status_en")))
    if filters.status == STATUS_CLOSED:
        order = (z.einddatum.desc(), z.id.desc())
    else:
        order = (z.uiterlijke_einddatum_afdoening, z.einddatum_gepland, z.id)
    return (query.where(*_queue_conditions(filters, teams, today)).order_by(*order)
            .limit(limit).offset(offset))


def queue_row(row: Row, today: date) -> QueueRow:
    status = Text(row.status, row.status_en) if row.status is not None else None
    values = dict(identificatie=row.identificatie, zaaktype=Text(row.zaaktype, row.zaaktype_en),
                  team=row.team, naam=row.naam or "", status=status, startdatum=row.startdatum,
                  einddatum=row.einddatum, einddatum_gepland=row.einddatum_gepland,
                  uiterlijke_einddatum_afdoening=row.uiterlijke_einddatum_afdoening,
                  opgeschort=row.opschorting_indicatie)
    overdue, days = QueueRow(**values, overdue=None, days_overdue=0).overdue_on(today)
    return QueueRow(**values, overdue=overdue, days_overdue=days)


ZAAKTYPE_NAMES = (select(_zaaktypen.c.identificatie, _zaaktypen.c.omschrijving,
                         _zaaktypen.c.omschrijving_en)
                  .order_by(_zaaktypen.c.omschrijving))
STATUS_NAMES = (select(_statustypen.c.omschrijving, func.max(_statustypen.c.omschrijving_en))
                .group_by(_statustypen.c.omschrijving)
                .order_by(func.min(_statustypen.c.volgnummer), _statustypen.c.omschrijving))


# --------------------------------------------------------------------------- one zaak
#
# The zaak's own row (with zaaktype and result) first; then its parts by the ids it gave,
# one query each, whatever their number. The parts take lists of ids, so a list of zaken
# (open_zaken_of_type) costs the same queries as one.


def _head_statement():
    z, zaaktype, resultaat = _zaken.c, _zaaktypen.c, _resultaten.c
    return (select(z.id, z.identificatie, z.zaaktype_id, z.omschrijving, z.toelichting,
                   z.registratiedatum, z.startdatum, z.einddatum, z.einddatum_gepland,
                   z.uiterlijke_einddatum_afdoening, z.vertrouwelijkheidaanduiding,
                   z.aanvraaggegevens, z.kenmerken, z.registered_by, z.team,
                   z.opschorting_indicatie, z.opschorting_reden, z.verlenging_duur,
                   z.verlenging_reden,
                   zaaktype.verlenging_mogelijk, zaaktype.verlengingstermijn,
                   zaaktype.identificatie.label("zaaktype_identificatie"),
                   zaaktype.omschrijving.label("zaaktype"),
                   zaaktype.omschrijving_en.label("zaaktype_en"),
                   resultaat.resultaattype_id, resultaat.toelichting.label("resultaat_toelichting"),
                   resultaat.datum.label("resultaat_datum"),
                   resultaat.gezet_door.label("resultaat_gezet_door"))
            .select_from(_zaken)
            .join(_zaaktypen, zaaktype.id == z.zaaktype_id)
            .outerjoin(_resultaten, resultaat.zaak_id == z.id))


_HEAD = _head_statement()
ZAAK = _HEAD.where(_zaken.c.identificatie == bindparam("zaaknummer"))
# Only the zaak's own row: PostgreSQL refuses FOR UPDATE on the nullable side of the outer
# join that reads the result.
ZAAK_FOR_UPDATE = ZAAK.with_for_update(of=_zaken)
OPEN_OF_TYPE = (_HEAD.where(_zaaktypen.c.identificatie == bindparam("zaaktype"),
                            _zaken.c.einddatum.is_(None), _zaken.c.team == bindparam("team"))
                .order_by(_zaken.c.registratiedatum, _zaken.c.id))


def _of_zaken(table, *columns):
    return (select(table.c.zaak_id, *columns)
            .where(table.c.zaak_id.in_(bindparam("zaak_ids", expanding=True)))
            .order_by(table.c.zaak_id, table.c.id))


def _of_zaaktypen(table, order, *columns):
    return (select(table.c.zaaktype_id, table.c.id, *columns)
            .where(table.c.zaaktype_id.in_(bindparam("zaaktype_ids", expanding=True)))
            .order_by(table.c.zaaktype_id, order))


STATUSTYPEN = _of_zaaktypen(
    _statustypen, _statustypen.c.volgnummer, _statustypen.c.volgnummer,
    _statustypen.c.omschrijving, _statustypen.c.omschrijving_en, _statustypen.c.informeren,
    _statustypen.c.is_eindstatus, _statustypen.c.zichtbaar_voor_inwoner)
RESULTAATTYPEN = _of_zaaktypen(_resultaattypen, _resultaattypen.c.id,
                               _resultaattypen.c.omschrijving, _resultaattypen.c.omschrijving_en,
                               _resultaattypen.c.toelichting, _resultaattypen.c.toelichting_en,
                               _resultaattypen.c.omschrijving_generiek)
STATUSSEN = _of_zaken(_statussen, _statussen.c.id, _statussen.c.statustype_id,
                      _statussen.c.datum_status_gezet, _statussen.c.statustoelichting,
                      _statussen.c.gezet_door)
ROLLEN = _of_zaken(_rollen, *ROL_COLUMNS)
DOCUMENTS = _of_zaken(_documenten, _documenten.c.id, _documenten.c.titel,
                      _documenten.c.bestandsnaam, _documenten.c.formaat,
                      _documenten.c.bestandsomvang, _documenten.c.vertrouwelijkheidaanduiding,
                      _documenten.c.creatiedatum, _documenten.c.added_by)
RELATIES = (select(_relaties.c.zaak_id, _relaties.c.id, _andere.c.identificatie,
                   _relaties.c.aard_relatie)
            .join(_andere, _andere.c.id == _relaties.c.andere_zaak_id)
            .where(_relaties.c.zaak_id.in_(bindparam("zaak_ids", expanding=True)))
            .order_by(_relaties.c.zaak_id, _relaties.c.id))
REQUESTS = _of_zaken(_requests, _requests.c.omschrijving, _requests.c.created_at,
                     _requests.c.requested_by, _requests.c.fulfilled_at)

DOCUMENT = (select(_documenten.c.bestandsnaam, _documenten.c.formaat, _documenten.c.storage_key,
                   _zaken.c.identificatie, _zaken.c.team, _rollen.c.inp_bsn)
            .select_from(_documenten)
            .join(_zaken, _zaken.c.id == _documenten.c.zaak_id)
            .outerjoin(_rollen, _is_initiator())
            .where(_documenten.c.id == bindparam("document_id"),
                   _zaken.c.identificatie == bindparam("zaaknummer")))

# --------------------------------------------------------------------------- the KCC
#
# A contact zaak with its zaaktype, initiator, first and current status in one statement,
# for a list of any length. Variants are built once each, with bind parameters.


def _first_status_moment():
    first = _statussen.alias("first")
    return (select(first.c.datum_status_gezet).where(first.c.zaak_id == _zaken.c.id)
            .order_by(first.c.id).limit(1).correlate(_zaken).scalar_subquery())


def _dagdeel():
    return _zaken.c.aanvraaggegevens["dagdeel"].as_string()


def _contact_statement():
    z = _zaken.c
    return with_contact_person(select(z.identificatie, z.team, z.registratiedatum, z.startdatum, z.einddatum,
                   z.aanvraaggegevens, z.kenmerken,
                   _zaaktypen.c.identificatie.label("zaaktype_identificatie"),
                   _zaaktypen.c.omschrijving.label("zaaktype"),
                   _zaaktypen.c.omschrijving_en.label("zaaktype_en"),
                   *ROL_COLUMNS,
                   _first_status_moment().label("received_at"),
                   _statustypen.c.omschrijving.label("status"),
                   _statustypen.c.omschrijving_en.label("status_en"))
            .select_from(_zaken)
            .join(_zaaktypen, _zaaktypen.c.id == z.zaaktype_id)
            .outerjoin(_rollen, _is_initiator())
            .outerjoin(_statussen, _statussen.c.id == _latest_status_id())
            .outerjoin(_statustypen, _statustypen.c.id == _statussen.c.statustype_id), z.id)


def _open_contact_zaken(*, filtered: bool, ordered: bool):
    query = _contact_statement().where(_zaaktypen.c.identificatie == bindparam("zaaktype"),
                                       _zaken.c.einddatum.is_(None),
                                       _zaken.c.team == bindparam("team"))
    if filtered:
        query = query.where(_dagdeel() == bindparam("dagdeel"))
    order = [_zaken.c.registratiedatum, _zaken.c.id]
    if ordered:
        order.insert(0, case((_dagdeel() == bindparam("first"), 0), else_=1))
    return (query.order_by(*order).limit(bindparam("limit")).offset(bindparam("offset")))


# By (filtered on a dagdeel, that dagdeel first).
OPEN_CONTACT_ZAKEN = {(filtered, ordered): _open_contact_zaken(filtered=filtered, ordered=ordered)
                      for filtered in (False, True) for ordered in (False, True)}
# Grouped by the label: PostgreSQL does not see two bound JSON keys as one expression.
_DAGDEEL_LABEL = _dagdeel().label("dagdeel")
OPEN_BY_DAGDEEL = (select(_DAGDEEL_LABEL, func.count(_zaken.c.id))
                   .select_from(_zaken)
                   .join(_zaaktypen, _zaaktypen.c.id == _zaken.c.zaaktype_id)
                   .where(_zaaktypen.c.identificatie == bindparam("zaaktype"),
                          _zaken.c.einddatum.is_(None), _zaken.c.team == bindparam("team"))
                   .group_by(_DAGDEEL_LABEL))
RESIDENT_CONTACT_ZAKEN = (_contact_statement()
                          .where(_rollen.c.inp_bsn == bindparam("bsn"))
                          .order_by(_zaken.c.registratiedatum.desc(), _zaken.c.id.desc())
                          .limit(bindparam("limit")))


def callback_attempts(kenmerken: dict | None) -> tuple[CallbackAttempt, ...]:
    """The calls that did not reach the resident: the embedded store keeps them in the
    zaak's kenmerken, under "belpogingen" (moment as ISO text)."""
    return tuple(CallbackAttempt(moment=datetime.fromisoformat(item["moment"]),
                                 door=item.get("door", ""), notitie=item.get("notitie", ""))
                 for item in (kenmerken or {}).get("belpogingen", []))


def contact_zaak(row: Row) -> ContactZaak:
    initiator = None
    if row.omschrijving_generiek is not None:
        initiator = rol_record(row)
    return ContactZaak(
        identificatie=row.identificatie,
        zaaktype=ZaakTypeName(row.zaaktype_identificatie, Text(row.zaaktype, row.zaaktype_en)),
        team=row.team, registratiedatum=row.registratiedatum, startdatum=row.startdatum,
        einddatum=row.einddatum, aanvraaggegevens=dict(row.aanvraaggegevens or {}),
        initiator=initiator, received_at=row.received_at,
        status=Text(row.status, row.status_en) if row.status is not None else None,
        callback_attempts=callback_attempts(row.kenmerken), contact_person=contact_person(row))


# --------------------------------------------------------------------------- across zaken

ADDRESS_HAS_ZAAK = (
    select(_zaken.c.id).select_from(_zaken)
    .join(_zaaktypen, _zaaktypen.c.id == _zaken.c.zaaktype_id)
    .outerjoin(_resultaten, _resultaten.c.zaak_id == _zaken.c.id)
    .outerjoin(_resultaattypen, _resultaattypen.c.id == _resultaten.c.resultaattype_id)
    .where(_zaaktypen.c.identificatie == bindparam("zaaktype"),
           _zaken.c.kenmerken["adres"].as_string() == bindparam("adres"),
           or_(_zaken.c.einddatum.is_(None),
               and_(_resultaattypen.c.omschrijving == bindparam("granted"),
                    _zaken.c.einddatum > bindparam("closed_after"))))
    .limit(1))


def _grouped(rows, key: str = "zaak_id") -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


class StaffQueries:
    session: Session
    queue_searches_names = True
    queue_orders_by_deadline = True

    def work_queue(self, filters: QueueFilters, *, teams: list[str] | None, today: date,
                   limit: int, offset: int = 0) -> QueuePage:
        # Two statements, not a count over() in the page's: the page then stops at its
        # limit along the deadline index instead of reading every zaak that matches.
        total = self.session.scalar(count_statement(filters, teams, today))
        if offset >= total:
            return QueuePage(rows=(), total=total)
        rows = self.session.execute(page_statement(filters, teams, today, limit=limit,
                                                   offset=offset))
        return QueuePage(rows=tuple(queue_row(row, today) for row in rows), total=total)

    def queue_zaaktypen(self) -> list[ZaakTypeName]:
        return [ZaakTypeName(identificatie=row.identificatie,
                             omschrijving=Text(row.omschrijving, row.omschrijving_en))
                for row in self.session.execute(ZAAKTYPE_NAMES)]

    def queue_statussen(self) -> list[Text]:
        return [Text(dutch, english or dutch)
                for dutch, english in self.session.execute(STATUS_NAMES)]

    def staff_zaak(self, identificatie: str, *, for_update: bool = False) -> StaffZaak | None:
        head = self.session.execute(ZAAK_FOR_UPDATE if for_update else ZAAK,
                                    {"zaaknummer": identificatie}).one_or_none()
        return self._staff_zaken([head])[0] if head is not None else None

    def open_zaken_of_type(self, zaaktype: str, *, team: str) -> list[StaffZaak]:
        heads = self.session.execute(OPEN_OF_TYPE, {"zaaktype": zaaktype, "team": team}).all()
        return self._staff_zaken(heads) if heads else []

    def staff_document(self, identificatie: str, document_id: str) -> StaffDocumentFile | None:
        if not str(document_id).isdigit():
            return None
        row = self.session.execute(DOCUMENT, {"document_id": int(document_id),
                                              "zaaknummer": identificatie}).first()
        if row is None:
            return None
        file = DocumentFile(bestandsnaam=row.bestandsnaam, formaat=row.formaat,
                            content=get_document_store().read(row.storage_key))
        return StaffDocumentFile(zaak_identificatie=row.identificatie, team=row.team,
                                 initiator_bsn=row.inp_bsn, file=file)

    def open_contact_zaken(self, zaaktype: str, *, team: str, dagdeel: str | None = None,
                           dagdeel_first: str | None = None, limit: int,
                           offset: int = 0) -> list[ContactZaak]:
        statement = OPEN_CONTACT_ZAKEN[(bool(dagdeel), bool(dagdeel_first))]
        rows = self.session.execute(statement, {
            "zaaktype": zaaktype, "team": team, "dagdeel": dagdeel, "first": dagdeel_first,
            "limit": limit, "offset": offset})
        return [contact_zaak(row) for row in rows]

    def count_open_by_dagdeel(self, zaaktype: str, *, team: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for dagdeel, count in self.session.execute(OPEN_BY_DAGDEEL,
                                                   {"zaaktype": zaaktype, "team": team}):
            counts[dagdeel or ""] = counts.get(dagdeel or "", 0) + count
        return counts

    def resident_contact_zaken(self, bsn: str, *, limit: int) -> list[ContactZaak]:
        rows = self.session.execute(RESIDENT_CONTACT_ZAKEN, {"bsn": bsn, "limit": limit})
        return [contact_zaak(row) for row in rows]

    def address_has_zaak(self, zaaktype: str, *, adres: str, granted: str,
                         closed_after: date) -> bool:
        return self.session.scalar(ADDRESS_HAS_ZAAK, {
            "zaaktype": zaaktype, "adres": adres, "granted": granted,
            "closed_after": closed_after}) is not None

    def _staff_zaken(self, heads: list[Row]) -> list[StaffZaak]:
        """The zaken of these head rows with their parts: seven queries for any number."""
        zaak_ids = {"zaak_ids": [head.id for head in heads]}
        zaaktype_ids = {"zaaktype_ids": sorted({head.zaaktype_id for head in heads})}
        of_zaaktype = catalogs(self.session.execute(STATUSTYPEN, zaaktype_ids),
                               self.session.execute(RESULTAATTYPEN, zaaktype_ids), heads)
        parts = {name: _grouped(self.session.execute(statement, zaak_ids))
                 for name, statement in (("statussen", STATUSSEN), ("rollen", ROLLEN),
                                         ("documenten", DOCUMENTS), ("requests", REQUESTS),
                                         ("relaties", RELATIES))}
        return [_staff_zaak(head, of_zaaktype[head.zaaktype_id],
                            {name: rows.get(head.id, []) for name, rows in parts.items()})
                for head in heads]


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Catalog:
    """A zaaktype with its types by id, so the statussen and the result find theirs."""

    zaaktype: StaffZaakType
    statustypen: dict[int, StatusTypeRecord]
    resultaattypen: dict[int, ResultaatTypeRecord]


def catalogs(statustypen, resultaattypen, heads: list[Row]) -> dict[int, Catalog]:
    """The heads' zaaktypen by id, from the rows of STATUSTYPEN and RESULTAATTYPEN; a head
    names its zaaktype (zaaktype_id, zaaktype_identificatie, zaaktype, zaaktype_en)."""
    statustypen_by_type = _grouped(statustypen, "zaaktype_id")
    resultaattypen_by_type = _grouped(resultaattypen, "zaaktype_id")
    found = {}
    for head in heads:
        statustypes = {row.id: StatusTypeRecord(
            volgnummer=row.volgnummer, omschrijving=Text(row.omschrijving, row.omschrijving_en),
            informeren=row.informeren, is_eindstatus=row.is_eindstatus,
            zichtbaar_voor_inwoner=row.zichtbaar_voor_inwoner)
            for row in statustypen_by_type.get(head.zaaktype_id, [])}
        resultaattypes = {row.id: ResultaatTypeRecord(Text(row.omschrijving, row.omschrijving_en),
                                                      Text(row.toelichting, row.toelichting_en),
                                                      row.omschrijving_generiek)
                          for row in resultaattypen_by_type.get(head.zaaktype_id, [])}
        zaaktype = StaffZaakType(
            identificatie=head.zaaktype_identificatie,
            omschrijving=Text(head.zaaktype, head.zaaktype_en),
            statustypen=tuple(statustypes.values()),
            resultaattypen=tuple(resultaattypes.values()))
        found[head.zaaktype_id] = Catalog(zaaktype, statustypes, resultaattypes)
    return found


def _staff_zaak(head: Row, catalog: Catalog, parts: dict[str, list[Row]]) -> StaffZaak:
    resultaat = None
    if head.resultaattype_id is not None:
        resultaat = ResultaatRecord(resultaattype=catalog.resultaattypen[head.resultaattype_id],
                                    toelichting=head.resultaat_toelichting,
                                    datum=head.resultaat_datum,
                                    gezet_door=head.resultaat_gezet_door)
    return StaffZaak(
        identificatie=head.identificatie, zaaktype=catalog.zaaktype,
        omschrijving=head.omschrijving, toelichting=head.toelichting,
        registratiedatum=head.registratiedatum, startdatum=head.startdatum,
        einddatum=head.einddatum, einddatum_gepland=head.einddatum_gepland,
        uiterlijke_einddatum_afdoening=head.uiterlijke_einddatum_afdoening,
        opgeschort=head.opschorting_indicatie, terms=term_changes(head),
        relevante_andere_zaken=relaties(parts["relaties"]),
        verlengingstermijn=head.verlengingstermijn if head.verlenging_mogelijk else None,
        vertrouwelijkheidaanduiding=head.vertrouwelijkheidaanduiding,
        aanvraaggegevens=dict(head.aanvraaggegevens or {}), kenmerken=dict(head.kenmerken or {}),
        registered_by=head.registered_by, team=head.team,
        statussen=tuple(StatusRecord(id=str(row.id),
                                     statustype=catalog.statustypen[row.statustype_id],
                                     datum_status_gezet=row.datum_status_gezet,
                                     statustoelichting=row.statustoelichting,
                                     gezet_door=row.gezet_door)
                        for row in parts["statussen"]),
        rollen=tuple(rol_record(row) for row in parts["rollen"] if not is_contact_person(row)),
        contact_person=rol_contact_person(parts["rollen"]),
        documenten=tuple(StaffDocument(
            id=str(row.id), titel=row.titel, bestandsnaam=row.bestandsnaam, formaat=row.formaat,
            bestandsomvang=row.bestandsomvang,
            vertrouwelijkheidaanduiding=row.vertrouwelijkheidaanduiding,
            creatiedatum=row.creatiedatum, added_by=row.added_by)
            for row in parts["documenten"]),
        document_requests=tuple(DocumentRequestRecord(
            omschrijving=row.omschrijving, created_at=row.created_at,
            requested_by=row.requested_by, fulfilled_at=row.fulfilled_at)
            for row in parts["requests"]),
        resultaat=resultaat, callback_attempts=callback_attempts(head.kenmerken))
