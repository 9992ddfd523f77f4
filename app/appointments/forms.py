"""The booking flow's questions, one form per page, and the choices of the agenda's
questions (also asked by the back office when staff book for a caller)."""

import datetime as dt
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.appointments.agenda import Agenda
from app.appointments.services import to_local
from app.auth.kept_forms import KeptInputForm
from app.eforms.validators import Phone, SingleLine
from app.ui import locale_name
from app.ui.dates import full_date

# Something@something.tld without spaces: enough to catch typos; the mail itself proves the rest.
# \Z, not $: "$" also matches before a final line break, which a mail header cannot hold.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z"


def product_choices(agenda: Agenda) -> list[SelectChoice]:
    return [SelectChoice(p.slug, p.title.get(locale_name())) for p in agenda.products]


def location_choices(agenda: Agenda) -> list[SelectChoice]:
    return [SelectChoice(loc.slug, f"{loc.name.get(locale_name())}, {loc.address}")
            for loc in agenda.locations]


def day_label(day: dt.date) -> str:
    """"zaterdag 18 mei 2025": a day of the agenda in the page's language."""
    return full_date(day)


def start_label(agenda: Agenda, start: dt.datetime, with_day: bool = False) -> str:
    """A start (naive UTC) as the local time of day ("09:30"), after its day if asked."""
    local = to_local(agenda, start)
    return f"{day_label(local.date())}, {local:%H:%M}" if with_day else f"{local:%H:%M}"


def day_choices(days: Iterable[dt.date]) -> list[SelectChoice]:
    return [SelectChoice(day.isoformat(), day_label(day)) for day in days]


def time_choices(agenda: Agenda, starts: Iterable[dt.datetime]) -> list[SelectChoice]:
    """Free starts as the local time of day."""
    return [SelectChoice(start.isoformat(), start_label(agenda, start)) for start in starts]


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes (the macro library renders this type as a checkbox fieldset)."""


class VisitForm(KeptInputForm):
    products = MultiCheckboxField(_l("What is the appointment for?"),
                                  description=_l("You can choose more than one."),
                                  validators=[InputRequired(_l("Choose what the appointment is for"))])
    persons = RadioField(_l("For how many people?"),
                         description=_l("Everyone who applies must come along."),
                         validators=[InputRequired(_l("Choose for how many people"))])

    def __init__(self, *args, combinable=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._combinable = combinable

    def validate_products(self, field):
        if self._combinable and not self._combinable(field.data):
            raise ValidationError(_l("These products cannot be combined in one appointment. "
                                     "Make a separate appointment for each."))


class LocationForm(KeptInputForm):
    location = RadioField(_l("Where do you want to go?"),
                          validators=[InputRequired(_l("Choose a location"))])


class TimeForm(KeptInputForm):
    start = RadioField(_l("What time?"), validators=[InputRequired(_l("Choose a time"))])


class ContactForm(KeptInputForm):
    name = StringField(_l("Your name"), validators=[
        DataRequired(_l("Enter your name")), Length(max=200), SingleLine()])
    email = EmailField(_l("Email address"),
                       description=_l("We send the confirmation to this address."),
                       validators=[DataRequired(_l("Enter your email address")),
                                   Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.com")),
                                   Length(max=254)])
    phone = StringField(_l("Phone number (optional)"),
                        description=_l("So we can reach you if something changes."),
                        validators=[Optional(), Length(max=30), Phone()])


class ConfirmForm(FlaskForm):
    idempotency_key = HiddenField()


class EmailCheckForm(FlaskForm):
    email = EmailField(_l("Email address"),
                       description=_l("The email address you used to make the appointment."),
                       validators=[DataRequired(_l("Enter your email address"))])


class ActionForm(FlaskForm):
    """A confirm button (cancel): only the CSRF token."""
