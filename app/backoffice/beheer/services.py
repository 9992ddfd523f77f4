"""Beheer: staff members (who may use the back office, in which role and team) and the
zaaktypen's norms and status texts.

Products are not managed here: they live in content/catalog.toml and change with a
release. Services take the caller's Session, flush and never commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.auth.models import StaffMember
from app.auth.permissions import Role
from app.auth.staff import TEAMS
from app.db import utcnow
from app.zaken.durations import parse_duration
from app.zaken.models import ZaakType

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
    """KCC staff and behandelaars work in a team (the KCC's is "kcc"); a beheerder has none,
    because a team would let them see that team's zaken."""
    try:
        role_value = Role(role)
    except ValueError:
        raise BeheerError("role") from None
    if role_value == Role.BEHEERDER:
        return role_value, None
    if team not in TEAMS:
        raise BeheerError("team_required")
    if (role_value == Role.KCC) != (team == "kcc"):
        raise BeheerError("kcc_team")
    return role_value, team


def add_staff_member(session: Session, *, username: str, naam: str, email: str, role: str,
                     team: str | None, door: str) -> StaffMember:
    role_value, team = _check_role_and_team(role, team)
    username = username.strip().lower()
    taken = session.scalar(select(func.count(StaffMember.id))
                           .where(func.lower(StaffMember.username) == username))
    if taken:
        raise BeheerError("username_taken")
    member = StaffMember(username=username, naam=naam.strip(), email=email.strip(),
                         role=role_value.value, team=team, active=True, created_at=utcnow())
    session.add(member)
    session.flush()
    log.info("beheer: staff member %s added as %s by %s", username, role_value.value, door,
             extra={"event": "staff_added"})
    return member


def change_staff_member(session: Session, member: StaffMember, *, role: str, team: str | None,
                        door_username: str) -> None:
    """A new role and team; effective at the member's next request (StaffUser is loaded
    from this row every time). Your own role stays: a beheerder cannot lock themselves out."""
    role_value, team = _check_role_and_team(role, team)
    if member.username == door_username and role_value.value != member.role:
        raise BeheerError("own_role")
    member.role, member.team = role_value.value, team
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


def zaaktypen(session: Session) -> list[ZaakType]:
    """Every zaaktype with its statustypen, by name (two queries)."""
    return list(session.scalars(select(ZaakType).options(selectinload(ZaakType.statustypen))
                                .order_by(ZaakType.omschrijving)))


def zaaktype(session: Session, identificatie: str) -> ZaakType | None:
    return session.scalar(select(ZaakType).where(ZaakType.identificatie == identificatie)
                          .options(selectinload(ZaakType.statustypen)))


@dataclass(frozen=True)
class StatusTypeTexts:
    volgnummer: int
    statustekst: str
    statustekst_en: str
    informeren: bool


def update_zaaktype(session: Session, zaaktype_obj: ZaakType, *, doorlooptijd: str,
                    servicenorm: str | None, statustypen: list[StatusTypeTexts],
                    door: str) -> None:
    """New norms (ISO 8601 durations) and status texts. The norms apply to zaken opened from
    now on: an open zaak keeps the dates it was given (the resident was told them)."""
    for value in (doorlooptijd, servicenorm):
        if value:
            try:
                parse_duration(value)
            except ValueError:
                raise BeheerError("duration") from None
    by_volgnummer = {s.volgnummer: s for s in zaaktype_obj.statustypen}
    if {item.volgnummer for item in statustypen} - set(by_volgnummer):
        raise BeheerError("statustype")
    zaaktype_obj.doorlooptijd = doorlooptijd.strip().upper()
    zaaktype_obj.servicenorm = servicenorm.strip().upper() if servicenorm else None
    for item in statustypen:
        statustype = by_volgnummer[item.volgnummer]
        statustype.statustekst = item.statustekst.strip()
        statustype.statustekst_en = item.statustekst_en.strip()
        statustype.informeren = item.informeren
    session.flush()
    log.info("beheer: zaaktype %s changed by %s", zaaktype_obj.identificatie, door,
             extra={"event": "zaaktype_changed"})
