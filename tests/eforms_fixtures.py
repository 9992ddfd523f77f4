"""Helpers for the e-form tests: walking a form with the test client."""

import re
from datetime import date

import pytest

from app.extensions import limiter
from tests.images import JPEG, PNG  # noqa: F401

CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
PDF = b"%PDF-1.4\n" + b"\x00" * 64


def form_csrf(page_html: str) -> str:
    match = CSRF_INPUT.search(page_html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


SEEN_MARKER = re.compile(r'name="shown" value="([^"]+)" data-seen')


def seen_follow_ups(page_html: str) -> dict:
    """What a browser with JavaScript posts when the answers reveal the page's follow-up
    questions (ui.conditional): each one's marker (the server heeds only those that the
    posted answers ask for)."""
    return {"shown": SEEN_MARKER.findall(page_html)}


def post_page(client, url: str, data: dict | None = None, **kwargs):
    """GET the page (as a browser with JavaScript would), then POST the form on it with its
    CSRF token."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    html = page.get_data(as_text=True)
    return client.post(url, data={"csrf_token": form_csrf(html), **seen_follow_ups(html), **(data or {})},
                       **kwargs)


def start_form(client, slug: str) -> str:
    """Start a form; returns the path of its first step."""
    answer = post_page(client, f"/formulieren/{slug}")
    assert answer.status_code == 302, answer.status_code
    return answer.headers["Location"]


def date_parts(name: str, day: date) -> dict:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def draft_id_of(step_path: str) -> str:
    return step_path.split("/")[3]


@pytest.fixture(autouse=False)
def form_rate_limit(app, monkeypatch):
    """The suite starts more forms than a person would: a high limit, reset before and after."""
    monkeypatch.setitem(app.config, "FORM_RATE_LIMIT", "1000 per minute")
    limiter.reset()
    yield
    limiter.reset()
