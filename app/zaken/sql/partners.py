"""The zaken API's reads of the embedded store (PartnerZaken in app.zaken.store).

Like the other reads they run Core statements, built once at import with bind parameters,
and build typed values: a page of zaken is two queries (the count, then the page with each
zaak's current status and result), one zaak two (the zaak once per status, then its
rollen), whatever the number of zaken, statussen or rollen.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from app.texts import Text
from app.zaken.models import (
    Resultaat,
    ResultaatType,
    Rol,
    Status,
    StatusType,
    Zaak,
    ZaakType,
)
from app.zaken.sql.staff import RESULTAATTYPEN, ROL_COLUMNS, STATUSTYPEN, catalogs, rol_record
from app.zaken.store import (
    MEDEWERKER,
    PartnerZaak,
    PartnerZaakSummary,
    PartnerZakenPage,
    ResultaatRecord,
    ResultaatTypeRecord,
    StatusRecord,
    StatusTypeRecord,
    ZaakForChange,
)

_zaken, _rollen, _zaaktypen = Zaak.__table__, Rol.__table__, ZaakType.__table__
_statussen, _statustypen = Status.__table__, StatusType.__table__
_resultaten, _resultaattypen = Resultaat.__table__, ResultaatType.__table__


def _in_scope():
    """WHERE clause on a query joined to the zaaktypen: the zaaktype is one of :zaaktypen."""
    return _zaaktypen.c.identificatie.in_(bindparam("zaaktypen", expanding=True))


def _closed_is(closed: bool | None) -> tuple:
    if closed is None:
        return ()
    return (_zaken.c.einddatum.is_not(None) if closed else _zaken.c.einddatum.is_(None),)


def _initiator_bsn():
    """Correlated with the zaak: the BSN its initiator logged in with (None without DigiD)."""
    return (select(_rollen.c.inp_bsn)
            .where(_rollen.c.zaak_id == _zaken.c.id, _rollen.c.omschrijving_generiek == "initiator")
            .order_by(_rollen.c.id).limit(1).scalar_subquery())


# What _summary(), _status() and _resultaat() read, labelled apart: zaken, zaaktypen,
# statustypen and resultaattypen each have an omschrijving.
_ZAAK_COLUMNS = (_zaken.c.id, _zaken.c.identificatie, _zaaktypen.c.identificatie.label("zaaktype"),
                 _zaken.c.omschrijving, _zaken.c.toelichting, _zaken.c.registratiedatum,
                 _zaken.c.startdatum, _zaken.c.einddatum, _zaken.c.einddatum_gepland,
                 _zaken.c.uiterlijke_einddatum_afdoening, _zaken.c.vertrouwelijkheidaanduiding)
_STATUS_COLUMNS = (_statussen.c.id.label("status_id"), _statustypen.c.volgnummer,
                   _statustypen.c.omschrijving.label("statustype"),
                   _statustypen.c.omschrijving_en.label("statustype_en"),
                   _statustypen.c.informeren, _statustypen.c.is_eindstatus,
                   _statustypen.c.zichtbaar_voor_inwoner, _statussen.c.datum_status_gezet,
                   _statussen.c.statustoelichting,
                   _statussen.c.gezet_door.label("status_gezet_door"))
_RESULTAAT_COLUMNS = (_resultaattypen.c.omschrijving.label("resultaattype"),
                      _resultaattypen.c.omschrijving_en.label("resultaattype_en"),
                      _resultaattypen.c.toelichting.label("resultaattype_toelichting"),
                      _resultaattypen.c.toelichting_en.label("resultaattype_toelichting_en"),
                      _resultaattypen.c.omschrijving_generiek.label("resultaattype_generiek"),
                      _resultaten.c.toelichting.label("resultaat_toelichting"),
                      _resultaten.c.datum.label("resultaat_datum"),
                      _resultaten.c.gezet_door.label("resultaat_gezet_door"))


def _with_status_and_resultaat(query, zaak_id, status_condition):
    return (query
            .outerjoin(_statussen, status_condition)
            .outerjoin(_statustypen, _statustypen.c.id == _statussen.c.statustype_id)
            .outerjoin(_resultaten, _resultaten.c.zaak_id == zaak_id)
            .outerjoin(_resultaattypen, _resultaattypen.c.id == _resultaten.c.resultaattype_id))


# --------------------------------------------------------------------------- a page of zaken


def _page_statement(closed: bool | None):
    """The page of zaken first (LIMIT), then each one's current status and result."""
    z = _zaken.c
    page = (select(*_ZAAK_COLUMNS, _initiator_bsn().label("initiator_bsn"))
            .select_from(_zaken)
            .join(_zaaktypen, _zaaktypen.c.id == z.zaaktype_id)
            .where(_in_scope(), *_closed_is(closed))
            .order_by(z.registratiedatum.desc(), z.id.desc())
            .limit(bindparam("limit")).offset(bindparam("offset"))
            .subquery("page"))
    # Statussen only grow, so the highest id is the current one. An alias: the outer query
    # joins statussen itself, which would correlate it away.
    newer = _statussen.alias("newer")
    current_status_id = (select(func.max(newer.c.id)).where(newer.c.zaak_id == page.c.id)
                         .correlate(page).scalar_subquery())
    query = select(page, *_STATUS_COLUMNS, *_RESULTAAT_COLUMNS).select_from(page)
    return (_with_status_and_resultaat(query, page.c.id, _statussen.c.id == current_status_id)
            .order_by(page.c.registratiedatum.desc(), page.c.id.desc()))


_CLOSED = (None, False, True)
PAGES = {closed: _page_statement(closed) for closed in _CLOSED}
COUNTS = {closed: (select(func.count(_zaken.c.id)).select_from(_zaken)
                   .join(_zaaktypen, _zaaktypen.c.id == _zaken.c.zaaktype_id)
                   .where(_in_scope(), *_closed_is(closed)))
          for closed in _CLOSED}

# --------------------------------------------------------------------------- one zaak

# The zaak with its result, once for each of its statussen, oldest first.
ZAAK = (_with_status_and_resultaat(
            select(*_ZAAK_COLUMNS, *_STATUS_COLUMNS, *_RESULTAAT_COLUMNS)
            .select_from(_zaken).join(_zaaktypen, _zaaktypen.c.id == _zaken.c.zaaktype_id),
            _zaken.c.id, _statussen.c.zaak_id == _zaken.c.id)
        .where(_zaken.c.identificatie == bindparam("zaaknummer"), _in_scope())
        .order_by(_statussen.c.id))
# The persons' rollen, as a ZGW zaaksysteem's (not the employee who is the contact person).
ROLLEN = (select(*ROL_COLUMNS).where(_rollen.c.zaak_id == bindparam("zaak_id"),
                                     _rollen.c.betrokkene_type != MEDEWERKER)
          .order_by(_rollen.c.id))

# Before a change: the zaak's own row, locked (PostgreSQL; SQLite's writer lock holds
# every other writer off anyway), with what catalogs() needs to find its zaaktype.
ZAAK_FOR_CHANGE = (select(_zaken.c.identificatie, _zaken.c.zaaktype_id,
                          _zaaktypen.c.identificatie.label("zaaktype_identificatie"),
                          _zaaktypen.c.omschrijving.label("zaaktype"),
                          _zaaktypen.c.omschrijving_en.label("zaaktype_en"),
                          _initiator_bsn().label("initiator_bsn"))
                   .select_from(_zaken)
                   .join(_zaaktypen, _zaaktypen.c.id == _zaken.c.zaaktype_id)
                   .where(_zaken.c.identificatie == bindparam("zaaknummer"), _in_scope())
                   .with_for_update(of=_zaken))

KNOWN_ZAAKTYPEN = select(_zaaktypen.c.identificatie).where(
    _zaaktypen.c.identificatie.in_(bindparam("identificaties", expanding=True)))


# --------------------------------------------------------------------------- values


def _status(row: Row) -> StatusRecord | None:
    if row.status_id is None:
        return None
    statustype = StatusTypeRecord(
        volgnummer=row.volgnummer, omschrijving=Text(row.statustype, row.statustype_en),
        informeren=row.informeren, is_eindstatus=row.is_eindstatus,
        zichtbaar_voor_inwoner=row.zichtbaar_voor_inwoner)
    return StatusRecord(id=str(row.status_id), statustype=statustype,
                        datum_status_gezet=row.datum_status_gezet,
                        statustoelichting=row.statustoelichting, gezet_door=row.status_gezet_door)


def _resultaat(row: Row) -> ResultaatRecord | None:
    if row.resultaattype is None:
        return None
    resultaattype = ResultaatTypeRecord(
        omschrijving=Text(row.resultaattype, row.resultaattype_en),
        toelichting=Text(row.resultaattype_toelichting, row.resultaattype_toelichting_en),
        omschrijving_generiek=row.resultaattype_generiek)
    return ResultaatRecord(resultaattype=resultaattype, toelichting=row.resultaat_toelichting,
                           datum=row.resultaat_datum, gezet_door=row.resultaat_gezet_door)


def _summary(row: Row, status: StatusRecord | None,
             initiator_bsn: str | None) -> PartnerZaakSummary:
    return PartnerZaakSummary(
        identificatie=row.identificatie, zaaktype=row.zaaktype, omschrijving=row.omschrijving,
        toelichting=row.toelichting, registratiedatum=row.registratiedatum,
        startdatum=row.startdatum, einddatum=row.einddatum,
        einddatum_gepland=row.einddatum_gepland,
        uiterlijke_einddatum_afdoening=row.uiterlijke_einddatum_afdoening,
        vertrouwelijkheidaanduiding=row.vertrouwelijkheidaanduiding, status=status,
        resultaat=_resultaat(row), initiator_bsn=initiator_bsn)


# --------------------------------------------------------------------------- the mixin


class PartnerQueries:
    session: Session

    def partner_zaken(self, zaaktypen: Collection[str], *, closed: bool | None = None,
                      limit: int, offset: int = 0) -> PartnerZakenPage:
        scope = {"zaaktypen": list(zaaktypen)}
        total = self.session.scalar(COUNTS[closed], scope)
        if offset >= total:
            return PartnerZakenPage(zaken=(), total=total)
        rows = self.session.execute(PAGES[closed], {**scope, "limit": limit, "offset": offset})
        return PartnerZakenPage(
            zaken=tuple(_summary(row, _status(row), row.initiator_bsn) for row in rows),
            total=total)

    def partner_zaak(self, zaaktypen: Collection[str],
                     identificatie: str) -> PartnerZaak | None:
        rows = self.session.execute(ZAAK, {"zaaktypen": list(zaaktypen),
                                           "zaaknummer": identificatie}).all()
        if not rows:
            return None
        rollen = tuple(rol_record(row)
                       for row in self.session.execute(ROLLEN, {"zaak_id": rows[0].id}))
        statussen = tuple(status for status in map(_status, rows) if status is not None)
        initiator = next((rol for rol in rollen if rol.omschrijving_generiek == "initiator"), None)
        summary = _summary(rows[0], statussen[-1] if statussen else None,
                           initiator.inp_bsn if initiator else None)
        return PartnerZaak(summary=summary, statussen=statussen, rollen=rollen)

    def partner_zaak_for_change(self, zaaktypen: Collection[str],
                                identificatie: str) -> ZaakForChange | None:
        head = self.session.execute(ZAAK_FOR_CHANGE, {"zaaktypen": list(zaaktypen),
                                                      "zaaknummer": identificatie}).one_or_none()
        if head is None:
            return None
        ids = {"zaaktype_ids": [head.zaaktype_id]}
        catalog = catalogs(self.session.execute(STATUSTYPEN, ids),
                           self.session.execute(RESULTAATTYPEN, ids), [head])[head.zaaktype_id]
        return ZaakForChange(identificatie=head.identificatie, zaaktype=catalog.zaaktype,
                             initiator_bsn=head.initiator_bsn)

    def known_zaaktypen(self, identificaties: Collection[str]) -> set[str]:
        return set(self.session.scalars(KNOWN_ZAAKTYPEN,
                                        {"identificaties": list(identificaties)}))
