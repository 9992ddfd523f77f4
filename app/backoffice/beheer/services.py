"""Beheer: staff members (who may use the back office, in which role and team) and the
zaaktypen's norms and status texts.

Products are not managed here: they live in content/catalog.toml and change with a
release. Services take the caller's Session, flush and never commit. The zaaktypen live in
the zaken store's catalogi (CatalogiBeheer in app.zaken.store); on a ZGW zaaksysteem they
are its own and are changed there, so beheer only shows them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import StaffMember
from app.auth.permissions import Role
from app.auth.staff import TEAMS
from app.db import utcnow
from app.texts import Text
from app.zaken.durations import parse_duration
from app.zaken.store import BeheerZaakType, StatusTypeTexts, ZaakError, get_zaken_store

log = logging.getLogger(__name__)


class BeheerError(Exception):
    """A change beheer refuses; ``code`` picks the page's message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --------------------------------------------------------------------------- staff


def staff_members(session: Session) -> list[StaffMember]:
    """Everyone, the active ones first, by name (one query)."""
    return list(session.scalars(
        select(StaffMember).order_by(StaffMember.active.desc(), StaffMember.naam)))


def staff_member(session: Session, username: str) -> StaffMember | None:
    return session.scalar(select(StaffMember).where(StaffMember.username == username))


def _check_role_and_team(role: str, team: str | None) -> tuple[Role, str | None]:
    """KCC staff and behandelaars work in a team (the KCC's is "kcc"); a beheerder and
    management have none, because a team would let them see that team's zaken."""
    try:
        role_value = Role(role)
    except ValueError:
        raise BeheerError("role") from None
    if role_value in (Role.BEHEERDER, Role.MANAGEMENT):
        return role_value, None
    if team not in TEAMS:
        raise BeheerError("team_required")
    if (role_value == Role.KCC) != (team == "kcc"):
        raise BeheerError("kcc_team")
    return role_value, team


def add_staff_member(session: Session, *, username: str, naam: str, email: str, role: str,
                     team: str | None, door: str, telefoon: str = "") -> StaffMember:
    role_value, team = _check_role_and_team(role, team)
    username = username.strip().lower()
    taken = session.scalar(select(func.count(StaffMember.id))
                           .where(func.lower(StaffMember.username) == username))
    if taken:
        raise BeheerError("username_taken")
    member = StaffMember(username=username, naam=naam.strip(), email=email.strip(),
                         telefoon=telefoon, role=role_value.value, team=team, active=True,
                         created_at=utcnow())
    session.add(member)
    session.flush()
    log.info("beheer: staff member %s added as %s by %s", username, role_value.value, door,
             extra={"event": "staff_added"})
    return member


def change_staff_member(session: Session, member: StaffMember, *, role: str, team: str | None,
                        door_username: str, telefoon: str = "") -> None:
    """A new role, team and direct phone number; effective at the member's next request (StaffUser is loaded
    from this row every time). Your own role stays: a beheerder cannot lock themselves out."""
    role_value, team = _check_role_and_team(role, team)
    if member.username == door_username and role_value.value != member.role:
        raise BeheerError("own_role")
    member.role, member.team, member.telefoon = role_value.value, team, telefoon
    session.flush()
    log.info("beheer: staff member %s is now %s (%s) by %s", member.username, role_value.value,
             team or "-", door_username, extra={"event": "staff_changed"})


def set_staff_active(session: Session, member: StaffMember, *, active: bool,
                     door_username: str) -> None:
    """Deactivate (the member's session ends at their next request and login is refused)
    or reactivate. Nobody deactivates themselves, so a beheerder always remains."""
    if not active and member.username == door_username:
        raise BeheerError("own_account")
    member.active = active
    session.flush()
    log.info("beheer: staff member %s %s by %s", member.username,
             "reactivated" if active else "deactivated", door_username,
             extra={"event": "staff_activated" if active else "staff_deactivated"})


# --------------------------------------------------------------------------- zaaktypen


def zaaktypen_editable(session: Session) -> bool:
    """Whether the zaaktypen are changed here (the portal's own catalogi) or in the
    zaaksysteem that keeps them (ZGW: as a new version, in its own catalogue beheer)."""
    return get_zaken_store(session).catalogi_editable


def zaaktypen(session: Session) -> list[BeheerZaakType]:
    """Every zaaktype with its statustypen, by name."""
    return get_zaken_store(session).beheer_zaaktypen()


def zaaktype(session: Session, identificatie: str) -> BeheerZaakType | None:
    return get_zaken_store(session).beheer_zaaktype(identificatie)


def update_zaaktype(session: Session, identificatie: str, *, doorlooptijd: str,
                    servicenorm: str | None, statustypen: Sequence[StatusTypeTexts],
                    door: str) -> None:
    """New norms (ISO 8601 durations) and status texts. The norms apply to zaken opened from
    now on: an open zaak keeps the dates it was given (the resident was told them)."""
    if not zaaktypen_editable(session):
        raise BeheerError("read_only")
    for value in (doorlooptijd, servicenorm):
        if value:
            try:
                parse_duration(value)
            except ValueError:
                raise BeheerError("duration") from None
    store = get_zaken_store(session)
    try:
        store.set_status_texts(identificatie, [
            StatusTypeTexts(item.volgnummer,
                            Text(item.statustekst.nl.strip(), item.statustekst.en.strip()),
                            item.informeren)
            for item in statustypen])
    except ZaakError:  # a statustype the page showed is gone
        raise BeheerError("statustype") from None
    store.set_norms(identificatie, doorlooptijd=doorlooptijd.strip().upper(),
                    servicenorm=servicenorm.strip().upper() if servicenorm else None)
    log.info("beheer: zaaktype %s changed by %s", identificatie, door,
             extra={"event": "zaaktype_changed"})
