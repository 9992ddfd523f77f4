"""The portal's public address: the links that leave a request (mail, the DigiD redirect_uri)
and the host names the portal answers to.

Both come from PORTAL_BASE_URL, never from the request's Host header: the client chooses that
header, and a link built from it in a genuine mail of the municipality would lead to anyone's
site.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.exceptions import SecurityError
from werkzeug.wrappers import Response
from werkzeug.wsgi import get_host

log = logging.getLogger(__name__)

# The demo's and `flask run`'s address: a developer's machine without PORTAL_BASE_URL.
DEVELOPMENT_BASE_URL = "http://localhost:5000"
# Plain text: no page of ours, with links, for a host that is not ours.
UNKNOWN_HOST = Response("Bad request: this server does not answer to that host name.\n",
                        status=400, mimetype="text/plain")


def external_url(endpoint: str, **values) -> str:
    """An absolute link to a page of the portal, on PORTAL_BASE_URL. The same in a request, a
    worker or a cron job: whatever a request's Host says."""
    base = urlsplit(current_app.config["PORTAL_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def settle_base_url(config: Mapping) -> str:
    """The PORTAL_BASE_URL to use: the setting, checked; production refuses to start without
    one. A developer's machine without it gets the demo's address, and a warning."""
    base_url = config["PORTAL_BASE_URL"].strip().rstrip("/")
    if not base_url:
        if config["PORTAL_ENV"] == "production":
            raise RuntimeError("Set PORTAL_BASE_URL (e.g. https://portaal.gemeente.nl): "
                               "links in mail and the DigiD login are built from it.")
        log.warning("PORTAL_BASE_URL is not set; links in mail and the login use %s, and "
                    "the portal answers only to that host.", DEVELOPMENT_BASE_URL)
        return DEVELOPMENT_BASE_URL
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise RuntimeError(f"PORTAL_BASE_URL must be http(s)://host[:port][/path], "
                           f"not {base_url!r}.")
    return base_url


def trusted_hosts(base_url: str, extra_hosts: str) -> list[str]:
    """PORTAL_BASE_URL's host name and PORTAL_EXTRA_HOSTS (comma-separated), in werkzeug's
    terms: a name matches with any port, a leading dot matches its subdomains too."""
    extra = (host.strip().lower() for host in extra_hosts.split(","))
    return list(dict.fromkeys([urlsplit(base_url).hostname, *filter(None, extra)]))


def refuse_unknown_hosts(wsgi_app: Callable, hosts: Iterable[str]) -> Callable:
    """Answer 400 to a request for any other host, before the app reads a session, a limit
    or a template: nothing it would build may carry a host that an attacker chose."""
    hosts = list(hosts)

    def checked(environ, start_response):
        try:
            get_host(environ, trusted_hosts=hosts)
        except SecurityError:
            log.warning("request for an unknown host refused")  # the name is the client's text
            return UNKNOWN_HOST(environ, start_response)
        return wsgi_app(environ, start_response)

    return checked
