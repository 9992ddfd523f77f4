"""The OpenAPI 3 document of the zaken API, as data.

The request-body and query schemas here are also what the API validates against
(app.api.validation), so the document cannot drift from the implementation on what
is accepted; tests/api/test_schemathesis.py checks the answers against it.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from app.zaken.store import Vertrouwelijkheidaanduiding

API_VERSION = "1.0.0"
DOCUMENT_FORMATS = ("application/pdf", "image/jpeg", "image/png")
PAGE_SIZE = 20
MAX_PAGE = 100_000
ZAAK_STATUS_FILTERS = ("open", "gesloten")
IDEMPOTENCY_KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"  # visible ASCII, e.g. a UUID

VERTROUWELIJKHEID = [level.value for level in Vertrouwelijkheidaanduiding]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


_TEXT = {"type": "string"}
_DATE = {"type": "string", "format": "date"}
_DATETIME = {"type": "string", "format": "date-time"}
_NON_BLANK = r"\S"

# --------------------------------------------------------------------------- request bodies

STATUS_CREATE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["statustype"],
    "properties": {
        "statustype": {
            "type": "object",
            "additionalProperties": False,
            "required": ["volgnummer"],
            "description": "The statustype of the zaak's zaaktype, by its volgnummer (ZGW: a "
                           "statustype URL). The eindstatus is reached by setting a resultaat.",
            "properties": {"volgnummer": {"type": "integer", "minimum": 1, "maximum": 9999}},
        },
        "statustoelichting": {"type": "string", "maxLength": 1000,
                              "description": "Shown to the resident with the status."},
    },
}

DOCUMENT_CREATE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["titel", "bestandsnaam", "formaat", "inhoud"],
    "properties": {
        "titel": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": _NON_BLANK},
        "bestandsnaam": {"type": "string", "minLength": 1, "maxLength": 255,
                         "pattern": _NON_BLANK},
        "formaat": {"type": "string", "enum": list(DOCUMENT_FORMATS),
                    "description": "Media type; the content must be of this type."},
        "vertrouwelijkheidaanduiding": {
            "type": "string", "enum": VERTROUWELIJKHEID,
            "description": "Defaults to the zaak's vertrouwelijkheidaanduiding."},
        "inhoud": {"type": "string", "format": "byte", "minLength": 4,
                   "description": "The file, base64-encoded; at most API_DOCUMENT_MAX_MB "
                                  "megabytes (default 10) once decoded."},
    },
}

RESULTAAT_CREATE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["resultaattype"],
    "properties": {
        "resultaattype": {
            "type": "object",
            "additionalProperties": False,
            "required": ["omschrijving"],
            "description": "A resultaattype of the zaak's zaaktype, by its omschrijving "
                           "(ZGW: a resultaattype URL).",
            "properties": {"omschrijving": {"type": "string", "minLength": 1,
                                            "maxLength": 100}},
        },
        "toelichting": {"type": "string", "maxLength": 1000},
    },
}

# --------------------------------------------------------------------------- query parameters

LIST_PARAMETERS = [
    {"name": "zaaktype", "in": "query", "required": False,
     "description": "Only zaken of this zaaktype (its identificatie); one outside your scopes "
                    "answers 403.",
     "schema": {"type": "string", "minLength": 1, "maxLength": 50}},
    {"name": "status", "in": "query", "required": False,
     "description": "open: not closed yet; gesloten: closed (einddatum set).",
     "schema": {"type": "string", "enum": list(ZAAK_STATUS_FILTERS)}},
    {"name": "page", "in": "query", "required": False,
     "description": f"Page number, {PAGE_SIZE} zaken a page; a page past the end is empty.",
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
]

IDENTIFICATIE_PARAMETER = {
    "name": "identificatie", "in": "path", "required": True,
    "description": "The zaaknummer, e.g. ZAAK-2026-0000000001.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 40},
}

IDEMPOTENCY_KEY_PARAMETER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": (
        "Optional but recommended. A retried request with the same key (same partner, same "
        "method, path and body) has no second effect and gets the first answer again, with "
        "the header Idempotent-Replayed: true. The same key with a different request answers "
        "422. Only successful (2xx) answers are kept: a refused request changed nothing and "
        "may be sent again with the same key. Keys are kept for at least 24 hours."),
    "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
}

# --------------------------------------------------------------------------- response schemas

SCHEMAS: dict[str, Any] = {
    "Fout": {
        "type": "object",
        "description": "An error, shaped like the ZGW APIs' Fout.",
        "required": ["code", "title", "status", "instance"],
        "properties": {
            "type": _TEXT,
            "code": {**_TEXT, "description": "A stable code to branch on."},
            "title": _TEXT,
            "status": {"type": "integer"},
            "detail": _TEXT,
            "instance": {**_TEXT, "description": "urn:uuid: of this error, found in our logs."},
        },
    },
    "ValidatieFout": {
        "allOf": [_ref("Fout"), {
            "type": "object",
            "required": ["invalidParams"],
            "properties": {"invalidParams": {"type": "array", "items": _ref("FieldValidationError")}},
        }],
    },
    "FieldValidationError": {
        "type": "object",
        "required": ["name", "code", "reason"],
        "properties": {
            "name": {**_TEXT, "description": "The field, dotted for nested ones "
                                              "(statustype.volgnummer), or nonFieldErrors."},
            "code": _TEXT,
            "reason": _TEXT,
        },
    },
    "StatusType": {
        "type": "object",
        "required": ["volgnummer", "omschrijving", "isEindstatus", "informeren"],
        "properties": {
            "volgnummer": {"type": "integer"},
            "omschrijving": _TEXT,
            "isEindstatus": {"type": "boolean"},
            "informeren": {"type": "boolean"},
        },
    },
    "Status": {
        "type": "object",
        "required": ["zaak", "statustype", "datumStatusGezet", "statustoelichting"],
        "properties": {
            "zaak": {**_TEXT, "description": "The zaak's identificatie (ZGW: its URL)."},
            "statustype": _ref("StatusType"),
            "datumStatusGezet": _DATETIME,
            "statustoelichting": _TEXT,
        },
    },
    "ResultaatType": {
        "type": "object",
        "required": ["omschrijving", "toelichting"],
        "properties": {"omschrijving": _TEXT, "toelichting": _TEXT},
    },
    "Resultaat": {
        "type": "object",
        "required": ["zaak", "resultaattype", "toelichting"],
        "properties": {
            "zaak": {**_TEXT, "description": "The zaak's identificatie (ZGW: its URL)."},
            "resultaattype": _ref("ResultaatType"),
            "toelichting": _TEXT,
        },
    },
    "Rol": {
        "type": "object",
        "description": "A rol of the zaak: its initiator, and when someone acted for them "
                       "(DigiD Machtigen) that gemachtigde (indicatieMachtiging 'gemachtigde'; "
                       "the initiator's is then 'machtiginggever'). No BSN: a partner gets "
                       "what it needs to carry out the zaak.",
        "required": ["betrokkeneType", "omschrijvingGeneriek", "indicatieMachtiging", "naam",
                     "verblijfsadres", "emailadres", "telefoonnummer"],
        "properties": {
            "betrokkeneType": _TEXT,
            "omschrijvingGeneriek": _TEXT,
            "indicatieMachtiging": _TEXT,
            "naam": _TEXT,
            "verblijfsadres": _TEXT,
            "emailadres": _TEXT,
            "telefoonnummer": _TEXT,
        },
    },
    "Document": {
        "type": "object",
        "description": "An EnkelvoudigInformatieObject linked to the zaak.",
        "required": ["zaak", "titel", "bestandsnaam", "formaat", "bestandsomvang",
                     "vertrouwelijkheidaanduiding", "creatiedatum"],
        "properties": {
            "zaak": _TEXT,
            "titel": _TEXT,
            "bestandsnaam": _TEXT,
            "formaat": _TEXT,
            "bestandsomvang": {"type": "integer"},
            "vertrouwelijkheidaanduiding": {"type": "string", "enum": VERTROUWELIJKHEID},
            "creatiedatum": _DATE,
        },
    },
}

_ZAAK_FIELDS = {
    "url": {"type": "string", "format": "uri"},
    "identificatie": _TEXT,
    "zaaktype": {**_TEXT, "description": "The zaaktype's identificatie (ZGW: its URL)."},
    "omschrijving": _TEXT,
    "toelichting": _TEXT,
    "registratiedatum": _DATE,
    "startdatum": _DATE,
    "einddatum": _nullable(_DATE),
    "einddatumGepland": _nullable({**_DATE, "description": "Target (servicenorm)."}),
    "uiterlijkeEinddatumAfdoening": {**_DATE, "description": "Legal deadline (doorlooptijd)."},
    "vertrouwelijkheidaanduiding": {"type": "string", "enum": VERTROUWELIJKHEID},
    "status": {"allOf": [_ref("Status")], "nullable": True,
               "description": "The current status (ZGW: its URL)."},
    "resultaat": {"allOf": [_ref("Resultaat")], "nullable": True},
}
SCHEMAS["ZaakSamenvatting"] = {
    "type": "object",
    "description": "A zaak as listed: without the initiator's personal data.",
    "required": list(_ZAAK_FIELDS),
    "properties": _ZAAK_FIELDS,
}
SCHEMAS["Zaak"] = {
    "type": "object",
    "required": [*_ZAAK_FIELDS, "rollen"],
    "properties": {**_ZAAK_FIELDS, "rollen": {"type": "array", "items": _ref("Rol")}},
}
SCHEMAS["ZaakLijst"] = {
    "type": "object",
    "required": ["count", "next", "previous", "results"],
    "properties": {
        "count": {"type": "integer"},
        "next": _nullable({"type": "string", "format": "uri"}),
        "previous": _nullable({"type": "string", "format": "uri"}),
        "results": {"type": "array", "items": _ref("ZaakSamenvatting")},
    },
}
# A tiny but real PDF, so the example is accepted as it stands.
_EXAMPLE_PDF = ("JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRyYWlsZXIKPDwv"
                "Um9vdCAxIDAgUj4+CiUlRU9GCg==")
SCHEMAS["StatusAanmaken"] = {**STATUS_CREATE, "example": {
    "statustype": {"volgnummer": 2},
    "statustoelichting": "Wij bellen u deze week om een afspraak te maken."}}
SCHEMAS["DocumentAanmaken"] = {**DOCUMENT_CREATE, "example": {
    "titel": "Indicatiebesluit", "bestandsnaam": "indicatie.pdf", "formaat": "application/pdf",
    "vertrouwelijkheidaanduiding": "vertrouwelijk", "inhoud": _EXAMPLE_PDF}}
SCHEMAS["ResultaatAanmaken"] = {**RESULTAAT_CREATE, "example": {
    "resultaattype": {"omschrijving": "Toegekend"},
    "toelichting": "U krijgt vanaf 1 maart huishoudelijke hulp."}}

# --------------------------------------------------------------------------- responses

_PROBLEM = "application/problem+json"

ERRORS = {
    "400": ("Invalid request: the fields or parameters are in invalidParams (an unknown "
            + "query parameter is refused too).", "ValidatieFout"),
    "401": ("No valid token: send `Authorization: Token <token>`.", "Fout"),
    "403": ("Your token may not do this (a read-only partner writing, or a zaaktype outside"
            + " your scopes in a filter).", "Fout"),
    "404": ("No such zaak, or one of a zaaktype outside your scopes (the two are not told"
            + " apart).", "Fout"),
    "409": ("The zaak cannot make this change now (e.g. it is closed already, or a marriage "
            "notice waits for the partner's confirmation).", "Fout"),
    "413": ("The request body is too large.", "Fout"),
    "415": ("Send the body as application/json.", "Fout"),
    "422": ("This Idempotency-Key was used before with a different request.", "Fout"),
    "429": ("Too many requests for this token; retry after Retry-After seconds.", "Fout"),
    "503": ("The portal cannot do this now (its database, or for a document the virus "
            + "scanner, is unavailable); retry later, after Retry-After seconds when given.",
            "Fout"),
}


# Every answer carries it (NL API Design Rules, API-57; app.api.init_app sets it).
_VERSION_HEADER = {"API-Version": {"description": "The API's full version.",
                                   "schema": {"type": "string", "example": API_VERSION}}}


def _error(code: str) -> dict:
    description, schema = ERRORS[code]
    response: dict[str, Any] = {"description": description, "headers": {**_VERSION_HEADER},
                                "content": {_PROBLEM: {"schema": _ref(schema)}}}
    if code == "401":
        response["headers"]["WWW-Authenticate"] = {"schema": _TEXT}
    if code == "429":
        response["headers"]["Retry-After"] = {"schema": {"type": "integer"}}
    return response


def _ok(description: str, schema: dict, status: str = "200", replayable: bool = False) -> dict:
    response: dict[str, Any] = {"description": description, "headers": {**_VERSION_HEADER},
                                "content": {"application/json": {"schema": schema}}}
    if replayable:
        response["headers"]["Idempotent-Replayed"] = {
            "description": "true when this is the stored answer to an earlier request with "
                           "the same Idempotency-Key.",
            "schema": {"type": "string", "enum": ["true"]}}
    return {status: response}


def _errors(*codes: str) -> dict:
    return {code: _error(code) for code in codes}


_WRITE_ERRORS = ("400", "401", "403", "404", "409", "413", "415", "422", "429", "503")


def _write(summary: str, description: str, body: str, result: str, created: str) -> dict:
    return {"post": {
        "summary": summary,
        "description": description,
        "parameters": [IDEMPOTENCY_KEY_PARAMETER],
        "requestBody": {"required": True,
                        "content": {"application/json": {"schema": _ref(body)}}},
        "responses": {**_ok(created, _ref(result), "201", replayable=True),
                      **_errors(*_WRITE_ERRORS)},
    }}


PATHS: dict[str, Any] = {
    "/openapi.json": {"get": {
        "summary": "This document",
        "security": [],
        "responses": {**_ok("The OpenAPI document.", {"type": "object"}), **_errors("429")},
    }},
    "/zaken": {"get": {
        "summary": "List the zaken you may see",
        "description": "Newest first, paged. Each listed zaak is written to its initiator's "
                       "disclosure log.",
        "parameters": LIST_PARAMETERS,
        "responses": {**_ok("A page of zaken.", _ref("ZaakLijst")),
                      **_errors("400", "401", "403", "429")},
    }},
    "/zaken/{identificatie}": {
        "parameters": [IDENTIFICATIE_PARAMETER],
        "get": {
            "summary": "Read a zaak",
            "description": "With its current status, resultaat and initiator (name, address, "
                           "contact details; never the BSN). Written to the initiator's "
                           "disclosure log.",
            "responses": {**_ok("The zaak.", _ref("Zaak")),
                          **_errors("400", "401", "404", "429")},
        },
    },
    "/zaken/{identificatie}/statussen": {
        "parameters": [IDENTIFICATIE_PARAMETER],
        "get": {
            "summary": "List the zaak's statussen",
            "description": "Oldest first; the last one is the current status.",
            "responses": {**_ok("The statussen.", {"type": "array", "items": _ref("Status")}),
                          **_errors("400", "401", "404", "429")},
        },
        **_write("Set a status",
                 "Moves the zaak to the statustype with this volgnummer; the resident is "
                 "notified when the statustype says so (informeren). The eindstatus cannot be "
                 "set here: set a resultaat.",
                 "StatusAanmaken", "Status", "The status, set."),
    },
    "/zaken/{identificatie}/documenten": {
        "parameters": [IDENTIFICATIE_PARAMETER],
        **_write("Add a document",
                 "Stores the file and links it to the zaak. The content is checked against "
                 "formaat (PDF, JPEG or PNG). The document is kept under bestandsnaam with "
                 "the extension of that type (`scan.bat` holding a PDF becomes `scan.pdf`), "
                 "a photo without its metadata (EXIF, GPS); when the municipality runs a "
                 "virus scanner, a file it finds harmful software in is refused (400, "
                 "code `virus`) and one it cannot scan now is refused with 503.",
                 "DocumentAanmaken", "Document", "The document, added."),
    },
    "/zaken/{identificatie}/resultaat": {
        "parameters": [IDENTIFICATIE_PARAMETER],
        **_write("Set the resultaat and close the zaak",
                 "Records the result, sets the eindstatus with the toelichting and closes the "
                 "zaak (einddatum today).",
                 "ResultaatAanmaken", "Resultaat", "The resultaat, set; the zaak is closed."),
    },
}


def openapi_document() -> dict[str, Any]:
    """A fresh copy (callers may add servers or examples)."""
    return deepcopy({
        "openapi": "3.0.3",
        "info": {
            "title": "Zaken API of the citizen portal",
            "version": API_VERSION,
            "description": (
                "For the municipality's zaaksysteem and chain partners (e.g. a care provider "
                "carrying out a Wmo zaak). Resources and fields are named as in the ZGW Zaken "
                "API so an integrator recognises them, but this is NOT a full ZGW "
                "implementation: related resources are named by identificatie, not URL.\n\n"
                "Authentication: `Authorization: Token <token>`, a token per partner, scoped "
                "to zaaktypen. A zaak of another zaaktype answers 404, as if it did not "
                "exist. Every call is audited, and every read or change of a zaak is shown "
                "to its initiator in their disclosure log (verstrekkingen).\n\n"
                "Rate limit: per token (default 120 a minute), with X-RateLimit-* headers."),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"tokenAuth": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"tokenAuth": {
                "type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <token>`; ask the municipality for a token."}},
        },
    })
