"""Who on the staff may do what: the one place for the back office's and its pages' rules.

Roles come from the staff member's row (Beheer > Medewerkers), never from the request.
Views guard themselves with @requires(Permission.X) and object checks with
can_view_zaak / can_handle_zaak.
"""

from enum import StrEnum
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user


class Role(StrEnum):
    KCC = "kcc"  # front office: sees every contact, routes zaken, handles callbacks and questions
    BEHANDELAAR = "behandelaar"  # handles the zaken of their team
    BEHEERDER = "beheerder"  # manages zaaktypen and staff; sees no residents' data
    MANAGEMENT = "management"  # the kanaalsturing dashboard: figures only, no residents' data


class Permission(StrEnum):
    VIEW_ZAKEN = "view_zaken"
    HANDLE_ZAKEN = "handle_zaken"
    ROUTE_ZAKEN = "route_zaken"
    HANDLE_CONTACTS = "handle_contacts"  # the callback and question lists; a callback by phone
    VIEW_CONTACT_OVERVIEW = "view_contact_overview"  # find a resident; see all their contacts
    MANAGE_AGENDA = "manage_agenda"
    MANAGE_CATALOGI = "manage_catalogi"
    MANAGE_STAFF = "manage_staff"
    VIEW_DASHBOARD = "view_dashboard"  # the channel and service figures per month


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.KCC: frozenset({Permission.VIEW_ZAKEN, Permission.HANDLE_ZAKEN, Permission.ROUTE_ZAKEN,
                         Permission.HANDLE_CONTACTS, Permission.VIEW_CONTACT_OVERVIEW,
                         Permission.MANAGE_AGENDA}),
    Role.BEHANDELAAR: frozenset({Permission.VIEW_ZAKEN, Permission.HANDLE_ZAKEN}),
    Role.BEHEERDER: frozenset({Permission.MANAGE_CATALOGI, Permission.MANAGE_STAFF}),
    Role.MANAGEMENT: frozenset({Permission.VIEW_DASHBOARD}),
}


def has_permission(user, permission: Permission) -> bool:
    return bool(getattr(user, "is_staff", False)) and permission in ROLE_PERMISSIONS[user.role]


def can_view_zaak(user, zaak) -> bool:
    """The KCC sees every zaak (the omni-channel view); a behandelaar their team's."""
    if not has_permission(user, Permission.VIEW_ZAKEN):
        return False
    return user.role == Role.KCC or zaak.team == user.team


def can_handle_zaak(user, zaak) -> bool:
    """Changing a zaak is for its own team (the KCC's own zaken are callbacks and questions)."""
    return has_permission(user, Permission.HANDLE_ZAKEN) and zaak.team == user.team


def requires(permission: Permission):
    """A back-office view for staff with this permission: others log in first, or get 403."""
    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not getattr(current_user, "is_staff", False):
                return redirect(url_for("backoffice.login", next=request.full_path.rstrip("?")))
            if not has_permission(current_user, permission):
                abort(403)
            return view(*args, **kwargs)
        return guarded
    return decorate
