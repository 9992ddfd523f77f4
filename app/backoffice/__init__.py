"""The back office: where KCC staff, behandelaars and beheerders move zaken forward.

Everything lives under /backoffice, with its own login (the municipality's IdP, see
app/auth/staff.py) and its own session; app/auth/permissions.py holds the rules.
"""

from flask import Blueprint

bp = Blueprint("backoffice", __name__, url_prefix="/backoffice")

from app.backoffice import (  # noqa: E402,F401  (registers the views)
    agenda,
    beheer,
    cli,
    corrections,
    kcc,
    kcc_booking,
    routes,
    zaken,
)
