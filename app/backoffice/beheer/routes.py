"""Beheer: staff members and zaaktypen, for beheerders (MANAGE_STAFF, MANAGE_CATALOGI).

Staff members are addressed by their username in URLs: it is an employee's login name,
not a resident's data, and every page here needs the beheer permission. Products are
not edited here: content/catalog.toml holds them and a release changes them (the page
says so).
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from app.auth.permissions import Permission, Role, requires
from app.auth.staff import TEAMS, team_label
from app.backoffice import bp
from app.backoffice.beheer import services as beheer
from app.backoffice.beheer.forms import NewStaffForm, StaffForm, ZaakTypeForm
from app.db import get_session, transaction
from app.texts import Text
from app.ui import locale_name
from app.ui.dates import short_date_time
from app.zaken.store import StatusTypeTexts

ROLE_LABELS = {Role.KCC.value: _l("Customer Contact Centre (KCC)"),
               Role.BEHANDELAAR.value: _l("Case handler"),
               Role.BEHEERDER.value: _l("Administrator"),
               Role.MANAGEMENT.value: _l("Management (channel dashboard)")}
REFUSALS = {
    "role": ("role", _l("Choose a role")),
    "team_required": ("team", _l("Choose the team this person works in")),
    "kcc_team": ("team", _l("KCC staff work in the team Customer Contact Centre, and only they do")),
    "username_taken": ("username", _l("There is already a staff member with this user name")),
    "own_role": ("role", _l("You cannot change your own role. Ask another administrator.")),
    "own_account": (None, _l("You cannot deactivate your own account.")),
    "duration": ("doorlooptijd", _l("Enter a period in ISO 8601, for example P8W (8 weeks), "
                                    "P5D (5 days) or P1M (1 month)")),
    "statustype": ("doorlooptijd", _l("The statuses of this case type have changed. Reload the "
                                      "page.")),
    "read_only": (None, _l("Nothing was saved: change case types in the case system.")),
}


def _staff_choices(form: StaffForm) -> None:
    form.role.choices = [SelectChoice(value, str(label)) for value, label in ROLE_LABELS.items()]
    form.team.choices = [SelectChoice("", gettext("No team"))] + [
        SelectChoice(slug, text.get(locale_name())) for slug, text in TEAMS.items()]


def _refuse(form, code: str) -> None:
    field_name, message = REFUSALS[code]
    field = getattr(form, field_name) if field_name else None
    if field is None:
        flash(str(message))
        return
    field.errors = [*field.errors, str(message)]


# --------------------------------------------------------------------------- staff


def staff_row(member) -> list:
    status = ({"text": str(_l("Active")), "badge": "success"} if member.active
              else {"text": str(_l("Deactivated")), "badge": "neutral"})
    return [{"text": member.naam, "href": url_for("backoffice.staff_edit",
                                                  username=member.username)},
            member.username, str(ROLE_LABELS.get(member.role, member.role)),
            team_label(member.team), status, short_date_time(member.last_login_at)]


@bp.get("/beheer/medewerkers")
@requires(Permission.MANAGE_STAFF)
def staff_list():
    rows = [staff_row(member) for member in beheer.staff_members(get_session())]
    return render_template("backoffice/beheer_staff.html", active="staff", rows=rows,
                           notices=get_flashed_messages())


@bp.route("/beheer/medewerkers/nieuw", methods=["GET", "POST"])
@requires(Permission.MANAGE_STAFF)
def staff_new():
    form = NewStaffForm()
    _staff_choices(form)
    if form.validate_on_submit():
        try:
            with transaction() as db:
                member = beheer.add_staff_member(
                    db, username=form.username.data, naam=form.naam.data, email=form.email.data,
                    role=form.role.data, team=form.team.data or None, door=current_user.username,
                    telefoon=form.telefoon.data or "")
        except beheer.BeheerError as error:
            _refuse(form, error.code)
        else:
            flash(gettext("%(name)s can now log in to the back office.", name=member.naam))
            return redirect(url_for("backoffice.staff_list"))
    return render_template("backoffice/beheer_staff_form.html", active="staff", form=form,
                           member=None, form_errors=form.errors)


def _member_or_404(db, username: str):
    member = beheer.staff_member(db, username[:100])
    if member is None:
        abort(404)
    return member


@bp.route("/beheer/medewerkers/<username>", methods=["GET", "POST"])
@requires(Permission.MANAGE_STAFF)
def staff_edit(username: str):
    member = _member_or_404(get_session(), username)
    form = StaffForm(data={"role": member.role, "team": member.team or "",
                           "telefoon": member.telefoon})
    _staff_choices(form)
    if form.validate_on_submit():
        try:
            with transaction() as db:
                member = _member_or_404(db, username)
                beheer.change_staff_member(db, member, role=form.role.data,
                                           team=form.team.data or None,
                                           door_username=current_user.username,
                                           telefoon=form.telefoon.data or "")
        except beheer.BeheerError as error:
            _refuse(form, error.code)
        else:
            flash(gettext("The details of %(name)s are saved.", name=member.naam))
            return redirect(url_for("backoffice.staff_list"))
    return render_template("backoffice/beheer_staff_form.html", active="staff", form=form,
                           member=member, is_self=member.username == current_user.username,
                           form_errors=form.errors, notices=get_flashed_messages())


@bp.post("/beheer/medewerkers/<username>/<actie>")
@requires(Permission.MANAGE_STAFF)
def staff_activation(username: str, actie: str):
    if actie not in ("deactiveren", "activeren"):
        abort(404)
    try:
        with transaction() as db:
            member = _member_or_404(db, username)
            beheer.set_staff_active(db, member, active=actie == "activeren",
                                    door_username=current_user.username)
    except beheer.BeheerError as error:
        flash(str(REFUSALS[error.code][1]))
        return redirect(url_for("backoffice.staff_edit", username=username))
    flash(gettext("%(name)s can log in again.", name=member.naam) if member.active
          else gettext("%(name)s can no longer log in.", name=member.naam))
    return redirect(url_for("backoffice.staff_list"))


# --------------------------------------------------------------------------- zaaktypen


def zaaktype_row(zaaktype) -> list:
    return [{"text": zaaktype.omschrijving.get(locale_name()),
             "href": url_for("backoffice.zaaktype_edit", identificatie=zaaktype.identificatie)},
            zaaktype.identificatie, team_label(zaaktype.team), zaaktype.doorlooptijd,
            zaaktype.servicenorm or "", str(len(zaaktype.statustypen))]


@bp.get("/beheer/zaaktypen")
@requires(Permission.MANAGE_CATALOGI)
def zaaktypen():
    db = get_session()
    rows = [zaaktype_row(z) for z in beheer.zaaktypen(db)]
    return render_template("backoffice/beheer_zaaktypen.html", active="zaaktypen", rows=rows,
                           editable=beheer.zaaktypen_editable(db),
                           notices=get_flashed_messages())


def statustype_row(statustype) -> list:
    locale = locale_name()
    name = statustype.omschrijving.get(locale)
    if not statustype.zichtbaar_voor_inwoner:
        name = f"{name} ({gettext('internal step')})"
    return [f"{statustype.volgnummer}. {name}", statustype.statustekst.nl,
            statustype.statustekst.en, gettext("Yes") if statustype.informeren else gettext("No")]


def _zaaktype_in_zaaksysteem(zaaktype, name: str):
    """The zaaksysteem keeps the zaaktypen: the page shows one and says where to change it;
    a form posted before ZAKEN_STORE changed saves nothing, and says so."""
    posted = request.method == "POST"
    return render_template("backoffice/beheer_zaaktype_zaaksysteem.html", active="zaaktypen",
                           zaaktype=zaaktype, name=name, not_saved=posted, form_errors=posted,
                           rows=[statustype_row(s) for s in zaaktype.statustypen]), \
        409 if posted else 200


@bp.route("/beheer/zaaktypen/<identificatie>", methods=["GET", "POST"])
@requires(Permission.MANAGE_CATALOGI)
def zaaktype_edit(identificatie: str):
    zaaktype = beheer.zaaktype(get_session(), identificatie[:50])
    if zaaktype is None:
        abort(404)
    name = zaaktype.omschrijving.get(locale_name())
    if not beheer.zaaktypen_editable(get_session()):
        return _zaaktype_in_zaaksysteem(zaaktype, name)
    statustypen = zaaktype.statustypen
    form = ZaakTypeForm(data={
        "doorlooptijd": zaaktype.doorlooptijd, "servicenorm": zaaktype.servicenorm or "",
        "statustypen": [{"statustekst": s.statustekst.nl, "statustekst_en": s.statustekst.en,
                         "informeren": s.informeren} for s in statustypen]})
    valid = form.validate_on_submit()
    if valid and len(form.statustypen.entries) != len(statustypen):
        _refuse(form, "statustype")  # the zaaktype got statuses since the page was loaded
        valid = False
    if valid:
        texts = [StatusTypeTexts(s.volgnummer,
                                 Text(entry.statustekst.data, entry.statustekst_en.data),
                                 entry.informeren.data)
                 for s, entry in zip(statustypen, form.statustypen.entries, strict=True)]
        try:
            with transaction() as db:
                beheer.update_zaaktype(db, zaaktype.identificatie,
                                       doorlooptijd=form.doorlooptijd.data,
                                       servicenorm=form.servicenorm.data or None,
                                       statustypen=texts, door=current_user.username)
        except beheer.BeheerError as error:
            _refuse(form, error.code)
        else:
            flash(gettext("%(name)s is saved. New cases get the new lead time and service "
                          "standard.", name=zaaktype.omschrijving.get(locale_name())))
            return redirect(url_for("backoffice.zaaktypen"))
    sections = [{"statustype": s, "form": entry}
                for s, entry in zip(statustypen, form.statustypen.entries, strict=False)]
    return render_template("backoffice/beheer_zaaktype.html", active="zaaktypen", form=form,
                           zaaktype=zaaktype, sections=sections, form_errors=form.errors,
                           name=name)
