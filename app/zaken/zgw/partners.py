"""The chain partners' zaken API on a ZGW zaaksysteem (PartnerZaken in app.zaken.store).

A partner's scope names zaaktype identificaties; the Zaken API filters on zaaktype URLs,
so the scope becomes every published version of those zaaktypen in the portal's catalogue
(a zaak keeps the version it was opened with). A zaak of a zaaktype with the same
identificatie in another catalogus of the municipality is outside it, in the list and in
one zaak's read alike, as in the back office's queue. A page of zaken is one search (POST
zaken/_zoek, `zaaktype__in`) and then, per zaak in parallel, its rollen (the initiator's
BSN for the disclosure log, the names of who set a status), its current status and its
result; one zaak is one read and then its statussen, rollen and result in parallel.

Holding a zaak for a change (partner_zaak_for_change) takes no lock: a ZGW API has none a
client can hold over calls, and none is needed for what the embedded store's row lock
guards (two changes both passing the checks on one state). The checks the API makes on the
held zaak are against its zaaktype (does the step or the result exist), which no change to
the zaak alters. The check on the zaak's state is made twice per write: by the store just
before it writes (a closed zaak: ZaakTransitionError, which the API answers with 409), and
by the zaaksysteem with the write itself: Open Zaak refuses any change to a closed zaak
(403, unless the client has the scope zaken.geforceerd-bijwerken, which the portal's must
not have) and a second resultaat (one per zaak: 400, so 409 again). Two partners closing a
zaak at once: one succeeds. A status sent in the instant a zaak is closed by someone else is
refused by the zaaksysteem too, though that 403 reaches the partner as an error of the
zaaksysteem rather than as 409. Idempotency keys stay in the portal's own transaction
(app.api.routes), so a retried request is still applied once.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from app.remote import RemoteError, RemoteRefused
from app.zaken.store import (
    PartnerZaak,
    PartnerZaakSummary,
    PartnerZakenPage,
    ResultaatRecord,
    StatusRecord,
    ZaakForChange,
)
from app.zaken.zgw.staff import (
    MEDEWERKER,
    PERSONS,
    _Query,
    employee_name,
    resultaattype_record,
    rol_record,
    staff_zaaktype,
    status_record,
)

if TYPE_CHECKING:
    from app.zaken.zgw.apis import ZgwApis
    from app.zaken.zgw.catalogue import CatalogueCache, CatalogueZaakType

NEWEST_FIRST = "-registratiedatum,-identificatie"  # the embedded store's order (by id)


class ZgwPartnerZaken:
    """PartnerZaken for ZgwZakenStore (mixed in; it gives apis, catalogue and _zaak, and
    ZgwStaffZaken gives _queue_page and _rollen_of)."""

    apis: ZgwApis
    catalogue: CatalogueCache

    def partner_zaken(self, zaaktypen: Collection[str], *, closed: bool | None = None,
                      limit: int, offset: int = 0) -> PartnerZakenPage:
        """A remote failure for one zaak of the page fails the page: a partner's system
        acts on what it reads, so a zaak without its status or result would mislead it.
        A zaak deleted between the search and its reads is left out, as it is gone."""
        urls = self._zaaktype_urls(zaaktypen)
        if not urls:
            return PartnerZakenPage(zaken=(), total=0)
        body: dict = {"zaaktype__in": urls, "ordering": NEWEST_FIRST}
        if closed is not None:
            body["einddatum__isnull"] = not closed
        total, zaken = self._queue_page(_Query(body, newest_closed_first=False),
                                        limit=limit, offset=offset)
        parts = self.apis.each(self._list_parts, zaken)
        for part in parts:
            if isinstance(part, RemoteError) and not _gone(part):
                raise part
        listed = [(zaak, part) for zaak, part in zip(zaken, parts, strict=True)
                  if not isinstance(part, RemoteError)]
        return PartnerZakenPage(
            zaken=tuple(self._partner_summary(zaak, rollen, [status] if status else [],
                                              resultaat)
                        for zaak, (rollen, status, resultaat) in listed),
            total=total - (len(zaken) - len(listed)))

    def partner_zaak(self, zaaktypen: Collection[str],
                     identificatie: str) -> PartnerZaak | None:
        zaak = self._zaak_in_scope(zaaktypen, identificatie)
        if zaak is None:
            return None
        statussen, rollen, resultaat = self.apis.each(lambda call: call(), [
            lambda: self.apis.zaken.get("statussen", params={"zaak": zaak["url"]})["results"],
            lambda: self._rollen_of(zaak["url"]),
            lambda: self._resultaat_of(zaak)])
        for part in (statussen, rollen, resultaat):
            if isinstance(part, RemoteError):
                if _gone(part):
                    return None
                raise part
        ordered = sorted(statussen, key=lambda s: s["datumStatusGezet"])
        summary = self._partner_summary(zaak, rollen, ordered, resultaat)
        zaaktype = self.catalogue.zaaktype(zaak["zaaktype"])
        return PartnerZaak(
            summary=summary, statussen=self._status_records(zaaktype, ordered, rollen),
            rollen=tuple(rol_record(rol) for rol in _registered_order(rollen)
                         if rol["betrokkeneType"] in PERSONS))

    def partner_zaak_for_change(self, zaaktypen: Collection[str],
                                identificatie: str) -> ZaakForChange | None:
        """Holds nothing: see the module's docstring for why none is needed."""
        zaak = self._zaak_in_scope(zaaktypen, identificatie)
        if zaak is None:
            return None
        return ZaakForChange(identificatie=zaak["identificatie"],
                             zaaktype=staff_zaaktype(self.catalogue.zaaktype(zaak["zaaktype"])),
                             initiator_bsn=_initiator_bsn(self._rollen_of(zaak["url"])))

    def known_zaaktypen(self, identificaties: Collection[str]) -> set[str]:
        """Those the portal's catalogue has a published version of."""
        known = {z.identificatie for z in self.catalogue.get().by_url.values()}
        return known & set(identificaties)

    # ----------------------------------------------------------------------- reading

    def _zaaktype_urls(self, zaaktypen: Collection[str]) -> list[str]:
        wanted = set(zaaktypen)
        return sorted(z.url for z in self.catalogue.get().by_url.values()
                      if z.identificatie in wanted)

    def _zaak_in_scope(self, zaaktypen: Collection[str], identificatie: str) -> dict | None:
        """The zaak when its zaaktype is a version of one of these in the portal's catalogue
        (as the list finds them); None like a missing one otherwise."""
        urls = set(self._zaaktype_urls(zaaktypen))
        if not urls:
            return None
        zaak = self._zaak(identificatie)
        return zaak if zaak is not None and zaak["zaaktype"] in urls else None

    def _resultaat_of(self, zaak: dict) -> dict | None:
        return self.apis.zaken.get(zaak["resultaat"]) if zaak.get("resultaat") else None

    def _list_parts(self, zaak: dict) -> tuple[list[dict], dict | None, dict | None]:
        """What a row of the list needs besides the zaak: rollen, current status, result."""
        rollen = self._rollen_of(zaak["url"])
        status = self.apis.statussen.get(zaak["status"]) if zaak.get("status") else None
        return rollen, status, self._resultaat_of(zaak)

    @staticmethod
    def _status_records(zaaktype: CatalogueZaakType, statussen: list[dict],
                        rollen: list[dict]) -> tuple[StatusRecord, ...]:
        """The statussen (oldest first) with who set them: the employee or partner whose
        medewerker rol the status's gezetdoor names ("" for the first, set on
        registration)."""
        names = {rol["url"]: employee_name(rol) for rol in rollen
                 if rol["betrokkeneType"] == MEDEWERKER}
        records = []
        for status in statussen:
            statustype = zaaktype.statustype_at(status["statustype"])
            if statustype is not None:
                records.append(status_record(statustype, status,
                                             names.get(status.get("gezetdoor") or "", "")))
        return tuple(records)

    def _partner_summary(self, zaak: dict, rollen: list[dict], statussen: list[dict],
                         resultaat: dict | None) -> PartnerZaakSummary:
        """statussen: the zaak's statussen oldest first, or only its current one."""
        from app.zaken.zgw import _date

        zaaktype = self.catalogue.zaaktype(zaak["zaaktype"])
        records = self._status_records(zaaktype, statussen, rollen)
        current = records[-1] if records else None
        return PartnerZaakSummary(
            identificatie=zaak["identificatie"], zaaktype=zaaktype.identificatie,
            omschrijving=zaak.get("omschrijving") or "", toelichting=zaak.get("toelichting") or "",
            registratiedatum=_date(zaak["registratiedatum"]),
            startdatum=_date(zaak["startdatum"]), einddatum=_date(zaak.get("einddatum")),
            einddatum_gepland=_date(zaak.get("einddatumGepland")),
            uiterlijke_einddatum_afdoening=_date(zaak["uiterlijkeEinddatumAfdoening"]),
            vertrouwelijkheidaanduiding=zaak["vertrouwelijkheidaanduiding"], status=current,
            resultaat=_resultaat_record(zaaktype, zaak, resultaat, current),
            initiator_bsn=_initiator_bsn(rollen))


def _resultaat_record(zaaktype: CatalogueZaakType, zaak: dict, resultaat: dict | None,
                      current: StatusRecord | None) -> ResultaatRecord | None:
    """The result, dated and signed by the eindstatus that closed the zaak with it (a
    zaak closed otherwise: its einddatum, nobody named)."""
    from app.zaken.zgw import _naive_utc

    if resultaat is None:
        return None
    resultaattype = zaaktype.resultaattype_at(resultaat["resultaattype"])
    if resultaattype is None:
        return None
    eind = current if current is not None and current.statustype.is_eindstatus else None
    return ResultaatRecord(resultaattype=resultaattype_record(resultaattype),
                           toelichting=resultaat.get("toelichting") or "",
                           datum=eind.datum_status_gezet if eind else _naive_utc(
                               f"{zaak.get('einddatum') or zaak['registratiedatum']}T00:00:00"),
                           gezet_door=eind.gezet_door if eind else "")


def _gone(error: RemoteError) -> bool:
    """The zaak, or a part of it, was deleted after it was found."""
    return isinstance(error, RemoteRefused) and error.status == 404


def _registered_order(rollen: list[dict]) -> list[dict]:
    """Oldest first, like the embedded store. Open Zaak lists a zaak's rollen newest first
    and registers those of zaak_registreren in one moment: among those, the later listed
    is the older."""
    ordered = sorted(enumerate(rollen),
                     key=lambda item: (item[1].get("registratiedatum") or "", -item[0]))
    return [rol for _, rol in ordered]


def _initiator_bsn(rollen: list[dict]) -> str | None:
    initiator = next((rol for rol in rollen if rol["omschrijvingGeneriek"] == "initiator"), None)
    return rol_record(initiator).inp_bsn if initiator else None
