"""The citizen portal: create_app builds the Flask app in named steps."""

import logging
import secrets
from contextlib import suppress
from urllib.parse import urlsplit

from flask import Flask, jsonify, render_template, request
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from app import assets, db, operations
from app.config import Config
from app.extensions import babel, compress, csrf, limiter, login_manager
from app.remote import RemoteUnavailable
from app.urls import refuse_unknown_hosts, settle_base_url, trusted_hosts

log = logging.getLogger(__name__)

ERROR_CODES = (400, 403, 404, 405, 429, 500, 503)


def create_app(config: type[Config] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    _load_config(app, config or Config)
    operations.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_error_pages(app)
    _register_security_headers(app)
    _register_cli(app)
    return app


def _load_config(app: Flask, config: type[Config]) -> None:
    app.config.from_object(config)
    operations.configure_logging(app.config)
    if not app.config["SECRET_KEY"]:
        if app.config["PORTAL_ENV"] == "production":
            raise RuntimeError("Set SECRET_KEY: production needs one shared by every app node.")
        log.warning("SECRET_KEY is not set; using a random key for this process only.")
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    _refuse_per_process_rate_limits_in_production(app)
    # Static files first, before any session or view (the wrappers below run before it).
    assets.init_app(app)
    _answer_only_at_the_public_address(app)
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def _refuse_per_process_rate_limits_in_production(app: Flask) -> None:
    """In memory every worker process counts on its own: under gunicorn with 4 workers on 2
    nodes each limit would let through 8 times what it says. Production needs one shared store."""
    storage_uri = (app.config.get("RATELIMIT_STORAGE_URI") or "").strip()
    if app.config["PORTAL_ENV"] == "production" and storage_uri.split(":", 1)[0] in ("", "memory"):
        raise RuntimeError(
            "Set RATELIMIT_STORAGE_URI to a store every app process shares (e.g. "
            "redis://redis.intern:6379/0): with memory:// each worker keeps its own counts, so "
            "every rate limit is as many times too high as there are workers.")


def _answer_only_at_the_public_address(app: Flask) -> None:
    """Links leave the portal on PORTAL_BASE_URL only, and a request for any other host
    (an attacker's Host header) is refused; Flask's TRUSTED_HOSTS holds the same list.
    Checked behind ProxyFix (wrapped later, so it runs first): the host the client asked for."""
    config = app.config
    config["PORTAL_BASE_URL"] = settle_base_url(config)
    config["TRUSTED_HOSTS"] = trusted_hosts(config["PORTAL_BASE_URL"],
                                            config["PORTAL_EXTRA_HOSTS"])
    app.wsgi_app = refuse_unknown_hosts(app.wsgi_app, config["TRUSTED_HOSTS"])


def _init_extensions(app: Flask) -> None:
    from app import auth, berichten, contacts, ports, ui, uploads

    db.init_app(app)
    ports.init_app(app)
    uploads.init_app(app)
    berichten.init_app(app)
    contacts.init_app(app)
    # auth first: its expired-session check must run before CSRFProtect's.
    auth.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=ui.select_locale)
    limiter.init_app(app)
    ui.init_app(app)
    # Before the blueprints' and the security headers' hooks: Flask runs after_request
    # hooks in reverse order, so pages are compressed after those have had their say.
    compress.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from app import (
        api,
        appointments,
        auth,
        backoffice,
        catalog,
        eforms,
        feedback,
        notificaties,
        notifications,
        payments,
        pip,
        reminders,
        ui,
        zaken,
    )

    for blueprint in (ui.bp, auth.bp, catalog.bp, pip.bp, zaken.bp, eforms.bp,
                      appointments.bp, notifications.bp, notificaties.bp, backoffice.bp,
                      api.bp, payments.bp, feedback.bp, reminders.bp):
        app.register_blueprint(blueprint)
    catalog.init_app(app)
    payments.init_app(app)
    api.init_app(app)
    notificaties.init_app(app)
    app.add_url_rule("/healthz", "health", _healthz)


def _healthz():
    try:
        db.get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: database unavailable")
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


def _register_error_pages(app: Flask) -> None:
    def render_error(error: HTTPException):
        db.get_session().rollback()
        code = error.code if error.code in ERROR_CODES else 500
        return render_template("errors/error.html", code=code), code

    def render_unexpected(error: InternalServerError):
        original = error.original_exception
        code = 503 if isinstance(original, SQLAlchemyError) else 500
        with suppress(SQLAlchemyError):
            db.get_session().rollback()
        return render_template("errors/error.html", code=code), code

    def render_register_down(error: RemoteUnavailable):
        # A register the page reads from (the BRP, a zaaksysteem) is down, slow or refuses
        # our credentials: the page says so; every page that does not need it still works.
        # RemoteApi logged the call; here only which register, never the request.
        log.warning("page %s without %s: %s", request.endpoint, error.api,
                    type(error).__name__)
        with suppress(SQLAlchemyError):
            db.get_session().rollback()
        return render_template("errors/register_unavailable.html"), 503

    for code in ERROR_CODES:
        if code != 500:
            app.register_error_handler(code, render_error)
    app.register_error_handler(InternalServerError, render_unexpected)
    app.register_error_handler(RemoteUnavailable, render_register_down)


def _register_security_headers(app: Flask) -> None:
    from app.payments import checkout_origin

    providers = [urlsplit(app.config[key])
                 for key in ("OIDC_DISCOVERY_URL", "STAFF_OIDC_DISCOVERY_URL")]
    # Logout posts to us and we redirect to the provider; browsers hold that
    # redirect to form-action too; likewise "Pay" to the payment provider's checkout.
    origins = {f"{p.scheme}://{p.netloc}" for p in providers} | {checkout_origin(app.config)}
    form_action = " ".join(["'self'", *sorted(origins)])
    policy = (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        f"form-action {form_action}; frame-ancestors 'none'"
    )

    @app.after_request
    def set_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if not response.cache_control.public and current_user and current_user.is_authenticated:
            # Personal pages must not stay in a shared computer's cache. A response meant for
            # everyone says so (public) and keeps its caching; static files never get here
            # (app/assets.py).
            headers["Cache-Control"] = "no-store"
        return response


def _register_cli(app: Flask) -> None:
    from app.cli import register_commands

    register_commands(app)
