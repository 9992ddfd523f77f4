"""Staff login: the municipality's own OpenID Connect provider proves who someone is; the
staff_members table says whether they may come in, in which role and team.

Staff sessions are separate from residents' (see STAFF_PATH_PREFIX in app/auth/sessions.py).
"""

import logging
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

import requests
from authlib.integrations.base_client import OAuthError
from flask import Flask, current_app
from flask_babel import get_locale
from flask_login import UserMixin
from joserfc.errors import JoseError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import StaffMember
from app.auth.oidc import provider_logout_url, register_oidc_client
from app.auth.permissions import Role
from app.db import utcnow
from app.texts import Text

log = logging.getLogger(__name__)

STAFF_ACCOUNTS_PATH = Path(__file__).with_name("staff_accounts.toml")

TEAMS: dict[str, Text] = {
    "kcc": Text("Klantcontactcentrum", "Customer Contact Centre"),
    "burgerzaken": Text("Burgerzaken", "Civil Affairs"),
    "vergunningen": Text("Vergunningen", "Permits"),
    "sociaal-domein": Text("Sociaal domein", "Social Services"),
    "openbare-ruimte": Text("Openbare ruimte", "Public Space"),
    "belastingen": Text("Belastingen", "Taxes"),
    "juridische-zaken": Text("Juridische zaken", "Legal Affairs"),
}


def team_label(team: str | None) -> str:
    """A team's name in the page's language; a slug no longer in TEAMS as itself (old zaken
    and staff rows keep it), "" for none."""
    text = TEAMS.get(team or "")
    return text.get(get_locale()) if text else (team or "")


class StaffLoginRefused(Exception):
    """The IdP's answer did not let this person into the back office (the log says why)."""


@dataclass
class StaffUser(UserMixin):
    """The logged-in employee, loaded from their staff_members row on every request, so a
    changed role or a deactivation takes effect at once."""

    id: int
    username: str
    naam: str
    role: Role
    team: str | None

    is_staff = True

    def get_id(self) -> str:
        return "staff"

    @property
    def actor(self) -> str:
        """Who did it, for gezet_door / added_by: the username, never a resident's data."""
        return f"medewerker {self.username}"

    @property
    def team_label(self) -> str:
        return team_label(self.team)

    @property
    def disclosure_recipient(self) -> str:
        """How the resident reads this employee in their verstrekkingen: organisation and team."""
        municipality = current_app.config["MUNICIPALITY_NAME"]
        team = TEAMS.get(self.team or "")
        return f"{municipality}, team {team.nl}" if team else municipality

    @classmethod
    def from_member(cls, member: StaffMember) -> "StaffUser":
        return cls(member.id, member.username, member.naam, Role(member.role), member.team)


def load_staff_user(session: Session, staff_id: int) -> StaffUser | None:
    member = session.get(StaffMember, staff_id)
    return StaffUser.from_member(member) if member and member.active else None


def staff_member_for_login(session: Session, claims: dict, username_claim: str) -> StaffMember:
    """The active staff member the verified ID token names; records the login time."""
    username = claims.get(username_claim)
    if not isinstance(username, str) or not username:
        raise StaffLoginRefused(f"claim {username_claim!r} absent")
    member = session.scalar(select(StaffMember).where(StaffMember.username == username))
    if member is None or not member.active:
        raise StaffLoginRefused("no active staff member with this username")
    member.last_login_at = utcnow()
    session.flush()
    return member


# --------------------------------------------------------------------------- colleagues


@dataclass(frozen=True)
class Colleague:
    """An employee as a resident may come to know them: their contact person for a zaak."""

    username: str
    naam: str
    team: str
    telefoon: str
    email: str


def colleagues(session: Session) -> list[Colleague]:
    """The active staff who work in a team (KCC staff and behandelaars), by team and name:
    who can be made a resident's contact person. One query."""
    members = session.execute(
        select(StaffMember.username, StaffMember.naam, StaffMember.team, StaffMember.telefoon,
               StaffMember.email)
        .where(StaffMember.active, StaffMember.team.is_not(None))
        .order_by(StaffMember.team, StaffMember.naam))
    return [Colleague(*member) for member in members]


# --------------------------------------------------------------------------- OIDC client


def register_staff_client(app: Flask) -> None:
    register_oidc_client(app, "staff_oidc", "STAFF_OIDC_")


def _client():
    return current_app.extensions["staff_oidc"]


def start_staff_login(redirect_uri: str):
    try:
        return _client().authorize_redirect(
            redirect_uri, state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32))
    except requests.RequestException as error:
        raise StaffLoginRefused(f"provider unavailable: {type(error).__name__}") from error


def finish_staff_login() -> dict:
    """The verified ID token's claims (signature, iss, aud, exp, nonce checked by Authlib)."""
    try:
        token = _client().authorize_access_token(
            leeway=current_app.config["OIDC_LEEWAY_SECONDS"])
    except (OAuthError, JoseError, ValueError, requests.RequestException) as error:
        raise StaffLoginRefused(f"{type(error).__name__}: {getattr(error, 'error', '')}") from error
    if not token.get("userinfo"):
        raise StaffLoginRefused("no id_token in the token response")
    return dict(token["userinfo"])


def staff_logout_url(post_logout_redirect_uri: str) -> str | None:
    return provider_logout_url(_client(), post_logout_redirect_uri)


# --------------------------------------------------------------------------- demo data


def seed_staff(session: Session, path: Path = STAFF_ACCOUNTS_PATH) -> int:
    """Register the demo staff accounts that are not there yet; returns how many were added."""
    with path.open("rb") as file:
        accounts = tomllib.load(file)["account"]
    known = set(session.scalars(select(StaffMember.username)))
    added = 0
    for account in accounts:
        if account["username"] in known:
            continue
        session.add(StaffMember(username=account["username"], naam=account["naam"],
                                email=account["email"], telefoon=account.get("telefoon", ""),
                                role=Role(account["role"]).value,
                                team=account.get("team"), created_at=utcnow()))
        added += 1
    session.commit()
    return added
