"""How much mail a visitor who is not logged in may have the portal send: per client address
and per recipient, for every such mail (continue later, a form's confirmation, a booking's).

Without a limit per recipient, anyone could make the municipality mail one victim again and
again from many addresses; without one per client, one client could mail many victims. The
counts live in the rate limiter's storage (RATELIMIT_STORAGE_URI: shared by every node when
it is Redis). The recipient is counted under a keyed hash of the normalised address: the
storage never holds an address, and without SECRET_KEY nobody can find one by trying.
"""

import hashlib
import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from limits import parse

from app.extensions import limiter

TOO_MANY_MAILS = _l("We have sent a lot of emails from here or to this email address in a "
                    "short time. Try again later. What you filled in has been kept.")


def visitor_may_mail(recipient: str) -> bool:
    """Count one mail to recipient for this request's client. False when the client or the
    recipient had its share (MAIL_CLIENT_RATE_LIMIT, MAIL_RECIPIENT_RATE_LIMIT): the caller then
    sends nothing and says TOO_MANY_MAILS where the address was asked."""
    config = current_app.config
    counter = limiter.limiter
    return (counter.hit(parse(config["MAIL_CLIENT_RATE_LIMIT"]), "visitor-mail-client",
                        get_remote_address())
            and counter.hit(parse(config["MAIL_RECIPIENT_RATE_LIMIT"]),
                            "visitor-mail-recipient", recipient_key(recipient)))


def recipient_key(address: str) -> str:
    """The address as the limiter knows it: an HMAC of its normalised form."""
    normalised = address.strip().lower()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, normalised.encode(), hashlib.sha256).hexdigest()
