"""The UI layer: language choice, template context and the macro library.

The macros live in ``app/templates/ui/``; every page builds on them, so a fix
there lands everywhere.
"""

import io

from flask import Blueprint, Flask, Response, current_app, redirect, request, send_file
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.auth.services import safe_next_path

bp = Blueprint("ui", __name__)

LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@bp.get("/taal/<code>")
def set_language(code: str):
    response = redirect(safe_next_path(request.args.get("next")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, path="/", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax",
        )
    return response


def init_app(app: Flask) -> None:
    app.context_processor(_municipality_context)


def _municipality_context() -> dict:
    config = current_app.config
    return {"get_locale": get_locale, "municipality": {
        "name": config["MUNICIPALITY_NAME"],
        "short_name": config["MUNICIPALITY_SHORT_NAME"],
        "phone": config["MUNICIPALITY_PHONE"],
        "phone_hours": _l("Monday to Friday, 8.30 to 17.00"),
        "email": config["MUNICIPALITY_EMAIL"],
        "visiting_address": config["MUNICIPALITY_VISITING_ADDRESS"],
        "postal_address": config["MUNICIPALITY_POSTAL_ADDRESS"],
    }}


def private_download(content: bytes, mimetype: str, filename: str) -> Response:
    """A file of a resident's (a zaak document, a message attachment) as a download that
    no browser or proxy cache keeps: shared computers are common at libraries."""
    response = send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True,
                         download_name=filename, conditional=False, etag=False, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
