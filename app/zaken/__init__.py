"""Zaken: catalogi (zaaktypen, statustypen, resultaattypen) and zaken with their
statussen, rollen, resultaat and documenten, named as in the ZGW standard."""

from flask import Blueprint

# No pages of its own yet: other features use app.zaken.services. The
# blueprint carries the `flask zaken ...` commands.
bp = Blueprint("zaken", __name__, cli_group="zaken")

from app.zaken import cli  # noqa: E402,F401  (registers the commands on bp.cli)
