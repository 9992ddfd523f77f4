"""Paying online: a form whose product has a fee is paid before its zaak is opened.

The payment provider is a port (app.payments.port, chosen by PAYMENT_PROVIDER): ``mollie``
(Mollie's Payments API v2, iDEAL) or ``mock`` (the same API spoken by ``python -m mock_psp``,
for the demo and the tests). Routes: the provider's webhook. The form engine's payment step
lives with the forms (app.eforms.paying); the work that must go on when no browser comes back
(polling open payments, refunds) is `flask payments worker`.
"""

from urllib.parse import urlsplit

from flask import Blueprint, Flask

bp = Blueprint("payments", __name__, cli_group="payments")


def checkout_origin(config) -> str:
    """The origin of the provider's checkout page: the form that starts a payment is
    redirected there, which the CSP's form-action must allow."""
    url = (config["MOCK_PSP_URL"] if config["PAYMENT_PROVIDER"].strip().lower() == "mock"
           else config["MOLLIE_CHECKOUT_ORIGIN"])
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def init_app(app: Flask) -> None:
    """Every form's fee must be in the catalogue (after both are loaded): a wrong one stops
    the app at start, not the resident at the end of the form."""
    from app.eforms.paying import check_fees

    with app.app_context():
        check_fees()


from app.payments import cli, routes  # noqa: E402,F401  (registers the views and commands)
