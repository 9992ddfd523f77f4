"""What every page shares: health, security headers, languages and the error pages."""

import pytest
from flask import abort

from app import create_app
from tests.conftest import CheckedClient, make_config


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_down(mock_digid, tmp_path):
    broken = make_config(f"sqlite:///{tmp_path}/missing/dir/db.sqlite", mock_digid)
    response = create_app(broken).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_security_headers(client):
    headers = client.get("/").headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # plain http in tests


def test_hsts_over_https(client):
    headers = client.get("/", base_url="https://localhost").headers
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_language_switch_keeps_the_page(client):
    response = client.get("/taal/en?next=/contact")
    assert response.headers["Location"] == "/contact"
    page = client.get("/contact").get_data(as_text=True)
    assert '<html lang="en"' in page
    client.get("/taal/nl?next=/contact")
    assert '<html lang="nl"' in client.get("/contact").get_data(as_text=True)


def test_the_page_frame_follows_the_language_and_the_page(client):
    # The footer is rendered once per language and reused; the language link is per page.
    for language, about in [("nl", "Over deze website"), ("en", "About this website"),
                            ("nl", "Over deze website")]:
        client.get(f"/taal/{language}?next=/")
        for path in ("/", "/contact"):
            page = client.get(path).get_data(as_text=True)
            assert f'id="footer-about-title">{about}</h2>' in page
            assert f'href="/taal/{"en" if language == "nl" else "nl"}?next={path}"' in page


def test_language_switch_refuses_foreign_redirects(client):
    assert client.get("/taal/en?next=https://evil.example/").headers["Location"] == "/"


@pytest.fixture
def failing_app(database_url, mock_digid):
    app = create_app(make_config(database_url, mock_digid))
    app.test_client_class = CheckedClient
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/test/abort/<int:code>")
    def abort_with(code):
        abort(code)

    @app.get("/test/crash")
    def crash():
        raise RuntimeError("boom")

    return app


@pytest.mark.parametrize(("code", "dutch", "english"), [
    (400, "Er ging iets mis met uw verzoek", "Something went wrong with your request"),
    (403, "U heeft geen toegang tot deze pagina", "You do not have access to this page"),
    (404, "Pagina niet gevonden", "Page not found"),
    (429, "Te veel pogingen", "Too many attempts"),
    (503, "Deze dienst is tijdelijk niet beschikbaar", "This service is temporarily unavailable"),
])
def test_error_pages_in_both_languages(failing_app, code, dutch, english):
    client = failing_app.test_client()
    response = client.get(f"/test/abort/{code}")
    assert response.status_code == code
    assert dutch in response.get_data(as_text=True)
    client.get("/taal/en")
    assert english in client.get(f"/test/abort/{code}").get_data(as_text=True)


def test_a_crash_shows_a_page_without_a_stack_trace(failing_app):
    response = failing_app.test_client().get("/test/crash")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Sorry, er ging bij ons iets mis" in page
    assert "Traceback" not in page and "boom" not in page


def test_unknown_page_is_a_404_page(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)
