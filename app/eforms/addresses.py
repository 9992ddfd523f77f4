"""Address lookup: postcode + huisnummer -> the street and woonplaats.

Forms ask only postcode, huisnummer, huisletter and toevoeging; the rest comes
from here. Features call ``get_address_lookup()``; the default is
:class:`LocalAddressLookup` on a data file (config ``ADDRESSES_PATH``,
``content/addresses.toml``). A BAG API connector is one more class with the
same ``lookup`` method, named in app.ports for the setting ADDRESS_LOOKUP.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from app.eforms.validators import normalise_postcode
from app.ports import ADDRESS_LOOKUP, PortConfigurationError, implementation

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "content" / "addresses.toml"
POSTCODE = re.compile(r"[1-9][0-9]{3} [A-Z]{2}")
# A house number designation in the data file: 7, 7a, 52-2, 15b-1.
DESIGNATION = re.compile(r"([1-9][0-9]{0,4})([a-zA-Z]?)(?:-([a-zA-Z0-9]{1,4}))?")


@dataclass(frozen=True)
class Address:
    straat: str
    huisnummer: int
    huisletter: str
    toevoeging: str
    postcode: str
    woonplaats: str
    in_municipality: bool

    @property
    def house_number_text(self) -> str:
        addition = f"-{self.toevoeging}" if self.toevoeging else ""
        return f"{self.huisnummer}{self.huisletter}{addition}"

    @property
    def one_line(self) -> str:
        """"Vischpoortstraat 14, 8081 BP Elburg", as the zaak's initiator address."""
        return f"{self.straat} {self.house_number_text}, {self.postcode} {self.woonplaats}"


class AddressLookup(Protocol):
    def lookup(self, postcode: str, huisnummer: int | str, huisletter: str = "",
               toevoeging: str = "") -> Address | None: ...


class AddressDataError(ValueError):
    """The address data file is wrong; the message says where."""


class AddressLookupUnavailable(RuntimeError):
    """The address register did not answer now (down, slow, or refusing the portal's key):
    the address is neither found nor unknown, so the form must say "try again"."""


MUNICIPALITY_CODE = re.compile(r"[0-9]{4}")
HUISLETTER = re.compile(r"[a-zA-Z]")
TOEVOEGING = re.compile(r"[0-9a-zA-Z]{1,4}")


@dataclass(frozen=True)
class AddressQuery:
    """What a resident typed, cleaned the way every register wants it: postcode "8081BP"
    (``compact``) or "8081 BP", a house number 1..99999, and letter and toevoeging as typed
    (no hyphen). The BAG's own patterns (huisletter one letter, toevoeging 1 to 4 letters
    or digits) hold, so no register is sent a question it would refuse."""

    postcode: str
    huisnummer: int
    huisletter: str
    toevoeging: str

    @classmethod
    def parse(cls, postcode: str, huisnummer: int | str, huisletter: str = "",
              toevoeging: str = "") -> "AddressQuery | None":
        """None when no address can have these (the answer is then "not found")."""
        postcode = normalise_postcode(str(postcode or ""))
        number = _house_number(huisnummer)
        letter = (huisletter or "").strip()
        addition = (toevoeging or "").strip().lstrip("-")
        if (not POSTCODE.fullmatch(postcode) or number is None or number > 99999
                or (letter and not HUISLETTER.fullmatch(letter))
                or (addition and not TOEVOEGING.fullmatch(addition))):
            return None
        return cls(postcode, number, letter, addition)

    @property
    def compact(self) -> str:
        return self.postcode.replace(" ", "")

    def matches(self, huisletter: str | None, toevoeging: str | None) -> bool:
        """The register's huisletter and toevoeging are exactly the ones asked for (both
        empty when none were typed); registers differ in case, residents too."""
        return ((huisletter or "").lower(), (toevoeging or "").lower()) == (
            self.huisletter.lower(), self.toevoeging.lower())


def format_postcode(compact: str) -> str:
    """"8081BP" (as the registers give it) -> "8081 BP" (as the portal shows it)."""
    return normalise_postcode(compact)


def municipality_code(app) -> str:
    """The setting MUNICIPALITY_CODE, checked: the BAG lookups cannot decide without it."""
    code = str(app.config.get("MUNICIPALITY_CODE", "")).strip()
    if not MUNICIPALITY_CODE.fullmatch(code):
        raise PortConfigurationError(
            f"MUNICIPALITY_CODE={code!r} is not a CBS gemeentecode of 4 digits (like 0230 for "
            f"Elburg); ADDRESS_LOOKUP={app.config['ADDRESS_LOOKUP']} needs it to tell which "
            f"addresses are in the municipality")
    return code


@dataclass(frozen=True)
class _Street:
    straat: str
    woonplaats: str
    in_municipality: bool


class LocalAddressLookup:
    """Streets with postcode + house number ranges from a TOML file, held in memory."""

    def __init__(self, data: dict[str, Any], source: str = "<addresses>") -> None:
        self._numbers: dict[tuple[str, int], _Street] = {}
        # (postcode, huisnummer, huisletter lower-case, toevoeging lower-case) -> spelling in the data
        self._additions: dict[tuple[str, int, str, str], tuple[str, str]] = {}
        self._load(data, source)

    @classmethod
    def from_file(cls, path: str | Path) -> "LocalAddressLookup":
        with Path(path).open("rb") as file:
            return cls(tomllib.load(file), str(path))

    def lookup(self, postcode: str, huisnummer: int | str, huisletter: str = "",
               toevoeging: str = "") -> Address | None:
        postcode = normalise_postcode(str(postcode or ""))
        number = _house_number(huisnummer)
        street = self._numbers.get((postcode, number)) if number else None
        if street is None:
            return None
        letter, addition = (huisletter or "").strip(), (toevoeging or "").strip().lstrip("-")
        if letter or addition:
            spelling = self._additions.get((postcode, number, letter.lower(), addition.lower()))
            if spelling is None:
                return None
            letter, addition = spelling
        return Address(straat=street.straat, huisnummer=number, huisletter=letter,
                       toevoeging=addition, postcode=postcode, woonplaats=street.woonplaats,
                       in_municipality=street.in_municipality)

    # ----------------------------------------------------------------------- loading

    def _load(self, data: dict[str, Any], source: str) -> None:
        municipality = set(data.get("municipality", {}).get("woonplaatsen", []))
        if not municipality:
            raise AddressDataError(f"{source}: [municipality] woonplaatsen is missing")
        for index, entry in enumerate(data.get("streets", [])):
            where = f"{source}: streets[{index}]"
            try:
                street = _Street(straat=entry["straat"], woonplaats=entry["woonplaats"],
                                 in_municipality=entry["woonplaats"] in municipality)
                for number_range in entry["numbers"]:
                    self._add_range(street, number_range, where)
            except (KeyError, TypeError) as error:
                raise AddressDataError(f"{where}: missing or wrong key {error}") from None

    def _add_range(self, street: _Street, number_range: dict[str, Any], where: str) -> None:
        postcode = number_range["postcode"]
        if not POSTCODE.fullmatch(postcode):
            raise AddressDataError(f"{where}: postcode {postcode!r} is not like '8081 BP'")
        parity = number_range.get("parity", "all")
        step = 1 if parity == "all" else 2
        first = number_range["from"]
        if parity not in ("all", "even", "odd") or (step == 2 and first % 2 != (parity == "odd")):
            raise AddressDataError(f"{where}: {postcode} from {first} does not fit parity {parity!r}")
        for number in range(first, number_range["to"] + 1, step):
            if self._numbers.get((postcode, number), street) != street:
                raise AddressDataError(f"{where}: {postcode} {number} is in two streets")
            self._numbers[(postcode, number)] = street
        for designation in number_range.get("additions", []):
            self._add_designation(street, postcode, designation, where)

    def _add_designation(self, street: _Street, postcode: str, designation: str, where: str) -> None:
        match = DESIGNATION.fullmatch(designation)
        if not match or not (match[2] or match[3]):
            raise AddressDataError(f"{where}: addition {designation!r} is not like '7a' or '52-2'")
        number, letter, addition = int(match[1]), match[2], match[3] or ""
        # A letter or toevoeging always belongs to a house number that exists.
        self._numbers.setdefault((postcode, number), street)
        self._additions[(postcode, number, letter.lower(), addition.lower())] = (letter, addition)


def _house_number(value: int | str) -> int | None:
    text = str(value).strip()
    return int(text) if re.fullmatch(r"[0-9]{1,5}", text) and int(text) > 0 else None


def setup_local_lookup(app) -> LocalAddressLookup:
    """ADDRESS_LOOKUP=local: the data file ADDRESSES_PATH, read once per app (app.ports)."""
    return LocalAddressLookup.from_file(app.config["ADDRESSES_PATH"])


def get_address_lookup() -> AddressLookup:
    """The lookup ADDRESS_LOOKUP chose (app.ports)."""
    return implementation(ADDRESS_LOOKUP)
