"""Forms of a correction request's page: approve (with the value to record) or reject (with
the reason)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.backoffice.forms import NOT_REQUIRED_IN_HTML, ActionForm


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
