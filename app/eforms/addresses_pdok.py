"""ADDRESS_LOOKUP=pdok: the BAG's addresses through PDOK's Locatieserver (free, no key).

One call per lookup: ``GET {PDOK_LOCATIESERVER_URL}/free`` with filter queries for the
object type, the postcode and the house number, and only the fields the portal uses
(specs/pdok-locatieserver-v3_1.json). The huisletter and toevoeging are matched here,
exactly and without regard to case, on the (few) addresses of that postcode and number:
the Locatieserver's documentation does not say whether its ``huisletter`` and
``huisnummertoevoeging`` fields match case-insensitively, and a resident who types no
letter means the address without one, which a filter query cannot ask plainly.

"In our municipality": the document's ``gemeentecode`` equals MUNICIPALITY_CODE.
"""

from __future__ import annotations

import logging
from typing import Any

from app.eforms.addresses import (
    Address,
    AddressLookupUnavailable,
    AddressQuery,
    format_postcode,
    municipality_code,
)
from app.remote import RemoteApi, RemoteError

log = logging.getLogger(__name__)

FIELDS = ("weergavenaam", "straatnaam", "huisnummer", "huisletter", "huisnummertoevoeging",
          "postcode", "woonplaatsnaam", "gemeentenaam", "gemeentecode", "nummeraanduiding_id",
          "adresseerbaarobject_id")
# The spec's maximum: every letter and toevoeging of one postcode + number in one answer.
ROWS = 100


class PdokAddressLookup:
    def __init__(self, api: RemoteApi, municipality_code: str) -> None:
        self.api = api
        self.municipality_code = municipality_code

    def lookup(self, postcode: str, huisnummer: int | str, huisletter: str = "",
               toevoeging: str = "") -> Address | None:
        query = AddressQuery.parse(postcode, huisnummer, huisletter, toevoeging)
        if query is None:
            return None
        params = {"fq": ["type:adres", f"postcode:{query.compact}",
                         f"huisnummer:{query.huisnummer}"],
                  "fl": ",".join(FIELDS), "rows": ROWS}
        try:
            answer = self.api.get("free", params=params)
        except RemoteError as error:
            raise AddressLookupUnavailable(str(error)) from None
        for doc in _docs(answer, self.api.name):
            if doc.get("huisnummer") == query.huisnummer and query.matches(
                    doc.get("huisletter"), doc.get("huisnummertoevoeging")):
                return self._address(doc)
        return None

    def _address(self, doc: dict[str, Any]) -> Address:
        try:
            return Address(straat=doc["straatnaam"], huisnummer=int(doc["huisnummer"]),
                           huisletter=doc.get("huisletter") or "",
                           toevoeging=doc.get("huisnummertoevoeging") or "",
                           postcode=format_postcode(doc["postcode"]),
                           woonplaats=doc["woonplaatsnaam"],
                           in_municipality=doc.get("gemeentecode") == self.municipality_code)
        except (KeyError, TypeError, ValueError):
            log.error("%s: an address document without the fields asked for", self.api.name)
            raise AddressLookupUnavailable(f"{self.api.name}: incomplete answer") from None


def _docs(answer: Any, api: str) -> list[dict[str, Any]]:
    try:
        docs = answer["response"]["docs"]
    except (KeyError, TypeError):
        log.error("%s: an answer without response.docs", api)
        raise AddressLookupUnavailable(f"{api}: unexpected answer") from None
    return [doc for doc in docs if isinstance(doc, dict)]


def setup_pdok_lookup(app) -> PdokAddressLookup:
    """ADDRESS_LOOKUP=pdok (app.ports)."""
    api = RemoteApi("PDOK Locatieserver", app.config["PDOK_LOCATIESERVER_URL"],
                    timeout=app.config["ADDRESS_LOOKUP_TIMEOUT"],
                    headers=lambda: {"Accept": "application/json"})
    return PdokAddressLookup(api, municipality_code(app))
