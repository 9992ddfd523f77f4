"""ADDRESS_LOOKUP=bag: the Kadaster's BAG API Individuele Bevragingen v2 (needs a key).

``GET {BAG_API_URL}/adressen?postcode=&huisnummer=[&huisletter=][&huisnummertoevoeging=]
&exacteMatch=true`` with the key in ``X-Api-Key`` answers HAL JSON ``_embedded.adressen``
(specs/lvbag-individuelebevragingen-v2.yaml). With exacteMatch the BAG leaves out the other
letters and toevoegingen of the number (lvbag/BAG-API Features/exacte_match.feature), but
"situations remain where more than one comes back", so the exact one is still picked here.

An ``Adres`` names its woonplaats, not its gemeente. The gemeente is the woonplaats's
bronhouder: ``GET /bronhouders?objectIdentificatie={woonplaatsIdentificatie}`` answers its
``code``, the CBS gemeentecode, which is compared with MUNICIPALITY_CODE. A woonplaats
changes gemeente only by a municipal merger, so the code is kept per woonplaats for the
life of the process (a few dozen entries at most for one municipality's residents).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from app.eforms.addresses import (
    Address,
    AddressLookupUnavailable,
    AddressQuery,
    format_postcode,
    municipality_code,
)
from app.ports import PortConfigurationError
from app.remote import RemoteApi, RemoteError

log = logging.getLogger(__name__)

HAL = {"Accept": "application/hal+json"}


# What to check when the BAG API refuses the portal (RemoteApi logs it).
CREDENTIAL_SETTINGS = "BAG_API_KEY"

class BagAddressLookup:
    def __init__(self, api: RemoteApi, municipality_code: str) -> None:
        self.api = api
        self.municipality_code = municipality_code
        self._gemeente: dict[str, str] = {}   # woonplaatsIdentificatie -> gemeentecode
        self._lock = threading.Lock()

    def lookup(self, postcode: str, huisnummer: int | str, huisletter: str = "",
               toevoeging: str = "") -> Address | None:
        query = AddressQuery.parse(postcode, huisnummer, huisletter, toevoeging)
        if query is None:
            return None
        params: dict[str, Any] = {"postcode": query.compact, "huisnummer": query.huisnummer,
                                  "exacteMatch": "true"}
        if query.huisletter:
            params["huisletter"] = query.huisletter
        if query.toevoeging:
            params["huisnummertoevoeging"] = query.toevoeging
        adressen = _embedded(self._get("adressen", params), "adressen", self.api.name)
        for adres in adressen:
            if adres.get("huisnummer") == query.huisnummer and query.matches(
                    adres.get("huisletter"), adres.get("huisnummertoevoeging")):
                return self._address(adres)
        return None

    def gemeentecode(self, woonplaats: str) -> str:
        """The CBS code of the gemeente the woonplaats belongs to (its BAG bronhouder)."""
        with self._lock:
            known = self._gemeente.get(woonplaats)
        if known is not None:
            return known
        bronhouders = _embedded(self._get("bronhouders", {"objectIdentificatie": woonplaats}),
                                "bronhouders", self.api.name)
        try:
            code = bronhouders[0]["bronhouder"]["code"]
        except (IndexError, KeyError, TypeError):
            log.error("%s: no bronhouder for a woonplaats", self.api.name)
            raise AddressLookupUnavailable(f"{self.api.name}: no bronhouder") from None
        with self._lock:
            self._gemeente[woonplaats] = code
        return code

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        try:
            return self.api.get(path, params=params, headers=HAL)
        except RemoteError as error:  # a refused key too: RemoteApi logs which setting
            raise AddressLookupUnavailable(str(error)) from None

    def _address(self, adres: dict[str, Any]) -> Address:
        try:
            return Address(straat=adres["openbareRuimteNaam"], huisnummer=int(adres["huisnummer"]),
                           huisletter=adres.get("huisletter") or "",
                           toevoeging=adres.get("huisnummertoevoeging") or "",
                           postcode=format_postcode(adres["postcode"]),
                           woonplaats=adres["woonplaatsNaam"],
                           in_municipality=self.gemeentecode(
                               adres["woonplaatsIdentificatie"]) == self.municipality_code)
        except (KeyError, TypeError, ValueError):
            log.error("%s: an adres without the fields the spec requires", self.api.name)
            raise AddressLookupUnavailable(f"{self.api.name}: incomplete answer") from None


def _embedded(answer: Any, name: str, api: str) -> list[dict[str, Any]]:
    """``_embedded.<name>``; a search that finds nothing may leave ``_embedded`` out."""
    if not isinstance(answer, dict):
        log.error("%s: an answer that is not a HAL object", api)
        raise AddressLookupUnavailable(f"{api}: unexpected answer")
    items = (answer.get("_embedded") or {}).get(name) or []
    return [item for item in items if isinstance(item, dict)]


def setup_bag_lookup(app) -> BagAddressLookup:
    """ADDRESS_LOOKUP=bag (app.ports); without BAG_API_KEY the app does not start."""
    key = str(app.config.get("BAG_API_KEY") or "").strip()
    if not key:
        raise PortConfigurationError(
            "ADDRESS_LOOKUP=bag needs BAG_API_KEY: the Kadaster's key for the BAG API "
            "Individuele Bevragingen (https://www.kadaster.nl/zakelijk/producten/"
            "adressen-en-gebouwen/bag-api-individuele-bevragingen); or choose "
            "ADDRESS_LOOKUP=pdok, which needs no key")
    api = RemoteApi("BAG API", app.config["BAG_API_URL"],
                    timeout=app.config["ADDRESS_LOOKUP_TIMEOUT"],
                    headers=lambda: {"X-Api-Key": key}, credentials=CREDENTIAL_SETTINGS)
    return BagAddressLookup(api, municipality_code(app))
