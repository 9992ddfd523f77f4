"""Decisions that end, on a ZGW zaaksysteem: Besluiten with a vervaldatum (Besluiten API).

Closing a zaak with a result that grants something for a while (a resultaattype with a
geldigheid in content/zaaktypen.toml: a parking permit for a year) takes a Besluit of the
zaaktype's besluittype with that vervaldatum, so the decision is the zaaksysteem's like
one its own screens take.

The reminders (app.reminders) need the decisions that end soon, and the Besluiten API
cannot be searched by vervaldatum (only by zaak, besluittype or identificatie). So a
notificatie of a besluit (kanaal besluiten, or a zaakbesluit on kanaal zaken) makes the
portal read that besluit again and keep what a reminder needs when it ends on a zaak a
resident initiated with DigiD: a row of zgw_ending_decisions, which goes once its
reminder was sent or its day passed (it holds the resident's BSN for this only).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from app.remote import RemoteRefused
from app.zaken import services
from app.zaken.durations import add_duration
from app.zaken.store import EndingDecision
from app.zaken.zgw.models import ZgwEndingDecision
from app.zaken.zgw.staff import writing

if TYPE_CHECKING:
    from app.zaken.zgw.apis import ZgwApis
    from app.zaken.zgw.catalogue import (
        CatalogueCache,
        CatalogueResultaatType,
        CatalogueZaakType,
    )

log = logging.getLogger(__name__)

_decisions = ZgwEndingDecision.__table__


class ZgwBesluiten:
    """decisions_ending and decisions_told for ZgwZakenStore, and the Besluiten it takes
    (mixed in; it gives apis, catalogue, session, rsin and _initiator)."""

    apis: ZgwApis
    catalogue: CatalogueCache
    session: Session
    rsin: str

    def decisions_ending(self, *, since: date, until: date) -> list[EndingDecision]:
        rows = self.session.connection().execute(
            select(_decisions).where(_decisions.c.vervaldatum.between(since, until))
            .order_by(_decisions.c.vervaldatum, _decisions.c.zaak_identificatie))
        return [self._ending_decision(row) for row in rows]

    def decisions_told(self, identificaties: Collection[str], *, today: date) -> None:
        """The portal keeps a decision's end only to remind the resident once, in time."""
        self.session.execute(delete(_decisions).where(or_(
            _decisions.c.zaak_identificatie.in_(set(identificaties)),
            _decisions.c.vervaldatum < today)))

    def keep_decision(self, besluit_url: str) -> None:
        """Read the besluit again (a notificatie said it changed) and keep its end, or
        forget it: deleted, no longer ending, or not on a resident's zaak."""
        try:
            besluit = self.apis.besluiten.get(besluit_url)
        except RemoteRefused as refused:
            if refused.status != 404:
                raise
            besluit = None
        if besluit and besluit.get("zaak") and besluit.get("vervaldatum"):
            self._keep_end(besluit, self.apis.zaken.get(besluit["zaak"]))
        else:
            self._forget_decision(besluit_url)

    def _take_decision(self, zaak: dict, zaaktype: CatalogueZaakType,
                       resultaattype: CatalogueResultaatType, *, toelichting: str) -> None:
        """The Besluit of a result granted for a while (set_resultaat), with its end."""
        if not resultaattype.geldigheid:
            return
        if zaaktype.besluittype is None:
            log.warning("zaaktype %s has a result with a geldigheid but no besluittype: "
                        "its decisions' ends are not recorded", zaaktype.identificatie)
            return
        day = services.today()
        besluit = writing(lambda: self.apis.besluiten.post("besluiten", {
            "verantwoordelijkeOrganisatie": self.rsin, "besluittype": zaaktype.besluittype,
            "zaak": zaak["url"], "datum": day.isoformat(), "ingangsdatum": day.isoformat(),
            "vervaldatum": add_duration(day, resultaattype.geldigheid).isoformat(),
            "vervalreden": "tijdelijk", "toelichting": toelichting[:1000]}))
        # Kept now, not only when the besluit's notificatie comes (which keeps it again).
        self._keep_end(besluit, zaak)

    # ----------------------------------------------------------------------- the record

    def _keep_end(self, besluit: dict, zaak: dict) -> None:
        vervaldatum = date.fromisoformat(besluit["vervaldatum"])
        bsn = (self._initiator(zaak["url"]).get("betrokkeneIdentificatie") or {}).get("inpBsn")
        self._forget_decision(besluit["url"])
        if bsn and vervaldatum >= services.today():
            self.session.add(ZgwEndingDecision(
                besluit_uuid=_uuid(besluit["url"]), zaak_identificatie=zaak["identificatie"],
                zaaktype_url=zaak["zaaktype"], vervaldatum=vervaldatum, initiator_bsn=bsn))
            self.session.flush()

    def _forget_decision(self, besluit_url: str) -> None:
        self.session.execute(delete(_decisions).where(
            _decisions.c.besluit_uuid == _uuid(besluit_url)))

    def _ending_decision(self, row) -> EndingDecision:
        zaaktype = self.catalogue.zaaktype(row.zaaktype_url)
        return EndingDecision(zaak_identificatie=row.zaak_identificatie,
                              zaaktype=zaaktype.omschrijving, product=zaaktype.product,
                              vervaldatum=row.vervaldatum, initiator_bsn=row.initiator_bsn)


def _uuid(url: str) -> str:
    from app.zaken.zgw import _uuid as uuid_in

    return uuid_in(url)
