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
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from app.remote import RemoteApi, RemoteError, RemoteRefused
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
        besluit = read_if_there(self.apis.besluiten, besluit_url)
        zaak = (read_if_there(self.apis.zaken, besluit["zaak"])
                if besluit and besluit.get("zaak") and besluit.get("vervaldatum") else None)
        if zaak is not None:
            self._keep_end(besluit, zaak)
        else:
            self._forget_decision(besluit_url)

    @contextmanager
    def _deciding(self, zaak: dict, zaaktype: CatalogueZaakType,
                  resultaattype: CatalogueResultaatType, *, toelichting: str) -> Iterator[None]:
        """Around closing the zaak (set_resultaat): the Besluit of a result granted for a
        while, taken first, as a zaaksysteem may refuse one on a closed zaak; withdrawn
        when the closing fails."""
        besluit = self._take_decision(zaak, zaaktype, resultaattype, toelichting=toelichting)
        try:
            yield
        except BaseException:
            if besluit is not None:
                self._withdraw(besluit["url"])
            raise

    def _take_decision(self, zaak: dict, zaaktype: CatalogueZaakType,
                       resultaattype: CatalogueResultaatType, *,
                       toelichting: str) -> dict | None:
        if not resultaattype.geldigheid:
            return None
        if zaaktype.besluittype is None:
            log.warning("zaaktype %s has a result with a geldigheid but no besluittype: "
                        "its decisions' ends are not recorded", zaaktype.identificatie)
            return None
        day = services.decision_day()
        besluit = writing(lambda: self.apis.besluiten.post("besluiten", {
            "verantwoordelijkeOrganisatie": self.rsin, "besluittype": zaaktype.besluittype,
            "zaak": zaak["url"], "datum": day.isoformat(), "ingangsdatum": day.isoformat(),
            "vervaldatum": add_duration(day, resultaattype.geldigheid).isoformat(),
            "vervalreden": "tijdelijk", "toelichting": toelichting[:1000]}))
        # Kept now, not only when the besluit's notificatie comes (which keeps it again).
        self._keep_end(besluit, zaak)
        return besluit

    def _withdraw(self, besluit_url: str) -> None:
        self._forget_decision(besluit_url)
        try:
            self.apis.besluiten.request("DELETE", besluit_url)
        except RemoteError:
            log.warning("besluit %s stays on a zaak that did not close", _uuid(besluit_url))

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


def read_if_there(api: RemoteApi, url: str) -> dict | None:
    """The resource, or None when it is gone (404): a notificatie may come after it went."""
    try:
        return api.get(url)
    except RemoteRefused as refused:
        if refused.status == 404:
            return None
        raise


def _uuid(url: str) -> str:
    from app.zaken.zgw import _uuid as uuid_in

    return uuid_in(url)

