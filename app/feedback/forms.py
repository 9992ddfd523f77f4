"""The one question after a task, and the optional remark."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length

from app.feedback.services import REMARK_MAX, SCORES


class FeedbackForm(FlaskForm):
    score = RadioField(
        _l("How do you rate how it went, from 1 to 10?"),
        description=_l("1 is very bad, 10 is excellent."),
        choices=[SelectChoice(str(score), str(score)) for score in SCORES],
        validators=[InputRequired(_l("Choose a score from 1 to 10"))])
    remark = TextAreaField(
        _l("What can we do better? (optional)"),
        description=_l("Do not write your name or other personal details: we read your "
                       "answer without knowing who sent it."),
        validators=[Length(max=REMARK_MAX, message=_l(
            "Write at most %(max)d characters", max=REMARK_MAX))],
        render_kw={"rows": 4})
