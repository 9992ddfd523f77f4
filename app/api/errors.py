"""JSON errors for the API blueprint only (the site keeps its HTML error pages), shaped
like the ZGW APIs' Fout: code, title, status, detail, instance, and invalidParams for 400."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from contextlib import suppress

from flask import Response, jsonify
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app.api import bp
from app.api.validation import InvalidParam
from app.db import get_session

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

# status -> (code, title) for errors werkzeug or Flask-Limiter raise.
HTTP_ERRORS = {
    400: ("bad_request", "Bad request."),
    401: ("not_authenticated", "Authentication credentials were not provided or are invalid."),
    403: ("permission_denied", "You may not do this."),
    404: ("not_found", "Not found."),
    405: ("method_not_allowed", "Method not allowed."),
    409: ("conflict", "Conflict."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send the body as application/json."),
    422: ("unprocessable", "The request cannot be processed."),
    429: ("throttled", "Too many requests."),
    500: ("error", "Internal server error."),
    503: ("unavailable", "Service unavailable."),
}


class ApiError(Exception):
    """An error answer; raise it from a view or a hook of the API blueprint."""

    def __init__(self, status: int, detail: str = "", *, code: str | None = None,
                 title: str | None = None, invalid_params: Sequence[InvalidParam] = (),
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or title or str(status))
        default_code, default_title = HTTP_ERRORS.get(status, ("error", "Error."))
        self.status = status
        self.code = code or default_code
        self.title = title or default_title
        self.detail = detail
        self.invalid_params = list(invalid_params)
        self.headers = headers or {}


def invalid(problems: Sequence[InvalidParam]) -> ApiError:
    return ApiError(400, "See invalidParams.", code="invalid", title="Invalid input.",
                    invalid_params=problems)


def problem_response(error: ApiError) -> Response:
    body = {
        "type": f"urn:burgerportaal:api:error:{error.code}",
        "code": error.code,
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "instance": f"urn:uuid:{uuid.uuid4()}",
    }
    if error.status == 400:
        body["invalidParams"] = [param.as_json() for param in error.invalid_params]
    response = jsonify(body)
    response.status_code = error.status
    response.mimetype = PROBLEM_JSON
    response.headers.update(error.headers)
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return problem_response(error)


def _http_error(error: HTTPException):
    status = error.code or 500
    code, title = HTTP_ERRORS.get(status, ("error", error.name))
    detail = error.description if status in (405, 413, 429) else ""
    api_error = ApiError(status, detail or "", code=code, title=title)
    if status == 400:  # e.g. a malformed request werkzeug refused
        api_error.invalid_params = [InvalidParam("nonFieldErrors", "invalid", "Malformed request.")]
    response = problem_response(api_error)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


# Flask prefers the app's handler for a status code (an HTML page, e.g. the e-forms' 413)
# to a blueprint's handler for a class: so register ours by code as well.
bp.register_error_handler(HTTPException, _http_error)
for _code in HTTP_ERRORS:
    bp.register_error_handler(_code, _http_error)


@bp.errorhandler(Exception)
def _unexpected(error: Exception):
    """Anything else: logged with the error's instance id, answered without internals."""
    database_down = isinstance(error, SQLAlchemyError)
    with suppress(SQLAlchemyError):
        get_session().rollback()
    response = problem_response(ApiError(503 if database_down else 500))
    log.error("API error %s", response.get_json()["instance"], exc_info=error)
    return response
