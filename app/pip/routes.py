from flask import render_template
from flask_login import login_required

from app.pip import bp


@bp.get("/mijn-omgeving")
@login_required
def overview():
    return render_template("pip/overview.html")
