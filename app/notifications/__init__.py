"""Notifications: an outbox written in the caller's transaction, delivered by a worker."""

from flask import Blueprint

# Carries the `flask mail ...` commands (the delivery worker).
bp = Blueprint("mail", __name__, cli_group="mail")

from app.notifications import cli  # noqa: E402,F401  (registers the commands on bp)
