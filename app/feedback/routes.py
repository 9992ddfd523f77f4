"""The feedback question behind a one-time link (from a confirmation page or a mail):
no login, CSRF as on every form, and the answer counts once."""

from flask import redirect, render_template, url_for

from app.db import get_session, transaction
from app.feedback import bp
from app.feedback.forms import FeedbackForm
from app.feedback.services import Invitation, answer, invitation_state


@bp.route("/feedback/<token>", methods=["GET", "POST"])
def question(token: str):
    form = FeedbackForm()
    if form.validate_on_submit():
        with transaction() as db:
            outcome = answer(db, token, score=int(form.score.data), remark=form.remark.data or "")
        if outcome is Invitation.OPEN:
            return redirect(url_for(".thanks"))
        return _refused(outcome, posted=True)
    state = invitation_state(get_session(), token)
    if state is not Invitation.OPEN:
        return _refused(state, posted=form.is_submitted())
    return render_template("feedback/question.html", form=form, token=token)


def _refused(state: Invitation, *, posted: bool):
    """Answered already (said kindly: that answer counts), or a link that expired or never
    was (the same page for both: which one it is tells nothing useful)."""
    if state is Invitation.ANSWERED:
        return render_template("feedback/answered.html"), 409 if posted else 200
    return render_template("feedback/link_invalid.html"), 404


@bp.get("/feedback/bedankt")
def thanks():
    return render_template("feedback/thanks.html")
