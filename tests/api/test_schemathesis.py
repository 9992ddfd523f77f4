"""Schemathesis against the API's OpenAPI document: no server errors, no answer that breaks
the document (status codes, content types, headers, bodies), invalid input refused, a
missing or wrong token refused, undocumented methods answered 405.

The document is the one /api/v1/openapi.json serves, with a real zaak as the example of the
identificatie path parameter, so generated requests reach a real zaak, not only 404s.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from app.api.openapi import openapi_document
from tests.api_fixtures import config_set

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection,
          ignored_auth, unsupported_method]
EXAMPLE_ZAAK = "ZAAK-2000-0000004242"


def _document_with_example() -> dict:
    document = openapi_document()
    for item in document["paths"].values():
        for parameter in item.get("parameters", []):
            if parameter["name"] == "identificatie":
                parameter["example"] = EXAMPLE_ZAAK
    return document


schema = schemathesis.openapi.from_dict(_document_with_example())


@pytest.fixture
def api_token(app, api):
    """A partner for two zaaktypen, the example zaak and a few others; no rate limit."""
    token = api.partner(zaaktypen=("HULPVRAAG_WMO", "VERHUIZING"))
    api.zaak(identificatie=EXAMPLE_ZAAK)
    api.zaak(closed="Toegekend")
    api.zaak(zaaktype="VERHUIZING")
    api.zaak(bsn=None)
    with config_set(app, "API_RATE_LIMIT", "100000/minute"):
        yield token


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_openapi_document(case, app, api_token):
    case.operation.schema.app = app  # the session's app exists only once the fixtures ran
    # The real token in place of the one Schemathesis made up; a case that leaves the header
    # out on purpose (invalid data: a required header missing) is sent without it.
    auth = ({"Authorization": f"Token {api_token}"}
            if "Authorization" in (case.headers or {}) else {})
    # Schemathesis asks for compressed answers (as requests does) but its WSGI client does not
    # decompress them; the compression itself is tested in tests/web/test_assets.py.
    case.call_and_validate(app=app, headers={**auth, "Accept-Encoding": "identity"},
                           checks=CHECKS)
