"""A stand-in for the Kadaster's BAG API Individuele Bevragingen v2 (``GET /adressen`` and
``GET /bronhouders``), checked against specs/lvbag-individuelebevragingen-v2.yaml by
SpecCheckedServer: the portal's requests (parameters, their patterns, the ``X-Api-Key``
security scheme) and every answer given here.

Behaviour from lvbag/BAG-API's functional specs (Features/): ``exacteMatch=true`` leaves
out the number's other letters and toevoegingen (exacte_match.feature); a key that is not
the right one answers 403 (the spec's apiKeyBAG scheme; foutafhandeling.feature).
"""

from __future__ import annotations

from pathlib import Path

from tests.fakes.bag_register import RegisterAddress, register_addresses
from tests.fakes.spec_server import Reply, SpecCheckedServer

SPEC = "lvbag-individuelebevragingen-v2.yaml"
HAL = "application/hal+json"
PROBLEM = "application/problem+json"
# The spec's api-version response header is required on every answer.
HEADERS = {"api-version": "2.0.0"}


class BagFake:
    def __init__(self, addresses_path: str | Path, api_key: str = "test-bag-key") -> None:
        self.api_key = api_key
        self.addresses = register_addresses(addresses_path)
        self.server = SpecCheckedServer(SPEC)
        self.server.route("GET", "/adressen")(self._adressen)
        self.server.route("GET", "/bronhouders")(self._bronhouders)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def start(self) -> BagFake:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    # ------------------------------------------------------------------ operations

    def _adressen(self, request) -> Reply:
        if (refused := self._refusal(request)) is not None:
            return refused
        args = request.args
        postcode = args.get("postcode", "").replace(" ", "").upper()
        number = int(args.get("huisnummer", 0))
        letter = args.get("huisletter")
        addition = args.get("huisnummertoevoeging")
        exact = args.get("exacteMatch", "false") == "true"
        found = [a for a in self.addresses if a.postcode == postcode and a.huisnummer == number
                 and _same(a.huisletter, letter, exact) and _same(a.toevoeging, addition, exact)]
        return Reply(200, {"_links": {"self": {"href": self._href(request)}},
                           "_embedded": {"adressen": [self._adres(a) for a in found]}},
                     headers=dict(HEADERS), content_type=HAL)

    def _bronhouders(self, request) -> Reply:
        if (refused := self._refusal(request)) is not None:
            return refused
        wanted = request.args.get("objectIdentificatie") or request.args.get(
            "woonplaatsIdentificatie")
        gemeente = next(((a.gemeentecode, a.gemeentenaam) for a in self.addresses
                         if wanted in (a.woonplaats_id, a.openbareruimte_id,
                                       a.nummeraanduiding_id, a.adresseerbaarobject_id)), None)
        if gemeente is None:
            return self._problem(request, 404, "Opgevraagde resource bestaat niet.", "notFound")
        code, naam = gemeente
        return Reply(200, {"_links": {"self": {"href": self._href(request)}},
                           "_embedded": {"bronhouders": [{
                               "bronhouder": {"code": code, "naam": naam},
                               "_links": {"self": {"href": f"{self.base_url}/bronhouders/{code}"}},
                           }]}}, headers=dict(HEADERS), content_type=HAL)

    # ------------------------------------------------------------------ helpers

    def _refusal(self, request) -> Reply | None:
        if request.headers.get("X-Api-Key") == self.api_key:
            return None
        return self._problem(request, 403, "Geen geldige API key.", "forbidden")

    def _problem(self, request, status: int, title: str, code: str) -> Reply:
        return Reply(status, {"type": f"https://httpstatuses.io/{status}", "title": title,
                              "status": status, "detail": title, "instance": self._href(request),
                              "code": code},
                     headers=dict(HEADERS), content_type=PROBLEM)

    def _href(self, request) -> str:
        return f"{self.base_url}{request.path.removeprefix(self.server.base_path)}"

    def _adres(self, a: RegisterAddress) -> dict:
        adres = {"openbareRuimteNaam": a.straat, "huisnummer": a.huisnummer,
                 "postcode": a.postcode, "woonplaatsNaam": a.woonplaats,
                 "nummeraanduidingIdentificatie": a.nummeraanduiding_id,
                 "openbareRuimteIdentificatie": a.openbareruimte_id,
                 "woonplaatsIdentificatie": a.woonplaats_id,
                 "adresseerbaarObjectIdentificatie": a.adresseerbaarobject_id,
                 "_links": {
                     "self": {"href": f"{self.base_url}/adressen/{a.nummeraanduiding_id}"},
                     "woonplaats": {"href": f"{self.base_url}/woonplaatsen/{a.woonplaats_id}"}}}
        if len(a.straat) <= 24:
            adres["korteNaam"] = a.straat
        if a.huisletter:
            adres["huisletter"] = a.huisletter
        if a.toevoeging:
            adres["huisnummertoevoeging"] = a.toevoeging
        return adres


def _same(registered: str, asked: str | None, exact: bool) -> bool:
    """A letter or toevoeging asked for must be the one registered (the BAG ignores case);
    one not asked for is any, or with exacteMatch none."""
    if asked is None:
        return not (exact and registered)
    return registered.lower() == asked.lower()
