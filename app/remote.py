"""Calling the municipality's registers (ZGW APIs, Haal Centraal BRP, BAG, Notificaties).

Every connector talks through one ``RemoteApi``: a pooled ``requests`` session with a
timeout on every call, certificates always verified (a CA bundle may be named, never
switched off), optional mutual TLS, and the credentials a register wants as headers.
Failures become two errors the features can act on: ``RemoteUnavailable`` (down, slow,
5xx: show "not now", keep the rest of the page, retry later) and ``RemoteRefused`` (4xx:
the register says no, which is a fact about the request, not an outage).

Logs name the register, the method, the status and the path, never a query string or a
body: those carry BSNs (``?rol__...inpBsn=``, the BRP's POST body).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

log = logging.getLogger(__name__)
# urllib3 logs each request line, query string and all (a BSN), at DEBUG: with LOG_LEVEL=DEBUG
# that would put BSNs in the log. Its warnings still come through.
logging.getLogger("urllib3").setLevel(logging.INFO)

HeaderSource = Callable[[], Mapping[str, str]]


class RemoteError(RuntimeError):
    """A register's call that did not give what was asked."""

    def __init__(self, api: str, message: str, *, status: int | None = None,
                 body: Any = None) -> None:
        super().__init__(f"{api}: {message}")
        self.api = api
        self.status = status
        self.body = body


class RemoteUnavailable(RemoteError):
    """The register did not answer in time, or answered with a server error."""


class RemoteRefused(RemoteError):
    """The register answered 4xx: it understood the request and said no."""


class RemoteCredentialsRefused(RemoteUnavailable):
    """The register refused the portal's credentials (401/403): a setting is wrong. For the
    pages it is an outage like any other; the log says which settings to check."""


@dataclass(frozen=True)
class TlsSettings:
    ca_bundle: str = ""      # a file of CAs to trust instead of the system's; never "off"
    client_cert: str = ""    # mutual TLS: the portal's certificate ...
    client_key: str = ""     # ... and its key


class RemoteApi:
    """One register's base URL, credentials and connection pool."""

    def __init__(self, name: str, base_url: str, *, timeout: float = 5.0,
                 headers: HeaderSource | None = None, tls: TlsSettings = TlsSettings(),
                 pool_size: int = 10, credentials: str = "the credentials' settings") -> None:
        self.name = name
        self.credentials = credentials  # which settings to check when they are refused
        self.base_url = base_url.rstrip("/") + "/"
        self.timeout = timeout
        self._headers = headers or dict
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size)
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)
        self._session.verify = tls.ca_bundle or True
        if tls.client_cert:
            self._session.cert = (tls.client_cert, tls.client_key or None)

    def url(self, path_or_url: str) -> str:
        """A path relative to the base URL, or a whole URL the register gave us."""
        return urljoin(self.base_url, path_or_url.lstrip("/")) if "://" not in path_or_url \
            else path_or_url

    def get(self, path_or_url: str, *, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None) -> Any:
        return self.request("GET", path_or_url, params=params, headers=headers).json()

    def post(self, path_or_url: str, body: Any, *,
             headers: Mapping[str, str] | None = None) -> Any:
        return self.request("POST", path_or_url, json=body, headers=headers).json()

    def request(self, method: str, path_or_url: str, *,
                headers: Mapping[str, str] | None = None, stream: bool = False,
                **kwargs: Any) -> requests.Response:
        """Send one call; a 2xx response back, otherwise one of the RemoteErrors."""
        url = self.url(path_or_url)
        where = urlsplit(url).path
        try:
            response = self._session.request(
                method, url, headers={**self._headers(), **(headers or {})},
                timeout=self.timeout, stream=stream, **kwargs)
        except requests.Timeout:
            log.warning("%s: %s %s timed out after %ss", self.name, method, where, self.timeout)
            raise RemoteUnavailable(self.name, f"{method} {where} timed out") from None
        except requests.RequestException as error:
            log.warning("%s: %s %s failed: %s", self.name, method, where, type(error).__name__)
            raise RemoteUnavailable(self.name, f"{method} {where} failed") from None
        if response.status_code >= 500:
            log.warning("%s: %s %s answered %s", self.name, method, where, response.status_code)
            raise RemoteUnavailable(self.name, f"{method} {where} answered "
                                    f"{response.status_code}", status=response.status_code)
        if response.status_code in (401, 403):
            log.error("%s refused the portal's credentials (HTTP %s) for %s %s: check %s",
                      self.name, response.status_code, method, where, self.credentials)
            raise RemoteCredentialsRefused(
                self.name, f"credentials refused ({response.status_code}); check "
                f"{self.credentials}", status=response.status_code)
        if response.status_code >= 400:
            log.warning("%s: %s %s refused with %s", self.name, method, where,
                        response.status_code)
            raise RemoteRefused(self.name, f"{method} {where} answered {response.status_code}",
                                status=response.status_code, body=_problem(response))
        return response


def _problem(response: requests.Response) -> Any:
    """The register's problem details (JSON), for the caller to read; not logged."""
    try:
        return response.json()
    except ValueError:
        return None
