"""Werken op afspraak: the agenda, availability, booking, moving and cancelling."""

from flask import Blueprint

bp = Blueprint("appointments", __name__, cli_group="appointments")

from app.appointments import cli, routes  # noqa: E402,F401  (registers views and commands)
