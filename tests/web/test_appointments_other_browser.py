"""What one browser's booking flow holds is nothing in another browser (no app context of
the test's own here: each test client's requests keep their own CSRF token)."""

from tests.web.test_appointments import CSRF, book, choose_slot, give_details, start_booking


def test_the_idempotency_key_is_nothing_in_another_browser(client, app):
    """The key in the check page's form finds the booking only for the session that made it."""
    _answer, form, _start = book(client, name="Anna de Vries", email="anna.key@example.org")
    with app.test_client() as other_browser:
        start_booking(other_browser)
        give_details(other_browser, "Mallory", "m@example.org")
        choose_slot(other_browser)
        page = other_browser.get("/afspraak/controleren").get_data(as_text=True)
        answer = other_browser.post("/afspraak/controleren", data={
            "csrf_token": CSRF.search(page).group(1), "idempotency_key": form["idempotency_key"]})
        assert not answer.location.endswith("/afspraak/bevestiging")
        assert other_browser.get("/afspraak/bevestiging").status_code == 404
    # The browser that booked still gets its confirmation on a second click.
    assert client.post("/afspraak/controleren", data=form).location.endswith(
        "/afspraak/bevestiging")
    assert "anna.key@example.org" in client.get("/afspraak/bevestiging").get_data(as_text=True)
