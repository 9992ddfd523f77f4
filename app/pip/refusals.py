"""Every refused id on a resident's route is logged, whichever feature owns the route.

A resident route with an id in it (a zaak, document, message, draft or appointment)
answers 404 for another resident's id exactly as for a missing one; the log line is how
the municipality notices someone guessing. It holds the endpoint and the path (opaque
ids and zaaknummers only), never the BSN. Mijn omgeving's own views log a more specific
line themselves, so they are left out here.
"""

import logging

from flask import request

from app.pip import bp

log = logging.getLogger(__name__)

# The resident's areas: Mijn omgeving, e-forms (drafts), appointments.
RESIDENT_PREFIXES = ("/mijn-omgeving/", "/formulieren/", "/afspraak/")


@bp.after_app_request
def log_refused_ids(response):
    rule = request.url_rule
    if (response.status_code == 404 and rule is not None and "<" in rule.rule
            and rule.rule.startswith(RESIDENT_PREFIXES)
            and not (request.endpoint or "").startswith("pip.")):
        log.warning("resident route: id refused",
                    extra={"endpoint": request.endpoint, "path": request.path[:200]})
    return response
