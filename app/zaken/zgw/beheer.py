"""Beheer of zaaktypen on a ZGW zaaksysteem (CatalogiBeheer in app.zaken.store): read-only.

The zaaktypen shown are the versions valid today in the portal's catalogue, with the
portal's own texts (English, which statustypen the resident sees, the team) from
content/zaaktypen.toml laid over them (app.zaken.zgw.catalogue).

Why the portal does not change them here: in the Catalogi API a published zaaktype cannot
be edited; a change is a new version (a concept copy with its statustypen, roltypen,
resultaattypen, eigenschappen, zaakobjecttypen, informatieobjecttypen and besluittypen,
its links between them remapped, published, and the old version ended). That catalogue
is the municipality's, kept by its information managers in the zaaksysteem's own beheer
(Open Zaak's admin has "new version" for exactly this), and shared with every other
application that opens zaken of these types. A partial copy made by the portal would
silently drop what the portal does not know of (a besluittype, an eigenschap, an
archiving rule), and two beheerders saving at once would race to end the same version.
So on ZGW beheer shows the zaaktypen and tells staff where to change them; the catalogue
is read again when the zaaksysteem's notificatie says a zaaktype changed, or after
ZGW_CATALOGUE_TTL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.zaken.store import (
    BeheerStatusType,
    BeheerZaakType,
    CatalogiNotEditable,
    StatusTypeTexts,
    UnknownZaakType,
)

if TYPE_CHECKING:
    from app.zaken.zgw.catalogue import CatalogueCache, CatalogueZaakType


class ZgwCatalogiBeheer:
    """CatalogiBeheer for ZgwZakenStore (mixed in; it gives catalogue)."""

    catalogue: CatalogueCache
    catalogi_editable = False

    def beheer_zaaktypen(self) -> list[BeheerZaakType]:
        return sorted((_beheer_zaaktype(z) for z in self.catalogue.get().current.values()),
                      key=lambda z: z.omschrijving.nl)

    def beheer_zaaktype(self, identificatie: str) -> BeheerZaakType | None:
        zaaktype = self.catalogue.current(identificatie)
        return _beheer_zaaktype(zaaktype) if zaaktype is not None else None

    def set_norms(self, zaaktype: str, *, doorlooptijd: str, servicenorm: str | None) -> None:
        self._refuse_change(zaaktype)

    def set_status_texts(self, zaaktype: str, texts: Sequence[StatusTypeTexts]) -> None:
        self._refuse_change(zaaktype)

    def _refuse_change(self, identificatie: str) -> None:
        if self.catalogue.current(identificatie) is None:
            raise UnknownZaakType(identificatie)
        raise CatalogiNotEditable(
            f"{identificatie} is the zaaksysteem's: change it there, as a new version")


def _beheer_zaaktype(zaaktype: CatalogueZaakType) -> BeheerZaakType:
    return BeheerZaakType(
        identificatie=zaaktype.identificatie, omschrijving=zaaktype.omschrijving,
        doel=zaaktype.doel, team=zaaktype.team, doorlooptijd=zaaktype.doorlooptijd,
        servicenorm=zaaktype.servicenorm,
        statustypen=tuple(BeheerStatusType(
            volgnummer=s.volgnummer, omschrijving=s.omschrijving, informeren=s.informeren,
            is_eindstatus=s.is_eindstatus, zichtbaar_voor_inwoner=s.zichtbaar_voor_inwoner,
            statustekst=s.statustekst) for s in zaaktype.statustypen))
