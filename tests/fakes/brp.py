"""A stateful fake of Haal Centraal BRP Personen 2.x, held to the official spec by
SpecCheckedServer (every request and response validated; violations kept for the fixture
to assert at teardown).

It holds persons in the portal's personas shape (app/persons/personas.toml, so the
contract tests expect the same of it as of the local table) and answers as the BRP does:

- ``RaadpleegMetBurgerservicenummer``: the Persoon of each BSN known;
- ``ZoekMetGeslachtsnaamEnGeboortedatum``: the birth date exactly; the geslachtsnaam (the
  name without its voorvoegsel) whole, or from its start with a trailing "*" after at least
  three letters, in any case and without regard to diacritics; the voorvoegsel, when
  given, whole;
- ``ZoekMetPostcodeEnHuisnummer``: everyone registered at that postcode and number.

Searches answer the BRP's PersoonBeperkt (no birthplace, the address only as adressering
lines). ``fields`` is applied and checked as the BRP does: an unknown path, or an
automatically delivered one (geheimhoudingPersoonsgegevens, ...), answers 400. Without the
right ``X-API-KEY`` header it answers 401. ``BrpFake.bodies()`` gives the JSON bodies the
portal sent, for tests to assert on what was asked.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from typing import Any

from tests.fakes.spec_server import Reply, SpecCheckedServer

SPEC = "haalcentraal-brp-personen-2.x-resolved.yaml"
PATH = "/personen"
JSON = "application/json; charset=utf-8"
PROBLEM = "application/problem+json"

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
SEX_CODES = {"vrouw": ("V", "vrouw"), "man": ("M", "man"), "onbekend": ("O", "onbekend")}
NATIONALITY_CODES = {"Nederlandse": "0001", "Marokkaanse": "0250", "Poolse": "0079",
                     "Turkse": "0263", "Duitse": "0006"}
# Delivered with every answer when set; asking for them in fields is a 400.
AUTOMATIC = {"geheimhoudingPersoonsgegevens", "inOnderzoek", "opschortingBijhouding", "rni",
             "verificatie"}
# The paths a Persoon may be asked for that this fake can fill (a subset of the spec's).
PERSON_PATHS = {
    "burgerservicenummer", "geslacht", "geslacht.code", "geslacht.omschrijving",
    "naam", "naam.voornamen", "naam.voorvoegsel", "naam.geslachtsnaam", "naam.voorletters",
    "naam.volledigeNaam", "geboorte", "geboorte.datum", "geboorte.plaats", "nationaliteiten",
    "nationaliteiten.nationaliteit", "verblijfplaats", "verblijfplaats.datumVan",
    "verblijfplaats.datumIngangGeldigheid", "verblijfplaats.verblijfadres",
    *(f"verblijfplaats.verblijfadres.{name}" for name in (
        "officieleStraatnaam", "korteStraatnaam", "huisnummer", "huisletter",
        "huisnummertoevoeging", "postcode", "woonplaats", "locatiebeschrijving", "regel1",
        "regel2", "regel3", "land")),
    "adressering", "adressering.adresregel1", "adressering.adresregel2",
}
# A search's PersoonBeperkt has far fewer.
LIMITED_PATHS = {
    "burgerservicenummer", "geslacht", "naam", "naam.voornamen", "naam.voorvoegsel",
    "naam.geslachtsnaam", "naam.voorletters", "naam.volledigeNaam", "geboorte",
    "geboorte.datum", "leeftijd", "adressering", "adressering.adresregel1",
    "adressering.adresregel2",
}


class BrpFake:
    """The fake BRP on a loopback port: ``url`` is the base URL the portal is given."""

    def __init__(self, personas: list[dict], *, api_key: str = "test-brp-key") -> None:
        self.api_key = api_key
        self._personas = personas
        self.persons: dict[str, dict] = {p["bsn"]: dict(p) for p in personas}
        self.server = SpecCheckedServer(SPEC)
        self.server.route("POST", PATH)(self._personen)
        self.url = self.server.base_url

    def start(self) -> BrpFake:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def assert_no_violations(self) -> None:
        self.server.assert_no_violations()

    # ----------------------------------------------------------------- state and faults

    def reset(self) -> None:
        """Back to the personas it started with, nothing asked, no violations (for a server shared by
        several tests: stopping one takes half a second)."""
        self.persons = {p["bsn"]: dict(p) for p in self._personas}
        with self.server._lock:
            self.server.requests.clear()
            self.server.violations.clear()

    def add(self, persona: dict) -> None:
        self.persons[persona["bsn"]] = dict(persona)

    def fail(self, *, status: int | None = 503, delay: float = 0.0, times: int = 1) -> None:
        """The next ``times`` calls answer ``status`` (None: answer, but after ``delay``)."""
        self.server.fail("POST", PATH, status=status, delay=delay, times=times)

    def bodies(self) -> list[dict]:
        """The JSON bodies of the calls that reached the BRP, in order."""
        return [json.loads(request.get_data()) for request in self.server.calls("POST", PATH)]

    # ----------------------------------------------------------------- answering

    def _personen(self, request) -> Reply:
        if request.headers.get("X-API-KEY") != self.api_key:
            return _problem(401, "Niet correct geauthenticeerd.", "authentication")
        query = request.get_json()
        kind = query["type"]
        limited = kind != "RaadpleegMetBurgerservicenummer"
        allowed = LIMITED_PATHS if limited else PERSON_PATHS
        wrong = [path for path in query["fields"] if path in AUTOMATIC or path not in allowed]
        if wrong:
            return _problem(400, "Een of meerdere parameters zijn niet correct.", "paramsValidation",
                            invalid=[{"name": "fields", "code": "field",
                                      "reason": "Parameter bevat een niet bestaande veldnaam."}])
        if kind == "RaadpleegMetBurgerservicenummer":
            found = [self.persons[bsn] for bsn in query["burgerservicenummer"]
                     if bsn in self.persons]
        elif kind == "ZoekMetGeslachtsnaamEnGeboortedatum":
            found = [p for p in self.persons.values() if _by_name(p, query)]
        elif kind == "ZoekMetPostcodeEnHuisnummer":
            found = [p for p in self.persons.values() if _by_address(p, query)]
        else:
            return _problem(400, "Dit zoektype wordt hier niet ondersteund.", "paramsValidation")
        shape = _persoon_beperkt if limited else _persoon
        return Reply(200, {"type": kind,
                           "personen": [_filtered(shape(p), query["fields"]) for p in found]},
                     content_type=JSON)


def _problem(status: int, title: str, code: str, invalid: list | None = None) -> Reply:
    body: dict[str, Any] = {"type": "https://www.rfc-editor.org/rfc/rfc9110", "title": title,
                            "status": status, "code": code}
    if invalid:
        body["invalidParams"] = invalid
    return Reply(status, body, content_type=PROBLEM)


# --------------------------------------------------------------------------- matching

def _plain(text: str) -> str:
    """Lower case without diacritics: the BRP's search compares names this way."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower())
                   if not unicodedata.combining(c))


def _matches(value: str, wanted: str) -> bool:
    value, wanted = _plain(value), _plain(wanted)
    if wanted.endswith("*"):
        return value.startswith(wanted[:-1])
    return value == wanted


def _by_name(person: dict, query: dict) -> bool:
    return (person["geboortedatum"].isoformat() == query["geboortedatum"]
            and _matches(person["geslachtsnaam"], query["geslachtsnaam"])
            and ("voorvoegsel" not in query
                 or _plain(person["voorvoegsel"]) == _plain(query["voorvoegsel"])))


def _by_address(person: dict, query: dict) -> bool:
    def compact(postcode: str) -> str:
        return postcode.replace(" ", "").upper()
    return (compact(person["postcode"]) == compact(query["postcode"])
            and person["huisnummer"] == query["huisnummer"]
            and _plain(query.get("huisletter", person["huisletter"])) == _plain(
                person["huisletter"])
            and _plain(query.get("huisnummertoevoeging", person["huisnummertoevoeging"]))
            == _plain(person["huisnummertoevoeging"]))


# --------------------------------------------------------------------------- the BRP's shapes

def _datum(day: date) -> dict:
    return {"type": "Datum", "datum": day.isoformat(),
            "langFormaat": f"{day.day} {MONTHS[day.month - 1]} {day.year}"}


def _without_blanks(values: dict) -> dict:
    """The BRP leaves out what has no value."""
    return {key: value for key, value in values.items() if value not in ("", None, [], {})}


def _naam(p: dict) -> dict:
    initials = " ".join(f"{name[0]}." for name in p["voornamen"].split())
    return _without_blanks({
        "voornamen": p["voornamen"], "voorvoegsel": p["voorvoegsel"],
        "geslachtsnaam": p["geslachtsnaam"], "voorletters": initials,
        "volledigeNaam": " ".join(part for part in (p["voornamen"], p["voorvoegsel"],
                                                    p["geslachtsnaam"]) if part)})


def _adressering(p: dict) -> dict:
    addition = f"-{p['huisnummertoevoeging']}" if p["huisnummertoevoeging"] else ""
    return {"adresregel1": f"{p['straat']} {p['huisnummer']}{p['huisletter']}{addition}",
            "adresregel2": f"{p['postcode']}  {p['woonplaats'].upper()}"}


def _verblijfplaats(p: dict) -> dict:
    since = _datum(p["datum_aanvang_adreshouding"])
    return {"type": "Adres", "datumVan": since, "datumIngangGeldigheid": since,
            "verblijfadres": _without_blanks({
                "officieleStraatnaam": p["straat"], "korteStraatnaam": p["straat"][:24],
                "huisnummer": p["huisnummer"], "huisletter": p["huisletter"],
                "huisnummertoevoeging": p["huisnummertoevoeging"],
                "postcode": p["postcode"].replace(" ", ""), "woonplaats": p["woonplaats"]})}


def _nationaliteit(name: str) -> dict:
    return {"type": "Nationaliteit", "nationaliteit": _without_blanks(
        {"code": NATIONALITY_CODES.get(name, ""), "omschrijving": name})}


def _persoon(p: dict) -> dict:
    code, omschrijving = SEX_CODES[p.get("geslacht", "onbekend")]
    return _without_blanks({
        "burgerservicenummer": p["bsn"], "geslacht": {"code": code, "omschrijving": omschrijving},
        "naam": _naam(p),
        "geboorte": {"datum": _datum(p["geboortedatum"]),
                     "plaats": {"omschrijving": p["geboorteplaats"]}},
        "nationaliteiten": [_nationaliteit(name) for name in p.get("nationaliteiten", ())],
        "verblijfplaats": _verblijfplaats(p), "adressering": _adressering(p),
        "geheimhoudingPersoonsgegevens": p.get("geheimhouding_persoonsgegevens") or None})


def _persoon_beperkt(p: dict) -> dict:
    code, omschrijving = SEX_CODES[p.get("geslacht", "onbekend")]
    return _without_blanks({
        "burgerservicenummer": p["bsn"], "geslacht": {"code": code, "omschrijving": omschrijving},
        "naam": _naam(p), "geboorte": {"datum": _datum(p["geboortedatum"])},
        "adressering": _adressering(p),
        "geheimhoudingPersoonsgegevens": p.get("geheimhouding_persoonsgegevens") or None})


def _filtered(person: dict, fields: list[str]) -> dict:
    """Only the asked paths (a path takes everything under it), the automatic ones, and the
    ``type`` of every polymorphic object kept (the spec requires it)."""
    out: dict[str, Any] = {key: person[key] for key in AUTOMATIC if key in person}
    for path in fields:
        _copy(person, out, path.split("."))
    return out


def _copy(source: Any, target: dict, parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    if not isinstance(source, dict) or head not in source:
        return
    value = source[head]
    if not rest:
        target[head] = value
        return
    if isinstance(value, list):
        items = target.setdefault(head, [{} for _ in value])
        for item, into in zip(value, items, strict=True):
            if "type" in item:
                into["type"] = item["type"]
            _copy(item, into, rest)
        return
    into = target.setdefault(head, {})
    if isinstance(value, dict) and "type" in value:
        into["type"] = value["type"]
    _copy(value, into, rest)
