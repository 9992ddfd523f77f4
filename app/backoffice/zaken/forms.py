"""Forms of the work queue and the zaak page: the queue's filters (GET) and the actions on a
zaak, and how each action's form is built for a zaak.

Each action form carries a one-time token (app.backoffice.forms.ActionForm), so submitting
it twice acts once. A prefix per form keeps the ids unique on the zaak page, where they all
appear together.
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FileField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.auth.staff import TEAMS, colleagues, team_label
from app.backoffice.forms import NOT_REQUIRED_IN_HTML, ActionForm
from app.backoffice.zaken.services import next_statustypen
from app.db import get_session
from app.ui import locale_name
from app.ui.dates import duration_words
from app.uploads import AcceptedUpload, max_upload_mb
from app.zaken.store import StaffZaak, Vertrouwelijkheidaanduiding
from app.zaken.terms import duration_days


class QueueFilterForm(FlaskForm):
    """The queue's filters: a GET form, bookmarkable, no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    # A shorter part matches too much to be useful, and no trigram index can find it.
    q = StringField(_l("Case number or name"), filters=[lambda text: (text or "").strip()],
                    validators=[Optional(), Length(min=3, message=_l(
                        "Type at least 3 characters: part of a name, or the last digits of "
                        "the case number")), Length(max=100)])
    zaaktype = SelectField(_l("Case type"), validators=[Optional()], validate_choice=False)
    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    team = SelectField(_l("Team"), validators=[Optional()], validate_choice=False)
    overdue = SelectField(_l("Deadline"), validators=[Optional()], validate_choice=False)


class StatusForm(ActionForm):
    # The status the page showed: a form from before someone else's change does not act.
    huidige_status = HiddenField()
    volgnummer = RadioField(_l("New status"), coerce=int,
                            validators=[InputRequired(_l("Choose the new status"))])
    toelichting = TextAreaField(
        _l("Explanation for the resident (optional)"),
        description=_l("The resident sees this with the status in My portal. "
                       "Write in plain language."),
        validators=[Optional(), Length(max=2000)])


class DocumentRequestForm(ActionForm):
    omschrijving = TextAreaField(
        _l("Which document do you need?"), render_kw=NOT_REQUIRED_IN_HTML,
        description=_l("The resident sees this in My portal and gets a message. "
                       "For example: a copy of your rental contract."),
        validators=[DataRequired(_l("Describe the document you need")), Length(max=1000)])


LEVEL_LABELS = {
    "openbaar": _l("Public"), "beperkt_openbaar": _l("Restricted public"),
    "intern": _l("Internal"), "zaakvertrouwelijk": _l("Case confidential"),
    "vertrouwelijk": _l("Confidential"), "confidentieel": _l("Highly confidential"),
    "geheim": _l("Secret"), "zeer_geheim": _l("Top secret"),
}


class DocumentForm(ActionForm):
    titel = StringField(_l("Title"), render_kw=NOT_REQUIRED_IN_HTML,
                        validators=[DataRequired(_l("Enter a title")), Length(max=200)])
    document = FileField(_l("File"), validators=[AcceptedUpload()])
    vertrouwelijkheidaanduiding = SelectField(
        _l("Confidentiality"),
        description=_l("The resident sees documents up to and including case confidential."),
        choices=[SelectChoice(level.value, LEVEL_LABELS[level.value])
                 for level in Vertrouwelijkheidaanduiding],
        validators=[DataRequired()])


class MessageForm(ActionForm):
    onderwerp = StringField(_l("Subject"), render_kw=NOT_REQUIRED_IN_HTML,
                            validators=[DataRequired(_l("Enter a subject")), Length(max=200)])
    tekst = TextAreaField(
        _l("Message"), render_kw=NOT_REQUIRED_IN_HTML,
        description=_l("The resident reads it in My portal and gets an email that there is "
                       "a new message."),
        validators=[DataRequired(_l("Enter the message")), Length(max=5000)])
    bijlage = FileField(_l("Attachment (optional)"), validators=[AcceptedUpload(required=False)],
                        description=_l("A letter or decision as PDF, JPG or PNG. The resident "
                                       "downloads it in My portal; it is not emailed."))


class ResultaatForm(ActionForm):
    resultaattype = RadioField(_l("Result"),
                               validators=[InputRequired(_l("Choose the result"))])
    toelichting = TextAreaField(
        _l("Explanation for the resident (optional)"),
        description=_l("The resident sees this with the result in My portal."),
        validators=[Optional(), Length(max=2000)])


class TermForm(ActionForm):
    duur = SelectField(_l("Extend by"), validators=[DataRequired(_l("Choose how long"))])
    reden = TextAreaField(
        _l("Reason for the resident"), render_kw=NOT_REQUIRED_IN_HTML,
        description=_l("The resident reads this in My portal. Write in plain language."),
        # ZGW verlenging.reden holds 200 characters.
        validators=[DataRequired(_l("Give the reason for the extension")), Length(max=200)])


# Whose contact person the colleague becomes: of this zaak, or of all the resident's open
# zaken in the social domain (app.backoffice.zaken.services.SOCIAL_DOMAIN).
SCOPE_ZAAK, SCOPE_SOCIAL_DOMAIN = "zaak", "sociaal-domein"


class ContactPersonForm(ActionForm):
    medewerker = SelectField(
        _l("Colleague"),
        description=_l("The resident sees their name, team, direct phone number and email "
                       "address, and gets a message about it."),
        validators=[DataRequired(_l("Choose a colleague"))])
    # Shown for a zaak of the social domain only; without it, this zaak.
    reikwijdte = RadioField(_l("For which cases?"), validators=[Optional()], choices=[
        SelectChoice(SCOPE_ZAAK, _l("This case")),
        SelectChoice(SCOPE_SOCIAL_DOMAIN, _l("All open cases of this resident in the social "
                                             "domain"))])


class RouteForm(ActionForm):
    team = SelectField(_l("Team"), validators=[DataRequired(_l("Choose a team"))])


# --------------------------------------------------------------------------- built for a zaak


def _status_form(zaak: StaffZaak) -> StatusForm:
    locale = locale_name()
    form = StatusForm(prefix="status")
    # Shown: the statuses that may come next. Accepted: any but the eindstatus; whether it may
    # still come next is decided on the zaak as it is when the form acts (StaleForm).
    offered = (next_statustypen(zaak) if not form.is_submitted() else
               [s for s in zaak.zaaktype.statustypen if not s.is_eindstatus])
    form.volgnummer.choices = [
        SelectChoice(str(statustype.volgnummer), statustype.omschrijving.get(locale))
        for statustype in offered]
    if not form.is_submitted():
        status = zaak.current_status
        form.huidige_status.data = status.id if status else ""
        if form.volgnummer.choices:
            form.volgnummer.data = int(form.volgnummer.choices[0].value)
    return form


def _request_form(_zaak: StaffZaak) -> DocumentRequestForm:
    return DocumentRequestForm(prefix="verzoek")


def _document_form(zaak: StaffZaak) -> DocumentForm:
    form = DocumentForm(prefix="document")
    if not form.is_submitted():
        form.vertrouwelijkheidaanduiding.data = zaak.vertrouwelijkheidaanduiding
    form.document.description = gettext("A PDF, JPG or PNG file of at most %(size)s MB.",
                                        size=max_upload_mb())
    return form


def _message_form(_zaak: StaffZaak) -> MessageForm:
    return MessageForm(prefix="bericht")


def _resultaat_form(zaak: StaffZaak) -> ResultaatForm:
    locale = locale_name()
    form = ResultaatForm(prefix="resultaat")
    form.resultaattype.choices = [
        SelectChoice(resultaattype.omschrijving.nl, resultaattype.omschrijving.get(locale))
        for resultaattype in zaak.zaaktype.resultaattypen]
    return form


def _contact_form(zaak: StaffZaak) -> ContactPersonForm:
    form = ContactPersonForm(prefix="contactpersoon")
    form.medewerker.choices = [SelectChoice("", gettext("Choose a colleague"))] + [
        SelectChoice(colleague.username, f"{colleague.naam} ({team_label(colleague.team)})")
        for colleague in colleagues(get_session())]
    if not form.is_submitted():
        form.reikwijdte.data = SCOPE_ZAAK
        if zaak.contact_person:
            form.medewerker.data = zaak.contact_person.medewerker
    return form


def _route_form(zaak: StaffZaak) -> RouteForm:
    form = RouteForm(prefix="team")
    form.team.choices = [SelectChoice(team, team_label(team)) for team in TEAMS
                         if team != zaak.team]
    return form


def _term_form(zaak: StaffZaak) -> TermForm:
    """The extensions the law allows this zaak: whole weeks up to its verlengingstermijn."""
    form = TermForm(prefix="termijn")
    maximum = (duration_days(zaak.verlengingstermijn, start=zaak.uiterlijke_einddatum_afdoening)
               if zaak.verlengingstermijn else 0)
    form.duur.choices = [SelectChoice(f"P{weeks}W", duration_words(f"P{weeks}W"))
                         for weeks in range(1, maximum // 7 + 1)]
    return form


BUILDERS = {"status": _status_form, "verzoek": _request_form, "document": _document_form,
            "bericht": _message_form, "resultaat": _resultaat_form, "team": _route_form,
            "termijn": _term_form, "contactpersoon": _contact_form}


def action_forms(zaak: StaffZaak, failed: dict) -> dict:
    """Every action form of the zaak page: the one that failed as it was posted, the others new."""
    return {name: failed.get(name) or build(zaak) for name, build in BUILDERS.items()}
