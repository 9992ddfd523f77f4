"""Start a logged-in session in the test client without the OpenID Connect round trip.

The real DigiD and staff logins are tested where they are the point (tests/web/test_auth.py,
test_backoffice_auth.py, test_machtigen.py and the browser journeys); every other test
starts from a session as the login callbacks leave it, written by the app's own session
interface (a row in web_sessions, its id in the cookie).
"""

from flask_login.utils import _create_identifier
from sqlalchemy import select

from app.auth.loa import parse_loa
from app.auth.models import StaffMember
from app.auth.services import Resident
from app.auth.sessions import STAFF_PATH_PREFIX
from app.db import get_session
from app.persons.services import get_persons_source, load_personas

_LEVELS = {persona["bsn"]: persona["loa"] for persona in load_personas()}


def login_as(client, who: str, *, acting_for: str | None = None):
    """Log the test client in as a resident (a persona's BSN; with acting_for, as their
    gemachtigde for that BSN) or as an employee (a staff account's username)."""
    if who.isdigit():
        _resident_session(client, who, acting_for)
    else:
        _staff_session(client, who)
    return client


def _resident_session(client, bsn: str, acting_for: str | None) -> None:
    app = client.application
    with app.app_context():
        persons = get_persons_source()
        subject = persons.get_person(acting_for or bsn)
        resident = Resident(bsn=subject.bsn, display_name=subject.full_name,
                            loa=int(parse_loa(_LEVELS[bsn])))
        if acting_for:
            acting = persons.get_person(bsn)
            resident = Resident(**{**resident.to_session(), "acting_bsn": acting.bsn,
                                   "acting_name": acting.full_name})
    _start(client, "/", resident=resident.to_session(), _user_id=resident.get_id())


def _staff_session(client, username: str) -> None:
    with client.application.app_context():
        staff_id = get_session().scalar(
            select(StaffMember.id).where(StaffMember.username == username))
    assert staff_id is not None, f"no staff account {username!r}"
    _start(client, f"{STAFF_PATH_PREFIX}/", staff_id=staff_id, _user_id="staff")


def _start(client, path: str, **data) -> None:
    """A new session for the area of `path` holding `data`, as Flask-Login's login_user
    leaves it (fresh, and marked with the client's identifier for session protection)."""
    with client.application.test_request_context(path):
        identifier = _create_identifier()
    with client.session_transaction(path) as session:
        session.clear()
        session.update(data, _fresh=True, _id=identifier)
