"""Werken op afspraak: the agenda, availability, booking, moving and cancelling."""

from flask import Blueprint

bp = Blueprint("appointments", __name__, cli_group="appointments")
