"""Mijn omgeving's rules about a resident's zaken, whatever store answers for them, and the
items of personal data it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from app.persons.services import Persoon

UPLOADED_BY = "inwoner via Mijn omgeving"


@dataclass(frozen=True)
class Deadlines:
    target: date | None  # einddatum_gepland: start + servicenorm, what we aim for
    legal: date          # uiterlijke_einddatum_afdoening: start + doorlooptijd
    target_passed: bool
    legal_passed: bool


def deadlines(zaak, today: date) -> Deadlines:
    """zaak: anything with its einddatum, einddatum_gepland and uiterlijke_einddatum_afdoening."""
    still_open = zaak.einddatum is None
    target, legal = zaak.einddatum_gepland, zaak.uiterlijke_einddatum_afdoening
    return Deadlines(target=target, legal=legal,
                     target_passed=still_open and target is not None and today > target,
                     legal_passed=still_open and today > legal)


# --------------------------------------------------------------------------- the data held


@dataclass(frozen=True)
class Item:
    """One item of the personal data as the BRP shows it (Mijn gegevens, and the back
    office's correction page shows the current value the same way)."""

    key: str
    label: str          # lazy text
    brp_name: str       # the BRP's own Dutch name, for the back office
    group: str          # "persoon" | "adres"

    def value(self, person: Persoon) -> str:
        return ITEM_VALUES[self.key](person)


ITEMS = (
    Item("voornamen", _l("First names"), "Voornamen", "persoon"),
    Item("achternaam", _l("Surname"), "Geslachtsnaam", "persoon"),
    Item("geboortedatum", _l("Date of birth"), "Geboortedatum", "persoon"),
    Item("geboorteplaats", _l("Place of birth"), "Geboorteplaats", "persoon"),
    Item("geslacht", _l("Sex"), "Geslacht", "persoon"),
    Item("nationaliteit", _l("Nationality"), "Nationaliteit", "persoon"),
    Item("straat", _l("Street"), "Straatnaam", "adres"),
    Item("huisnummer", _l("House number"), "Huisnummer", "adres"),
    Item("postcode", _l("Postcode"), "Postcode", "adres"),
    Item("woonplaats", _l("Town"), "Woonplaats", "adres"),
    Item("adres_sinds", _l("Living at this address since"), "Datum aanvang adreshouding", "adres"),
)
ITEMS_BY_KEY = {item.key: item for item in ITEMS}
SEX_LABELS = {"vrouw": _l("Female"), "man": _l("Male"), "onbekend": _l("Unknown")}
ITEM_VALUES = {
    "voornamen": lambda p: p.naam.voornamen,
    "achternaam": lambda p: p.naam.achternaam,
    "geboortedatum": lambda p: format_date(p.geboorte.datum, "long"),
    "geboorteplaats": lambda p: p.geboorte.plaats,
    "geslacht": lambda p: str(SEX_LABELS.get(p.geslacht, p.geslacht)),
    # As a correction of this item is written: all of them, separated by commas.
    "nationaliteit": lambda p: ", ".join(p.nationaliteiten) or "-",
    "straat": lambda p: p.verblijfplaats.straat,
    "huisnummer": lambda p: p.verblijfplaats.house_number_text,
    "postcode": lambda p: p.verblijfplaats.postcode,
    "woonplaats": lambda p: p.verblijfplaats.woonplaats,
    "adres_sinds": lambda p: format_date(p.verblijfplaats.datum_aanvang_adreshouding, "long"),
}
