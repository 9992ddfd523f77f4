"""The back office: where KCC staff, behandelaars and beheerders move zaken forward.

Everything lives under /backoffice, with its own login (the municipality's IdP, see
app/auth/staff.py) and its own session; app/auth/permissions.py holds the rules.

One blueprint, `backoffice`; each kind of work is a part with its own routes (and forms
and services where it has them), whose views register on it:

    home/         staff login and logout, the session, the start page with the menu
    zaken/        the work queue, one zaak's page (page.py) and the actions on it (actions.py)
    corrections/  correction requests (correctierecht)
    gesprekken/   conversations with residents: what waits for an answer, answering it
    agenda/       the balie agenda (visits.py: a visit's actions, shared with the KCC)
    beheer/       staff members and zaaktypen
    dashboard/    the kanaalsturing dashboard for management (figures from app.contacts)
    kcc*.py       the KCC: callbacks, questions, a caller's contacts, booking for a caller
                  (moves into kcc/ once its conversion to the zaken store is in)

What several parts share sits beside them: common.py (view helpers: texts for the
resident's records in Dutch, notices, the team check, performing an action on a zaak once
per form), forms.py (ActionForm and its one-time token), services.py (one zaak as staff see
it, the one-time tokens) and models.py (their table); cli.py holds the commands. Imports
only go down: parts import the shared modules and each other's services or forms, never
each other's routes (tests/unit/test_layering.py).
"""

from flask import Blueprint

bp = Blueprint("backoffice", __name__, url_prefix="/backoffice")

from app.backoffice import cli, kcc, kcc_booking  # noqa: E402,F401  (register the views)
from app.backoffice.agenda import routes as agenda_routes  # noqa: E402,F401
from app.backoffice.beheer import routes as beheer_routes  # noqa: E402,F401
from app.backoffice.corrections import routes as corrections_routes  # noqa: E402,F401
from app.backoffice.dashboard import routes as dashboard_routes  # noqa: E402,F401
from app.backoffice.gesprekken import routes as gesprekken_routes  # noqa: E402,F401
from app.backoffice.home import routes as home_routes  # noqa: E402,F401
from app.backoffice.zaken import actions as zaak_actions  # noqa: E402,F401
from app.backoffice.zaken import contact as zaak_contact  # noqa: E402,F401
from app.backoffice.zaken import routes as zaken_routes  # noqa: E402,F401
