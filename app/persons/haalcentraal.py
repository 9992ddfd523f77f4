"""PERSONS_SOURCE=haalcentraal: who lives here, from the BRP through Haal Centraal BRP
Personen 2.x (specs/haalcentraal-brp-personen-2.x-resolved.yaml).

The API has one operation, ``POST /personen``, whose body's ``type`` says what is asked:
``RaadpleegMetBurgerservicenummer`` for Mijn gegevens, the e-forms' prefill and the KCC's
contact overview; ``ZoekMetGeslachtsnaamEnGeboortedatum`` and ``ZoekMetPostcodeEnHuisnummer``
for the KCC's searches. Every call names in ``fields`` only what the page shows.

What the Personen API does not give, this source does not pretend to know: the address
history and the travel documents are other BRP APIs (Historie, Reisdocumenten), so a
Persoon from here has None for both. The API is read-only: a correction staff decided is
not applied here (apply_correction answers False) and Burgerzaken corrects the BRP itself.

A search answers with the BRP's PersoonBeperkt, which holds no birthplace and the address
only as printed lines; the port's PersoonBeperkt has both. So a search asks for the names
only (enough to sort and cut to the limit) and then consults just the people shown, by BSN,
for the limited fields: at most ``limit`` persons read, in calls of 20 (the API's maximum).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from flask import Flask

from app.persons.services import (
    VOORVOEGSEL_WORDS,
    Adres,
    DecidedCorrection,
    Geboorte,
    Naam,
    Persoon,
    PersoonBeperkt,
)
from app.ports import PortConfigurationError
from app.remote import RemoteApi, TlsSettings

log = logging.getLogger(__name__)

API_NAME = "BRP (Haal Centraal)"
API_KEY_HEADER = "X-API-KEY"
# The spec's request body media type; a gateway may refuse plain application/json.
CONTENT_TYPE = "application/json; charset=utf-8"
MAX_BSNS_PER_CALL = 20  # RaadpleegMetBurgerservicenummer: burgerservicenummer maxItems

_NAME_FIELDS = ("burgerservicenummer", "naam.voornamen", "naam.voorvoegsel",
                "naam.geslachtsnaam")
_ADDRESS_FIELDS = (
    *(f"verblijfplaats.verblijfadres.{name}" for name in (
        "officieleStraatnaam", "korteStraatnaam", "huisnummer", "huisletter",
        "huisnummertoevoeging", "postcode", "woonplaats", "locatiebeschrijving",
        "regel1", "regel2")),
    "verblijfplaats.datumVan", "verblijfplaats.datumIngangGeldigheid")
# A search's answer: who is found, by name (geheimhoudingPersoonsgegevens comes by itself).
SEARCH_FIELDS = _NAME_FIELDS
# The port's PersoonBeperkt: the KCC's list of residents found.
LIMITED_FIELDS = (*_NAME_FIELDS, "geboorte.datum", "geboorte.plaats", *_ADDRESS_FIELDS)
# The port's Persoon: Mijn gegevens, the prefill, the KCC's contact overview.
PERSON_FIELDS = (*LIMITED_FIELDS, "geslacht", "nationaliteiten")

# The spec's search filters; a value outside them is one no one in the BRP has.
_SURNAME = re.compile(r"^[a-zA-Z0-9À-ž .\-']{1,200}$")
_VOORVOEGSEL = re.compile(r"^[a-zA-Z ']{1,10}$")
_POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
WILDCARD_MINIMUM = 3  # letters before the "*" the BRP asks for

SEXES = {"V": "vrouw", "M": "man", "O": "onbekend"}
# What to check when the gateway refuses the portal (RemoteApi logs it).
CREDENTIAL_SETTINGS = "BRP_API_KEY, BRP_CLIENT_CERT and BRP_CLIENT_KEY"
# The kinds of nationaliteit the BRP records besides a known one, as Mijn gegevens says them.
SPECIAL_NATIONALITIES = {"BehandeldAlsNederlander": "Behandeld als Nederlander",
                         "VastgesteldNietNederlander": "Vastgesteld niet-Nederlander",
                         "Staatloos": "Staatloos", "NationaliteitOnbekend": "Onbekend"}


class HaalCentraalPersonsSource:
    """The PersonsSource port over Haal Centraal BRP Personen 2.x; one per app (it holds
    the connection pool), shared by the requests."""

    applies_corrections = False  # read-only: Burgerzaken corrects the BRP from the zaak

    def __init__(self, api: RemoteApi) -> None:
        self.api = api

    # ----------------------------------------------------------------- the port

    def get_person(self, bsn: str) -> Persoon | None:
        found = self._personen({"type": "RaadpleegMetBurgerservicenummer",
                                "burgerservicenummer": [bsn], "fields": list(PERSON_FIELDS)})
        return _persoon(found[0]) if found else None

    def find_by_name_and_birth_date(self, achternaam: str, geboortedatum: date,
                                    limit: int) -> list[PersoonBeperkt]:
        """The surname from its start, with or without its voorvoegsel, any case; the BRP
        matches a part of a name only from three letters on (a wildcard), so a shorter
        one must be the whole geslachtsnaam."""
        query = _name_query(achternaam)
        if query is None:
            return []
        return self._search({"type": "ZoekMetGeslachtsnaamEnGeboortedatum",
                             "geboortedatum": geboortedatum.isoformat(), **query}, limit)

    def find_by_address(self, postcode: str, huisnummer: int,
                        limit: int) -> list[PersoonBeperkt]:
        if not _POSTCODE.match(postcode.strip()) or not 1 <= huisnummer <= 99999:
            return []
        return self._search({"type": "ZoekMetPostcodeEnHuisnummer",
                             "postcode": postcode.strip().replace(" ", "").upper(),
                             "huisnummer": huisnummer}, limit)

    def apply_correction(self, decision: DecidedCorrection) -> bool:
        """The BRP is not ours to write: Burgerzaken corrects it from the zaak."""
        return False

    # ----------------------------------------------------------------- calls

    def _search(self, query: dict, limit: int) -> list[PersoonBeperkt]:
        found = self._personen({**query, "fields": list(SEARCH_FIELDS)})
        found.sort(key=_sort_key)
        bsns = [person["burgerservicenummer"] for person in found[:max(limit, 0)]]
        limited: dict[str, dict] = {}
        for start in range(0, len(bsns), MAX_BSNS_PER_CALL):
            for person in self._personen({
                    "type": "RaadpleegMetBurgerservicenummer",
                    "burgerservicenummer": bsns[start:start + MAX_BSNS_PER_CALL],
                    "fields": list(LIMITED_FIELDS)}):
                limited[person["burgerservicenummer"]] = person
        # Gone between the two calls (moved, died): left out, as the next search would.
        return [_persoon_beperkt(limited[bsn]) for bsn in bsns if bsn in limited]

    def _personen(self, body: dict) -> list[dict]:
        answer = self.api.post("personen", body, headers={"Content-Type": CONTENT_TYPE})
        return list(answer.get("personen") or [])


def _name_query(achternaam: str) -> dict | None:
    """"van den Berg" -> voorvoegsel "van den", geslachtsnaam "Berg*"."""
    words = achternaam.split()
    prefix = []
    while len(words) > 1 and words[0].lower() in VOORVOEGSEL_WORDS:
        prefix.append(words.pop(0).lower())
    name = " ".join(words)
    if not _SURNAME.match(name):
        return None
    query: dict[str, Any] = {
        "geslachtsnaam": f"{name}*" if len(name) >= WILDCARD_MINIMUM else name}
    if prefix:
        voorvoegsel = " ".join(prefix)
        if not _VOORVOEGSEL.match(voorvoegsel):
            return None
        query["voorvoegsel"] = voorvoegsel
    return query


def _sort_key(person: dict) -> tuple[str, str]:
    naam = person.get("naam") or {}
    return (naam.get("geslachtsnaam", "").lower(), naam.get("voornamen", "").lower())


# --------------------------------------------------------------------------- the BRP's answer

def _naam(person: dict) -> Naam:
    naam = person.get("naam") or {}
    return Naam(naam.get("voornamen", ""), naam.get("voorvoegsel", ""),
                naam.get("geslachtsnaam", ""))


def _datum(value: dict | None) -> date | None:
    """A whole date ({"type": "Datum", "datum": ...}); None for one known in part
    (JaarDatum, JaarMaandDatum) or not at all (DatumOnbekend)."""
    if not value or value.get("type") != "Datum":
        return None
    return date.fromisoformat(value["datum"])


def _adres(verblijfplaats: dict | None) -> Adres:
    """The current address. Datum aanvang adreshouding is the BRP's datumVan (2.x); older
    gateways give only the deprecated datumIngangGeldigheid. A place that is no Dutch
    address (a locatie such as a houseboat's berth, abroad, unknown) keeps its description
    in the street and no house number."""
    verblijfplaats = verblijfplaats or {}
    adres = verblijfplaats.get("verblijfadres") or {}
    since = _datum(verblijfplaats.get("datumVan")) or _datum(
        verblijfplaats.get("datumIngangGeldigheid"))
    if verblijfplaats.get("type") == "Adres":
        return Adres(straat=adres.get("officieleStraatnaam") or adres.get("korteStraatnaam", ""),
                     huisnummer=adres.get("huisnummer", 0), huisletter=adres.get("huisletter", ""),
                     huisnummertoevoeging=adres.get("huisnummertoevoeging", ""),
                     postcode=_postcode(adres.get("postcode", "")),
                     woonplaats=adres.get("woonplaats", ""), datum_aanvang_adreshouding=since)
    description = adres.get("locatiebeschrijving") or " ".join(
        line for line in (adres.get("regel1"), adres.get("regel2")) if line)
    return Adres(straat=description, huisnummer=0, huisletter="", huisnummertoevoeging="",
                 postcode="", woonplaats="", datum_aanvang_adreshouding=since)


def _postcode(value: str) -> str:
    """"8081BP" -> "8081 BP", as the portal writes it."""
    compact = value.replace(" ", "").upper()
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else value


def _nationaliteit(item: dict) -> str:
    if item.get("type") == "Nationaliteit":
        return (item.get("nationaliteit") or {}).get("omschrijving", "")
    return SPECIAL_NATIONALITIES.get(item.get("type", ""), item.get("type", ""))


def _found_fields(person: dict) -> dict:
    geboorte = person.get("geboorte") or {}
    return {"bsn": person["burgerservicenummer"], "naam": _naam(person),
            "geboorte": Geboorte(_datum(geboorte.get("datum")),
                                 (geboorte.get("plaats") or {}).get("omschrijving", "")),
            "verblijfplaats": _adres(person.get("verblijfplaats")),
            # Delivered only when set, and always (it may not be asked for in fields).
            "geheimhouding_persoonsgegevens": bool(person.get("geheimhoudingPersoonsgegevens"))}


def _persoon_beperkt(person: dict) -> PersoonBeperkt:
    return PersoonBeperkt(**_found_fields(person))


def _persoon(person: dict) -> Persoon:
    geslacht = (person.get("geslacht") or {}).get("code", "O")
    return Persoon(**_found_fields(person), geslacht=SEXES.get(geslacht.upper(), "onbekend"),
                   nationaliteiten=tuple(filter(None, map(_nationaliteit,
                                                          person.get("nationaliteiten", ())))),
                   eerdere_verblijfplaatsen=None, reisdocumenten=None)


# --------------------------------------------------------------------------- set-up

def source_for(app: Flask) -> HaalCentraalPersonsSource:
    """The source on the app's BRP_* settings; PortConfigurationError without a URL."""
    config = app.config
    url = str(config.get("BRP_API_URL") or "").strip()
    if not url:
        raise PortConfigurationError(
            "PERSONS_SOURCE='haalcentraal' needs BRP_API_URL: the Haal Centraal BRP Personen "
            "API's base URL (the one that ends before /personen)")
    key = str(config.get("BRP_API_KEY") or "")
    api = RemoteApi(API_NAME, url, timeout=float(config["BRP_TIMEOUT"]),
                    headers=(lambda: {API_KEY_HEADER: key}) if key else None,
                    tls=TlsSettings(ca_bundle=config.get("BRP_CA_BUNDLE") or "",
                                    client_cert=config.get("BRP_CLIENT_CERT") or "",
                                    client_key=config.get("BRP_CLIENT_KEY") or ""),
                    credentials=CREDENTIAL_SETTINGS)
    return HaalCentraalPersonsSource(api)


def setup_haalcentraal_source(app: Flask) -> HaalCentraalPersonsSource:
    """PERSONS_SOURCE=haalcentraal (app.ports)."""
    return source_for(app)
