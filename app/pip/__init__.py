"""Mijn omgeving: the resident's personal pages (persoonlijke internetpagina)."""

from flask import Blueprint

bp = Blueprint("pip", __name__)

from app.pip import routes  # noqa: E402,F401
