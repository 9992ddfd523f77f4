"""The payment provider's webhook: it says only "payment tr_... changed"; the portal asks
the provider how it stands (app.eforms.paying.settle), so a forged call changes nothing and
the same call twice does nothing twice."""

import logging

from flask import Response, request

from app.extensions import csrf, limiter
from app.payments import bp
from app.remote import RemoteError

log = logging.getLogger(__name__)


@bp.post("/betalen/webhook")
@csrf.exempt  # the provider posts here, not a browser; it proves nothing and needs not
# Per address: the provider posts from a few addresses, also in a busy hour; what a limit
# turns away the provider retries and the worker finds.
@limiter.limit("600 per minute")
def webhook():
    from app.eforms.paying import settle_by_provider_id

    provider_id = request.form.get("id", "")
    if not (provider_id.startswith("tr_") and provider_id[3:].isalnum()
            and len(provider_id) <= 64):
        return _answer(400)
    try:
        settled = settle_by_provider_id(provider_id)
    except RemoteError:
        # The provider tries again later (Mollie: up to 10 times in 26 hours).
        return _answer(503)
    if settled is None:
        log.warning("payment webhook for an unknown payment")
    # An unknown id answers 200 too: the answer tells a caller nothing.
    return _answer(200)


def _answer(status: int) -> Response:
    """An empty plain answer: the provider reads only the status."""
    return Response(status=status, mimetype="text/plain")
