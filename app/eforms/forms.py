"""The fixed forms around the engine's step forms: start, check-your-answers, save for later."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField

from app.auth.kept_forms import KeptInputForm
from app.eforms.definitions import FormDefinition
from app.eforms.engine import HONEYPOT_FIELD, Presence
from app.eforms.validators import Email


class StartForm(FlaskForm):
    """Starting a form creates a draft: a POST with only the CSRF token."""


class LaterForm(FlaskForm):
    email = EmailField(_l("Email address"),
                       description=_l("We send you a link to continue. The link works for 7 days."),
                       validators=[Presence(True, _l("Enter your email address")), Email()])


def check_form(definition: FormDefinition, locale: str) -> FlaskForm:
    """Check-your-answers: the declaration (when the form has one) and the honeypot."""
    attrs = {}
    if definition.declaration:
        attrs["declaration"] = BooleanField(
            definition.declaration.get(locale),
            validators=[Presence(True, _l("Confirm the declaration to send the form"))])
    if definition.honeypot:
        attrs[HONEYPOT_FIELD] = StringField(_l("Leave this field empty"))
    return type("CheckForm", (KeptInputForm,), attrs)()
