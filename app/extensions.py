"""The extension singletons, bound to the app in create_app.

The DigiD OIDC client is per app instead: see app/auth/digid.py.
"""

import ipaddress

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
# Pages and JSON, compressed for browsers that ask (zstd, br or gzip); static files are
# compressed by the asset build and served by WhiteNoise (app/assets.py).
compress = Compress()
# The storage (memory:// or a shared Redis) comes from RATELIMIT_STORAGE_URI.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def client_network() -> str:
    """The client's address as a limit's key, an IPv6 client by its /64 network: one
    household or phone gets a whole /64 and could take a new address for every request."""
    address = get_remote_address()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))
