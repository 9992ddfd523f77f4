"""Levels of assurance: DigiD's four levels as one ordered scale.

Providers express the level in the ``acr`` claim in different vocabularies:
our plain names, the SAML authentication context classes DigiD uses, and the
eIDAS levels. eIDAS "low" is DigiD Midden (Logius maps them so).
"""

from enum import IntEnum


class Loa(IntEnum):
    BASIS = 10
    MIDDEN = 20
    SUBSTANTIEEL = 25
    HOOG = 30


_SAML = "urn:oasis:names:tc:SAML:2.0:ac:classes:"
_EIDAS = "http://eidas.europa.eu/LoA/"

ACR_TO_LOA = {
    "basis": Loa.BASIS,
    "midden": Loa.MIDDEN,
    "substantieel": Loa.SUBSTANTIEEL,
    "hoog": Loa.HOOG,
    _SAML + "PasswordProtectedTransport": Loa.BASIS,
    _SAML + "MobileTwoFactorContract": Loa.MIDDEN,
    _SAML + "Smartcard": Loa.SUBSTANTIEEL,
    _SAML + "SmartcardPKI": Loa.HOOG,
    _EIDAS + "low": Loa.MIDDEN,
    _EIDAS + "substantial": Loa.SUBSTANTIEEL,
    _EIDAS + "high": Loa.HOOG,
}


# How DigiD names each level (SAML authentication context classes): what a ZGW rol's
# authenticatieContext records.
SAML_CLASS = {Loa.BASIS: _SAML + "PasswordProtectedTransport",
              Loa.MIDDEN: _SAML + "MobileTwoFactorContract",
              Loa.SUBSTANTIEEL: _SAML + "Smartcard", Loa.HOOG: _SAML + "SmartcardPKI"}


def parse_loa(acr: object) -> Loa | None:
    """The level an ``acr`` value stands for, or None when we don't know it."""
    if not isinstance(acr, str):
        return None
    value = acr.strip()
    return ACR_TO_LOA.get(value) or ACR_TO_LOA.get(value.lower())


def loa_meets(loa: int | None, minimum: str) -> bool:
    """Whether a login's level (None: no login) is at least the minimum a service names."""
    return loa is not None and Loa(loa) >= loa_from_setting(minimum)


def loa_from_setting(name: str) -> Loa:
    """The configured minimum level (OIDC_MIN_LOA), e.g. "midden" or an acr URN."""
    level = parse_loa(name)
    if level is None:
        raise ValueError(f"OIDC_MIN_LOA: unknown level of assurance {name!r}")
    return level
