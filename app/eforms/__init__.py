"""E-forms: form definitions as data, the form engine, drafts; submitting opens a zaak."""

from flask import Blueprint

bp = Blueprint("eforms", __name__, cli_group="forms")
