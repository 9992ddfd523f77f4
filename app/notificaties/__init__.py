"""ZGW notificaties: the Notificaties API tells the portal what changed in the zaaksysteem.

``POST /notificaties/callback`` (routes.py) keeps each notificatie in an inbox table
(deduplicated) and answers 204 at once; ``flask notificaties worker`` hands them to the
handlers features register with ``@handles(kanaal, resource=..., actie=...)``
(services.py, which also says what a handler must promise); ``flask notificaties
subscribe`` registers the portal's abonnement. Not to be confused with
app.notifications, the outbox of mail the portal sends.
"""

from flask import Blueprint, Flask

bp = Blueprint("notificaties", __name__, cli_group="notificaties")

from app.notificaties import cli, routes  # noqa: E402, F401  (they register on bp)
from app.notificaties.services import (  # noqa: E402
    Handler,
    HandlerRegistry,
    Notificatie,
    handles,
    register_handler,
    registry,
)

__all__ = ["Handler", "HandlerRegistry", "Notificatie", "bp", "handles", "init_app",
           "register_handler", "registry"]


def init_app(app: Flask) -> None:
    """Call once, next to registering ``bp``: the Notificaties API sends no CSRF token (nor
    cookies: the Authorization header it sends cannot be forged by another site)."""
    from app.extensions import csrf

    csrf.exempt(bp)
