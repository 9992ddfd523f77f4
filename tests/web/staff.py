"""Log an employee in to the back office through the real mock staff IdP, with the test client."""

from tests.web.digid import choose_persona, follow_callback


def login_staff(client, username: str = "bas", next_path: str = "/backoffice/"):
    """The whole round trip; returns the portal's answer to the callback (a redirect to
    next_path when the account is an active staff member)."""
    started = client.get("/backoffice/inloggen/start", query_string={"next": next_path})
    assert started.status_code == 302, started.status_code
    return follow_callback(client, choose_persona(started.headers["Location"], username))
