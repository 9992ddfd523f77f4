"""Beheer of the catalogi in the embedded store (CatalogiBeheer in app.zaken.store): the
zaaktypen with their norms and status texts.

The reads are two queries for any number of zaaktypen. The writes change the ORM objects,
so a zaaktype the session holds (opening a zaak reads it) has the new values at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, selectinload

from app.texts import Text
from app.zaken.models import StatusType, ZaakType
from app.zaken.store import (
    BeheerStatusType,
    BeheerZaakType,
    StatusTypeTexts,
    UnknownZaakType,
    ZaakError,
)

_zaaktypen, _statustypen = ZaakType.__table__, StatusType.__table__

_ZAAKTYPEN = (select(_zaaktypen.c.id, _zaaktypen.c.identificatie, _zaaktypen.c.omschrijving,
                     _zaaktypen.c.omschrijving_en, _zaaktypen.c.doel, _zaaktypen.c.team,
                     _zaaktypen.c.doorlooptijd, _zaaktypen.c.servicenorm)
              .order_by(_zaaktypen.c.omschrijving))
_ZAAKTYPE = _ZAAKTYPEN.where(_zaaktypen.c.identificatie == bindparam("identificatie"))
_STATUSTYPEN = (select(_statustypen)
                .where(_statustypen.c.zaaktype_id.in_(bindparam("zaaktype_ids", expanding=True)))
                .order_by(_statustypen.c.zaaktype_id, _statustypen.c.volgnummer))
_FOR_CHANGE = (select(ZaakType).where(ZaakType.identificatie == bindparam("identificatie"))
               .options(selectinload(ZaakType.statustypen)))


class CatalogiQueries:
    session: Session
    catalogi_editable = True

    def beheer_zaaktypen(self) -> list[BeheerZaakType]:
        return self._beheer_zaaktypen(self.session.execute(_ZAAKTYPEN).all())

    def beheer_zaaktype(self, identificatie: str) -> BeheerZaakType | None:
        rows = self.session.execute(_ZAAKTYPE, {"identificatie": identificatie}).all()
        return self._beheer_zaaktypen(rows)[0] if rows else None

    def set_norms(self, zaaktype: str, *, doorlooptijd: str, servicenorm: str | None) -> None:
        found = self._zaaktype(zaaktype)
        found.doorlooptijd, found.servicenorm = doorlooptijd, servicenorm
        self.session.flush()

    def set_status_texts(self, zaaktype: str, texts: Sequence[StatusTypeTexts]) -> None:
        found = self._zaaktype(zaaktype)
        by_volgnummer = {statustype.volgnummer: statustype for statustype in found.statustypen}
        # Every volgnummer checked before the first change, so a refusal changes nothing.
        unknown = sorted({text.volgnummer for text in texts} - set(by_volgnummer))
        if unknown:
            raise ZaakError(f"{zaaktype} has no statustype with volgnummer {unknown}")
        for text in texts:
            statustype = by_volgnummer[text.volgnummer]
            statustype.statustekst = text.statustekst.nl
            statustype.statustekst_en = text.statustekst.en
            statustype.informeren = text.informeren
        self.session.flush()

    def _zaaktype(self, identificatie: str) -> ZaakType:
        found = self.session.scalar(_FOR_CHANGE, {"identificatie": identificatie})
        if found is None:
            raise UnknownZaakType(identificatie)
        return found

    def _beheer_zaaktypen(self, rows) -> list[BeheerZaakType]:
        statustypen: dict[int, list[BeheerStatusType]] = {}
        for row in self.session.execute(_STATUSTYPEN, {"zaaktype_ids": [row.id for row in rows]}):
            statustypen.setdefault(row.zaaktype_id, []).append(BeheerStatusType(
                volgnummer=row.volgnummer, omschrijving=Text(row.omschrijving, row.omschrijving_en),
                informeren=row.informeren, is_eindstatus=row.is_eindstatus,
                zichtbaar_voor_inwoner=row.zichtbaar_voor_inwoner,
                statustekst=Text(row.statustekst, row.statustekst_en)))
        return [BeheerZaakType(identificatie=row.identificatie,
                               omschrijving=Text(row.omschrijving, row.omschrijving_en),
                               doel=row.doel, team=row.team, doorlooptijd=row.doorlooptijd,
                               servicenorm=row.servicenorm,
                               statustypen=tuple(statustypen.get(row.id, ())))
                for row in rows]
