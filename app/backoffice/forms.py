"""Forms of the back-office zaken pages: the queue's filters (GET) and the actions on a zaak.

Each action form carries a one-time token (services.claim_submission), so submitting it
twice acts once. A prefix per form keeps the ids unique on the zaak page, where they all
appear together.
"""

from __future__ import annotations

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
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from app.backoffice.services import new_submission_token
from app.uploads import AcceptedUpload
from app.zaken.store import Vertrouwelijkheidaanduiding

TOKEN_PATTERN = r"^[A-Za-z0-9_-]{20,64}$"
# The server checks every field (the forms are novalidate); without a `required` attribute an
# empty required field is not styled as invalid before anyone typed in it.
NOT_REQUIRED_IN_HTML = {"required": False}


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


class ActionForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.token.data = new_submission_token()


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


class RouteForm(ActionForm):
    team = SelectField(_l("Team"), validators=[DataRequired(_l("Choose a team"))])


class CorrectionApproveForm(ActionForm):
    waarde = StringField(
        _l("Value to record"), render_kw=NOT_REQUIRED_IN_HTML,
        description=_l("The value the resident proposed. Adjust the spelling or format "
                       "if needed."),
        validators=[DataRequired(_l("Enter the value to record")), Length(max=200)])


class CorrectionRejectForm(ActionForm):
    reden = TextAreaField(
        _l("Reason for rejecting"), render_kw=NOT_REQUIRED_IN_HTML,
        description=_l("The resident reads this reason in My portal."),
        validators=[DataRequired(_l("Give the reason for rejecting")), Length(max=2000)])
