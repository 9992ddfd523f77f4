"""The addresses the BAG fakes serve: exactly those of the local register's data file
(ADDRESSES_PATH, content/addresses.toml), so the one contract suite of AddressLookup runs
against the local register, PDOK and the BAG API alike.

The data file knows streets, woonplaatsen and which woonplaatsen are in the municipality;
a BAG answer also carries identifiers and the gemeente. Those are made up here, fixed per
address: the gemeente of a woonplaats in the municipality is MUNICIPALITY (Elburg, 0230);
the neighbours get their real CBS gemeentecodes. Woonplaats and object identifiers are
fictional but have the BAG's lengths (4 and 16 digits).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from app.eforms.addresses import DESIGNATION

MUNICIPALITY = ("0230", "Elburg")
NEIGHBOURS = {"Harderwijk": ("0243", "Harderwijk"), "Zwolle": ("0193", "Zwolle"),
              "Nunspeet": ("0302", "Nunspeet")}


@dataclass(frozen=True)
class RegisterAddress:
    straat: str
    huisnummer: int
    huisletter: str
    toevoeging: str
    postcode: str            # as the BAG writes it: "8081BP"
    woonplaats: str
    woonplaats_id: str       # 4 digits
    openbareruimte_id: str   # 16 digits
    gemeentecode: str
    gemeentenaam: str
    nummeraanduiding_id: str
    adresseerbaarobject_id: str

    @property
    def house_number_text(self) -> str:
        addition = f"-{self.toevoeging}" if self.toevoeging else ""
        return f"{self.huisnummer}{self.huisletter}{addition}"


def register_addresses(path: str | Path) -> list[RegisterAddress]:
    data = tomllib.loads(Path(path).read_text())
    in_municipality = set(data["municipality"]["woonplaatsen"])
    woonplaatsen: dict[str, str] = {}
    found: dict[tuple, RegisterAddress] = {}
    for street_index, street in enumerate(data["streets"], start=1):
        woonplaats = street["woonplaats"]
        gemeente = MUNICIPALITY if woonplaats in in_municipality else NEIGHBOURS[woonplaats]
        place = {"straat": street["straat"], "woonplaats": woonplaats,
                 "woonplaats_id": woonplaatsen.setdefault(
                     woonplaats, f"{3000 + len(woonplaatsen):04d}"),
                 "openbareruimte_id": f"{gemeente[0]}300000{street_index:06d}",
                 "gemeentecode": gemeente[0], "gemeentenaam": gemeente[1]}
        for numbers in street["numbers"]:
            postcode = numbers["postcode"].replace(" ", "")
            step = 1 if numbers.get("parity", "all") == "all" else 2
            designations = [(number, "", "") for number in
                            range(numbers["from"], numbers["to"] + 1, step)]
            for designation in numbers.get("additions", []):
                match = DESIGNATION.fullmatch(designation)
                # A letter or toevoeging belongs to a number that exists too.
                designations += [(int(match[1]), "", ""),
                                 (int(match[1]), match[2], match[3] or "")]
            for number, letter, addition in designations:
                key = (postcode, number, letter.lower(), addition.lower())
                if key not in found:
                    found[key] = _address(place, postcode, number, letter, addition,
                                          index=len(found) + 1)
    return list(found.values())


def _address(place: dict, postcode: str, number: int, letter: str, addition: str,
             index: int) -> RegisterAddress:
    code = place["gemeentecode"]
    return RegisterAddress(huisnummer=number, huisletter=letter, toevoeging=addition,
                           postcode=postcode, nummeraanduiding_id=f"{code}200000{index:06d}",
                           adresseerbaarobject_id=f"{code}010000{index:06d}", **place)
