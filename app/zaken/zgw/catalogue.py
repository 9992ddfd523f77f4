"""The municipality's catalogue from the Catalogi API, with the portal's own data laid over it.

The ZGW catalogue knows a zaaktype's identificatie, names, terms and its statustypen and
resultaattypen; it does not know what only the portal needs: the English texts, which
statustypen the resident sees, which team handles the zaken and which product page they
belong to. Those stay in content/zaaktypen.toml, keyed by the zaaktype's identificatie
and the statustype's volgnummer (resultaattypen by their Dutch omschrijving), and are laid
over the remote catalogue here; a statustype the file does not know is shown to the
resident (the safe default for a status the municipality chose to publish).

The whole catalogue is a handful of list calls, read once per ZGW_CATALOGUE_TTL seconds:
it changes with a new zaaktype version, not with a zaak.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.remote import RemoteApi
from app.texts import Text


@dataclass(frozen=True)
class CatalogueStatusType:
    url: str
    volgnummer: int
    omschrijving: Text
    statustekst: Text
    informeren: bool
    zichtbaar_voor_inwoner: bool
    is_eindstatus: bool


@dataclass(frozen=True)
class CatalogueResultaatType:
    url: str
    omschrijving: Text
    toelichting: Text
    omschrijving_generiek: str = ""  # as the Selectielijst names its kind
    # How long what this result grants lasts (ISO 8601, content/zaaktypen.toml): the Besluit
    # taken with it ends then. The Catalogi API has no such field.
    geldigheid: str | None = None


@dataclass(frozen=True)
class CatalogueZaakType:
    url: str
    identificatie: str
    omschrijving: Text
    doorlooptijd: str
    servicenorm: str | None
    vertrouwelijkheidaanduiding: str
    statustypen: tuple[CatalogueStatusType, ...]  # by volgnummer
    resultaattypen: tuple[CatalogueResultaatType, ...]
    initiator_roltype: str | None
    behandelaar_roltype: str | None  # the team handling the zaak is its behandelaar
    gemachtigde_roltype: str | None  # who acted for the initiator (a belanghebbende)
    informatieobjecttype: str | None  # the type the portal gives the documents it adds
    team: str
    product: str
    doel: str = ""
    verlengingstermijn: str | None = None  # None: the term cannot be extended
    besluittype: str | None = None  # the type of the Besluit a result with a geldigheid takes

    def statustype(self, volgnummer: int) -> CatalogueStatusType | None:
        return next((s for s in self.statustypen if s.volgnummer == volgnummer), None)

    @property
    def eindstatustype(self) -> CatalogueStatusType:
        return self.statustypen[-1]

    def resultaattype(self, omschrijving: str) -> CatalogueResultaatType | None:
        return next((r for r in self.resultaattypen if r.omschrijving.nl == omschrijving), None)

    def statustype_at(self, url: str) -> CatalogueStatusType | None:
        return next((s for s in self.statustypen if s.url == url), None)

    def resultaattype_at(self, url: str) -> CatalogueResultaatType | None:
        return next((r for r in self.resultaattypen if r.url == url), None)


@dataclass(frozen=True)
class Catalogue:
    by_url: dict[str, CatalogueZaakType]
    current: dict[str, CatalogueZaakType]  # identificatie -> the version valid today


class CatalogueCache:
    """The catalogue, read from the Catalogi API at most once per ttl (or after forget()).

    The portal's catalogus is read whole; a resident may also have zaken of zaaktypen in
    other catalogi of the municipality (registered by staff, another channel): those are
    read one by one the first time a zaak of theirs shows, and kept as long.
    """

    def __init__(self, api: RemoteApi, catalogus_url: str, overlay: list[dict[str, Any]], *,
                 ttl: float) -> None:
        self._api = api
        self._catalogus_url = catalogus_url
        self._overlay = {item["identificatie"]: item for item in overlay}
        self._ttl = ttl
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._others: dict[str, CatalogueZaakType] = {}
        self._read_at = 0.0

    def get(self) -> Catalogue:
        with self._lock:
            if self._catalogue is None or time.monotonic() - self._read_at > self._ttl:
                self._catalogue = self._read()
                self._others = {}
                self._read_at = time.monotonic()
            return self._catalogue

    def current(self, identificatie: str) -> CatalogueZaakType | None:
        """The version of the portal's zaaktype valid today (what a new zaak gets)."""
        return self.get().current.get(identificatie)

    def zaaktype(self, url: str) -> CatalogueZaakType:
        """The zaaktype a zaak refers to, from any catalogus. Raises RemoteError when it
        must be read and cannot be."""
        known = self.get().by_url.get(url) or self._others.get(url)
        if known is not None:
            return known
        scope = {"zaaktype": url}
        zaaktype = self._zaaktype(
            self._api.get(url),
            self._grouped(self._all("statustypen", scope)),
            self._grouped(self._all("resultaattypen", scope)),
            self._grouped(self._all("roltypen", scope)), iotypen={})
        with self._lock:
            self._others[url] = zaaktype
        return zaaktype

    def forget(self) -> None:
        """Read it again next time (a notification said a zaaktype changed)."""
        with self._lock:
            self._catalogue = None

    def _read(self) -> Catalogue:
        scope = {"catalogus": self._catalogus_url}
        zaaktypen = self._all("zaaktypen", {**scope, "status": "definitief"})
        statustypen = self._grouped(self._all("statustypen", {"status": "definitief"}))
        resultaattypen = self._grouped(self._all("resultaattypen", {"status": "definitief"}))
        roltypen = self._grouped(self._all("roltypen", {"status": "definitief"}))
        iotypen = {item["url"]: item for item in
                   self._all("informatieobjecttypen", {**scope, "status": "definitief"})}
        by_url = {item["url"]: self._zaaktype(item, statustypen, resultaattypen, roltypen,
                                              iotypen) for item in zaaktypen}
        return Catalogue(by_url=by_url, current=_current_versions(zaaktypen, by_url))

    def _all(self, resource: str, params: dict[str, str]) -> list[dict]:
        """Every page of a list (the Catalogi API pages by 100)."""
        found, page = [], self._api.get(resource, params=params)
        found.extend(page["results"])
        while page.get("next"):
            page = self._api.get(page["next"])
            found.extend(page["results"])
        return found

    @staticmethod
    def _grouped(items: list[dict]) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for item in items:
            grouped.setdefault(item["zaaktype"], []).append(item)
        return grouped

    def _zaaktype(self, item: dict, statustypen: dict, resultaattypen: dict, roltypen: dict,
                  iotypen: dict) -> CatalogueZaakType:
        own = self._overlay.get(item["identificatie"], {})
        own_statustypen = {s["volgnummer"]: s for s in own.get("statustypen", [])}
        own_resultaattypen = {r["omschrijving"]["nl"]: r for r in own.get("resultaattypen", [])}
        remote_statustypen = sorted(statustypen.get(item["url"], []),
                                    key=lambda s: s["volgnummer"])
        roles = {r["omschrijvingGeneriek"]: r["url"] for r in roltypen.get(item["url"], [])}
        iotype = next((url for url in item.get("informatieobjecttypen", []) if url in iotypen),
                      None)

        def own_resultaattype(remote: dict) -> dict:
            return own_resultaattypen.get(remote["omschrijving"], {})

        return CatalogueZaakType(
            url=item["url"], identificatie=item["identificatie"],
            omschrijving=_text(item["omschrijving"], own.get("omschrijving")),
            doorlooptijd=item["doorlooptijd"], servicenorm=item.get("servicenorm"),
            verlengingstermijn=(item.get("verlengingstermijn")
                                if item.get("verlengingMogelijk") else None),
            vertrouwelijkheidaanduiding=item["vertrouwelijkheidaanduiding"],
            statustypen=tuple(
                _statustype(s, own_statustypen.get(s["volgnummer"], {}),
                            is_last=index == len(remote_statustypen) - 1)
                for index, s in enumerate(remote_statustypen)),
            resultaattypen=tuple(
                CatalogueResultaatType(
                    url=r["url"],
                    omschrijving=_text(r["omschrijving"],
                                       own_resultaattype(r).get("omschrijving")),
                    toelichting=_text(r.get("toelichting", ""),
                                      own_resultaattype(r).get("toelichting")),
                    omschrijving_generiek=r.get("omschrijvingGeneriek", ""),
                    geldigheid=own_resultaattype(r).get("geldigheid"))
                for r in resultaattypen.get(item["url"], [])),
            initiator_roltype=roles.get("initiator"),
            behandelaar_roltype=roles.get("behandelaar"),
            gemachtigde_roltype=roles.get("belanghebbende"), informatieobjecttype=iotype,
            team=own.get("team", "kcc"), product=own.get("product", ""),
            doel=item.get("doel") or "",
            besluittype=next(iter(item.get("besluittypen") or []), None))


def _statustype(item: dict, own: dict, *, is_last: bool) -> CatalogueStatusType:
    return CatalogueStatusType(
        url=item["url"], volgnummer=item["volgnummer"],
        omschrijving=_text(item["omschrijving"], own.get("omschrijving")),
        statustekst=_text(item.get("statustekst", ""), own.get("statustekst")),
        informeren=bool(item.get("informeren", False)),
        zichtbaar_voor_inwoner=own.get("zichtbaar_voor_inwoner", True),
        is_eindstatus=item.get("isEindstatus", is_last))


def _text(remote_dutch: str, own: dict | None) -> Text:
    """The catalogue's Dutch text (it is the municipality's), the portal's English one."""
    return Text(remote_dutch, (own or {}).get("en", ""))


def _current_versions(items: list[dict], by_url: dict[str, CatalogueZaakType]
                      ) -> dict[str, CatalogueZaakType]:
    """Per identificatie, the version valid today (the newest one that has begun)."""
    today = date.today().isoformat()
    current: dict[str, tuple[str, CatalogueZaakType]] = {}
    for item in items:
        begun = item.get("beginGeldigheid") or ""
        ended = item.get("eindeGeldigheid")
        if begun > today or (ended and ended < today):
            continue
        known = current.get(item["identificatie"])
        if known is None or begun > known[0]:
            current[item["identificatie"]] = (begun, by_url[item["url"]])
    return {identificatie: zaaktype for identificatie, (_, zaaktype) in current.items()}
