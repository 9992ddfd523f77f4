"""The back office's reads and writes on a ZGW zaaksysteem (StaffZaken in app.zaken.store):
one zaak with everything staff see, its documents' bytes, the work queue and its filters'
choices, and routing a zaak to a team.

How the portal's notions map onto the ZGW APIs:

- The team handling a zaak is its behandelaar: a rol with omschrijvingGeneriek
  "behandelaar" of betrokkeneType organisatorische_eenheid whose identificatie is the team
  (the portal gives every zaak it registers one; routing replaces it). A zaak without one
  (registered in the zaaksysteem's own screens) is its zaaktype's team (content/
  zaaktypen.toml); it shows in the queue of every team (the KCC's), not under a team filter,
  which the Zaken API answers from the rollen only.
- Who set a status is the status's gezetdoor: a rol of betrokkeneType medewerker (roltype
  behandelaar) per employee, made the first time they act on the zaak. Who added a
  document is its auteur. The first status, set at registration, has no gezetdoor.
- Staff see documents at every level; a zaak's answers (the e-form's aanvraaggegevens) are
  a JSON document of the zaak named ANSWERS_FILE, shown as the answers, not as a document.

`for_update` means nothing remotely: a ZGW API has no lock a client can hold over calls.
The zaaksysteem orders concurrent writes itself, and the checks that matter are its own: a
closed zaak refuses a status, a document or a result (400), which reaches the back office
as ZaakTransitionError, so an action on a zaak closed meanwhile changes nothing. What the
lock guarded in the embedded store (a form shown on a status another employee then moved
on) is still caught by the status id the form carries (app.backoffice.zaken.actions).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from app.remote import RemoteError, RemoteRefused
from app.texts import Text
from app.zaken.services import ZAAKNUMMER
from app.zaken.store import (
    BEHANDELAAR,
    MEDEWERKER,
    OVERDUE_LEGAL,
    OVERDUE_TARGET,
    STATUS_CLOSED,
    STATUS_OPEN,
    DocumentFile,
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
    UnknownZaak,
    ZaakTransitionError,
    ZaakTypeName,
)
from app.zaken.zgw.terms import is_suspended, term_changes

if TYPE_CHECKING:
    from app.zaken.zgw.apis import ZgwApis
    from app.zaken.zgw.catalogue import (
        CatalogueCache,
        CatalogueResultaatType,
        CatalogueStatusType,
        CatalogueZaakType,
    )

ANSWERS_FILE = "aanvraaggegevens.json"  # the e-form's answers, as a document of the zaak
TEAM_ROL = "organisatorische_eenheid"
PERSONS = ("natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging")
PAGE_MAX = 500  # the Zaken API's largest pageSize


# --------------------------------------------------------------------------- values


# Who registered a zaak (the e-form, or the employee who took the call): the Zaken API has
# no field for it, so the portal gives each zaak it opens a kenmerk of this bron.
REGISTERED_BY = "geregistreerd_door"


def registered_by(zaak: dict) -> str:
    return next((k["kenmerk"] for k in zaak.get("kenmerken") or []
                 if k["bron"] == REGISTERED_BY), "")


def statustype_record(statustype: CatalogueStatusType) -> StatusTypeRecord:
    return StatusTypeRecord(volgnummer=statustype.volgnummer, omschrijving=statustype.omschrijving,
                            informeren=statustype.informeren,
                            is_eindstatus=statustype.is_eindstatus,
                            zichtbaar_voor_inwoner=statustype.zichtbaar_voor_inwoner)


def resultaattype_record(resultaattype: CatalogueResultaatType) -> ResultaatTypeRecord:
    return ResultaatTypeRecord(omschrijving=resultaattype.omschrijving,
                               toelichting=resultaattype.toelichting,
                               omschrijving_generiek=resultaattype.omschrijving_generiek)


def staff_zaaktype(zaaktype: CatalogueZaakType) -> StaffZaakType:
    return StaffZaakType(
        identificatie=zaaktype.identificatie, omschrijving=zaaktype.omschrijving,
        statustypen=tuple(statustype_record(s) for s in zaaktype.statustypen),
        resultaattypen=tuple(resultaattype_record(r) for r in zaaktype.resultaattypen))


def status_record(statustype: CatalogueStatusType, status: dict, gezet_door: str) -> StatusRecord:
    """A status as the Zaken API gave it (a POST's answer or a read)."""
    from app.zaken.zgw import _naive_utc, _uuid

    return StatusRecord(id=_uuid(status["url"]), statustype=statustype_record(statustype),
                        datum_status_gezet=_naive_utc(status["datumStatusGezet"]),
                        statustoelichting=status.get("statustoelichting") or "",
                        gezet_door=gezet_door)


def staff_document(document: dict) -> StaffDocument:
    """An enkelvoudiginformatieobject as the Documenten API gave it."""
    from app.zaken.zgw import _date, _uuid

    return StaffDocument(id=_uuid(document["url"]), titel=document["titel"],
                         bestandsnaam=document.get("bestandsnaam") or "",
                         formaat=document.get("formaat") or "application/octet-stream",
                         bestandsomvang=document.get("bestandsomvang") or 0,
                         vertrouwelijkheidaanduiding=document["vertrouwelijkheidaanduiding"],
                         creatiedatum=_date(document["creatiedatum"]),
                         added_by=document.get("auteur") or "")


def is_answers(document: dict) -> bool:
    return document.get("bestandsnaam") == ANSWERS_FILE


def rol_record(rol: dict) -> RolRecord:
    who = rol.get("betrokkeneIdentificatie") or {}
    contact = rol.get("contactpersoonRol") or {}
    if rol["betrokkeneType"] == "natuurlijk_persoon":
        naam = " ".join(part for part in (who.get("voornamen"),
                                          who.get("voorvoegselGeslachtsnaam"),
                                          who.get("geslachtsnaam")) if part)
    else:
        naam = who.get("statutaireNaam") or who.get("handelsnaam") or who.get("naam") or ""
    return RolRecord(omschrijving_generiek=rol["omschrijvingGeneriek"],
                     betrokkene_type=rol["betrokkeneType"], naam=naam or contact.get("naam", ""),
                     inp_bsn=who.get("inpBsn") or None, email=contact.get("emailadres", ""),
                     telefoon=contact.get("telefoonnummer", ""), adres=_adres(who),
                     indicatie_machtiging=rol.get("indicatieMachtiging") or "")


def _adres(who: dict) -> str:
    """The verblijfsadres on one line ("Vischpoortstraat 14, 8081 BP Elburg"), if any."""
    adres = who.get("verblijfsadres") or {}
    if not adres.get("gorOpenbareRuimteNaam"):
        return ""
    number = f"{adres.get('aoaHuisnummer', '')}{adres.get('aoaHuisletter', '')}"
    if adres.get("aoaHuisnummertoevoeging"):
        number += f"-{adres['aoaHuisnummertoevoeging']}"
    postcode = adres.get("aoaPostcode", "")
    if len(postcode) == 6:
        postcode = f"{postcode[:4]} {postcode[4:]}"
    place = " ".join(part for part in (postcode, adres.get("wplWoonplaatsNaam", "")) if part)
    return f"{adres['gorOpenbareRuimteNaam']} {number}".strip() + (f", {place}" if place else "")


def team_of(rollen: list[dict], zaaktype: CatalogueZaakType | None) -> str:
    """The organisatorische eenheid that is the zaak's behandelaar (the newest, should there
    be several), else its zaaktype's team."""
    teams = [rol for rol in rollen if rol.get("omschrijvingGeneriek") == BEHANDELAAR
             and rol.get("betrokkeneType") == TEAM_ROL]
    if teams:
        newest = max(teams, key=lambda rol: rol.get("registratiedatum") or "")
        return (newest.get("betrokkeneIdentificatie") or {}).get("identificatie", "")
    return zaaktype.team if zaaktype else ""


def is_contact_rol(rol: dict) -> bool:
    """Whether the rol names the zaak's contact person (app.zaken.zgw.contact): a
    medewerker's rol behandelaar with contact details, which a gezetdoor's rol has not."""
    return (rol.get("omschrijvingGeneriek") == BEHANDELAAR
            and rol.get("betrokkeneType") == MEDEWERKER
            and bool((rol.get("contactpersoonRol") or {}).get("naam")))


def employee_name(rol: dict) -> str:
    who = rol.get("betrokkeneIdentificatie") or {}
    return who.get("achternaam") or who.get("identificatie") or ""


# --------------------------------------------------------------------------- the mixin


@dataclass(frozen=True)
class _Query:
    """One Zaken API search of the queue (POST zaken/_zoek) and how its rows are ordered."""

    body: dict[str, Any]
    newest_closed_first: bool
    # The Zaken API cannot leave suspended zaken out: such a search reads every match and
    # drops them here (a suspended term has no end yet, so it is not overdue).
    without_suspended: bool = False


class ZgwStaffZaken:
    """StaffZaken for ZgwZakenStore (mixed in; it gives apis, catalogue, _zaak and
    _open_zaak_and_type)."""

    apis: ZgwApis
    catalogue: CatalogueCache
    queue_searches_names = False
    queue_orders_by_deadline = False

    # ----------------------------------------------------------------------- one zaak

    def staff_zaak(self, identificatie: str, *, for_update: bool = False) -> StaffZaak | None:
        """for_update is ignored: see the module's docstring."""
        zaak = self._zaak(identificatie)
        return self._staff_zaak(zaak) if zaak is not None else None

    def open_zaken_of_type(self, zaaktype: str, *, team: str) -> list[StaffZaak]:
        urls = [z.url for z in self.catalogue.get().by_url.values() if z.identificatie == zaaktype]
        if not urls:
            return []
        found = self._search({"zaaktype__in": urls, "einddatum__isnull": True,
                              "rol__betrokkeneIdentificatie__organisatorischeEenheid__identificatie":
                                  team, "ordering": "startdatum,identificatie"},
                             page=1, page_size=PAGE_MAX)
        zaken = self.apis.each(self._staff_zaak, found["results"])
        for zaak in zaken:
            if isinstance(zaak, RemoteError):
                raise zaak
        # The zaak's rol may have changed between the search and its read.
        return sorted((z for z in zaken if z.team == team and not z.is_closed),
                      key=lambda z: (z.registratiedatum, z.startdatum, z.identificatie))

    def staff_document(self, identificatie: str, document_id: str) -> StaffDocumentFile | None:
        zaak = self._zaak(identificatie)
        if zaak is None:
            return None
        links, rollen = self.apis.each(lambda call: call(), [
            lambda: self.apis.zaken.get("zaakinformatieobjecten", params={"zaak": zaak["url"]}),
            lambda: self._rollen_of(zaak["url"])])
        for part in (links, rollen):
            if isinstance(part, RemoteError):
                raise part
        from app.zaken.zgw import _uuid

        link = next((link for link in links
                     if _uuid(link["informatieobject"]) == str(document_id)), None)
        if link is None:
            return None
        document = self.apis.documenten.get(link["informatieobject"])
        content = self.apis.documenten.request("GET", document["inhoud"]).content
        initiator = next((rol for rol in rollen if rol["omschrijvingGeneriek"] == "initiator"),
                         {})
        return StaffDocumentFile(
            zaak_identificatie=identificatie,
            team=team_of(rollen, self.catalogue.zaaktype(zaak["zaaktype"])),
            initiator_bsn=(initiator.get("betrokkeneIdentificatie") or {}).get("inpBsn") or None,
            file=DocumentFile(bestandsnaam=document["bestandsnaam"],
                              formaat=document["formaat"], content=content))

    def _staff_zaak(self, zaak: dict) -> StaffZaak:
        """The zaak with its parts, read in parallel: statussen, rollen, documents, result."""
        from app.zaken.zgw import _date, _naive_utc

        zaaktype = self.catalogue.zaaktype(zaak["zaaktype"])
        statussen, rollen, documents, resultaat = self.apis.each(lambda call: call(), [
            lambda: self.apis.zaken.get("statussen", params={"zaak": zaak["url"]})["results"],
            lambda: self._rollen_of(zaak["url"]),
            lambda: self._zaak_documents(zaak["url"]),
            lambda: self.apis.zaken.get(zaak["resultaat"]) if zaak.get("resultaat") else None])
        for part in (statussen, rollen, documents, resultaat):
            if isinstance(part, RemoteError):
                raise part
        employees = {rol["url"]: employee_name(rol) for rol in rollen
                     if rol["betrokkeneType"] == MEDEWERKER}
        records = []
        for status in sorted(statussen, key=lambda s: s["datumStatusGezet"]):
            statustype = zaaktype.statustype_at(status["statustype"])
            if statustype is not None:
                records.append(status_record(statustype, status,
                                             employees.get(status.get("gezetdoor") or "", "")))
        answers = next((d for d in documents if is_answers(d)), None)
        result = None
        if resultaat is not None:
            resultaattype = zaaktype.resultaattype_at(resultaat["resultaattype"])
            eind = next((s for s in reversed(records) if s.statustype.is_eindstatus), None)
            if resultaattype is not None:
                result = ResultaatRecord(
                    resultaattype=resultaattype_record(resultaattype),
                    toelichting=resultaat.get("toelichting") or "",
                    datum=eind.datum_status_gezet if eind else _naive_utc(
                        f"{zaak.get('einddatum') or zaak['registratiedatum']}T00:00:00"),
                    gezet_door=eind.gezet_door if eind else "")
        return StaffZaak(
            identificatie=zaak["identificatie"], zaaktype=staff_zaaktype(zaaktype),
            omschrijving=zaak.get("omschrijving") or "", toelichting=zaak.get("toelichting") or "",
            registratiedatum=_date(zaak["registratiedatum"]),
            startdatum=_date(zaak["startdatum"]), einddatum=_date(zaak.get("einddatum")),
            einddatum_gepland=_date(zaak.get("einddatumGepland")),
            uiterlijke_einddatum_afdoening=_date(zaak["uiterlijkeEinddatumAfdoening"]),
            opgeschort=is_suspended(zaak), terms=term_changes(zaak),
            relevante_andere_zaken=self._relevante_andere_zaken(zaak),
            verlengingstermijn=zaaktype.verlengingstermijn,
            vertrouwelijkheidaanduiding=zaak["vertrouwelijkheidaanduiding"],
            aanvraaggegevens=self._answers(answers) if answers else {},
            kenmerken={k["bron"]: k["kenmerk"] for k in zaak.get("kenmerken") or []
                       if k["bron"] != REGISTERED_BY},
            registered_by=registered_by(zaak), team=team_of(rollen, zaaktype),
            statussen=tuple(records),
            rollen=tuple(rol_record(rol) for rol in rollen if rol["betrokkeneType"] in PERSONS),
            documenten=tuple(staff_document(d) for d in documents if not is_answers(d)),
            document_requests=self._document_requests(zaak["identificatie"]),
            resultaat=result,
            callback_attempts=self._callback_attempts(zaak),
            contact_person=self._contact_of(zaak, rollen, self._contact_records([zaak])))

    def _rollen_of(self, zaak_url: str) -> list[dict]:
        found = self.apis.zaken.get("rollen", params={"zaak": zaak_url, "pageSize": PAGE_MAX})
        return found["results"]

    def _zaak_documents(self, zaak_url: str) -> list[dict]:
        """Every document of the zaak, oldest link first (staff see every level)."""
        links = self.apis.zaken.get("zaakinformatieobjecten", params={"zaak": zaak_url})
        links = sorted(links, key=lambda link: link.get("registratiedatum") or "")
        found = self.apis.each(self.apis.documenten.get,
                               [link["informatieobject"] for link in links])
        for document in found:
            if isinstance(document, RemoteError):
                raise document
        return found

    def _answers(self, document: dict) -> dict:
        try:
            answers = json.loads(self.apis.documenten.request("GET", document["inhoud"]).content)
        except ValueError:
            return {}
        return answers if isinstance(answers, dict) else {}

    def _document_requests(self, identificatie: str) -> tuple:
        return ()  # the portal's own data (app.zaken.zgw.requests)

    def _callback_attempts(self, zaak: dict) -> tuple:
        return ()  # the portal's own data (app.zaken.zgw.kcc)

    # ----------------------------------------------------------------------- the queue

    def queue_zaaktypen(self) -> list[ZaakTypeName]:
        """The portal's zaaktypen (the version valid today), by Dutch name."""
        return sorted((ZaakTypeName(identificatie=z.identificatie, omschrijving=z.omschrijving)
                       for z in self.catalogue.get().current.values()),
                      key=lambda z: z.omschrijving.nl)

    def queue_statussen(self) -> list[Text]:
        """The statustypen's names across the portal's zaaktypen, once each, in the order
        zaken reach them."""
        first: dict[str, tuple[int, Text]] = {}
        for zaaktype in self.catalogue.get().current.values():
            for statustype in zaaktype.statustypen:
                name = statustype.omschrijving
                known = first.get(name.nl)
                if known is None or statustype.volgnummer < known[0]:
                    english = name.en or (known[1].en if known else "")
                    first[name.nl] = (statustype.volgnummer, Text(name.nl, english or name.nl))
        return [text for _, text in sorted(first.values(), key=lambda v: (v[0], v[1].nl))]

    def work_queue(self, filters: QueueFilters, *, teams: list[str] | None, today: date,
                   limit: int, offset: int = 0) -> QueuePage:
        """The zaken of the portal's catalogue that match, from the Zaken API's search.

        What the Zaken API cannot do as the embedded queue does:
        - order by deadline: open zaken come oldest first (startdatum), which is the legal
          deadline's order within a zaaktype; closed ones most recently closed first;
        - find part of the initiator's name: q finds zaaknummers only (queue_searches_names);
          digits find the zaaknummers that contain them, not only those ending in them;
        - "target date passed" asks einddatumGepland: a zaak without a target date that is
          past its legal deadline is found under "legal deadline passed".
        Several teams in scope, or a statustype's name that several zaaktypen use, are one
        search each, merged here."""
        queries = self._queue_queries(filters, teams, today)
        if not queries:
            return QueuePage(rows=(), total=0)
        if len(queries) == 1:
            total, zaken = self._queue_page(queries[0], limit=limit, offset=offset)
        else:
            pages = self.apis.each(lambda query: self._queue_page(query, limit=offset + limit,
                                                                  offset=0), queries)
            for page in pages:
                if isinstance(page, RemoteError):
                    raise page
            total = sum(count for count, _ in pages)
            merged = [zaak for _, zaken in pages for zaak in zaken]
            if queries[0].newest_closed_first:
                merged.sort(key=lambda z: (z.get("einddatum") or "", z["identificatie"]),
                            reverse=True)
            else:
                merged.sort(key=lambda z: (z["startdatum"], z["identificatie"]))
            zaken = merged[offset:offset + limit]
        rows = self.apis.each(self._rollen_and_status, zaken)
        return QueuePage(rows=tuple(self._queue_row(zaak, row, today)
                                    for zaak, row in zip(zaken, rows, strict=True)),
                         total=total)

    def _queue_queries(self, filters: QueueFilters, teams: list[str] | None,
                       today: date) -> list[_Query]:
        catalogue = self.catalogue.get().by_url.values()
        zaaktypen = [z for z in catalogue
                     if not filters.zaaktype or z.identificatie == filters.zaaktype]
        if not zaaktypen:
            return []
        body: dict[str, Any] = {"zaaktype__in": sorted(z.url for z in zaaktypen)}
        closed_first = filters.status == STATUS_CLOSED
        if filters.status == STATUS_OPEN:
            body["einddatum__isnull"] = True
        elif closed_first:
            body["einddatum__isnull"] = False
        if filters.overdue == OVERDUE_LEGAL:
            body.update({"einddatum__isnull": True,
                         "uiterlijkeEinddatumAfdoening__lt": today.isoformat()})
        elif filters.overdue == OVERDUE_TARGET:
            body.update({"einddatum__isnull": True, "einddatumGepland__lt": today.isoformat()})
        q = filters.q.strip()
        if q:
            if ZAAKNUMMER.fullmatch(q.upper()):
                body["identificatie"] = q.upper()
            else:
                body["identificatie__icontains"] = q
        # The fields comma-separated, as Open Zaak reads them (its filter takes the CSV form
        # of the list parameter; a JSON array is ignored).
        body["ordering"] = "-einddatum,-identificatie" if closed_first else \
            "startdatum,identificatie"
        statustypen: list[str | None] = [None]
        if filters.on_statustype:
            statustypen = sorted(s.url for z in zaaktypen for s in z.statustypen
                                 if s.omschrijving.nl == filters.status)
            if not statustypen:
                return []
        if filters.team:
            wanted = [filters.team] if teams is None or filters.team in teams else []
        else:
            wanted = teams if teams is not None else [None]
        queries = []
        for team in wanted:
            for statustype in statustypen:
                query = dict(body)
                if team is not None:
                    query["rol__betrokkeneIdentificatie__organisatorischeEenheid__identificatie"] \
                        = team
                if statustype is not None:
                    query["status__statustype"] = statustype
                queries.append(_Query(query, closed_first,
                                      without_suspended=bool(filters.overdue)))
        return queries

    def _queue_page(self, query: _Query, *, limit: int, offset: int) -> tuple[int, list[dict]]:
        """(how many match, the zaken from offset on, at most limit)."""
        if query.without_suspended:
            # Every match is read to count those not suspended: an overdue list is short.
            running = [z for _count, zaken in self._pages(query.body) for z in zaken
                       if not is_suspended(z)]
            return len(running), running[offset:offset + max(limit, 0)]
        if limit <= 0:
            return self._search(query.body, page=1, page_size=1)["count"], []
        if offset % limit == 0 and limit <= PAGE_MAX:
            found = self._search(query.body, page=offset // limit + 1, page_size=limit)
            return found["count"], found["results"]
        count, zaken = 0, []
        for matching, results in self._pages(query.body):
            count = matching
            zaken.extend(results)
            if len(zaken) >= offset + limit:
                break
        return count, zaken[offset:offset + limit]

    def _pages(self, body: dict) -> Iterator[tuple[int, list[dict]]]:
        """The search's pages of the largest size, one after the other: (count, zaken)."""
        page = 1
        while True:
            found = self._search(body, page=page, page_size=PAGE_MAX)
            yield found["count"], found["results"]
            if not found.get("next"):
                return
            page += 1

    def _search(self, body: dict, *, page: int, page_size: int) -> dict:
        try:
            return self.apis.zaken.request("POST", "zaken/_zoek", json=body, params={
                "page": page, "pageSize": page_size}).json()
        except RemoteRefused as refused:
            if refused.status == 404 and page > 1:  # a page past the last one
                counted = self._search(body, page=1, page_size=1)
                return {"count": counted["count"], "results": [], "next": None}
            raise

    def _rollen_and_status(self, zaak: dict) -> tuple[list[dict], dict | None]:
        rollen = self._rollen_of(zaak["url"])
        status = self.apis.statussen.get(zaak["status"]) if zaak.get("status") else None
        return rollen, status

    def _queue_row(self, zaak: dict, parts: tuple | RemoteError, today: date) -> QueueRow:
        """A row of the queue; without its rollen or status (the zaaksysteem did not give
        them just now) it shows its zaaktype's team, no name and its status unavailable."""
        from app.zaken.zgw import _date

        try:
            zaaktype = self.catalogue.zaaktype(zaak["zaaktype"])
        except RemoteError:
            zaaktype = None
        unavailable = isinstance(parts, RemoteError)
        rollen, status = ([], None) if unavailable else parts
        initiator = next((rol for rol in rollen if rol["omschrijvingGeneriek"] == "initiator"),
                         None)
        statustype = (zaaktype.statustype_at(status["statustype"])
                      if zaaktype is not None and status else None)
        values = dict(
            identificatie=zaak["identificatie"],
            zaaktype=zaaktype.omschrijving if zaaktype else Text(zaak.get("omschrijving", "")),
            team=team_of(rollen, zaaktype), naam=rol_record(initiator).naam if initiator else "",
            status=statustype.omschrijving if statustype else None,
            startdatum=_date(zaak["startdatum"]), einddatum=_date(zaak.get("einddatum")),
            einddatum_gepland=_date(zaak.get("einddatumGepland")),
            uiterlijke_einddatum_afdoening=_date(zaak["uiterlijkeEinddatumAfdoening"]),
            status_unavailable=unavailable or zaaktype is None, opgeschort=is_suspended(zaak))
        overdue, days = QueueRow(**values, overdue=None, days_overdue=0).overdue_on(today)
        return QueueRow(**values, overdue=overdue, days_overdue=days)

    # ----------------------------------------------------------------------- across zaken

    def address_has_zaak(self, zaaktype: str, *, adres: str, granted: str,
                         closed_after: date) -> bool:
        """The address is the zaak's kenmerk "adres" (its first 40 characters: a kenmerk
        holds no more): an open zaak, or one closed with `granted` after closed_after."""
        zaaktypen = [z for z in self.catalogue.get().by_url.values()
                     if z.identificatie == zaaktype]
        if not zaaktypen:
            return False
        kenmerk = {"kenmerk": str(adres)[:40], "bron": "adres"}
        base = {"zaaktype__in": sorted(z.url for z in zaaktypen),
                "kenmerk": f"adres:{kenmerk['kenmerk']}"}  # <bron>:<kenmerk>, one pair
        searches = [{**base, "einddatum__isnull": True}]
        searches += [{**base, "resultaat__resultaattype": resultaattype.url,
                      "einddatum__gt": closed_after.isoformat()}
                     for z in zaaktypen for resultaattype in z.resultaattypen
                     if resultaattype.omschrijving.nl == granted]
        for found in self.apis.each(
                lambda body: self._search(body, page=1, page_size=PAGE_MAX), searches):
            if isinstance(found, RemoteError):
                raise found
            if any(kenmerk in (zaak.get("kenmerken") or []) for zaak in found["results"]):
                return True
        return False

    # ----------------------------------------------------------------------- writes

    def route(self, identificatie: str, *, team: str, door: str) -> None:
        """The team becomes the zaak's behandelaar: a new rol of the organisatorische
        eenheid, then the previous team's rol removed (never a moment without one)."""
        zaak, zaaktype = self._open_zaak_and_type(identificatie)
        if zaaktype.behandelaar_roltype is None:
            raise ZaakTransitionError(f"{zaaktype.identificatie} has no behandelaar roltype")
        before = [rol for rol in self._rollen_of(zaak["url"])
                  if rol["omschrijvingGeneriek"] == BEHANDELAAR
                  and rol["betrokkeneType"] == TEAM_ROL]
        writing(lambda: self.apis.zaken.post("rollen", team_rol(
            zaak["url"], zaaktype.behandelaar_roltype, team, f"Doorgezet door {door}")))
        for rol in before:
            writing(lambda rol=rol: self.apis.zaken.request("DELETE", rol["url"]))

    def _gezet_door(self, zaak: dict, zaaktype: CatalogueZaakType, employee: str) -> str | None:
        """The URL of the employee's medewerker rol in the zaak (made the first time they
        act on it): what a status's gezetdoor names."""
        if not employee or zaaktype.behandelaar_roltype is None:
            return None
        identificatie = employee[:128]
        found = self.apis.zaken.get("rollen", params={
            "zaak": zaak["url"], "betrokkeneType": MEDEWERKER,
            "betrokkeneIdentificatie__medewerker__identificatie": identificatie})["results"]
        # Not the contact person's rol: it is removed when another becomes the contact.
        found = [rol for rol in found if not is_contact_rol(rol)]
        if found:
            return found[0]["url"]
        return writing(lambda: self.apis.zaken.post("rollen", {
            "zaak": zaak["url"], "betrokkeneType": MEDEWERKER,
            "roltype": zaaktype.behandelaar_roltype, "roltoelichting": "Medewerker",
            "betrokkeneIdentificatie": {"identificatie": identificatie,
                                        "achternaam": employee[:200]}}))["url"]


def team_rol(zaak_url: str, roltype: str, team: str, toelichting: str) -> dict:
    """The rol that makes a team (an organisatorische eenheid) the zaak's behandelaar."""
    rol = {"roltype": roltype, "betrokkeneType": TEAM_ROL, "roltoelichting": toelichting,
           "betrokkeneIdentificatie": {"identificatie": team[:24], "naam": team[:50]}}
    if zaak_url:
        rol["zaak"] = zaak_url
    return rol


def writing(call):
    """Run a write; the zaaksysteem's refusal of a zaak that cannot change (closed: 400)
    becomes ZaakTransitionError, a missing zaak (404) UnknownZaak."""
    try:
        return call()
    except RemoteRefused as refused:
        if refused.status == 404:
            raise UnknownZaak(str(refused)) from refused
        if refused.status in (400, 409):
            raise ZaakTransitionError(str(refused)) from refused
        raise
