"""A stand-in for PDOK's Locatieserver (``/free`` only), checked against
specs/pdok-locatieserver-v3_1.json by SpecCheckedServer.

That spec fixes the parameters (``fq`` repeated, ``fl``, ``rows``, ...) and the envelope
(``response.numFound``, ``docs`` ...) but leaves the documents' fields open. Their names
and shapes here follow PDOK's own field list (the ``fl`` default in the spec) and the
documented examples (RijksICTGilde/handleiding-locatieserver, 02-free.Rmd: postcode written
"9712JN", weergavenaam "Sint Jansstraat 4, 9712JN Groningen", huisnummer a number).

A filter query this fake does not understand answers 400, as an unknown field does at PDOK
(Solr: "undefined field"); it understands ``type``, ``postcode``, ``huisnummer``,
``huisletter`` and ``huisnummertoevoeging`` filters of the form ``field:value``.
"""

from __future__ import annotations

from pathlib import Path

from tests.fakes.bag_register import RegisterAddress, register_addresses
from tests.fakes.spec_server import Reply, SpecCheckedServer

SPEC = "pdok-locatieserver-v3_1.json"
FILTERS = {"type", "postcode", "huisnummer", "huisletter", "huisnummertoevoeging"}


class PdokFake:
    def __init__(self, addresses_path: str | Path) -> None:
        self.addresses = register_addresses(addresses_path)
        self.server = SpecCheckedServer(SPEC)
        self.server.route("GET", "/free")(self._free)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def start(self) -> PdokFake:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def add(self, address: RegisterAddress) -> None:
        """An address registered after the fake started (the register changes)."""
        self.addresses.append(address)

    def _free(self, request) -> Reply:
        filters: dict[str, str] = {}
        for query in request.args.getlist("fq"):
            field, _, value = query.partition(":")
            if field not in FILTERS or not value:
                return Reply(400, {"error": {"code": 400, "msg": f"undefined field {field}",
                                             "metadata": ["error-class"]}})
            filters[field] = value
        docs = [_doc(a) for a in self.addresses if _fits(a, filters)]
        rows = int(request.args.get("rows", 10))
        fields = [f for f in request.args.get("fl", "").replace(",", " ").split() if f]
        if fields:
            docs = [{k: v for k, v in doc.items() if k in fields} for doc in docs]
        return Reply(200, {"response": {"numFound": len(docs), "start": 0, "maxScore": 1.0,
                                        "numFoundExact": True, "docs": docs[:rows]}})


def _fits(address: RegisterAddress, filters: dict[str, str]) -> bool:
    values = {"type": "adres", "postcode": address.postcode,
              "huisnummer": str(address.huisnummer), "huisletter": address.huisletter,
              "huisnummertoevoeging": address.toevoeging}
    return all(values[field] == value for field, value in filters.items())


def _doc(address: RegisterAddress) -> dict:
    doc = {"type": "adres", "bron": "BAG", "id": f"adr-{address.nummeraanduiding_id}",
           "weergavenaam": f"{address.straat} {address.house_number_text}, "
                           f"{address.postcode} {address.woonplaats}",
           "straatnaam": address.straat, "huisnummer": address.huisnummer,
           "huis_nlt": address.house_number_text, "postcode": address.postcode,
           "woonplaatsnaam": address.woonplaats, "woonplaatscode": address.woonplaats_id,
           "gemeentenaam": address.gemeentenaam, "gemeentecode": address.gemeentecode,
           "nummeraanduiding_id": address.nummeraanduiding_id,
           "adresseerbaarobject_id": address.adresseerbaarobject_id,
           "openbareruimte_id": address.openbareruimte_id}
    if address.huisletter:
        doc["huisletter"] = address.huisletter
    if address.toevoeging:
        doc["huisnummertoevoeging"] = address.toevoeging
    return doc
