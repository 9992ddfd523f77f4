"""Proactive service: the portal tells residents before they have to ask. A travel document
that ends within four months, and a decision with an end date (a parking permit) coming up
for renewal, each get one Berichten message (and its mail) with a link to the booking or
the form for that product. `flask reminders run` sends them, daily; residents can switch
them off in Mijn gegevens (app.persons.services.set_wants_reminders).
"""

from flask import Blueprint

bp = Blueprint("reminders", __name__, cli_group="reminders")

from app.reminders import cli  # noqa: E402,F401  (registers the command)
