"""Staff login, logout and session pages, and the back office's start page."""

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
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from app.auth.permissions import Permission, has_permission
from app.auth.services import safe_next_path
from app.auth.staff import (
    StaffLoginRefused,
    StaffUser,
    finish_staff_login,
    staff_logout_url,
    staff_member_for_login,
    start_staff_login,
)
from app.backoffice import bp
from app.backoffice.common import teams_in_scope
from app.berichten.conversations import count_waiting
from app.db import get_session, transaction
from app.extensions import limiter
from app.operations import metrics
from app.urls import external_url

log = logging.getLogger(__name__)

NEXT_KEY = "staff_login_next"

# The menu: (key, label, endpoint, permission); links only to pages this employee may
# open, and only to pages that exist in this installation.
MENU = (
    ("queue", _l("Work queue"), "backoffice.queue", Permission.VIEW_ZAKEN),
    ("corrections", _l("Correction requests"), "backoffice.corrections", Permission.HANDLE_ZAKEN),
    ("conversations", _l("Residents' messages"), "backoffice.conversations",
     Permission.VIEW_ZAKEN),
    ("callbacks", _l("Callback requests"), "backoffice.callbacks", Permission.HANDLE_CONTACTS),
    ("questions", _l("Questions"), "backoffice.questions", Permission.HANDLE_CONTACTS),
    ("residents", _l("Residents"), "backoffice.contact_search", Permission.VIEW_CONTACT_OVERVIEW),
    ("quick", _l("Record a contact"), "backoffice.quick_contact", Permission.HANDLE_CONTACTS),
    ("agenda", _l("Appointments"), "backoffice.agenda", Permission.MANAGE_AGENDA),
    ("staff", _l("Staff"), "backoffice.staff_list", Permission.MANAGE_STAFF),
    ("zaaktypen", _l("Case types"), "backoffice.zaaktypen", Permission.MANAGE_CATALOGI),
    ("dashboard", _l("Channel dashboard"), "backoffice.dashboard_page", Permission.VIEW_DASHBOARD),
)


@bp.app_template_global("backoffice_menu")
def backoffice_menu() -> list[tuple[str, str, str]]:
    return [(key, str(label), url_for(endpoint))
            for key, label, endpoint, permission in MENU
            if endpoint in current_app.view_functions and has_permission(current_user, permission)]


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.get("/")
def home():
    if not getattr(current_user, "is_staff", False):
        return redirect(url_for("backoffice.login"))
    return render_template("backoffice/home.html", menu=backoffice_menu(),
                           counts=_counts())


def _counts() -> dict[str, str]:
    """What waits, under the menu's cards: the conversations waiting for an answer."""
    if not has_permission(current_user, Permission.VIEW_ZAKEN):
        return {}
    waiting = count_waiting(get_session(), teams_in_scope())
    return {"conversations": ngettext("%(num)d waits for an answer",
                                      "%(num)d wait for an answer", waiting)}


@bp.get("/inloggen")
def login():
    return render_template("backoffice/login.html",
                           next_path=safe_next_path(request.args.get("next"), "/backoffice/"),
                           expired=bool(request.args.get("verlopen")))


@bp.get("/inloggen/start")
@limiter.limit(_login_rate_limit)
def login_start():
    session[NEXT_KEY] = _staff_path(request.args.get("next"))
    try:
        return start_staff_login(external_url("backoffice.login_callback"))
    except StaffLoginRefused as refusal:
        return _refused(refusal)


@bp.get("/inloggen/callback")
@limiter.limit(_login_rate_limit)
def login_callback():
    try:
        claims = finish_staff_login()
        with transaction() as db:
            member = staff_member_for_login(db, claims, current_app.config["STAFF_USERNAME_CLAIM"])
            staff = StaffUser.from_member(member)
    except StaffLoginRefused as refusal:
        return _refused(refusal)
    next_path = session.pop(NEXT_KEY, url_for("backoffice.home"))
    session.clear()
    session.regenerate()
    session["staff_id"] = staff.id
    login_user(staff)
    log.info("staff login: %s (%s)", staff.username, staff.role.value,
             extra={"event": "staff_login"})
    return redirect(next_path)


def _staff_path(target: str | None) -> str:
    """After login only back-office pages: a staff session cannot serve the resident's site."""
    path = safe_next_path(target, url_for("backoffice.home"))
    return path if path.startswith(url_for("backoffice.home")) else url_for("backoffice.home")


def _refused(refusal: StaffLoginRefused):
    log.warning("staff login refused: %s", refusal, extra={"event": "staff_login_refused"})
    metrics.login_refused("staff")
    return render_template("backoffice/login_refused.html"), 403


@bp.post("/uitloggen")
def logout():
    if getattr(current_user, "is_staff", False):
        log.info("staff logout: %s", current_user.username, extra={"event": "staff_logout"})
    logout_user()
    session.clear()
    provider_logout = staff_logout_url(external_url("backoffice.logged_out"))
    return redirect(provider_logout or url_for("backoffice.logged_out"))


@bp.get("/uitgelogd")
def logged_out():
    return render_template("backoffice/logged_out.html")


@bp.post("/sessie/verlengen")
def keepalive():
    session.modified = True  # writes last_seen_at now
    if request.accept_mimetypes.best == "application/json":
        return jsonify(seconds_left=current_app.config["SESSION_IDLE_TIMEOUT"])
    return redirect(_staff_path(request.form.get("next")))


@bp.post("/sessie-verlopen")
def end_expired_session():
    """The timeout script's POST at the idle limit (CSRF-checked: no other site can end a
    staff session)."""
    if getattr(current_user, "is_staff", False):
        log.info("staff logout at the idle limit: %s", current_user.username,
                 extra={"event": "staff_logout"})
    logout_user()
    session.clear()
    return redirect(url_for("backoffice.login", verlopen=1,
                            next=_staff_path(request.form.get("next"))))


@bp.get("/sessie-verlopen")
def session_expired():
    """After the session ended (the script's POST, the server's own timeout). A GET never
    ends a session: an employee still logged in goes on to the page."""
    next_path = _staff_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path)
    return redirect(url_for("backoffice.login", verlopen=1, next=next_path))
