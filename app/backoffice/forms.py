"""What the back office's forms share: the one-time token of a form that acts (so submitting
it twice acts once, services.claim_submission) and how required fields show.

Each part's own forms are in its forms module.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Regexp

from app.backoffice.services import new_submission_token

TOKEN_PATTERN = r"^[A-Za-z0-9_-]{20,64}$"
# The server checks every field (the forms are novalidate); without a `required` attribute an
# empty required field is not styled as invalid before anyone typed in it.
NOT_REQUIRED_IN_HTML = {"required": False}


class ActionForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.token.data = new_submission_token()
