"""Feedback after each task: after a form is sent, an appointment booked and a zaak closed,
the resident is asked for a score from 1 to 10 and an optional remark, once per task,
anonymously (app.feedback.services). The question is on the task's confirmation page and
behind the one-time link in the closing mail; both post to the same page, which needs no
login. The dashboard reads the sums through services.scores.
"""

from flask import Blueprint, session

from app.db import get_session, transaction
from app.feedback.services import Invitation, invitation_state, invite

bp = Blueprint("feedback", __name__)

# The tokens this browser was given on confirmation pages, by task: a reload of the page
# shows the same question (a token is made once per task and kept only as a hash).
SESSION_TOKENS = "feedback_tokens"
KEPT_TOKENS = 5


def page_question(task: str, *, kind: str, product: str) -> dict:
    """What a task's confirmation page passes to its template for the question
    (feedback/_question.html): no token when there is none to ask."""
    from app.feedback.forms import FeedbackForm

    return {"feedback_token": _question_token(task, kind=kind, product=product),
            "feedback_form": FeedbackForm()}


def _question_token(task: str, *, kind: str, product: str) -> str | None:
    """The token for the question on a task's confirmation page, or None when there is no
    question to ask (answered, expired, or offered to another browser)."""
    tokens = session.get(SESSION_TOKENS, {})
    if task in tokens:
        token = tokens[task]
        return token if invitation_state(get_session(), token) is Invitation.OPEN else None
    with transaction() as db:
        token = invite(db, task=task, kind=kind, product=product)
    if token is not None:
        kept = list(tokens.items())[-(KEPT_TOKENS - 1):]
        session[SESSION_TOKENS] = dict(kept) | {task: token}
    return token


from app.feedback import routes  # noqa: E402,F401  (registers the views)
