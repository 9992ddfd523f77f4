"""A stateful fake Notificaties API 1.0 (abonnementen), and notificaties the spec allows.

Built on SpecCheckedServer: every request the portal sends and every answer given is
checked against specs/opennotificaties-notificaties-api.yaml. Like Open Notificaties it
wants a ZGW JWT (HS256, the client's secret, the ZGW claims), keeps the abonnementen it
is given (``auth`` is write-only: stored, never answered), and checks a callback before
it accepts an abonnement by POSTing its test notificatie (kanaal "test") with the given
auth and wanting 204 back: ``check_callback(url, auth, message) -> status`` does that
POST (a test wires it to the Flask test client).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from openapi_schema_validator import OAS30WriteValidator, oas30_format_checker

from tests.fakes.spec_server import SPECS, Reply, SpecCheckedServer, _parsed

SPEC_FILE = "opennotificaties-notificaties-api.yaml"

# What Open Notificaties posts to a callback before accepting an abonnement.
OPEN_NOTIFICATIES_TEST_MESSAGE = {
    "kanaal": "test", "hoofdObject": "http://some.hoofdobject.nl/",
    "resource": "some_resource", "resourceUrl": "http://some.resource.nl/",
    "actie": "create", "aanmaakdatum": "2019-01-01T12:00:00Z", "kenmerken": {},
}

CallbackCheck = Callable[[str, str, dict], int]


def message_errors(body: Any) -> list[str]:
    """What the spec's ``Message`` schema (a notificatie) has against ``body``."""
    schema = _parsed(SPECS / SPEC_FILE)["components"]["schemas"]["Message"]
    validator = OAS30WriteValidator(schema, format_checker=oas30_format_checker)
    return [error.message for error in validator.iter_errors(body)]


def notificatie_body(**fields: Any) -> dict:
    """A notificatie on kanaal zaken (a zaak's new status), with ``fields`` changed;
    asserted valid per the spec, so the webhook is tested with what it will receive."""
    zaak = "https://openzaak.example.nl/zaken/api/v1/zaken/3e9ad6d5-6a5b-4d6b-9b2c-1f0c7ad8c1a4"
    body = {
        "kanaal": "zaken",
        "hoofdObject": zaak,
        "resource": "status",
        "resourceUrl": "https://openzaak.example.nl/zaken/api/v1/statussen/"
                       "0c8b7e0a-3c8e-4b0e-a4c5-2b7b8c1d9e10",
        "actie": "create",
        "aanmaakdatum": "2026-12-10T09:15:42.123456Z",
        "kenmerken": {
            "bronorganisatie": "001234567",
            "zaaktype": "https://openzaak.example.nl/catalogi/api/v1/zaaktypen/"
                        "5c0b3f2e-1d8a-4e61-9a63-0f7e4b9c2d11",
            "vertrouwelijkheidaanduiding": "openbaar",
        },
        **fields,
    }
    errors = message_errors(body)
    assert not errors, f"the test's notificatie breaks the spec: {errors}"
    return body


class FakeNotificatiesApi:
    """The abonnement part of a Notificaties API, holding the portal to the spec."""

    def __init__(self, *, client_id: str, secret: str,
                 check_callback: CallbackCheck | None = None) -> None:
        self.client_id = client_id
        self._key = OctKey.import_key(secret)
        self.check_callback = check_callback
        self.abonnementen: dict[str, dict] = {}   # uuid -> what was sent, auth included
        self.server = SpecCheckedServer(SPEC_FILE)
        self.base_url = self.server.base_url
        route = self.server.route
        route("GET", "/abonnement")(self._list)
        route("POST", "/abonnement")(self._create)
        route("GET", "/abonnement/{uuid}")(self._read)
        route("PUT", "/abonnement/{uuid}")(self._update)

    def start(self) -> FakeNotificatiesApi:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def add_abonnement(self, callback_url: str, kanalen: list[dict], auth: str = "x") -> str:
        """One made beforehand (by another consumer, or by hand); returns its url."""
        key = str(uuid.uuid4())
        self.abonnementen[key] = {"callbackUrl": callback_url, "auth": auth,
                                  "kanalen": kanalen}
        return self._url(key)

    # ------------------------------------------------------------------ the operations

    def _list(self, request) -> Reply:
        return self._authorised(request) or Reply(
            200, [self._shown(key) for key in self.abonnementen])

    def _read(self, request, uuid: str) -> Reply:
        if refusal := self._authorised(request):
            return refusal
        if uuid not in self.abonnementen:
            return _fout(404, "not_found", "Niet gevonden.")
        return Reply(200, self._shown(uuid))

    def _create(self, request) -> Reply:
        if refusal := self._authorised(request) or self._callback_refused(request):
            return refusal
        key = str(uuid.uuid4())
        self.abonnementen[key] = _stored(request)
        return Reply(201, self._shown(key), headers={"Location": self._url(key)})

    def _update(self, request, uuid: str) -> Reply:
        if refusal := self._authorised(request) or self._callback_refused(request):
            return refusal
        if uuid not in self.abonnementen:
            return _fout(404, "not_found", "Niet gevonden.")
        self.abonnementen[uuid] = _stored(request)
        return Reply(200, self._shown(uuid))

    # ------------------------------------------------------------------ as Open Notificaties

    def _authorised(self, request) -> Reply | None:
        """403 unless a ZGW JWT of our client, signed with its secret, less than an hour old."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return _fout(403, "not_authenticated", "Geen geldige JWT.")
        try:
            claims = jwt.decode(header.removeprefix("Bearer "), self._key,
                                algorithms=["HS256"]).claims
        except (JoseError, ValueError):
            return _fout(403, "not_authenticated", "Geen geldige JWT.")
        expected = {"iss", "iat", "client_id", "user_id", "user_representation"}
        if (not expected <= claims.keys() or claims["client_id"] != self.client_id
                or claims["iss"] != self.client_id
                or not 0 <= time.time() - claims["iat"] < 3600):
            return _fout(403, "permission_denied", "JWT ongeldig of verlopen.")
        return None

    def _callback_refused(self, request) -> Reply | None:
        if self.check_callback is None:
            return None
        body = request.get_json()
        status = self.check_callback(body["callbackUrl"], body.get("auth", ""),
                                     dict(OPEN_NOTIFICATIES_TEST_MESSAGE))
        if status == 204:
            return None
        return Reply(400, {
            "type": "", "code": "invalid", "title": "Invalid input.", "status": 400,
            "detail": "", "instance": f"urn:uuid:{uuid.uuid4()}",
            "invalidParams": [{"name": "callbackUrl", "code": "invalid-callback-url",
                               "reason": "De opgegeven callback URL kan geen notificaties "
                                         "ontvangen."}],
        }, content_type="application/problem+json")

    def _url(self, key: str) -> str:
        return f"{self.base_url}/abonnement/{key}"

    def _shown(self, key: str) -> dict:
        stored = self.abonnementen[key]
        return {"url": self._url(key), "callbackUrl": stored["callbackUrl"],
                "kanalen": stored["kanalen"]}


def _stored(request) -> dict:
    body = json.loads(request.get_data())
    return {"callbackUrl": body["callbackUrl"], "auth": body["auth"],
            "kanalen": body.get("kanalen", [])}


def _fout(status: int, code: str, title: str) -> Reply:
    return Reply(status, {"type": "", "code": code, "title": title, "status": status,
                          "detail": title, "instance": f"urn:uuid:{uuid.uuid4()}"},
                 content_type="application/problem+json")
