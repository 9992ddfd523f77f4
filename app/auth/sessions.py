"""Server-side sessions in the database (Flask's SessionInterface).

The cookie carries a random id only; the data lives in ``web_sessions``. A
logged-in session ends after SESSION_IDLE_TIMEOUT seconds without a request,
and every session after SESSION_ABSOLUTE_TIMEOUT seconds.

The back office under STAFF_PATH_PREFIX has a session of its own, in its own cookie
scoped to that path: a browser can hold a resident's and an employee's login at once
and neither ever sees the other's. The API has no session at all (tokens).
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import Flask, Request, Response, request
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import bindparam, delete, select, update
from werkzeug.datastructures import CallbackDict

from app.auth.models import WebSession
from app.db import get_session, transaction, utcnow

# Writing last_seen_at on every request would cost a write per page view; a
# slack of this size is invisible against a 15-minute timeout.
TOUCH_INTERVAL = timedelta(seconds=30)
LOGGED_IN_KEY = "_user_id"  # set by Flask-Login
STAFF_PATH_PREFIX = "/backoffice"
STAFF_COOKIE_NAME = "portal_staff_session"
API_PATH_PREFIX = "/api/"
# Read on every request, so through Core and built once: the ORM's loading and a fresh
# statement's cache key cost more than the query itself, and nothing needs an ORM object.
_SESSIONS = WebSession.__table__
_READ = (select(_SESSIONS.c.data, _SESSIONS.c.created_at, _SESSIONS.c.last_seen_at)
         .where(_SESSIONS.c.id_hash == bindparam("id_hash")))


def is_staff_area(path: str) -> bool:
    return path == STAFF_PATH_PREFIX or path.startswith(STAFF_PATH_PREFIX + "/")


def _cookie(app: Flask, path: str) -> tuple[str, str]:
    """The session cookie's name and path for a request to this path."""
    if is_staff_area(path):
        return STAFF_COOKIE_NAME, STAFF_PATH_PREFIX
    return app.config["SESSION_COOKIE_NAME"], "/"


def hash_session_id(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, data: dict | None = None, sid: str | None = None,
                 created_at: datetime | None = None, last_seen_at: datetime | None = None):
        def on_update(session: "ServerSession") -> None:
            session.modified = True

        super().__init__(data or {}, on_update)
        self.sid = sid
        self.created_at = created_at
        self.last_seen_at = last_seen_at
        self.modified = False
        # True when this request came with a logged-in session that had timed out; then
        # expired_data is what it held (app.auth.kept_forms keeps what the resident typed).
        self.login_expired = False
        self.expired_data: dict = {}
        self._rotate = False

    def regenerate(self) -> None:
        """Give the session a new id (at login), against session fixation."""
        self._rotate = True
        self.modified = True

    def seconds_left(self, idle_timeout: int) -> int:
        """Seconds until the idle timeout, counted from the last recorded request."""
        if self.last_seen_at is None:
            return idle_timeout
        return max(0, idle_timeout - int((utcnow() - self.last_seen_at).total_seconds()))


class DatabaseSessionInterface(SessionInterface):
    def open_session(self, app: Flask, request: Request) -> ServerSession:
        if request.path.startswith(API_PATH_PREFIX):
            return ServerSession()
        sid = request.cookies.get(_cookie(app, request.path)[0])
        if not sid:
            return ServerSession()
        id_hash = hash_session_id(sid)
        row = get_session().execute(_READ, {"id_hash": id_hash}).one_or_none()
        if row is None:
            return ServerSession()
        if _has_expired(row, app, utcnow()):
            with transaction() as writer:
                writer.execute(delete(_SESSIONS).where(_SESSIONS.c.id_hash == id_hash))
            session = ServerSession()
            session.login_expired = LOGGED_IN_KEY in row.data
            session.expired_data = dict(row.data) if session.login_expired else {}
            return session
        return ServerSession(dict(row.data), sid, row.created_at, row.last_seen_at)

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        if request.path.startswith(API_PATH_PREFIX):
            return
        if not session:
            if session.sid:
                with transaction() as db:
                    db.execute(delete(WebSession).where(
                        WebSession.id_hash == hash_session_id(session.sid)))
                name, path = _cookie(app, request.path)
                response.delete_cookie(name, path=path)
            return
        now = utcnow()
        if not (session.sid is None or session.modified
                or now - session.last_seen_at > TOUCH_INTERVAL):
            return
        with transaction() as db:
            if session._rotate and session.sid:
                db.execute(delete(WebSession).where(
                    WebSession.id_hash == hash_session_id(session.sid)))
                session.sid = None
            if session.sid is None:
                self._create(app, db, session, response, now)
                return
            # No row to update: it ended meanwhile in another request (logout in another tab).
            db.execute(update(_SESSIONS).where(_SESSIONS.c.id_hash == hash_session_id(session.sid))
                       .values(data=dict(session), last_seen_at=now))

    def _create(self, app, db, session: ServerSession, response: Response, now: datetime) -> None:
        session.sid = secrets.token_urlsafe(32)
        db.add(WebSession(id_hash=hash_session_id(session.sid), data=dict(session),
                          created_at=now, last_seen_at=now))
        name, path = _cookie(app, request.path)
        # No Expires: a browser-session cookie; the server enforces the timeouts.
        response.set_cookie(
            name, session.sid, path=path,
            httponly=True, secure=app.config["SESSION_COOKIE_SECURE"],
            samesite=app.config["SESSION_COOKIE_SAMESITE"],
        )


def _has_expired(row, app: Flask, now: datetime) -> bool:
    """row: the session's data, created_at and last_seen_at."""
    absolute = timedelta(seconds=app.config["SESSION_ABSOLUTE_TIMEOUT"])
    idle = timedelta(seconds=app.config["SESSION_IDLE_TIMEOUT"])
    if now - row.created_at > absolute:
        return True
    return LOGGED_IN_KEY in row.data and now - row.last_seen_at > idle


def purge_expired_sessions(app: Flask) -> int:
    """Delete sessions past the absolute timeout (run from cron: `flask sessions purge`).

    Idle sessions younger than that stay until then, so a returning resident
    still hears that their session expired instead of meeting a blank page.
    """
    cutoff = utcnow() - timedelta(seconds=app.config["SESSION_ABSOLUTE_TIMEOUT"])
    db = get_session()
    result = db.execute(delete(WebSession).where(WebSession.created_at < cutoff))
    db.commit()
    return result.rowcount
