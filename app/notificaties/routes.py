"""The webhook the Notificaties API delivers to: ``POST /notificaties/callback``.

It only checks and keeps: the Authorization header the abonnement was given
(NOTIFICATIES_CALLBACK_AUTH, compared in constant time), the body's shape (the spec's
``Message``), then one INSERT into the inbox and 204. Handling happens in the worker, so
a slow register or a failing handler never makes the Notificaties API wait or retry.
Errors are problem JSON in the ZGW APIs' shape (``Fout`` / ``ValidatieFout``).
"""

import hmac
import logging
import uuid

from flask import Response, current_app, jsonify, request

from app.db import transaction
from app.notificaties import bp
from app.notificaties.services import InvalidNotificatie, InvalidParam, parse_notificatie, receive

log = logging.getLogger(__name__)

CALLBACK_PATH = "/notificaties/callback"
# A notificatie is a few hundred bytes; anything near this is not one.
MAX_BODY_BYTES = 64 * 1024


@bp.post(CALLBACK_PATH)
def callback():
    expected = current_app.config["NOTIFICATIES_CALLBACK_AUTH"]
    if not expected:
        return _problem(404, "not_found", "Not found.",
                        "Notificaties are not received here (not configured).")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        log.warning("notificaties callback: %s Authorization header from %s",
                    "wrong" if given else "no", request.remote_addr)
        return _problem(403, "permission_denied", "You may not do this.",
                        "The Authorization header is missing or wrong.")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _problem(413, "payload_too_large", "The request body is too large.",
                        f"A notificatie is at most {MAX_BODY_BYTES} bytes.")
    try:
        notificatie = parse_notificatie(request.get_json(force=True, silent=True))
    except InvalidNotificatie as invalid:
        log.info("notificaties callback: invalid body (%s)",
                 ", ".join(f"{p.name} {p.code}" for p in invalid.params))
        return _problem(400, "invalid", "Invalid input.", "See invalidParams.",
                        invalid_params=invalid.params)
    with transaction() as session:
        inbox_id = receive(session, notificatie)
    if inbox_id is None:
        log.info("notificaties callback: %s/%s/%s received again; already in the inbox",
                 notificatie.kanaal, notificatie.resource, notificatie.actie)
    else:
        log.info("notificaties callback: notificatie %s received (%s/%s/%s)", inbox_id,
                 notificatie.kanaal, notificatie.resource, notificatie.actie)
    response = Response(status=204)
    del response.headers["Content-Type"]  # no body, so no type
    return response


def _problem(status: int, code: str, title: str, detail: str, *,
             invalid_params: list[InvalidParam] | None = None) -> tuple[Response, int]:
    body = {"type": "", "code": code, "title": title, "status": status, "detail": detail,
            "instance": f"urn:uuid:{uuid.uuid4()}"}
    if invalid_params is not None:
        body["invalidParams"] = [{"name": p.name, "code": p.code, "reason": p.reason}
                                 for p in invalid_params]
    response = jsonify(body)
    response.mimetype = "application/problem+json"
    return response, status
