"""Paying at the mock payment provider (`python -m mock_psp`, the fixture mock_psp) as a
browser would: the checkout page's form, then where it sends the browser."""

from datetime import timedelta
from urllib.parse import urlsplit

import requests

from app.eforms.definitions import get_definition
from app.eforms.services import create_draft

EXTRACT_ANSWERS = {"voor_wie": "mijzelf", "soort": "brp", "doel": "werk", "aantal": 2, "levering": "post"}
EXTRACT_STEPS = ["voor-wie", "soort", "doel", "aantal", "levering"]


def filled_draft(app, bsn: str, slug: str = "uittreksel-brp", answers: dict | None = None,
                 steps: list[str] | None = None) -> str:
    """A draft of this resident with every step answered (the extract form by default):
    its check page is next. Made in the session the test's transaction wraps."""
    from app.db import get_session

    with app.app_context():
        db = get_session()
        draft = create_draft(db, get_definition(slug), owner_bsn=bsn,
                             lifetime=timedelta(days=1))
        draft.answers = dict(answers or EXTRACT_ANSWERS)
        draft.completed_steps = list(steps or EXTRACT_STEPS)
        db.commit()
        return draft.id


def pay_at_mock(checkout_url: str, scenario: str = "paid") -> str | None:
    """Choose the scenario on the mock's checkout page; where the browser is sent back to
    (None when the scenario keeps the browser there)."""
    page = requests.get(checkout_url, timeout=10)
    assert page.status_code == 200 and "iDEAL" in page.text, page.status_code
    answer = requests.post(checkout_url, data={"scenario": scenario}, allow_redirects=False,
                           timeout=10)
    if answer.status_code == 303:
        return answer.headers["Location"]
    assert answer.status_code == 200, answer.status_code
    return None


def portal_path(url: str) -> str:
    """The path (and query) of a URL on the portal, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def mock_payment(psp_url: str, payment_id: str) -> dict:
    return requests.get(f"{psp_url}/v2/payments/{payment_id}", timeout=10,
                        headers={"Authorization": "Bearer test_tests"}).json()


def mock_refunds(psp_url: str, payment_id: str) -> list[dict]:
    return requests.get(f"{psp_url}/v2/payments/{payment_id}/refunds", timeout=10,
                        headers={"Authorization": "Bearer test_tests"}).json()[
        "_embedded"]["refunds"]
