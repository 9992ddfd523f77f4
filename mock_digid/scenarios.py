"""Test scenarios: deliberate faults in the ID token, so the portal's checks can be tested end to end.

A scenario only changes the ID token; /userinfo always answers truthfully.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from .personas import ACR_BY_LOA

INVALID_BSN = "123456789"  # nine digits that fail the 11-proef
WRONG_AUDIENCE = "another-client"
WRONG_ISSUER = "https://verkeerde-issuer.example"
EXPIRED_AGE = 900  # seconds; well past any clock-skew leeway


@dataclass(frozen=True)
class Scenario:
    label: str
    change_claims: Callable[[dict, int], dict] = lambda claims, now: claims
    # Signed with a key that is not in the JWKS, under the published key's kid.
    foreign_signature: bool = False


def _without(claims: dict, name: str) -> dict:
    return {key: value for key, value in claims.items() if key != name}


SCENARIOS = {
    "normaal": Scenario("Normaal"),
    "verlopen-token": Scenario(
        "Verlopen token",
        lambda claims, now: {**claims, "iat": now - EXPIRED_AGE, "auth_time": now - EXPIRED_AGE,
                             "exp": now - EXPIRED_AGE // 2},
    ),
    "verkeerde-audience": Scenario("Verkeerde audience", lambda claims, now: {**claims, "aud": WRONG_AUDIENCE}),
    "verkeerde-nonce": Scenario(
        "Verkeerde nonce", lambda claims, now: {**claims, "nonce": secrets.token_urlsafe(16)}
    ),
    "ongeldige-handtekening": Scenario("Ongeldige handtekening", foreign_signature=True),
    "verkeerde-issuer": Scenario("Verkeerde issuer", lambda claims, now: {**claims, "iss": WRONG_ISSUER}),
    "geen-bsn": Scenario("Geen BSN", lambda claims, now: _without(claims, "bsn")),
    "ongeldig-bsn": Scenario("Ongeldig BSN (11-proef)", lambda claims, now: {**claims, "bsn": INVALID_BSN}),
    "niveau-basis": Scenario("Niveau Basis", lambda claims, now: {**claims, "acr": ACR_BY_LOA["basis"]}),
}
DEFAULT_SCENARIO = "normaal"
