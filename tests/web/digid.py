"""Log in through the real mock DigiD process, as a browser would, with the test client."""

import html
import re
from urllib.parse import urlsplit

import requests

FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')


def start_login(client, next_path: str = "/"):
    """The DigiD button of the login page; returns the portal's response (a redirect to
    the provider when all is well)."""
    return client.get("/inloggen/digid", query_string={"next": next_path})


def choose_persona(authorize_url: str, bsn: str | None, scenario: str = "normaal") -> str:
    """Act at the mock DigiD; returns the URL it sends the browser back to."""
    page = requests.get(authorize_url, timeout=10)
    page.raise_for_status()
    action = html.unescape(FORM_ACTION.search(page.text).group(1))
    form_url = requests.compat.urljoin(authorize_url, action)
    choice = {"scenario": scenario, "account": bsn} if bsn else {"cancel": "1"}
    answer = requests.post(form_url, data=choice, allow_redirects=False, timeout=10)
    assert answer.status_code in (302, 303), answer.text
    return answer.headers["Location"]


def follow_callback(client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def login(client, bsn: str = "999990019", scenario: str = "normaal", next_path: str = "/"):
    """The whole round trip; returns the portal's answer to the callback."""
    started = start_login(client, next_path)
    assert started.status_code == 302, started.status_code
    return follow_callback(client, choose_persona(started.headers["Location"], bsn, scenario))


CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(page_html: str) -> str:
    """The CSRF token a logged-in page carries (the layout's csrf-token meta tag)."""
    return CSRF_META.search(page_html).group(1)
