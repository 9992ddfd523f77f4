import logging

from flask import (
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from app.auth import bp, digid, kept_forms
from app.auth.client_key import public_jwks
from app.auth.loa import loa_from_setting
from app.auth.services import (
    LoginRefused,
    RefusalReason,
    log_acting_login,
    resident_from_claims,
    safe_next_path,
)
from app.db import transaction
from app.extensions import limiter
from app.operations import metrics
from app.persons.services import get_persons_source
from app.urls import external_url

log = logging.getLogger(__name__)

NEXT_KEY = "login_next"

REFUSAL_STATUS = {
    RefusalReason.CANCELLED: 200,
    RefusalReason.PROVIDER_UNAVAILABLE: 503,
}


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.get("/.well-known/jwks.json")
def jwks():
    """The public key of our private_key_jwt, for DigiD (or its broker) to check our token
    requests with; empty when DigiD login uses a client secret."""
    key = current_app.extensions.get("oidc_client_key")
    return jsonify(public_jwks(key) if key else {"keys": []})


@bp.get("/inloggen")
def login():
    """The login page: which organisation uses the BSN, and why, next to the DigiD button."""
    return render_template("auth/login.html", next_path=safe_next_path(request.args.get("next")))


@bp.get("/inloggen/digid")
@limiter.limit(_login_rate_limit)
def digid_login():
    session[NEXT_KEY] = safe_next_path(request.args.get("next"))
    try:
        return digid.start_login(external_url("auth.callback"))
    except LoginRefused as refusal:
        return _refused(refusal)


@bp.get("/inloggen/digid/callback")
@limiter.limit(_login_rate_limit)
def callback():
    try:
        claims = digid.finish_login()
        resident = resident_from_claims(
            claims,
            bsn_claim=current_app.config["OIDC_BSN_CLAIM"],
            minimum=loa_from_setting(current_app.config["OIDC_MIN_LOA"]),
            persons=get_persons_source(),
        )
    except LoginRefused as refusal:
        return _refused(refusal)
    next_path = session.pop(NEXT_KEY, "/")
    session.clear()
    session.regenerate()
    session["resident"] = resident.to_session()
    login_user(resident)
    if resident.acts_for_someone:
        with transaction() as db:
            log_acting_login(db, resident)
    log.info("login succeeded", extra={"event": "login", "loa": resident.loa,
                                       "machtiging": resident.acts_for_someone})
    response = redirect(next_path)
    kept_forms.restore_after_login(resident.to_session(), response)
    return response


def _refused(refusal: LoginRefused):
    log.warning(
        "login refused: %s (%s)", refusal.reason.value, refusal.detail,
        extra={"event": "login_refused", "reason": refusal.reason.value},
    )
    metrics.login_refused("digid")
    retry_next = session.get(NEXT_KEY, "/")
    status = REFUSAL_STATUS.get(refusal.reason, 403)
    return render_template("auth/login_refused.html", reason=refusal.reason.value,
                           retry_next=retry_next), status


@bp.post("/uitloggen")
def logout():
    logout_user()
    session.clear()
    log.info("logout", extra={"event": "logout"})
    provider_logout = digid.logout_url(external_url("auth.logged_out"))
    return redirect(provider_logout or url_for("auth.logged_out"))


@bp.get("/uitgelogd")
def logged_out():
    return render_template("auth/logged_out.html")


@bp.post("/sessie/verlengen")
def keepalive():
    """The "stay logged in" button: any request renews the idle timer; this one says so."""
    idle = current_app.config["SESSION_IDLE_TIMEOUT"]
    session.modified = True  # force last_seen_at to be written now
    if request.accept_mimetypes.best == "application/json":
        return jsonify(seconds_left=idle)
    return redirect(safe_next_path(request.form.get("next")))


@bp.post("/sessie-verlopen")
def end_expired_session():
    """The timeout script posts here at the idle limit (with the CSRF token, so no other site
    can log a resident out): the session ends now, so the page's "you have been logged out" is
    true even if the script's clock ran a little ahead of ours. What the resident had typed in
    the page's form (the script sends it along) is kept for them."""
    next_path = safe_next_path(request.form.get("next"))
    kept_id = kept_forms.keep_at_expiry(dict(session), next_path, posted_in_it=True)
    logout_user()
    session.clear()
    log.info("logout at the idle limit", extra={"event": "logout"})
    response = redirect(url_for("auth.session_expired", next=next_path))
    kept_forms.remember_in_browser(response, kept_id)
    return response


@bp.get("/sessie-verlopen")
def session_expired():
    """The page after the session ended: the script's POST, or the server's own timeout for a
    resident who comes back after it (without JavaScript). A GET never ends a session: a
    resident still logged in (a link from elsewhere) goes on to the page."""
    next_path = safe_next_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path)
    waiting = kept_forms.waiting_in_this_browser()
    return render_template("auth/session_expired.html", next_path=next_path,
                           kept=bool(waiting), kept_hours=current_app.config["KEPT_INPUT_HOURS"],
                           files_left_out=any(kept.files_left_out for kept in waiting))
