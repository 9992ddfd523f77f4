"""The request's part of keeping what a resident typed when their session ended (the rules
are in app.auth.kept).

1. The session ends while a form is open. Without JavaScript the form's POST arrives after
   the server's timeout; with it, session-timeout.js posts the changed form's fields to the
   end-of-session URL at the idle limit. Either way the fields (not the CSRF token, files or
   passwords) and the form's progress the session held (``carry_session_key``) are kept,
   and the browser gets the kept id in a cookie of its own, for KEPT_INPUT_HOURS.
2. The resident logs in again: the kept input of that same resident moves into the new
   session (``restore_after_login``), and the login leads back to the form's page.
3. That page's form (a ``KeptInputForm``) is filled in with it once, and the layout says so.

A POST after the timeout is only kept when it carries the ended session's CSRF token: a
form of this site, in that session.
"""

from __future__ import annotations

import hmac
import json
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, g, request, session
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict

from app.auth.kept import (
    CSRF_FIELD,
    claim_inputs,
    is_csrf_field,
    keep_input,
    owner_key,
    waiting_inputs,
    worth_keeping,
)
from app.db import get_session, transaction

KEPT_COOKIE = "portal_kept"
MAX_KEPT_IN_BROWSER = 5
RESTORED = "kept_input"  # session: {page: [[name, value], ...]} waiting for its form
# The script's fields at the end of a session (session-timeout.js).
SCRIPT_FIELDS = "kept_fields"
SCRIPT_FILES = "kept_files"
# Fields a form is not filled in again with: its own machinery, and files (never kept).
NOT_REFILLED = {"HiddenField", "CSRFTokenField", "FileField", "MultipleFileField",
                "SubmitField"}


def init_app(app: Flask) -> None:
    app.extensions.setdefault("kept_session_keys", set())
    app.after_request(_forget_restored_input)


def carry_session_key(app: Flask, key: str) -> None:
    """A session key that holds a form's progress (a booking's earlier steps): kept with the
    input, back in the session after the login."""
    app.extensions.setdefault("kept_session_keys", set()).add(key)


# --------------------------------------------------------------------------- 1. keeping


def keep_at_expiry(session_data: dict, next_path: str, *, posted_in_it: bool) -> str | None:
    """Keep the posted input and the form progress of a resident's session that ends now;
    the kept id, or None when there was nothing to keep. ``session_data``: the ending
    session's; ``posted_in_it``: whether the request is known to come from that session
    (else only its CSRF token lets the posted fields in; the progress is the server's own)."""
    resident = session_data.get("resident")
    if not resident:
        return None
    proven = posted_in_it or (request.method == "POST" and _posted_in(session_data))
    fields, files_left_out = _posted_input() if proven else ([], False)
    carried = current_app.extensions["kept_session_keys"]
    state = {key: value for key, value in session_data.items() if key in carried}
    if not (fields or state or files_left_out):
        return None
    with transaction() as db:
        return keep_input(
            db, owner=_owner(resident), path=page_key(next_path), fields=fields,
            session_state=state, files_left_out=files_left_out, lifetime=kept_lifetime())


def kept_lifetime() -> timedelta:
    return timedelta(hours=current_app.config["KEPT_INPUT_HOURS"])


def remember_in_browser(response, kept_id: str | None) -> None:
    if kept_id:
        _set_kept_cookie(response, [*_kept_ids(), kept_id][-MAX_KEPT_IN_BROWSER:])


def waiting_in_this_browser():
    """What this browser's kept ids still hold (the page after the session ended)."""
    ids = _kept_ids()
    return waiting_inputs(get_session(), ids) if ids else []


def _posted_input() -> tuple[list[tuple[str, str]], bool]:
    """(the fields worth keeping, whether files were left out) of this POST: the script's
    fields on the end-of-session URL, a form's own fields anywhere else but the login's
    own forms (logging out, staying logged in)."""
    if SCRIPT_FIELDS in request.form or SCRIPT_FILES in request.form:
        return worth_keeping(_script_pairs(), _csrf_field()), request.form.get(SCRIPT_FILES) == "1"
    if request.blueprint == "auth":
        return [], False
    files = any(upload.filename for upload in request.files.values())
    return worth_keeping(request.form.items(multi=True), _csrf_field()), files


def _script_pairs() -> list[tuple[str, str]]:
    try:
        pairs = json.loads(request.form.get(SCRIPT_FIELDS) or "[]")
    except ValueError:
        return []
    if not isinstance(pairs, list):
        return []
    return [(pair[0], pair[1]) for pair in pairs
            if isinstance(pair, list) and len(pair) == 2
            and isinstance(pair[0], str) and isinstance(pair[1], str)]


def _posted_in(session_data: dict) -> bool:
    """Whether the POST carries the CSRF token of the session that ended (as Flask-WTF checks
    it against a live one): a form of ours, in that resident's browser."""
    config = current_app.config
    field = _csrf_field()
    expected = session_data.get(field)
    posted = _posted_token(field) or request.headers.get("X-CSRFToken")
    if not (expected and posted):
        return False
    serializer = URLSafeTimedSerializer(
        config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, salt="wtf-csrf-token")
    try:
        token = serializer.loads(posted)
    except BadData:
        return False
    return isinstance(token, str) and hmac.compare_digest(expected, token)


def _csrf_field() -> str:
    return current_app.config.get("WTF_CSRF_FIELD_NAME", CSRF_FIELD)


def _posted_token(field: str) -> str | None:
    """The posted CSRF token of whichever form was sent, with a prefix or without."""
    return next((value for name, value in request.form.items(multi=True)
                 if is_csrf_field(name, field) and value), None)


def _owner(resident: dict) -> str:
    return owner_key(current_app.config["SECRET_KEY"], resident["bsn"],
                     resident.get("acting_bsn") or "")


# --------------------------------------------------------------------------- 2. the login


def restore_after_login(resident: dict, response) -> None:
    """Move this resident's kept input into their new session; ids of another resident's
    stay in the browser for them."""
    ids = _kept_ids()
    if not ids:
        return
    with transaction() as db:
        claimed, inputs = claim_inputs(db, ids, owner=_owner(resident))
    restored = dict(session.get(RESTORED) or {})
    for kept in inputs:
        session.update(kept.session_state)
        if kept.fields:
            restored[kept.path] = [list(pair) for pair in kept.fields]
    if restored:
        session[RESTORED] = dict(list(restored.items())[-MAX_KEPT_IN_BROWSER:])
    _set_kept_cookie(response, [kept_id for kept_id in ids if kept_id not in claimed])


# --------------------------------------------------------------------------- 3. the form


class KeptInputForm(FlaskForm):
    """A resident's form: on the page it was kept for, filled in with what they had typed
    when their session ended (once; the layout tells them)."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            wrapped = super().wrap_formdata(form, formdata)
            if wrapped is None and formdata is not None and request.method == "GET":
                return _restored_formdata(form)
            return wrapped


def _restored_formdata(form) -> MultiDict | None:
    page = page_key(request.full_path)
    pairs = (session.get(RESTORED) or {}).get(page)
    if not pairs:
        return None
    names = {field.name for field in form if field.type not in NOT_REFILLED}
    refill = [(name, value) for name, value in pairs if name in names]
    if not refill:
        return None
    g.kept_input_page = page
    return MultiDict(refill)


def _forget_restored_input(response):
    """Filled in once: a reload shows the form as the server has it."""
    page = g.get("kept_input_page")
    if page and response.status_code < 400:
        restored = dict(session.get(RESTORED) or {})
        restored.pop(page, None)
        session[RESTORED] = restored
    return response


# --------------------------------------------------------------------------- helpers


def page_key(path: str) -> str:
    """A page's path and query as one key, the same however its path was encoded."""
    parts = urlsplit(path)
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


def _kept_ids() -> list[str]:
    value = request.cookies.get(KEPT_COOKIE, "")
    return [kept_id for kept_id in value.split(".") if kept_id][:MAX_KEPT_IN_BROWSER]


def _set_kept_cookie(response, ids: list[str]) -> None:
    config = current_app.config
    if not ids:
        response.delete_cookie(KEPT_COOKIE, path="/")
        return
    response.set_cookie(KEPT_COOKIE, ".".join(ids), path="/",
                        max_age=int(kept_lifetime().total_seconds()), httponly=True,
                        secure=config["SESSION_COOKIE_SECURE"],
                        samesite=config["SESSION_COOKIE_SAMESITE"])
