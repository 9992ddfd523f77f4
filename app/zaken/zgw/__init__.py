"""The zaken store on the municipality's zaaksysteem (ZAKEN_STORE=zgw): Zaken, Catalogi and
Documenten API, as Open Zaak and other ZGW systems offer them.

Reads are one list call and then, per zaak, its calls in parallel (app.zaken.zgw.apis);
the catalogue comes from a cache (app.zaken.zgw.catalogue). A zaak the zaaksysteem cannot
give right now stays in the resident's list, marked as such, instead of failing the page.

Writes use the Zaken API's atomic operations where it has them: `zaak_registreren` opens
a zaak with its rollen, first status and documents in one call (no half-made zaak when
the connection drops), `zaak_afsluiten` records the result with the eindstatus.

The back office's reads and routing are in app.zaken.zgw.staff, document requests (the
portal's own data keyed by zaaknummer: the ZGW APIs have no such thing) in
app.zaken.zgw.requests, the KCC's lists and callback attempts in app.zaken.zgw.kcc, the
chain partners' API in app.zaken.zgw.partners, beheer of zaaktypen (read-only: the
catalogue is the zaaksysteem's) in app.zaken.zgw.beheer, a zaak's contact person in
app.zaken.zgw.contact, the Besluiten of results granted for a while and the decisions
that end in app.zaken.zgw.besluiten; all mixed in.
"""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from app.auth.loa import SAML_CLASS, Loa
from app.remote import RemoteError, RemoteRefused
from app.texts import Text
from app.uploads import safe_filename
from app.zaken.catalogi import load_zaaktypen_file, zaaktypen_path
from app.zaken.durations import add_duration
from app.zaken.signals import status_set
from app.zaken.store import (
    Betaling,
    DocumentFile,
    DocumentSummary,
    Gemachtigde,
    Initiator,
    Milestone,
    NewDocument,
    OpenedZaak,
    ReachedMilestone,
    RelevanteZaak,
    ResidentZaak,
    ResultaatRecord,
    ResultaatSummary,
    StaffDocument,
    StatusChange,
    StatusRecord,
    UnknownZaak,
    UnknownZaakType,
    ZaakSummary,
    ZaakTransitionError,
    ZakenPage,
    visible_levels,
)
from app.zaken.zgw.apis import ZgwApis
from app.zaken.zgw.beheer import ZgwCatalogiBeheer
from app.zaken.zgw.besluiten import ZgwBesluiten
from app.zaken.zgw.cache import ResidentPageCache
from app.zaken.zgw.catalogue import (
    CatalogueCache,
    CatalogueStatusType,
    CatalogueZaakType,
)
from app.zaken.zgw.contact import ZgwContactPersons
from app.zaken.zgw.kcc import ZgwKccZaken, contact_kenmerken
from app.zaken.zgw.partners import ZgwPartnerZaken
from app.zaken.zgw.requests import ZgwDocumentRequests
from app.zaken.zgw.staff import (
    ANSWERS_FILE,
    REGISTERED_BY,
    ZgwStaffZaken,
    is_answers,
    resultaattype_record,
    staff_document,
    status_record,
    team_rol,
    writing,
)
from app.zaken.zgw.terms import ZgwTerms, is_suspended, term_changes
from app.zaken.zgw.terms import relevante_andere_zaken as relevante_andere_zaken_of

REQUIRED_SETTINGS = ("ZGW_ZAKEN_API_URL", "ZGW_CATALOGI_API_URL", "ZGW_DOCUMENTEN_API_URL",
                     "ZGW_BESLUITEN_API_URL",
                     "ZGW_CLIENT_ID", "ZGW_SECRET", "ZGW_RSIN", "ZGW_CATALOGUS_URL")
INITIATOR = {"rol__omschrijvingGeneriek": "initiator"}


class ZgwConfigurationError(RuntimeError):
    """ZAKEN_STORE=zgw without the settings it needs."""


def setup_zgw_store(app: Flask):
    missing = [name for name in REQUIRED_SETTINGS if not app.config.get(name)]
    if missing:
        raise ZgwConfigurationError(f"ZAKEN_STORE=zgw needs {', '.join(missing)}")
    apis = ZgwApis.from_config(app.config)
    with app.app_context():
        overlay = load_zaaktypen_file(zaaktypen_path())
    catalogue = CatalogueCache(apis.catalogi, app.config["ZGW_CATALOGUS_URL"], overlay,
                               ttl=app.config["ZGW_CATALOGUE_TTL"])
    rsin, max_level = app.config["ZGW_RSIN"], app.config["PIP_MAX_VERTROUWELIJKHEID"]
    secret, seconds = app.config["SECRET_KEY"], app.config["ZGW_RESIDENT_CACHE_SECONDS"]
    machtigen_dienst = app.config["DIGID_MACHTIGEN_DIENST_ID"]

    def store(session: Session) -> ZgwZakenStore:
        return ZgwZakenStore(apis, catalogue, rsin=rsin, max_level=max_level, session=session,
                             cache=ResidentPageCache(session, secret=secret, seconds=seconds),
                             machtigen_dienst=machtigen_dienst)

    store.catalogue = catalogue  # for the notification handlers
    return store


class ZgwZakenStore(ZgwBesluiten, ZgwTerms, ZgwContactPersons, ZgwKccZaken,
                    ZgwDocumentRequests, ZgwPartnerZaken, ZgwCatalogiBeheer, ZgwStaffZaken):
    # A submitted form is recorded in the portal and registered here by the worker
    # (app.eforms.registrations): open_zaak is never called in a request.
    registers_later = True

    def __init__(self, apis: ZgwApis, catalogue: CatalogueCache, *, rsin: str,
                 max_level: str, session: Session, cache: ResidentPageCache,
                 machtigen_dienst: str = "") -> None:
        self.apis = apis
        self.catalogue = catalogue
        self.rsin = rsin
        self.max_level = max_level  # the most confidential zaken a resident sees
        self.session = session  # the signal's listeners write in it (messages, mail)
        self.cache = cache
        # The portal's service in DigiD Machtigen: the mandate a gemachtigde acted under.
        self.machtigen_dienst = machtigen_dienst

    # ----------------------------------------------------------------------- the resident

    def resident_zaken(self, bsn: str, *, closed: bool, limit: int,
                       offset: int = 0) -> ZakenPage:
        key = self.cache.page_key(bsn, closed=closed, limit=limit, offset=offset)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        found = self._resident_list(bsn, closed=closed, limit=limit, offset=offset)
        rows = self.apis.each(self._type_and_statussen, found["results"])
        contacts = self._contact_persons(found["results"])
        page = ZakenPage(zaken=tuple(
            replace(self._summary(zaak, *(row if isinstance(row, tuple) else (None, row))),
                    contact_person=None if isinstance(contact, RemoteError) else contact)
            for zaak, row, contact in zip(found["results"], rows, contacts, strict=True)),
                         total=found["count"] if found["results"] else 0)
        # A page without a status or a contact person it could not read is shown, not kept.
        if not any(zaak.status_unavailable for zaak in page.zaken) and not any(
                isinstance(contact, RemoteError) for contact in contacts):
            self.cache.put(key, bsn, page, [zaak["url"] for zaak in found["results"]])
        return page

    def count_resident_zaken(self, bsn: str, *, closed: bool) -> int:
        return self._resident_list(bsn, closed=closed, limit=1, offset=0)["count"]

    def resident_zaak(self, bsn: str, identificatie: str, *,
                      max_level: str) -> ResidentZaak | None:
        """Kept like the list (cache.py): a warm page asks the zaaksysteem nothing; its open
        document requests, the portal's own rows, are read each time."""
        key = self.cache.zaak_key(bsn, identificatie, max_level=max_level)
        cached = self.cache.get_zaak(key)
        if cached is not None:
            page, zaak = cached
        else:
            zaak = self._resident_zaak(bsn, identificatie)
            if zaak is None:
                return None
            page, complete = self._zaak_page(zaak, max_level)
            if complete:
                self.cache.put_zaak(key, bsn, page, zaak)
        return replace(page, open_requests=self._open_requests_of(zaak))

    def _zaak_page(self, zaak: dict, max_level: str) -> tuple[ResidentZaak, bool]:
        """The zaak's page without its open requests, and whether every document could be
        read (a page without one is shown, not kept)."""
        zaaktype = self.catalogue.zaaktype(zaak["zaaktype"])
        records = self._contact_records([zaak])
        statussen, resultaat, documents, contact_rollen = self.apis.each(lambda call: call(), [
            lambda: self._statussen(zaak["url"]),
            lambda: self.apis.zaken.get(zaak["resultaat"]) if zaak.get("resultaat") else None,
            lambda: self._read_documents(zaak["url"], max_level),
            lambda: self._contact_rollen(zaak["url"])])
        for part in (statussen, resultaat, documents, contact_rollen):
            if isinstance(part, RemoteError):
                raise part
        documents, complete = documents
        reached = self._milestones(zaaktype, statussen)
        latest = max((zaaktype.statustype_at(s["statustype"]).volgnummer
                      for s in statussen if zaaktype.statustype_at(s["statustype"])),
                     default=0)
        upcoming = next((s for s in zaaktype.statustypen if s.volgnummer > latest
                         and s.zichtbaar_voor_inwoner), None)
        resultaattype = zaaktype.resultaattype_at(resultaat["resultaattype"]) if resultaat \
            else None
        summary = replace(self._summary(zaak, zaaktype, statussen),
                          contact_person=self._contact_of(zaak, contact_rollen, records))
        return ResidentZaak(
            summary=summary, zaaktype_identificatie=zaaktype.identificatie,
            aanvraaggegevens={},
            next_step=upcoming.omschrijving if upcoming and not zaak.get("einddatum") else None,
            resultaat=(ResultaatSummary(omschrijving=resultaattype.omschrijving,
                                        toelichting=resultaattype.toelichting)
                       if resultaattype else None),
            milestones=reached, documents=tuple(documents), open_requests=(),
            terms=term_changes(zaak),
            relevante_andere_zaken=self._relevante_andere_zaken(zaak),
            betaling=_betaling(zaak)), complete

    def resident_document(self, bsn: str, identificatie: str, document_id: str, *,
                          max_level: str) -> DocumentFile | None:
        zaak = self._resident_zaak(bsn, identificatie)
        if zaak is None:
            return None
        shown = {d.id: d for d in self._documents(zaak["url"], max_level)}
        if str(document_id) not in shown:
            return None
        document = self.apis.documenten.get(
            f"enkelvoudiginformatieobjecten/{document_id}")
        content = self.apis.documenten.request("GET", document["inhoud"]).content
        return DocumentFile(bestandsnaam=document["bestandsnaam"], formaat=document["formaat"],
                            content=content)

    # ----------------------------------------------------------------------- writes

    def new_identificatie(self) -> str:
        return self.apis.zaken.post("zaaknummer_reserveren",
                                    {"bronorganisatie": self.rsin})["zaaknummer"]

    def open_zaak(self, *, zaaktype: str, initiator: Initiator, omschrijving: str,
                  registered_by: str, toelichting: str = "",
                  aanvraaggegevens: dict | None = None, kenmerken: dict | None = None,
                  startdatum: date | None = None, identificatie: str | None = None,
                  gemachtigde: Gemachtigde | None = None,
                  documents: tuple[NewDocument, ...] = (),
                  document_urls: tuple[str, ...] = (),
                  betaling: Betaling | None = None,
                  relevante_andere_zaken: tuple[RelevanteZaak, ...] = ()) -> OpenedZaak:
        """``document_urls``: documents made before (new_document), linked to the zaak too."""
        zaaktype_ = self.catalogue.current(zaaktype)
        if zaaktype_ is None:
            raise UnknownZaakType(zaaktype)
        start = startdatum or date.today()
        gepland = add_duration(start, zaaktype_.servicenorm) if zaaktype_.servicenorm else None
        uiterlijk = add_duration(start, zaaktype_.doorlooptijd)
        if aanvraaggegevens:
            documents = (*documents, self.answers_document(aanvraaggegevens))
        informatieobjecten = [*document_urls,
                              *(self._new_document(d, zaaktype_, auteur=registered_by)
                                for d in documents)]
        zaak = {"bronorganisatie": self.rsin, "verantwoordelijkeOrganisatie": self.rsin,
                "zaaktype": zaaktype_.url, "omschrijving": omschrijving[:80],
                "toelichting": toelichting[:1000], "startdatum": start.isoformat(),
                "registratiedatum": date.today().isoformat(),
                "uiterlijkeEinddatumAfdoening": uiterlijk.isoformat(),
                "vertrouwelijkheidaanduiding": zaaktype_.vertrouwelijkheidaanduiding,
                "kenmerken": [{"kenmerk": str(value)[:40], "bron": key[:40]} for key, value
                              in {**contact_kenmerken(aanvraaggegevens),
                                  **(kenmerken or {}),
                                  **(betaling.as_kenmerken() if betaling else {}),
                                  REGISTERED_BY: registered_by}.items()]}
        if betaling:
            zaak["betalingsindicatie"] = betaling.indicatie
            zaak["laatsteBetaaldatum"] = betaling.betaaldatum.isoformat() + "Z"
        if gepland:
            zaak["einddatumGepland"] = gepland.isoformat()
        if identificatie:
            zaak["identificatie"] = identificatie
        if relevante_andere_zaken:
            zaak["relevanteAndereZaken"] = relevante_andere_zaken_of(
                list(relevante_andere_zaken), self._zaak)
        registered = self.apis.zaken.post("zaak_registreren", {
            "zaak": zaak, "rollen": self._rollen(zaaktype_, initiator, gemachtigde),
            "status": {"statustype": zaaktype_.statustypen[0].url,
                       "datumStatusGezet": _now(), "gezetdoor": None},
            "zaakinformatieobjecten": [{"informatieobject": url}
                                       for url in informatieobjecten]})
        opened = registered["zaak"]
        if initiator.bsn:
            self.cache.forget_resident(initiator.bsn)
        return OpenedZaak(identificatie=opened["identificatie"], einddatum_gepland=gepland,
                          uiterlijke_einddatum_afdoening=uiterlijk, product=zaaktype_.product)

    def opened_zaak(self, identificatie: str) -> OpenedZaak | None:
        zaak = self._zaak(identificatie)
        if zaak is None:
            return None
        return OpenedZaak(identificatie=identificatie,
                          einddatum_gepland=_date(zaak.get("einddatumGepland")),
                          uiterlijke_einddatum_afdoening=_date(
                              zaak["uiterlijkeEinddatumAfdoening"]),
                          product=self.catalogue.zaaktype(zaak["zaaktype"]).product)

    def set_status(self, identificatie: str, *, volgnummer: int, toelichting: str = "",
                   gezet_door: str) -> StatusRecord:
        zaak, zaaktype = self._open_zaak_and_type(identificatie)
        statustype = zaaktype.statustype(volgnummer)
        if statustype is None or statustype.is_eindstatus:
            raise ZaakTransitionError(f"no step {volgnummer} before the eindstatus")
        status = writing(lambda: self.apis.zaken.post("statussen", {
            "zaak": zaak["url"], "statustype": statustype.url, "datumStatusGezet": _now(),
            "statustoelichting": toelichting[:1000],
            "gezetdoor": self._gezet_door(zaak, zaaktype, gezet_door)}))
        self._announce(zaak, zaaktype, statustype, status["url"], toelichting, None)
        return status_record(statustype, status, gezet_door)

    def set_resultaat(self, identificatie: str, *, resultaattype: str, toelichting: str = "",
                      gezet_door: str, statustoelichting: str | None = None) -> ResultaatRecord:
        zaak, zaaktype = self._open_zaak_and_type(identificatie)
        chosen = zaaktype.resultaattype(resultaattype)
        if chosen is None:
            raise ZaakTransitionError(f"no resultaattype {resultaattype!r}")
        told = toelichting if statustoelichting is None else statustoelichting
        gezetdoor = self._gezet_door(zaak, zaaktype, gezet_door)
        with self._deciding(zaak, zaaktype, chosen, toelichting=toelichting):
            closed = writing(lambda: self.apis.zaken.post(
                f"zaak_afsluiten/{_uuid(zaak['url'])}", {
                    "zaak": {"einddatum": date.today().isoformat()},
                    "resultaat": {"resultaattype": chosen.url,
                                  "toelichting": toelichting[:1000]},
                    "status": {"statustype": zaaktype.eindstatustype.url,
                               "datumStatusGezet": _now(), "statustoelichting": told[:1000],
                               "gezetdoor": gezetdoor}}))
        self._announce(zaak, zaaktype, zaaktype.eindstatustype, closed["status"]["url"], told,
                       chosen.toelichting)
        return ResultaatRecord(
            resultaattype=resultaattype_record(chosen),
            toelichting=closed["resultaat"].get("toelichting") or "",
            datum=_naive_utc(closed["status"]["datumStatusGezet"]), gezet_door=gezet_door)

    def add_document(self, identificatie: str, document: NewDocument, *,
                     added_by: str) -> StaffDocument:
        zaak, zaaktype = self._open_zaak_and_type(identificatie)
        created = self._new_document(document, zaaktype, auteur=added_by, whole=True,
                                     level=zaak.get("vertrouwelijkheidaanduiding"))
        link = writing(lambda: self.apis.zaken.post("zaakinformatieobjecten",
                                                    {"zaak": zaak["url"],
                                                     "informatieobject": created["url"]}))
        self.cache.forget_zaak(zaak["url"])
        # Told now, not only when the zaaksysteem's notificatie comes (its own dedupes).
        notifications.tell_document_added(self, zaak, created, link["url"])
        return staff_document(created)

    # ----------------------------------------------------------------------- reading

    def _resident_list(self, bsn: str, *, closed: bool, limit: int, offset: int) -> dict:
        # The Zaken API pages by pageSize; the portal's pages are whole pages of it.
        page = offset // limit + 1 if limit else 1
        try:
            return self.apis.zaken.get("zaken", params={
                "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": bsn, **INITIATOR,
                "einddatum__isnull": "false" if closed else "true",
                "maximaleVertrouwelijkheidaanduiding": self.max_level,
                "ordering": "-registratiedatum,-identificatie", "pageSize": limit,
                "page": page})
        except RemoteRefused as refused:
            if refused.status == 404:  # a page past the last one
                return {"count": 0, "results": []}
            raise

    def _zaak(self, identificatie: str, **scope: str) -> dict | None:
        found = self.apis.zaken.get("zaken", params={
            "identificatie": identificatie, "bronorganisatie": self.rsin, **scope})["results"]
        return found[0] if found else None

    def _resident_zaak(self, bsn: str, identificatie: str) -> dict | None:
        return self._zaak(identificatie, **INITIATOR,
                          rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn=bsn,
                          maximaleVertrouwelijkheidaanduiding=self.max_level)

    def _open_zaak_and_type(self, identificatie: str) -> tuple[dict, CatalogueZaakType]:
        zaak = self._zaak(identificatie)
        if zaak is None:
            raise UnknownZaak(identificatie)
        if zaak.get("einddatum"):
            raise ZaakTransitionError(f"{identificatie} is closed")
        return zaak, self.catalogue.zaaktype(zaak["zaaktype"])

    def _statussen(self, zaak_url: str) -> list[dict]:
        """The zaak's statussen, oldest first."""
        found = self.apis.zaken.get("statussen", params={"zaak": zaak_url})["results"]
        return sorted(found, key=lambda s: s["datumStatusGezet"])

    def _type_and_statussen(self, zaak: dict) -> tuple[CatalogueZaakType, list[dict]]:
        """The zaaktype and what the list needs of the statussen: the current one when the
        resident may see it (a status seen before costs no call), else all of them, to
        find the milestone before the internal step."""
        zaaktype = self.catalogue.zaaktype(zaak["zaaktype"])
        if not zaak.get("status"):
            return zaaktype, []
        current = self.apis.statussen.get(zaak["status"])
        statustype = zaaktype.statustype_at(current["statustype"])
        if statustype is not None and statustype.zichtbaar_voor_inwoner:
            return zaaktype, [current]
        return zaaktype, self._statussen(zaak["url"])

    @staticmethod
    def _milestones(zaaktype: CatalogueZaakType,
                    statussen: list[dict]) -> tuple[ReachedMilestone, ...]:
        reached = []
        for status in statussen:
            statustype = zaaktype.statustype_at(status["statustype"])
            if statustype is not None and statustype.zichtbaar_voor_inwoner:
                reached.append(ReachedMilestone(
                    omschrijving=statustype.omschrijving, statustekst=statustype.statustekst,
                    datum_status_gezet=_naive_utc(status["datumStatusGezet"]),
                    statustoelichting=status.get("statustoelichting", "")))
        return tuple(reached)

    def _summary(self, zaak: dict, zaaktype: CatalogueZaakType | None,
                 statussen: list[dict] | RemoteError) -> ZaakSummary:
        """The zaak as a list shows it; without its zaaktype or statussen (the zaaksysteem
        did not give them just now) it is named by its omschrijving, status unavailable."""
        status: Milestone | None = None
        if zaaktype is not None and not isinstance(statussen, RemoteError):
            milestones = self._milestones(zaaktype, statussen)
            if milestones:
                status = Milestone(omschrijving=milestones[-1].omschrijving,
                                   statustekst=milestones[-1].statustekst)
        return ZaakSummary(
            identificatie=zaak["identificatie"],
            zaaktype=zaaktype.omschrijving if zaaktype else Text(zaak.get("omschrijving", "")),
            omschrijving=zaak.get("omschrijving", ""),
            registratiedatum=_date(zaak["registratiedatum"]),
            startdatum=_date(zaak["startdatum"]), einddatum=_date(zaak.get("einddatum")),
            einddatum_gepland=_date(zaak.get("einddatumGepland")),
            uiterlijke_einddatum_afdoening=_date(zaak["uiterlijkeEinddatumAfdoening"]),
            status=status,
            status_unavailable=zaaktype is None or isinstance(statussen, RemoteError),
            zaaktype_identificatie=zaaktype.identificatie if zaaktype else "",
            opgeschort=is_suspended(zaak))

    def _documents(self, zaak_url: str, max_level: str) -> list[DocumentSummary]:
        """The zaak's definitive documents at a level the resident may see."""
        return self._read_documents(zaak_url, max_level)[0]

    def _read_documents(self, zaak_url: str,
                        max_level: str) -> tuple[list[DocumentSummary], bool]:
        """The documents (_documents), and whether each of the zaak's could be read."""
        links = self.apis.zaken.get("zaakinformatieobjecten", params={"zaak": zaak_url})
        found = self.apis.each(self.apis.documenten.get,
                               [link["informatieobject"] for link in links])
        read = [d for d in found if not isinstance(d, RemoteError)]
        return [DocumentSummary(id=_uuid(d["url"]), titel=d["titel"],
                                bestandsnaam=d["bestandsnaam"],
                                bestandsomvang=d.get("bestandsomvang") or 0,
                                creatiedatum=_date(d["creatiedatum"]))
                for d in read if shown_to_resident(d, max_level)], len(read) == len(found)

    # ----------------------------------------------------------------------- writing

    def _rollen(self, zaaktype: CatalogueZaakType, initiator: Initiator,
                gemachtigde: Gemachtigde | None) -> list[dict]:
        if zaaktype.initiator_roltype is None:
            raise UnknownZaakType(f"{zaaktype.identificatie} has no initiator roltype")
        persoon: dict[str, Any] = {"geslachtsnaam": initiator.naam[:200]}
        if initiator.bsn:
            persoon["inpBsn"] = initiator.bsn
        rol = {"betrokkeneType": "natuurlijk_persoon", "roltype": zaaktype.initiator_roltype,
               "roltoelichting": "Aanvrager via het portaal",
               "betrokkeneIdentificatie": persoon,
               "indicatieMachtiging": "machtiginggever" if gemachtigde else "",
               "authenticatieContext": _digid_context(initiator.loa)
               if initiator.bsn and not gemachtigde else None}
        if initiator.email or initiator.telefoon:
            rol["contactpersoonRol"] = {"emailadres": initiator.email,
                                        "telefoonnummer": initiator.telefoon,
                                        "naam": initiator.naam[:40]}
        rollen = [rol]
        if gemachtigde and zaaktype.gemachtigde_roltype:
            rollen.append({
                "betrokkeneType": "natuurlijk_persoon", "roltype": zaaktype.gemachtigde_roltype,
                "roltoelichting": "Gemachtigde (DigiD Machtigen)",
                "indicatieMachtiging": "gemachtigde",
                "betrokkeneIdentificatie": {"geslachtsnaam": gemachtigde.naam[:200],
                                            "inpBsn": gemachtigde.bsn},
                "authenticatieContext": self._mandate_context(gemachtigde, initiator)})
        if zaaktype.behandelaar_roltype:  # the team handling it (app.zaken.zgw.staff)
            rollen.append(team_rol("", zaaktype.behandelaar_roltype, zaaktype.team,
                                   "Team van het zaaktype"))
        return rollen

    def _mandate_context(self, gemachtigde: Gemachtigde, initiator: Initiator) -> dict | None:
        """The gemachtigde's login, and whom they represented under which mandate. The
        Zaken API takes a representee only with the mandate's service: without the portal's
        DigiD Machtigen service id configured, the login's level alone."""
        context = _digid_context(gemachtigde.loa)
        if context and self.machtigen_dienst and initiator.bsn:
            context["representee"] = {"identifierType": "bsn", "identifier": initiator.bsn}
            context["mandate"] = {"services": [{"id": self.machtigen_dienst}]}
        return context

    @staticmethod
    def answers_document(aanvraaggegevens: dict) -> NewDocument:
        """The e-form's answers as the zaak's JSON document (the zaaksysteem has no field
        for them); the back office shows it as the answers (app.zaken.zgw.staff)."""
        return NewDocument(titel="Aanvraaggegevens", bestandsnaam=ANSWERS_FILE,
                           formaat="application/json",
                           content=json.dumps(aanvraaggegevens, ensure_ascii=False).encode())

    def new_document(self, zaaktype: str, document: NewDocument, *, identificatie: str,
                     reuse: bool = False) -> str:
        """Make a document for a zaak of this zaaktype still to be opened (open_zaak's
        document_urls); its URL. With ``reuse``, the document with this identificatie when
        there is one: a retry after a crash between making it and recording its URL."""
        zaaktype_ = self.catalogue.current(zaaktype)
        if zaaktype_ is None:
            raise UnknownZaakType(zaaktype)
        if reuse:
            found = self.apis.documenten.get("enkelvoudiginformatieobjecten", params={
                "bronorganisatie": self.rsin, "identificatie": identificatie})["results"]
            if found:
                return found[0]["url"]
        return self._new_document(document, zaaktype_, identificatie=identificatie)

    def _new_document(self, document: NewDocument, zaaktype: CatalogueZaakType, *,
                      level: str | None = None, auteur: str = "", whole: bool = False,
                      identificatie: str = ""):
        if zaaktype.informatieobjecttype is None:
            raise UnknownZaakType(f"{zaaktype.identificatie} has no informatieobjecttype")
        created = self.apis.documenten.post("enkelvoudiginformatieobjecten", {
            **({"identificatie": identificatie[:40]} if identificatie else {}),
            "bronorganisatie": self.rsin, "creatiedatum": date.today().isoformat(),
            "titel": document.titel[:200], "auteur": (auteur or "Portaal")[:200], "taal": "dut",
            "status": "definitief", "formaat": document.formaat,
            "bestandsnaam": safe_filename(document.bestandsnaam),
            "bestandsomvang": len(document.content),
            "inhoud": base64.b64encode(document.content).decode(),
            "vertrouwelijkheidaanduiding": (document.vertrouwelijkheidaanduiding or level
                                            or zaaktype.vertrouwelijkheidaanduiding),
            "informatieobjecttype": zaaktype.informatieobjecttype, "indicatieGebruiksrecht": False})
        return created if whole else created["url"]

    def announce_status(self, status_url: str) -> None:
        """Tell the features of a status set in the zaaksysteem (its notificatie came): the
        same StatusChange the portal's own set_status sends, deduplicated by the status's
        URL, so a status the back office set is announced once."""
        status = self.apis.zaken.get(status_url)
        zaak = self.apis.zaken.get(status["zaak"])
        zaaktype = self.catalogue.zaaktype(zaak["zaaktype"])
        statustype = zaaktype.statustype_at(status["statustype"])
        if statustype is None:
            return
        resultaat = None
        if statustype.is_eindstatus and zaak.get("resultaat"):
            resultaattype = zaaktype.resultaattype_at(
                self.apis.zaken.get(zaak["resultaat"])["resultaattype"])
            resultaat = resultaattype.toelichting if resultaattype else None
        self._announce(zaak, zaaktype, statustype, status["url"],
                       status.get("statustoelichting", ""), resultaat)

    def forget_resident_of(self, zaak_url: str) -> None:
        """Drop the cached pages of the zaak's initiator (a new zaak of theirs)."""
        bsn = self._initiator(zaak_url).get("betrokkeneIdentificatie", {}).get("inpBsn")
        if bsn:
            self.cache.forget_resident(bsn)

    def _announce(self, zaak: dict, zaaktype: CatalogueZaakType,
                  statustype: CatalogueStatusType, status_url: str, toelichting: str,
                  resultaat_toelichting: Text | None) -> None:
        self.cache.forget_zaak(zaak["url"])
        initiator = self._initiator(zaak["url"])
        status_set.send(StatusChange(
            zaak_identificatie=zaak["identificatie"], status_key=status_url,
            zaaktype=zaaktype.omschrijving, zaaktype_identificatie=zaaktype.identificatie,
            statustype=statustype.omschrijving,
            statustekst=statustype.statustekst, statustoelichting=toelichting,
            informeren=statustype.informeren,
            zichtbaar_voor_inwoner=statustype.zichtbaar_voor_inwoner,
            is_eindstatus=statustype.is_eindstatus,
            resultaat_toelichting=resultaat_toelichting,
            initiator_bsn=initiator.get("betrokkeneIdentificatie", {}).get("inpBsn") or None,
            initiator_email=(initiator.get("contactpersoonRol") or {}).get("emailadres", ""),
            uiterlijke_einddatum_afdoening=self._end_as_told(
                zaak, closing=statustype.is_eindstatus)),
            session=self.session)

    def _initiator(self, zaak_url: str) -> dict:
        found = self.apis.zaken.get("rollen", params={"zaak": zaak_url,
                                                      "omschrijvingGeneriek": "initiator"})
        return found["results"][0] if found["results"] else {}


def shown_to_resident(document: dict, max_level: str) -> bool:
    """Whether the resident sees this document (Documenten API) of their zaak: definitive, at
    a level up to max_level, and not the e-form's answers (shown as answers)."""
    return (document["vertrouwelijkheidaanduiding"] in visible_levels(max_level)
            and not is_answers(document)
            and document.get("status") in (None, "", "definitief", "gearchiveerd"))


def _digid_context(loa: int | None) -> dict | None:
    """How the person behind a rol logged in (the rol's authenticatieContext): portals may
    then show a zaak only to a login at the same level or higher."""
    if loa is None:
        return None
    return {"source": "digid", "levelOfAssurance": SAML_CLASS[Loa(loa)]}


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _naive_utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _betaling(zaak: dict) -> Betaling | None:
    paid_on = zaak.get("laatsteBetaaldatum")
    return Betaling.of_zaak(zaak.get("betalingsindicatie"), _naive_utc(paid_on) if paid_on else None,
                            {k["bron"]: k["kenmerk"] for k in zaak.get("kenmerken") or []})


def _uuid(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


from app.zaken.zgw import notifications  # noqa: E402  (registers the handlers too)
