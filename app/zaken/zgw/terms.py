"""Legal terms on a ZGW zaaksysteem (app.zaken.terms): the Zaak's own opschorting
{indicatie, reden} and verlenging {reden, duur}, with uiterlijkeEinddatumAfdoening moved by
the portal (the Zaken API keeps the dates it is given), and relevanteAndereZaken.

The day a suspension began is not a Zaak field: it is the day of the oldest document request
still open (the portal's own rows, app.zaken.zgw.requests), which is what suspended it.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.zaken import terms
from app.zaken.services import MUNICIPALITY_TIMEZONE, suspension_reason, today
from app.zaken.store import RelevanteZaak, TermChanges, UnknownZaak
from app.zaken.zgw.models import ZgwDocumentRequest

if TYPE_CHECKING:
    from app.zaken.zgw.apis import ZgwApis
    from app.zaken.zgw.cache import ResidentPageCache
    from app.zaken.zgw.catalogue import CatalogueCache

_requests = ZgwDocumentRequest.__table__


def _date(value: str) -> date:
    return date.fromisoformat(value[:10])


def is_suspended(zaak: dict) -> bool:
    return bool((zaak.get("opschorting") or {}).get("indicatie"))


def term_changes(zaak: dict) -> TermChanges:
    opschorting, verlenging = zaak.get("opschorting") or {}, zaak.get("verlenging") or {}
    return TermChanges(
        opschorting_reden=opschorting.get("reden", "") if opschorting.get("indicatie") else "",
        verlenging_duur=verlenging.get("duur") or "", verlenging_reden=verlenging.get("reden") or "")


def relevante_andere_zaken(relaties: list[RelevanteZaak], by_number) -> list[dict]:
    """relevanteAndereZaken for a new zaak: each zaak by its URL (by_number finds it)."""
    found = []
    for relatie in relaties:
        zaak = by_number(relatie.identificatie)
        if zaak is None:
            raise UnknownZaak(relatie.identificatie)
        found.append({"url": zaak["url"], "aardRelatie": relatie.aard_relatie})
    return found


class ZgwTerms:
    """Suspension, extension and relations for ZgwZakenStore (mixed in; it gives apis,
    catalogue, cache, session and the zaak lookups)."""

    apis: ZgwApis
    catalogue: CatalogueCache
    cache: ResidentPageCache
    session: Session

    def extend_term(self, identificatie: str, *, duur: str, reden: str, door: str) -> date:
        zaak, zaaktype = self._open_zaak_and_type(identificatie)
        changes = term_changes(zaak)
        end = _date(zaak["uiterlijkeEinddatumAfdoening"])
        terms.check_extension(
            duur, maximum=zaaktype.verlengingstermijn,
            already=terms.Extension(changes.verlenging_duur, changes.verlenging_reden)
            if changes.extended else None, on=end)
        new_end = terms.extended_end(end, duur)
        self._patch_terms(zaak, {"verlenging": {"duur": duur, "reden": reden[:200]},
                                 "uiterlijkeEinddatumAfdoening": new_end.isoformat()})
        return new_end

    def _suspend(self, zaak: dict, omschrijving: str) -> None:
        """A document was asked for: the term stands still, unless it does already."""
        if not is_suspended(zaak):
            self._patch_terms(zaak, {"opschorting": {
                "indicatie": True, "reden": suspension_reason(omschrijving)}})

    def _resume_when_complete(self, identificatie: str) -> None:
        """The last open request was answered: the term runs again, its end moved by the days
        it stood still (since the oldest request of this suspension)."""
        zaak = self._zaak(identificatie)
        if zaak is None or not is_suspended(zaak) or self._open_request_count(identificatie):
            return
        since = self._suspended_since(identificatie)
        end = terms.resumed_end(_date(zaak["uiterlijkeEinddatumAfdoening"]),
                                terms.Suspension(since=since, until=today()))
        self._patch_terms(zaak, {"opschorting": {"indicatie": False, "reden": ""},
                                 "uiterlijkeEinddatumAfdoening": end.isoformat()})

    def _end_as_told(self, zaak: dict, *, closing: bool) -> date:
        """The legal end a status change tells: at the eindstatus with the days of a
        suspension still running counted up to the closing day (app.contacts measures the
        decision by it)."""
        suspended = closing and is_suspended(zaak)
        return terms.end_at_close(
            _date(zaak["uiterlijkeEinddatumAfdoening"]), closed=today(),
            suspended_since=self._suspended_since(zaak["identificatie"]) if suspended else None)

    def _suspended_since(self, identificatie: str) -> date:
        """The day this suspension began: the newest request made when every earlier one
        had been answered (requests that overlap make one suspension)."""
        rows = self.session.connection().execute(
            select(_requests.c.created_at, _requests.c.fulfilled_at)
            .where(_requests.c.zaak_identificatie == identificatie)
            .order_by(_requests.c.created_at, _requests.c.id)).all()
        since, answered_until = None, None  # None: some request so far is still open
        for index, row in enumerate(rows):
            if index == 0 or (answered_until is not None and answered_until <= row.created_at):
                since = row.created_at
            if index == 0 or answered_until is not None:
                answered_until = (max(answered_until or row.fulfilled_at, row.fulfilled_at)
                                  if row.fulfilled_at else None)
        if since is None:
            return today()
        return since.replace(tzinfo=UTC).astimezone(MUNICIPALITY_TIMEZONE).date()

    def _open_request_count(self, identificatie: str) -> int:
        return self.session.connection().execute(
            select(func.count()).select_from(_requests)
            .where(_requests.c.zaak_identificatie == identificatie,
                   _requests.c.fulfilled_at.is_(None))).scalar_one()

    def _patch_terms(self, zaak: dict, changes: dict) -> None:
        # Imported here: app.zaken.zgw.staff imports this module.
        from app.zaken.zgw.staff import writing

        writing(lambda: self.apis.zaken.request("PATCH", zaak["url"], json=changes))
        self.cache.forget_zaak(zaak["url"])
        self.forget_resident_of(zaak["url"])

    def _relevante_andere_zaken(self, zaak: dict) -> tuple[RelevanteZaak, ...]:
        """The zaken this one concerns, by their zaaknummer (one read each; a zaak the
        portal may not read is left out)."""
        relaties = zaak.get("relevanteAndereZaken") or []
        if not relaties:
            return ()
        found = self.apis.each(lambda relatie: self.apis.zaken.get(relatie["url"]), relaties)
        return tuple(RelevanteZaak(identificatie=other["identificatie"],
                                   aard_relatie=relatie["aardRelatie"])
                     for relatie, other in zip(relaties, found, strict=True)
                     if isinstance(other, dict))
