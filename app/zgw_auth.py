"""Authentication toward the ZGW APIs (Zaken, Documenten, Catalogi, Notificaties).

The ZGW APIs take a JWT signed HS256 with the client's secret, carrying ``iss``, ``iat``,
``client_id``, ``user_id`` and ``user_representation``, sent as ``Authorization: Bearer
<token>``. Open Zaak refuses a token older than its JWT expiry (an hour by default), so
tokens are short-lived: ``ZgwTokenSource`` makes a fresh one every few minutes and hands
it to a ``RemoteApi`` as its header source.

Signed with joserfc, the JOSE library Authlib itself now points to (``authlib.jose`` warns
that it is deprecated in its favour) and the one the DigiD login already uses.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from joserfc import jwt
from joserfc.jwk import OctKey

# Well inside Open Zaak's default JWT expiry of an hour, and of any clock difference.
TOKEN_MAX_AGE_SECONDS = 5 * 60


def zgw_jwt(client_id: str, secret: str, *, user_id: str | None = None,
            user_representation: str | None = None, issued_at: int | None = None) -> str:
    """A ZGW token for ``client_id``, signed with its ``secret`` (HS256).

    ``user_id`` and ``user_representation`` land in the register's audit trail; the
    portal acts as itself, so both default to the client id.
    """
    if not client_id or not secret:
        raise ValueError("a ZGW token needs a client id and a secret")
    claims = {
        "iss": client_id,
        "iat": int(time.time()) if issued_at is None else issued_at,
        "client_id": client_id,
        "user_id": client_id if user_id is None else user_id,
        "user_representation": client_id if user_representation is None
        else user_representation,
    }
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, OctKey.import_key(secret))


class ZgwTokenSource:
    """The ``Authorization`` header for a ZGW API, renewed every ``max_age`` seconds.

    Pass an instance as ``RemoteApi(..., headers=ZgwTokenSource(client_id, secret))``;
    it is safe to share between threads.
    """

    def __init__(self, client_id: str, secret: str, *,
                 max_age: float = TOKEN_MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.time, **claims: str) -> None:
        if not client_id or not secret:
            raise ValueError("a ZGW token needs a client id and a secret")
        self._client_id = client_id
        self._secret = secret
        self._claims = claims
        self._max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._token = ""
        self._issued_at = 0.0

    def __call__(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    def token(self) -> str:
        now = self._clock()
        with self._lock:
            if not self._token or now - self._issued_at >= self._max_age:
                self._token = zgw_jwt(self._client_id, self._secret, issued_at=int(now),
                                      **self._claims)
                self._issued_at = now
            return self._token
