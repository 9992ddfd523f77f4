"""Mijn omgeving: the resident's personal pages (persoonlijke internetpagina)."""

from flask import Blueprint

bp = Blueprint("pip", __name__)

from app.pip import berichten, gegevens, refusals, routes, zaken  # noqa: E402,F401  (register the views)
from app.pip.messages import connect_signals  # noqa: E402

# app.pip is imported by every app (create_app registers its blueprint), so every status
# change, from the back office, the API or the command line, reaches the resident.
connect_signals()
