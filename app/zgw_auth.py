"""The JWT the ZGW APIs (Zaken, Catalogi, Documenten, Notificaties) ask of a client.

ZGW clients sign a short token with the secret they share with the API (HS256) and send
it as a Bearer token; the API looks the client up by ``client_id`` and checks the
signature and the age (Open Zaak refuses tokens older than its JWT_EXPIRY, an hour by
default). A token is made fresh for each ten minutes: cheap, and never stale.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from joserfc import jwt
from joserfc.jwk import OctKey

TOKEN_REUSE_SECONDS = 600


def zgw_jwt(client_id: str, secret: str, *, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    claims = {"iss": client_id, "iat": issued, "client_id": client_id,
              "user_id": client_id, "user_representation": "Portaal"}
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, OctKey.import_key(secret))


def zgw_headers(client_id: str, secret: str) -> Callable[[], dict[str, str]]:
    """A header source for app.remote.RemoteApi that renews its token every ten minutes."""
    token = {"value": "", "made": 0.0}

    def headers() -> dict[str, str]:
        now = time.time()
        if now - token["made"] > TOKEN_REUSE_SECONDS:
            token.update(value=zgw_jwt(client_id, secret, now=now), made=now)
        return {"Authorization": f"Bearer {token['value']}"}

    return headers
