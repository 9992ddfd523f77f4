"""The zaken API: JSON for the municipality's zaaksysteem and chain partners.

Resources and fields are named as in the ZGW Zaken API so an integrator recognises
them; this is not a full ZGW implementation. Partners authenticate with
``Authorization: Token <token>``; the OpenAPI document is at /api/v1/openapi.json.
"""

from flask import Blueprint, Flask, request

bp = Blueprint("api", __name__, url_prefix="/api/v1", cli_group="api")

from app.api import cli, errors, routes  # noqa: E402, F401  (they register on bp)


def init_app(app: Flask) -> None:
    """Call once, next to registering ``bp``: partners send no CSRF token (no cookies
    either: a token in a header cannot be forged by another site)."""
    from app.api.openapi import API_VERSION
    from app.extensions import csrf

    csrf.exempt(bp)

    @app.after_request
    def announce_version(response):
        """The NL API Design Rules (API-57): every answer names the full version, errors and
        paths no route matched included (so on the app, not only on the blueprint)."""
        if request.path.startswith(f"{bp.url_prefix}/"):
            response.headers["API-Version"] = API_VERSION
        return response
