"""DigiD login and logout, server-side sessions and their timeouts."""

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, redirect, request, session, url_for

from app.auth import kept_forms
from app.auth.digid import register_client
from app.auth.services import Resident, safe_next_path
from app.auth.sessions import LOGGED_IN_KEY, DatabaseSessionInterface, is_staff_area
from app.auth.staff import load_staff_user, register_staff_client
from app.db import get_session
from app.extensions import login_manager

bp = Blueprint("auth", __name__)

from app.auth import routes  # noqa: E402, F401  (registers the views on bp)

# Pages a resident or employee whose session just expired may still see as they are (GET).
_EXPIRY_EXEMPT_ENDPOINTS = {"static", "auth.session_expired", "auth.login", "health",
                            "backoffice.login", "backoffice.session_expired"}
# The timeout script's POST that ends a session at the idle limit.
_END_SESSION_ENDPOINTS = {"auth.end_expired_session", "backoffice.end_expired_session"}


def init_app(app: Flask) -> None:
    app.session_interface = DatabaseSessionInterface()
    register_client(app)
    register_staff_client(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    # Registered before CSRFProtect's check, so an expired session meets the
    # expired page rather than a CSRF error on its next POST.
    app.before_request(_redirect_expired_login)
    kept_forms.init_app(app)
    app.context_processor(_session_timeout_context)


def _load_user(user_id: str):
    """A resident on the site, an employee in the back office; never the other way round."""
    if is_staff_area(request.path):
        staff_id = session.get("staff_id")
        return load_staff_user(get_session(), staff_id) if user_id == "staff" and staff_id else None
    data = session.get("resident")
    if user_id != "resident" or not data:
        return None
    return Resident(**data)


def _redirect_expired_login():
    if request.endpoint in _END_SESSION_ENDPOINTS and LOGGED_IN_KEY not in session:
        # Nothing left to end (the server's timeout came first, or a logout in another tab):
        # straight to the page, rather than a CSRF error for a token that went with the session.
        return _to_expired_page(safe_next_path(request.form.get("next")))
    if not session.login_expired or (request.method == "GET"
                                     and request.endpoint in _EXPIRY_EXEMPT_ENDPOINTS):
        return None
    # GET keeps the page to come back to; a POST's form is kept on the server for the
    # resident to find back in it after logging in again (app.auth.kept_forms).
    if request.method == "GET":
        return _to_expired_page(request.full_path.rstrip("?"))
    return _to_expired_page(_page_of_post())


def _to_expired_page(next_path: str):
    response = redirect(url_for(_endpoint("session_expired"), next=next_path))
    if session.login_expired and not is_staff_area(request.path):
        kept_id = kept_forms.keep_at_expiry(session.expired_data, next_path, posted_in_it=False)
        kept_forms.remember_in_browser(response, kept_id)
    return response


def _page_of_post() -> str:
    """The page a POST's form was on: its own URL with the query (``?veld=``) when that URL
    shows the form, else the page that sent it."""
    rule = request.url_rule
    if rule is not None and "GET" in (rule.methods or ()):
        return request.full_path.rstrip("?")
    sender = urlsplit(request.referrer or "")
    if sender.netloc != request.host:
        return "/"
    return safe_next_path(sender.path + (f"?{sender.query}" if sender.query else ""))


def _endpoint(name: str) -> str:
    """The auth view for this area: the back office has its own login pages."""
    return f"backoffice.{name}" if is_staff_area(request.path) else f"auth.{name}"


def _session_timeout_context() -> dict:
    from flask_login import current_user

    from app.ui import template_url_for  # links without arguments: built once

    if not current_user.is_authenticated:
        return {"session_timeout": None}
    config = current_app.config
    return {"session_timeout": {
        "idle_seconds": session.seconds_left(config["SESSION_IDLE_TIMEOUT"]),
        "warn_seconds": config["SESSION_WARNING_SECONDS"],
        "keepalive_url": template_url_for(_endpoint("keepalive")),
        # The same on every page: session-timeout.js adds the page to come back to.
        "expired_url": template_url_for(_endpoint("session_expired")),
    }}
