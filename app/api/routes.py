"""The zaken API's views: authenticate, parse, call the API's services (the zaken store
behind them), answer JSON.

Every read or change of a zaak writes the disclosure record in the same transaction as
the read or change (the services do); the audit entry of every call is written after
the answer is known (after_request), whatever it is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, g, jsonify, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from app.api import bp, services
from app.api.errors import ApiError, invalid
from app.api.openapi import (
    DOCUMENT_CREATE,
    IDEMPOTENCY_KEY_PATTERN,
    LIST_PARAMETERS,
    PAGE_SIZE,
    RESULTAAT_CREATE,
    STATUS_CREATE,
    openapi_document,
)
from app.api.serializers import (
    document_json,
    resultaat_json,
    status_json,
    zaak_json,
    zaak_summary_json,
)
from app.api.validation import InvalidParam, decode_base64, parse_query, validate
from app.db import get_session, transaction
from app.eforms.confirmations import AwaitingConfirmation
from app.extensions import limiter
from app.uploads import (
    DOCUMENT_TYPES,
    FILE_TYPES,
    MB,
    AcceptedFile,
    UploadRefused,
    inspect_upload,
    max_upload_mb,
)
from app.zaken.store import NewDocument, PartnerZaak, ZaakForChange, ZaakTransitionError

Found = TypeVar("Found", PartnerZaak, ZaakForChange)
PUBLIC_ENDPOINTS = {"api.openapi_json", "api.fallback"}
WRITE_METHODS = ("POST",)
STANDARD_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


# --------------------------------------------------------------------------- rate limit


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT", "120/minute")


def _rate_limit_key() -> str:
    """Per token: its hash (never the token itself into the limiter's store, which may be
    a shared Redis). Without a token: per client address."""
    header = request.headers.get("Authorization", "")
    if header:
        return "api-token:" + hashlib.sha256(header.encode()).hexdigest()
    return "api-ip:" + (request.remote_addr or "unknown")


limiter.limit(_rate_limit, key_func=_rate_limit_key)(bp)


# --------------------------------------------------------------------------- hooks


@bp.before_request
def _authenticate():
    g.api_partner, g.api_partner_id = None, None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    partner = (services.partner_for_token(get_session(), token.strip())
               if scheme.lower() == "token" else None)
    if partner is None:
        raise ApiError(401, "Send a valid token: Authorization: Token <token>.",
                       headers={"WWW-Authenticate": 'Token realm="zaken-api"'})
    g.api_partner, g.api_partner_id = partner, partner.id


@bp.before_request
def _refuse_unknown_query_parameters():
    """Only the list takes query parameters (parse_query checks those); elsewhere any is a
    mistake worth hearing about rather than silently ignored."""
    if request.endpoint in ("api.list_zaken", *PUBLIC_ENDPOINTS) or not request.args:
        return
    raise invalid([InvalidParam(name, "unknown", "This parameter does not exist.")
                   for name in request.args])


@bp.after_request
def _audit(response):
    if request.endpoint == "api.openapi_json":
        return response
    partner_id = g.get("api_partner_id")
    key = request.headers.get("Idempotency-Key") if request.method in WRITE_METHODS else None
    get_session().rollback()  # a failed view rolled back already; nothing else is pending
    with transaction() as db:
        services.record_call(db, partner_id=partner_id,
                             method=request.method, path=request.path,
                             status_code=response.status_code,
                             idempotency_key=key[:255] if key else None)
    # Answers carry a resident's data: not for any cache on the way.
    response.headers["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- reads


@bp.get("/openapi.json", provide_automatic_options=False)
def openapi_json():
    return jsonify(openapi_document())


@bp.get("/zaken", provide_automatic_options=False)
def list_zaken():
    partner = g.api_partner
    args, problems = parse_query(request.args, LIST_PARAMETERS)
    if problems:
        raise invalid(problems)
    zaaktype = args.get("zaaktype")
    if zaaktype is not None and not partner.may_see(zaaktype):
        raise ApiError(403, "This zaaktype is outside your scopes.")
    page = args.get("page", 1)
    closed = {"open": False, "gesloten": True}.get(args.get("status"))
    with transaction() as db:
        found = services.zaken_in_scope(db, partner, zaaktype=zaaktype, closed=closed,
                                        limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return jsonify({
        "count": found.total,
        "next": _page_url(page + 1) if page * PAGE_SIZE < found.total else None,
        "previous": _page_url(page - 1) if page > 1 else None,
        "results": [zaak_summary_json(zaak) for zaak in found.zaken],
    })


def _page_url(page: int) -> str:
    args = {key: value for key, value in request.args.items() if key != "page"}
    return url_for("api.list_zaken", page=page, _external=True, **args)


@bp.get("/zaken/<identificatie>", provide_automatic_options=False)
def read_zaak(identificatie: str):
    with transaction() as db:
        zaak = _found(services.read_zaak(db, g.api_partner, identificatie, "read"))
    return jsonify(zaak_json(zaak))


@bp.get("/zaken/<identificatie>/statussen", provide_automatic_options=False)
def list_statussen(identificatie: str):
    with transaction() as db:
        zaak = _found(services.read_zaak(db, g.api_partner, identificatie, "statussen"))
    return jsonify([status_json(zaak.summary.identificatie, status)
                    for status in zaak.statussen])


def _found(zaak: Found | None) -> Found:
    if zaak is None:
        raise ApiError(404, "No zaak with this identificatie.")
    return zaak


# --------------------------------------------------------------------------- changes


@bp.post("/zaken/<identificatie>/statussen", provide_automatic_options=False)
def create_status(identificatie: str):
    body = _json_body(STATUS_CREATE)
    volgnummer = body["statustype"]["volgnummer"]

    def change(db: Session) -> tuple[dict, int]:
        zaak = _found(services.zaak_for_change(db, g.api_partner, identificatie))
        statustype = zaak.zaaktype.statustype(volgnummer)
        if statustype is None:
            raise invalid([InvalidParam("statustype.volgnummer", "does_not_exist",
                                        "The zaaktype has no statustype with this volgnummer.")])
        if statustype.is_eindstatus:
            raise invalid([InvalidParam("statustype.volgnummer", "eindstatus",
                                        "Set a resultaat to close the zaak.")])
        status = services.set_status(db, g.api_partner, zaak, volgnummer=volgnummer,
                                     toelichting=body.get("statustoelichting", ""))
        return status_json(zaak.identificatie, status), 201

    return _apply_once(body, change)


@bp.post("/zaken/<identificatie>/documenten", provide_automatic_options=False)
def create_document(identificatie: str):
    body = _json_body(DOCUMENT_CREATE)
    accepted = _accepted_document(body)
    document = NewDocument(titel=body["titel"].strip(), bestandsnaam=accepted.name,
                           formaat=accepted.formaat, content=accepted.content,
                           vertrouwelijkheidaanduiding=body.get("vertrouwelijkheidaanduiding"))

    def change(db: Session) -> tuple[dict, int]:
        zaak = _found(services.zaak_for_change(db, g.api_partner, identificatie))
        added = services.add_document(db, g.api_partner, zaak, document)
        return document_json(zaak.identificatie, added), 201

    return _apply_once(body, change)


def _accepted_document(body: dict) -> AcceptedFile:
    """The document as app.uploads keeps it (a partner may get a limit of its own,
    API_DOCUMENT_MAX_MB); refusals as the API's JSON errors."""
    content = decode_base64(body["inhoud"]) or b""
    max_mb = max_upload_mb(current_app.config.get("API_DOCUMENT_MAX_MB"))
    # The schema allows only the formaten of DOCUMENT_TYPES; the content must be that one.
    accept = tuple(kind for kind in DOCUMENT_TYPES if FILE_TYPES[kind].media_type == body["formaat"])
    try:
        return inspect_upload(body["bestandsnaam"].strip(), content, accept=accept,
                              max_bytes=max_mb * MB)
    except UploadRefused as refusal:
        if refusal.reason == "too_big":
            raise invalid([InvalidParam("inhoud", "file_size", f"At most {max_mb} MB.")]) from None
        if refusal.reason == "infected":
            raise invalid([InvalidParam("inhoud", "virus",
                                        "The virus scanner found harmful software.")]) from None
        if refusal.reason == "scan_unavailable":
            raise ApiError(503, "The virus scanner cannot check the file now; try again "
                                "later.", headers={"Retry-After": "60"}) from None
        raise invalid([InvalidParam("inhoud", "wrong_type",
                                    f"The content is not of the type {body['formaat']}.")]) from None


@bp.post("/zaken/<identificatie>/resultaat", provide_automatic_options=False)
def create_resultaat(identificatie: str):
    body = _json_body(RESULTAAT_CREATE)
    omschrijving = body["resultaattype"]["omschrijving"]

    def change(db: Session) -> tuple[dict, int]:
        zaak = _found(services.zaak_for_change(db, g.api_partner, identificatie))
        if zaak.zaaktype.resultaattype(omschrijving) is None:
            raise invalid([InvalidParam("resultaattype.omschrijving", "does_not_exist",
                                        "The zaaktype has no resultaattype with this omschrijving.")])
        resultaat = services.set_resultaat(db, g.api_partner, zaak, resultaattype=omschrijving,
                                           toelichting=body.get("toelichting", ""))
        return resultaat_json(zaak.identificatie, resultaat), 201

    return _apply_once(body, change)


def _json_body(schema: dict) -> dict:
    """The request's JSON object, checked against the operation's schema."""
    if not g.api_partner.can_write:
        raise ApiError(403, "Your token may read, not change.")
    if request.mimetype != "application/json":
        raise ApiError(415, "Send the body as application/json.")
    try:
        body = json.loads(request.get_data(cache=True) or b"null")
    except (ValueError, UnicodeDecodeError):
        raise invalid([InvalidParam("nonFieldErrors", "parse_error",
                                    "The body is not valid JSON.")]) from None
    problems = validate(body, schema)
    if problems:
        raise invalid(problems)
    return body


def _apply_once(body: dict, change: Callable[[Session], tuple[dict, int]]):
    """Make the change, once per Idempotency-Key: a retry gets the stored first answer.

    The key row is inserted in the change's own transaction, before the change: if the
    change fails, the key goes with it (a refused request changed nothing and may be
    retried); if a concurrent request with the key committed first, the insert fails on
    the unique constraint and this one answers with the stored answer instead.
    """
    partner = g.api_partner
    key = _idempotency_key()
    fingerprint = services.request_fingerprint(request.method, request.path, body)
    try:
        with transaction() as db:
            stored = services.stored_response(db, partner, key) if key else None
            if stored is not None:
                return _replay(stored, fingerprint)
            claimed = services.claim_key(db, partner, key, fingerprint) if key else None
            payload, status = _conflict_as_409(change, db)
            response = jsonify(payload)
            response.status_code = status
            if claimed is not None:  # the very bytes, so a replay is identical
                claimed.status_code = status
                claimed.response_body = response.get_data(as_text=True)
    except IntegrityError:
        stored = services.stored_response(get_session(), partner, key) if key else None
        if stored is None:
            raise
        return _replay(stored, fingerprint)
    return response


def _conflict_as_409(change: Callable[[Session], tuple[dict, int]], db: Session):
    try:
        return change(db)
    except (ZaakTransitionError, AwaitingConfirmation) as error:
        raise ApiError(409, str(error), code="conflict",
                       title="The zaak cannot make this change now.") from error


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    problems = validate(key, {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
                        "Idempotency-Key")
    if problems:
        raise invalid(problems)
    return key


def _replay(stored, fingerprint: str):
    if stored.fingerprint != fingerprint:
        raise ApiError(422, "This Idempotency-Key was used with a different request.",
                       code="idempotency_key_reused",
                       title="Idempotency-Key reused with a different request.")
    response = current_app.response_class(stored.response_body, status=stored.status_code,
                                          mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


# --------------------------------------------------------------------------- anything else


def _fallback(rest: str = ""):
    """JSON 404 and 405 inside /api/v1 (the app's own handlers answer HTML pages), and
    OPTIONS with the methods a resource has."""
    allowed = _allowed_methods(request.path)
    if not allowed:
        raise ApiError(404, "No such resource.")
    allow = ", ".join(sorted(allowed | {"OPTIONS"} | ({"HEAD"} if "GET" in allowed else set())))
    if request.method == "OPTIONS":
        response = current_app.response_class(status=204, headers={"Allow": allow})
        del response.headers["Content-Type"]  # no body, so no type
        return response
    raise ApiError(405, f"Use one of: {allow}.", headers={"Allow": allow})


@bp.record_once
def _register_fallback(state) -> None:
    # Werkzeug rules WITHOUT a method list match every method, even unknown ones (QUERY):
    # Flask's own routes always carry one. The path converter ranks below every real rule.
    prefix = state.url_prefix or bp.url_prefix
    state.app.view_functions["api.fallback"] = _fallback
    state.app.url_map.add(Rule(f"{prefix}/", endpoint="api.fallback", defaults={"rest": ""}))
    state.app.url_map.add(Rule(f"{prefix}/<path:rest>", endpoint="api.fallback"))


def _allowed_methods(path: str) -> set[str]:
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = set()
    for method in STANDARD_METHODS:
        try:
            endpoint, _ = adapter.match(path, method=method)
        except HTTPException:
            continue
        if endpoint != "api.fallback":
            allowed.add(method)
    return allowed
