"""Confirming a form someone else sent (the partner of a marriage notice): the request's
page in Mijn omgeving, where the confirmer reads what the two share and confirms or
declines with their own DigiD. The rules are app.eforms.confirmations'."""

from __future__ import annotations

import logging

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.auth.loa import loa_meets
from app.db import get_session, transaction
from app.eforms.confirmations import (
    ConfirmationNotReady,
    WaitingConfirmation,
    answer,
    confirmation_for,
    log_read_by_confirmer,
)
from app.eforms.definitions import get_definition
from app.eforms.engine import summary_rows
from app.pip import bp
from app.ui import locale_name
from app.ui.dates import local_date, long_date
from app.zaken.store import get_zaken_store

log = logging.getLogger(__name__)

CONFIRM, DECLINE = "bevestigen", "afwijzen"


class AnswerForm(FlaskForm):
    """Only the CSRF token: the button pressed is the answer."""


def waiting_row(waiting: WaitingConfirmation, locale: str) -> dict:
    """A request in the overview's "we need something from you" list."""
    definition = get_definition(waiting.form_slug)
    return {"title": definition.title.get(locale), "naam": waiting.requester_naam,
            "date": long_date(local_date(waiting.created_at), locale),
            "href": url_for("pip.confirmation", public_id=waiting.public_id)}


def _confirmation_or_404(public_id: str):
    """Only the confirmer finds the request: anyone else gets what a missing id gets."""
    confirmation = confirmation_for(get_session(), current_user.bsn, public_id[:64])
    if confirmation is None:
        log.warning("pip: confirmation refused", extra={"path": request.path[:40]})
        abort(404)
    return confirmation


@bp.route("/mijn-omgeving/bevestigen/<public_id>", methods=["GET", "POST"])
@login_required
def confirmation(public_id: str):
    found = _confirmation_or_404(public_id)
    definition = get_definition(found.form_slug)
    minimum = definition.min_loa or current_app.config["OIDC_MIN_LOA"]
    form, notice = AnswerForm(), None
    if not loa_meets(current_user.loa, minimum):
        form = None  # asked to log in again at the level the form itself needs
    elif request.method == "POST" and form.validate_on_submit() \
            and request.form.get("answer") in (CONFIRM, DECLINE):
        try:
            with transaction() as db:
                answer(db, get_zaken_store(db), found,
                       confirmed=request.form["answer"] == CONFIRM)
        except ConfirmationNotReady:
            notice = gettext("We are still registering the form. Please try again in a few "
                             "minutes.")
        else:
            return redirect(url_for("pip.confirmation", public_id=public_id))
    with transaction() as db:  # the page shows the requester's name and answers
        log_read_by_confirmer(db, found, confirmer_naam=current_user.display_name)
    locale = locale_name()
    return render_template(
        "pip/bevestigen.html", definition=definition, confirmation=found, form=form,
        notice=notice, title=definition.title.get(locale),
        rows=[{"key": definition.confirmation.label(row.field.name, locale) or row.key,
               "value": row.value}
              for row in summary_rows(definition, found.shown, locale)],
        answered_on=long_date(local_date(found.answered_at), locale)
        if found.answered_at else None, confirm=CONFIRM, decline=DECLINE,
        login_again=url_for("auth.digid_login", next=request.path))
