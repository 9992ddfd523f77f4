"""The employee's answer in a conversation with a resident."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FileField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.backoffice.forms import NOT_REQUIRED_IN_HTML, ActionForm
from app.uploads import AcceptedUpload

MAX_ANSWER = 5000  # characters


class AnswerForm(ActionForm):
    tekst = TextAreaField(
        _l("Your answer"),
        description=_l("Write in plain language. The resident receives exactly this text."),
        validators=[DataRequired(_l("Write the answer")),
                    Length(max=MAX_ANSWER, message=_l("Write at most %(max)d characters"))],
        render_kw={"rows": 8, **NOT_REQUIRED_IN_HTML})
    bijlage = FileField(_l("Attachment (optional)"), validators=[AcceptedUpload(required=False)])
