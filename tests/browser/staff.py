"""Log an employee in to the back office in the browser, through the mock staff IdP."""

from playwright.sync_api import expect


def log_in_as_staff(page, base_url: str, username: str = "bas") -> None:
    page.goto(f"{base_url}/backoffice/inloggen")
    page.get_by_role("link", name="Inloggen met uw werkaccount").or_(
        page.get_by_role("link", name="Log in with your work account")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen medewerkers (test)")
    page.get_by_test_id(f"persona-{username}").click()
