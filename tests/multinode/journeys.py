"""What residents do, with requests sessions through the balancer: log in with DigiD, send
a form, book a visit. Each browser may come from a client address of its own
(cluster.browser)."""

from __future__ import annotations

import html
import re
import time
from urllib.parse import urljoin

import requests

from tests.web.digid import choose_persona

FIELD_NAMES = re.compile(r'name="([^"]+)"')
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'\b(type|name|value)="([^"]*)"')
RADIO = r'type="radio" id="[^"]+" name="{name}" value="([^"]+)"'
# What a balancer answers while a node dies under a request: the resident tries again.
TRY_AGAIN = (502, 503, 504)


def log_in(browser: requests.Session, base: str, bsn: str) -> None:
    started = browser.get(f"{base}/inloggen/digid", allow_redirects=False, timeout=10)
    assert started.status_code == 302, started.status_code
    callback = choose_persona(started.headers["Location"], bsn)
    answer = browser.get(callback, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.status_code


def persevering(send, attempts: int = 40):
    """send() again, as a resident presses the button again, while the portal cannot answer."""
    for _ in range(attempts):
        try:
            answer = send()
        except requests.ConnectionError:
            answer = None
        if answer is not None and answer.status_code not in TRY_AGAIN:
            return answer
        time.sleep(0.25)
    raise AssertionError(f"no answer after {attempts} tries")


def form_data(browser: requests.Session, url: str, answers: dict) -> dict:
    """GET the page; the data its form sends with those answers whose fields it has."""
    page = persevering(lambda: browser.get(url, timeout=10))
    assert page.status_code == 200, (url, page.status_code)
    names = set(FIELD_NAMES.findall(page.text))
    return {**_hidden_fields(page.text),
            **{name: value for name, value in answers.items() if name in names}}


def _hidden_fields(page_html: str) -> dict:
    """What the form carries unseen: its CSRF token, one-time token, idempotency key, and
    the "shown" marker of each follow-up question, sent as a browser with JavaScript sends
    them (a name given several times keeps every value)."""
    fields = (dict(ATTRIBUTE.findall(tag)) for tag in INPUT.findall(page_html))
    hidden: dict[str, str | list[str]] = {}
    for f in fields:
        if f.get("type") != "hidden" or "name" not in f:
            continue
        name, value = html.unescape(f["name"]), html.unescape(f.get("value", ""))
        if name == "shown":
            hidden.setdefault(name, []).append(value)
        else:
            hidden[name] = value
    return hidden


def submit(browser: requests.Session, url: str, answers: dict) -> requests.Response:
    """GET the page and POST its form with those answers whose fields it has."""
    data = form_data(browser, url, answers)
    return persevering(lambda: browser.post(url, data=data, allow_redirects=False, timeout=10))


def fill_in_form(browser: requests.Session, base: str, slug: str, answers: dict) -> str:
    """Fill in an e-form from its start page, whatever steps it takes, up to its check
    page; returns that page's URL."""
    url = f"{base}/formulieren/{slug}"
    for _ in range(12):
        url = _next_page(browser, url, answers)
        if url.endswith("/controleren"):
            return url
    raise AssertionError(f"{slug}: no check page after 12 steps")


def send_form(browser: requests.Session, base: str, slug: str, answers: dict) -> str:
    """Fill in and send an e-form; returns the confirmation page's URL."""
    url = _next_page(browser, fill_in_form(browser, base, slug, answers), {"declaration": "y"})
    assert url.endswith("/bevestiging"), url
    return url


def _next_page(browser: requests.Session, url: str, answers: dict) -> str:
    answer = submit(browser, url, answers)
    assert answer.status_code in (302, 303), (url, answer.status_code, answer.text[-500:])
    return urljoin(url, answer.headers["Location"])


DAY_LINK = re.compile(r'href="(/afspraak/tijd\?dag=(\d{4}-\d{2}-\d{2}))"')
NEXT_MONTH = re.compile(r'rel="next" href="([^"]+)"')


def offered_days(browser: requests.Session, base: str) -> list[str]:
    """The days the booking calendar offers this browser's resident, month after month."""
    days, url = [], f"{base}/afspraak/datum"
    while url:
        page = persevering(lambda page_url=url: browser.get(page_url, timeout=10)).text
        days += [day for _href, day in DAY_LINK.findall(page)]
        following = NEXT_MONTH.search(page)
        url = urljoin(url, html.unescape(following.group(1))) if following else None
    return sorted(days)


def walk_to_booking_check(browser: requests.Session, base: str, email: str, *,
                          day: str | None = None, start: str | None = None) -> dict:
    """A visit for a passport, up to the check page: products, the resident's details, a
    day from the calendar, a time; returns the confirm form's data and the day and start
    chosen (the third day offered and its first time, unless given)."""
    submit(browser, f"{base}/afspraak", {"products": "paspoort", "persons": "1"})
    submit(browser, f"{base}/afspraak/gegevens", {"name": "Meerdere Knopen", "email": email})
    if day is None:
        day = offered_days(browser, base)[2]
    times = f"{base}/afspraak/tijd?dag={day}"
    if start is None:
        start = re.findall(RADIO.format(name="start"), browser.get(times, timeout=10).text)[0]
    answer = submit(browser, times, {"start": start})
    assert answer.headers.get("Location", "").endswith("/afspraak/controleren"), answer.status_code
    confirm = form_data(browser, f"{base}/afspraak/controleren", {})
    assert "idempotency_key" in confirm, confirm
    return {"form": confirm, "day": day, "start": start}
