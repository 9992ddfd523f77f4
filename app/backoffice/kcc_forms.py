"""Forms of the KCC pages (callbacks, questions, contact search), the balie agenda and beheer.

Pages that show several forms give each a prefix, so every id on the page stays unique.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from stdnum.nl import bsn as bsn_number
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.appointments.forms import EMAIL_PATTERN, MultiCheckboxField
from app.backoffice.forms import ActionForm
from app.backoffice.kcc_services import ANSWER_BY_EMAIL, ANSWER_BY_PHONE, normalise_postcode
from app.eforms.engine import DateInputsField
from app.eforms.validators import Phone, SingleLine
from app.zaken.durations import add_duration, parse_duration
from app.zaken.services import today


class _NoBrowserValidation:
    """The server validates (DESIGN: forms are novalidate); a `required` attribute would
    still mark empty fields as invalid (red) before anyone typed."""

    def render_field(self, field, render_kw):
        return super().render_field(field, {**render_kw, "required": False})


class KccForm(FlaskForm):
    class Meta(_NoBrowserValidation):
        pass


class KccSubForm(Form):
    class Meta(_NoBrowserValidation):
        pass


# Not reached yet: the callback stays open for one more try (the form promises one).
RETRY = "opnieuw"


# --------------------------------------------------------------------------- KCC


class CallbackForm(KccForm):
    uitkomst = RadioField(_l("Outcome of the call"),
                          validators=[InputRequired(_l("Choose the outcome of the call"))])
    notitie = TextAreaField(
        _l("Note"),
        description=_l("What you agreed with the resident. When you close the callback, the "
                       "resident can read this note in My portal."),
        validators=[DataRequired(_l("Write a note about the call")), Length(max=2000)],
        render_kw={"rows": 4})


class RegisterCallbackForm(ActionForm):
    """A callback for a resident on the phone now, whom the KCC found (their contact
    overview). The topics are the callback form's (choices set by the view); the one-time
    token (ActionForm) makes a second submit of the same form open no second zaak."""

    class Meta(_NoBrowserValidation):
        pass

    onderwerp = SelectField(_l("Topic"), validators=[InputRequired(_l("Choose the topic"))])
    vraag = TextAreaField(
        _l("The question, in short"),
        description=_l("What the colleague who calls back needs to know. No citizen service "
                       "number (BSN) or medical details."),
        validators=[DataRequired(_l("Write the question down")), Length(max=500)],
        render_kw={"rows": 4})
    telefoon = StringField(_l("Phone number to call"), validators=[
        DataRequired(_l("Enter the phone number to call")), Phone()])
    dagdeel = RadioField(_l("Preferred time"),
                         validators=[InputRequired(_l("Choose when the resident wants a call"))])


class QuickCallForm(ActionForm):
    """A contact the KCC answered at once (a call, or a question at the desk, by mail or by
    post), recorded in a few clicks so the channel shares and first-time-right can be
    measured. The products are the catalogue's (choices set by the view); the one-time token
    (ActionForm) records a double submit once."""

    class Meta(_NoBrowserValidation):
        pass

    kanaal = RadioField(_l("How did the resident contact us?"), default="telefoon",
                        validators=[InputRequired(_l("Choose how the resident contacted us"))])
    onderwerp = StringField(
        _l("Subject"), description=_l("In a few words. No citizen service number (BSN)."),
        validators=[DataRequired(_l("Enter the subject")), Length(max=200), SingleLine()])
    product = SelectField(_l("Product"), validators=[Optional()])
    uitkomst = RadioField(_l("Outcome"),
                          validators=[InputRequired(_l("Choose the outcome of the contact"))])


class RegisterQuestionForm(ActionForm):
    """A written question for a resident on the phone now, whom the KCC found: for what
    the employee cannot answer during the call. The one-time token (ActionForm) makes a
    second submit of the same form open no second zaak."""

    class Meta(_NoBrowserValidation):
        pass

    onderwerp = StringField(
        _l("Subject"), description=_l("In a few words, for the colleague who answers."),
        validators=[DataRequired(_l("Write the subject")), Length(max=100), SingleLine()])
    vraag = TextAreaField(
        _l("The question"),
        description=_l("What the resident wants to know. No citizen service number (BSN) or "
                       "medical details."),
        validators=[DataRequired(_l("Write the question down")), Length(max=2000)],
        render_kw={"rows": 6})
    antwoord_via = RadioField(
        _l("How does the resident want the answer?"),
        choices=[SelectChoice(ANSWER_BY_EMAIL, _l("In writing, as a message in My portal")),
                 SelectChoice(ANSWER_BY_PHONE, _l("By phone: a colleague calls with the answer"))],
        validators=[InputRequired(_l("Choose how the resident wants the answer"))])
    telefoon = StringField(_l("Phone number to call"),
                           description=_l("Only needed when the resident wants a call."),
                           validators=[Phone()])

    def validate_telefoon(self, field) -> None:
        if self.antwoord_via.data == ANSWER_BY_PHONE and not field.data:
            raise ValidationError(_l("Enter the phone number to call"))


class AnswerForm(KccForm):
    antwoord = TextAreaField(
        _l("Your answer"),
        description=_l("Write in plain language. The resident receives exactly this text."),
        validators=[DataRequired(_l("Write the answer")), Length(max=5000)],
        render_kw={"rows": 8})


def _birth_date(form, field) -> None:
    """Three inputs to a date (day, month, year), not in the future."""
    parts = field.parts
    if not any(str(value).strip() for value in parts.values()):
        raise ValidationError(_l("Enter the date of birth"))
    try:
        value = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except (TypeError, ValueError):
        raise ValidationError(_l("Enter a real date of birth, for example 12 4 1987")) from None
    if value > today() or value.year < 1880:
        raise ValidationError(_l("Enter a real date of birth, for example 12 4 1987"))
    field.data = value


class NameSearchForm(KccForm):
    achternaam = StringField(_l("Surname"),
                             description=_l("The start is enough, with or without 'de', 'van'."),
                             validators=[DataRequired(_l("Enter the surname")),
                                         Length(min=2, max=200, message=_l(
                                             "Enter at least 2 letters of the surname"))])
    geboortedatum = DateInputsField(_l("Date of birth"), description=_l("For example 12 4 1987"),
                                    validators=[_birth_date])


class AddressSearchForm(KccForm):
    postcode = StringField(_l("Postcode"), validators=[DataRequired(_l("Enter the postcode"))])
    huisnummer = StringField(_l("House number"), validators=[
        DataRequired(_l("Enter the house number")),
        Regexp(r"^\s*[1-9][0-9]{0,4}\s*$", message=_l("Enter the house number as digits only"))])

    def validate_postcode(self, field) -> None:
        normalised = normalise_postcode(field.data or "")
        if normalised is None:
            raise ValidationError(_l("Enter a postcode like 8081 BP"))
        field.data = normalised


class BsnSearchForm(KccForm):
    """Only ever posted: a BSN never goes into a URL."""

    bsn = StringField(_l("Citizen service number (BSN)"),
                      description=_l("9 digits. The resident can find it on their passport or "
                                     "ID card."),
                      validators=[DataRequired(_l("Enter the citizen service number"))])

    def validate_bsn(self, field) -> None:
        value = "".join(ch for ch in field.data or "" if ch.isdigit())
        if not bsn_number.is_valid(value):
            raise ValidationError(_l("Enter a valid citizen service number of 9 digits"))
        field.data = value


# --------------------------------------------------------------------------- agenda


class AgendaFilterForm(KccForm):
    """The day and location to show: a GET form, bookmarkable, no CSRF (it changes nothing)."""

    class Meta(_NoBrowserValidation):
        csrf = False

    datum = DateField(_l("Date"), validators=[Optional()])
    locatie = SelectField(_l("Location"), validators=[Optional()], validate_choice=False)


class FindAppointmentForm(KccForm):
    """An appointment by its reference, as a caller reads it from their mail (GET)."""

    class Meta(_NoBrowserValidation):
        csrf = False

    nummer = StringField(_l("Appointment number"), description=_l("For example AFS-7KQ2MX"),
                         validators=[Optional(), Length(max=20)])

    def validate_nummer(self, field) -> None:
        value = "".join((field.data or "").split()).upper()
        field.data = value if value.startswith("AFS-") else f"AFS-{value}"


class CallerVisitForm(KccForm):
    """What a caller wants an appointment for, where and on which day: a GET form (it
    changes nothing; the address has no personal data), choices set by the view."""

    class Meta(_NoBrowserValidation):
        csrf = False

    products = MultiCheckboxField(_l("What is the appointment for?"), validators=[
        InputRequired(_l("Choose what the appointment is for"))])
    persons = SelectField(_l("For how many people?"), coerce=int)
    location = SelectField(_l("Location"))
    day = SelectField(_l("Day"))


class CallerBookingForm(KccForm):
    """The time and how to reach the caller. The key makes a second submit of the same
    page return the first booking (appointments.services.book)."""

    key = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{20,64}$")])
    # Not checked against the choices: a time taken meanwhile gets the agenda's own answer.
    start = RadioField(_l("Time"), validate_choice=False,
                       validators=[InputRequired(_l("Choose a time"))])
    email = EmailField(_l("Email address (optional)"),
                       description=_l("The resident gets the confirmation here, with a link to "
                                      "move or cancel. Without one, give them the reference."),
                       validators=[Optional(), Regexp(EMAIL_PATTERN, message=_l(
                           "Enter an email address like name@example.com")), Length(max=254)])
    phone = StringField(_l("Phone number (optional)"),
                        validators=[Optional(), Length(max=30), Phone()])


class CallerDayForm(KccForm):
    """The day to move a caller's visit to: a GET form, choices set by the view."""

    class Meta(_NoBrowserValidation):
        csrf = False

    day = SelectField(_l("Day"))


class CallerMoveForm(ActionForm):
    """The new time; the one-time token (ActionForm) makes a second submit move nothing."""

    class Meta(_NoBrowserValidation):
        pass

    start = RadioField(_l("New time"), validate_choice=False,
                       validators=[InputRequired(_l("Choose a time"))])


class UnknownCallerBookingForm(CallerBookingForm):
    """The same, for a caller the persons store does not know: their name, and a phone
    number to reach them when they give no email address."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the caller's name")),
                                               Length(max=200)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (self.phone.data or "").strip() or (self.email.data or "").strip():
            return valid
        self.phone.errors = [*self.phone.errors, _l(
            "Enter a phone number or an email address, so we can reach the caller if "
            "something changes")]
        return False


class BlockForm(KccForm):
    desk = SelectField(_l("Desk"), validators=[DataRequired(_l("Choose a desk"))])
    van_datum = DateField(_l("From date"), validators=[InputRequired(_l("Enter the start date"))])
    van_tijd = TimeField(_l("From time"), validators=[InputRequired(_l("Enter the start time"))])
    tot_datum = DateField(_l("Until date"), validators=[InputRequired(_l("Enter the end date"))])
    tot_tijd = TimeField(_l("Until time"), validators=[InputRequired(_l("Enter the end time"))])
    reden = StringField(_l("Reason"), description=_l("For colleagues, for example: training."),
                        validators=[DataRequired(_l("Enter the reason")), Length(max=200)])

    def validate_tot_tijd(self, field) -> None:
        if None in (self.van_datum.data, self.van_tijd.data, self.tot_datum.data, field.data):
            return
        start = dt.datetime.combine(self.van_datum.data, self.van_tijd.data)
        end = dt.datetime.combine(self.tot_datum.data, field.data)
        if end <= start:
            raise ValidationError(_l("The end must be after the start"))


# --------------------------------------------------------------------------- beheer


class StaffForm(KccForm):
    role = RadioField(_l("Role"), validators=[InputRequired(_l("Choose a role"))])
    team = SelectField(_l("Team"), description=_l("KCC staff and case handlers need a team; "
                                                  "an administrator has none."),
                       validators=[Optional()])
    telefoon = StringField(_l("Direct phone number (optional)"),
                           description=_l("Residents whose contact person this is see it, to "
                                          "call this person directly."),
                           validators=[Optional(), Phone()])


class NewStaffForm(StaffForm):
    username = StringField(
        _l("User name"),
        description=_l("The name this person logs in with at the municipality, for example "
                       "jdevries. Lower-case letters and digits."),
        validators=[DataRequired(_l("Enter the user name")),
                    Regexp(r"^[a-z][a-z0-9._-]{1,49}$",
                           message=_l("Use 2 to 50 lower-case letters, digits, dots or dashes, "
                                      "starting with a letter"))])
    naam = StringField(_l("Full name"), validators=[DataRequired(_l("Enter the full name")),
                                                    Length(max=200)])
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter the email address")), Length(max=254),
        Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.com"))])


def _duration(form, field) -> None:
    if not field.data:
        return
    try:
        parse_duration(field.data)
    except ValueError:
        raise ValidationError(_l("Enter a period in ISO 8601, for example P8W (8 weeks), "
                                 "P5D (5 days) or P1M (1 month)")) from None
    field.data = field.data.strip().upper()


class StatusTypeForm(KccSubForm):
    """One statustype's texts for the resident; no CSRF of its own (the page form has it)."""

    statustekst = TextAreaField(_l("Text for the resident in Dutch"),
                                validators=[DataRequired(_l("Enter the Dutch text")),
                                            Length(max=1000)], render_kw={"rows": 2})
    statustekst_en = TextAreaField(_l("Text for the resident in English"),
                                   validators=[DataRequired(_l("Enter the English text")),
                                               Length(max=1000)], render_kw={"rows": 2})
    informeren = BooleanField(_l("Tell the resident when the case reaches this status"))


class ZaakTypeForm(KccForm):
    doorlooptijd = StringField(
        _l("Lead time (doorlooptijd)"),
        description=_l("The legal or promised deadline, for example P8W for 8 weeks."),
        validators=[DataRequired(_l("Enter the lead time")), _duration])
    servicenorm = StringField(
        _l("Service standard (servicenorm, optional)"),
        description=_l("Our own target, shorter than the lead time, for example P2W."),
        validators=[Optional(), _duration])
    statustypen = FieldList(FormField(StatusTypeForm))

    def validate_servicenorm(self, field) -> None:
        if not field.data or self.doorlooptijd.errors or not self.doorlooptijd.data:
            return
        # Compare on a fixed day: months have different lengths, the order does not change.
        day = dt.date(2001, 1, 1)
        if add_duration(day, field.data) > add_duration(day, self.doorlooptijd.data):
            raise ValidationError(_l("The service standard cannot be longer than the lead time"))
