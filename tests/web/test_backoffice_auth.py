"""Staff login to the back office: its own IdP, its own session, roles from the portal."""

from sqlalchemy import select, update

from app.auth.models import StaffMember
from app.db import get_session
from tests.web.digid import login as resident_login
from tests.web.staff import login_staff


def test_staff_log_in_with_their_work_account_and_see_their_name(client):
    response = login_staff(client, "bas")
    assert response.status_code == 302
    assert response.headers["Location"] == "/backoffice/"
    page = client.get("/backoffice/").get_data(as_text=True)
    assert "Bas Bakker" in page
    assert "Burgerzaken" in page


def set_active(app, username: str, active: bool) -> None:
    with app.app_context():
        get_session().execute(update(StaffMember).where(StaffMember.username == username)
                              .values(active=active))
        get_session().commit()


def test_the_login_is_recorded(app, client):
    login_staff(client, "vera")
    with app.app_context():
        member = get_session().scalar(select(StaffMember).where(StaffMember.username == "vera"))
        assert member.last_login_at is not None


def test_back_office_pages_ask_staff_to_log_in_first(client):
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/backoffice/inloggen")
    page = client.get("/backoffice/inloggen").get_data(as_text=True)
    assert "Inloggen met uw werkaccount" in page


def test_an_account_that_is_not_a_staff_member_is_refused(app, client):
    set_active(app, "olaf", False)
    response = login_staff(client, "olaf")
    assert response.status_code == 403
    assert "U kunt niet inloggen in de backoffice" in response.get_data(as_text=True)


def test_deactivating_a_staff_member_ends_their_access_at_once(app, client):
    login_staff(client, "sara")
    assert client.get("/backoffice/").status_code == 200
    set_active(app, "sara", False)
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/backoffice/inloggen")


def test_staff_and_resident_sessions_never_mix(client):
    login_staff(client, "bas")
    cookies = {cookie.key: cookie for cookie in client._cookies.values()}
    assert cookies["portal_staff_session"].path == "/backoffice"
    # A staff login does not log anyone in on the residents' side ...
    response = client.get("/mijn-omgeving")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    # ... and a resident login beside it does not touch the staff session.
    resident_login(client, "999990019", next_path="/mijn-omgeving")
    assert client.get("/mijn-omgeving").status_code == 200
    assert "Bas Bakker" in client.get("/backoffice/").get_data(as_text=True)


def test_a_resident_session_does_not_open_the_back_office(client):
    resident_login(client, "999990019")
    response = client.get("/backoffice/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/backoffice/inloggen")


def test_after_login_staff_only_go_to_back_office_pages(client):
    response = login_staff(client, "bas", next_path="/mijn-omgeving")
    assert response.headers["Location"] == "/backoffice/"


def test_staff_log_out_here_and_at_the_identity_provider(client):
    login_staff(client, "bas")
    page = client.get("/backoffice/").get_data(as_text=True)
    from tests.web.digid import csrf_token

    response = client.post("/backoffice/uitloggen", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert "/logout" in response.headers["Location"]
    assert client.get("/backoffice/").status_code == 302


def test_api_requests_get_no_session_cookie(client):
    response = client.get("/api/v1/openapi.json")
    assert "Set-Cookie" not in response.headers
