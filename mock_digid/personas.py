"""The fictional residents who can log in, read from the portal's own persona file."""

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

# DigiD reports its level of assurance as a SAML authentication context class.
ACR_BY_LOA = {
    "basis": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    "midden": "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "substantieel": "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
    "hoog": "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
}


LEVELS = tuple(ACR_BY_LOA)  # from low to high


def requested_level(acr_values: str | None) -> str | None:
    """The lowest level the client accepts (`acr_values`, space-separated, SAML classes or plain
    names), as DigiD reads it: the service's minimum. None when nothing known was asked."""
    by_acr = {acr: level for level, acr in ACR_BY_LOA.items()}
    asked = [by_acr.get(value) or (value.lower() if value.lower() in ACR_BY_LOA else None)
             for value in (acr_values or "").split()]
    known = [level for level in asked if level]
    return min(known, key=LEVELS.index) if known else None


def meets(level: str, minimum: str | None) -> bool:
    return minimum is None or LEVELS.index(level) >= LEVELS.index(minimum)


@dataclass(frozen=True)
class Persona:
    bsn: str
    voornamen: str
    voorvoegsel: str
    geslachtsnaam: str
    loa: str
    # DigiD Machtigen: the BSNs of the people this persona may act for.
    machtigingen: tuple[str, ...] = ()

    @property
    def family_name(self) -> str:
        return _join(self.voorvoegsel, self.geslachtsnaam)

    @property
    def display_name(self) -> str:
        return _join(self.voornamen, self.family_name)

    @property
    def acr(self) -> str:
        return ACR_BY_LOA[self.loa]

    @property
    def key(self) -> str:
        return self.bsn

    @property
    def button_label(self) -> str:
        return f"{self.display_name} (BSN {self.bsn}, {self.loa.capitalize()})"

    def subject(self, issuer: str) -> str:
        """A stable pseudonym: relying parties get the BSN only as a claim, never as the subject."""
        return hashlib.sha256(f"{issuer}{self.bsn}".encode()).hexdigest()

    def claims(self, issuer: str) -> dict:
        """What DigiD asserts about the resident; the same claims whatever scope was asked."""
        return {"sub": self.subject(issuer), "bsn": self.bsn, "name": self.display_name,
                "given_name": self.voornamen, "family_name": self.family_name}


@dataclass(frozen=True)
class StaffAccount:
    """An employee at the municipality's own identity provider (the mock's --staff mode)."""

    username: str
    naam: str
    email: str

    key = property(lambda self: self.username)
    display_name = property(lambda self: self.naam)
    button_label = property(lambda self: f"{self.naam} ({self.username})")
    acr = None  # the municipality's IdP states no DigiD level

    def subject(self, issuer: str) -> str:
        return hashlib.sha256(f"{issuer}{self.username}".encode()).hexdigest()

    def claims(self, issuer: str) -> dict:
        return {"sub": self.subject(issuer), "preferred_username": self.username,
                "name": self.naam, "email": self.email}


def load_personas(path: Path) -> dict[str, Persona]:
    """Personas by BSN, in file order."""
    with open(path, "rb") as file:
        rows = tomllib.load(file)["persona"]
    personas = [_persona(row) for row in rows]
    return {persona.bsn: persona for persona in personas}


def load_staff_accounts(path: Path) -> dict[str, StaffAccount]:
    """Staff accounts by username, in file order (the portal's staff_accounts.toml)."""
    with open(path, "rb") as file:
        rows = tomllib.load(file)["account"]
    return {row["username"]: StaffAccount(row["username"], row["naam"], row["email"]) for row in rows}


def _persona(row: dict) -> Persona:
    if row["loa"] not in ACR_BY_LOA:
        raise ValueError(f"persona loa must be one of {', '.join(ACR_BY_LOA)}, not {row['loa']!r}")
    return Persona(
        bsn=row["bsn"],
        voornamen=row["voornamen"],
        voorvoegsel=row.get("voorvoegsel", ""),
        geslachtsnaam=row["geslachtsnaam"],
        loa=row["loa"],
        machtigingen=tuple(row.get("machtigingen", ())),
    )


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)
