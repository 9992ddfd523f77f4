"""Only a POST with the CSRF token ends a session: a link or an image on another site that
points at the session-expired page logs nobody out."""

from datetime import timedelta

from sqlalchemy import update

from app.auth.models import WebSession
from app.auth.sessions import STAFF_COOKIE_NAME, hash_session_id, utcnow
from tests.web.digid import csrf_token, login
from tests.web.staff import login_staff

FATIMA = "999990019"


def _logged_in(client) -> bool:
    return client.get("/mijn-omgeving").status_code == 200


def test_a_get_of_the_expired_page_does_not_log_the_resident_out(client):
    login(client, FATIMA)
    answer = client.get("/sessie-verlopen?next=/mijn-omgeving")
    assert answer.status_code == 302 and answer.headers["Location"] == "/mijn-omgeving"
    assert _logged_in(client)


def test_the_timeout_post_without_the_csrf_token_logs_nobody_out(client):
    login(client, FATIMA)
    assert client.post("/sessie-verlopen", data={"next": "/"}).status_code == 400
    assert _logged_in(client)


def test_the_timeout_post_ends_the_session_and_shows_the_page(client):
    login(client, FATIMA)
    token = csrf_token(client.get("/mijn-omgeving").get_data(as_text=True))
    answer = client.post("/sessie-verlopen", data={"csrf_token": token, "next": "/producten"})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/sessie-verlopen?next=/producten"
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "U bent uitgelogd" in page and 'href="/inloggen/digid?next=/producten"' in page
    assert not _logged_in(client)


def test_the_timeout_post_after_the_servers_own_timeout_shows_the_page(client, db_connection):
    """The server's clock came first: the session (and its CSRF token) is gone already."""
    login(client, FATIMA)
    token = csrf_token(client.get("/mijn-omgeving").get_data(as_text=True))
    cookie = client.get_cookie("portal_session").value
    db_connection.execute(update(WebSession).where(WebSession.id_hash == hash_session_id(cookie))
                          .values(last_seen_at=utcnow() - timedelta(minutes=16)))
    answer = client.post("/sessie-verlopen", data={"csrf_token": token, "next": "/producten"})
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/sessie-verlopen?next=/producten"
    assert "U bent uitgelogd" in client.get(answer.headers["Location"]).get_data(as_text=True)


def _staff_logged_in(client) -> bool:
    return client.get("/backoffice/").status_code == 200


def test_a_get_of_the_back_offices_expired_page_does_not_log_staff_out(client):
    login_staff(client, "karin")
    answer = client.get("/backoffice/sessie-verlopen?next=/backoffice/")
    assert answer.status_code == 302 and answer.headers["Location"] == "/backoffice/"
    assert _staff_logged_in(client)
    assert client.post("/backoffice/sessie-verlopen").status_code == 400
    assert _staff_logged_in(client)


def test_the_back_offices_timeout_post_ends_the_staff_session(client):
    login_staff(client, "karin")
    token = csrf_token(client.get("/backoffice/").get_data(as_text=True))
    answer = client.post("/backoffice/sessie-verlopen", data={"csrf_token": token})
    assert answer.status_code == 302 and "/backoffice/inloggen?verlopen=1" in answer.headers[
        "Location"]
    assert not _staff_logged_in(client)
    assert client.get_cookie(STAFF_COOKIE_NAME, path="/backoffice") is None
