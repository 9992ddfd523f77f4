"""Screenshots of the main pages at a phone's size (360 x 640, the first screen) and a
desktop's (1280 wide, the whole page), in Dutch and a few in English, for a reviewer who
wants to see the look without running anything. scripts/screenshots.sh starts the demo
(mock DigiD, demo zaken) and runs this against it; usage on its own:

    python scripts/screenshots.py http://localhost:5000 docs/screenshots
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
RESIDENT = "999990019"  # Fatima El Amrani, the demo persona with the most zaken
STAFF = "bas"           # a behandelaar of team Burgerzaken
MANAGEMENT = "mila"     # the channel dashboard
CHROMIUM = "/usr/bin/chromium"
START = re.compile("^(Nu beginnen|Start now)$")


def main(base_url: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.png"):
        old.unlink()
    with sync_playwright() as playwright:
        launch = {"args": ["--no-sandbox", "--disable-gpu"]}
        if Path(CHROMIUM).exists():
            launch["executable_path"] = CHROMIUM
        browser = playwright.chromium.launch(**launch)
        for language in ("nl", "en"):
            Shooter(browser, base_url, out_dir, language).run()
        browser.close()
    print(f"{len(list(out_dir.glob('*.png')))} screenshots in {out_dir}")


class Shooter:
    def __init__(self, browser: Browser, base_url: str, out_dir: Path, language: str) -> None:
        self.browser, self.base_url, self.out_dir = browser, base_url, out_dir
        self.language = language

    def run(self) -> None:
        english = self.language == "en"
        anonymous = self.page()
        self.shoot(anonymous, "home", "/")
        if not english:
            self.shoot(anonymous, "product", "/producten/verhuizing-doorgeven")
            self.shoot(anonymous, "search", "/zoeken?q=paspoort")
            self.walk_to_photo_step(anonymous)
            self.shoot(anonymous, "eform-upload", None)

        resident = self.page()
        resident.goto(self.base_url + "/mijn-omgeving")
        self.log_in(resident, "persona", RESIDENT)
        expect(resident).to_have_url(re.compile("/mijn-omgeving$"))
        resident.goto(self.base_url + "/formulieren/verhuizing")
        resident.get_by_role("button", name=START).click()
        self.shoot(resident, "eform-step", None)
        self.shoot(resident, "mijn-zaken", "/mijn-omgeving/zaken")
        resident.locator(".portal-zaak-list a").first.click()
        self.shoot(resident, "zaak", None)
        if not english:
            self.walk_to_booking_check(resident)
            self.shoot(resident, "booking-check", None)
            self.shoot(resident, "mijn-omgeving", "/mijn-omgeving")
            self.shoot(resident, "mijn-gegevens", "/mijn-omgeving/gegevens")

            staff = self.staff_page(STAFF)
            self.shoot(staff, "backoffice-queue", "/backoffice/zaken")
            self.shoot(staff, "backoffice-conversations", "/backoffice/gesprekken")
            self.shoot(self.staff_page(MANAGEMENT), "backoffice-dashboard", "/backoffice/dashboard")

    def staff_page(self, who: str) -> Page:
        staff = self.page()
        staff.goto(self.base_url + "/backoffice/inloggen")
        staff.locator("a[href*='/backoffice/inloggen/start']").click()
        self.log_in(staff, "persona", who)
        return staff

    def page(self) -> Page:
        context = self.browser.new_context(device_scale_factor=1)
        context.add_cookies([{"name": "lang", "value": self.language, "url": self.base_url}])
        return context.new_page()

    def walk_to_photo_step(self, page: Page) -> None:
        """A report without DigiD, up to its step with the file input."""
        page.goto(self.base_url + "/formulieren/melding-openbare-ruimte")
        page.get_by_role("button", name=START).click()
        page.get_by_label("Straatverlichting").check()
        page.get_by_label("Beschrijf het probleem").fill("De lantaarnpaal brandt niet meer.")
        page.get_by_role("button", name="Verder").click()
        page.get_by_label("Met een adres").check()
        page.get_by_label("Postcode", exact=True).fill("8081bp")
        page.get_by_label("Huisnummer", exact=True).fill("14")
        page.get_by_role("button", name="Verder").click()
        expect(page.locator("input[type=file]")).to_be_visible()

    def walk_to_booking_check(self, page: Page) -> None:
        """Book a passport appointment up to its check page (nothing is booked)."""
        page.goto(self.base_url + "/afspraak?product=paspoort")
        self.shoot(page, "booking", None)
        page.locator("#continue").click()                 # the products
        page.locator("#continue").click()                 # the contact details (known)
        page.locator("#days a.portal-calendar__day--open").first.click()
        page.locator('input[name="start"]').first.check()
        page.locator("#continue").click()
        expect(page).to_have_url(re.compile("/afspraak/controleren$"))

    @staticmethod
    def log_in(page: Page, prefix: str, who: str) -> None:
        login = page.get_by_role("link", name=re.compile("^(Inloggen met DigiD|Log in with DigiD)$"))
        if login.count():
            login.click()
        page.get_by_test_id(f"{prefix}-{who}").click()
        page.wait_for_load_state()

    def shoot(self, page: Page, name: str, path: str | None) -> None:
        """The page at `path` (None: where the page is now) at both sizes."""
        if path is not None:
            page.goto(self.base_url + path)
        for size, viewport, full_page in (("360", PHONE, False), ("1280", DESKTOP, True)):
            page.set_viewport_size(viewport)
            page.reload()
            file = self.out_dir / f"{name}-{self.language}-{size}.png"
            page.screenshot(path=str(file), full_page=full_page, animations="disabled")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
