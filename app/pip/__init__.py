"""Mijn omgeving: the resident's personal pages (persoonlijke internetpagina)."""

from flask import Blueprint

bp = Blueprint("pip", __name__)

from app.pip import berichten, confirmations, gegevens, refusals, routes, zaken  # noqa: E402,F401  (register the views)
