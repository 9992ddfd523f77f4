"""The role rules of the back office, in one table."""

from types import SimpleNamespace

import pytest

from app.auth.permissions import (
    Permission,
    Role,
    can_handle_zaak,
    can_view_zaak,
    has_permission,
)
from app.auth.staff import StaffUser


def staff(role: Role, team: str | None) -> StaffUser:
    return StaffUser(1, "x", "X", role, team)


KCC = staff(Role.KCC, "kcc")
BAS = staff(Role.BEHANDELAAR, "burgerzaken")
BEA = staff(Role.BEHEERDER, None)
BURGERZAKEN_ZAAK = SimpleNamespace(team="burgerzaken")
KCC_ZAAK = SimpleNamespace(team="kcc")


@pytest.mark.parametrize(("user", "allowed"), [
    (KCC, {Permission.VIEW_ZAKEN, Permission.HANDLE_ZAKEN, Permission.ROUTE_ZAKEN,
           Permission.HANDLE_CONTACTS, Permission.VIEW_CONTACT_OVERVIEW,
           Permission.MANAGE_AGENDA}),
    (BAS, {Permission.VIEW_ZAKEN, Permission.HANDLE_ZAKEN}),
    (BEA, {Permission.MANAGE_CATALOGI, Permission.MANAGE_STAFF}),
])
def test_each_role_has_exactly_its_permissions(user, allowed):
    assert {p for p in Permission if has_permission(user, p)} == allowed


def test_a_resident_or_anonymous_visitor_has_no_staff_permission():
    resident = SimpleNamespace(bsn="999990019", is_authenticated=True)
    assert not any(has_permission(resident, p) for p in Permission)


def test_the_kcc_sees_every_zaak_but_handles_only_its_own():
    assert can_view_zaak(KCC, BURGERZAKEN_ZAAK) and can_view_zaak(KCC, KCC_ZAAK)
    assert can_handle_zaak(KCC, KCC_ZAAK)
    assert not can_handle_zaak(KCC, BURGERZAKEN_ZAAK)


def test_a_behandelaar_sees_and_handles_their_teams_zaken_only():
    assert can_view_zaak(BAS, BURGERZAKEN_ZAAK) and can_handle_zaak(BAS, BURGERZAKEN_ZAAK)
    assert not can_view_zaak(BAS, KCC_ZAAK) and not can_handle_zaak(BAS, KCC_ZAAK)


def test_a_beheerder_sees_no_zaken():
    assert not can_view_zaak(BEA, BURGERZAKEN_ZAAK)
    assert not can_handle_zaak(BEA, BURGERZAKEN_ZAAK)
