"""E-forms: form definitions as data, the form engine, drafts; submitting opens a zaak."""

from flask import Blueprint, current_app

bp = Blueprint("eforms", __name__, cli_group="forms")


@bp.record_once
def _load_definitions(state) -> None:
    """Load and check every form definition at start-up: a wrong one stops the app here."""
    from app.eforms.definitions import EXTENSION_KEY, load_definitions

    app = state.app
    app.extensions[EXTENSION_KEY] = load_definitions(app.config["FORMS_PATH"])


@bp.record_once
def _make_receipts_for_mail(state) -> None:
    """The confirmation mail's receipt is made by the mail worker (app.eforms.receipt)."""
    from app.eforms.receipt import RECEIPT_MAKER, make_receipt_pdf
    from app.notifications.services import register_attachment_maker

    register_attachment_maker(state.app, RECEIPT_MAKER, make_receipt_pdf)


def uploads_path() -> str:
    return current_app.config["UPLOADS_PATH"]


from app.eforms import cli, routes  # noqa: E402,F401  (registers the views and commands)
