"""Paying online for the uittreksel BRP at the mock payment provider, in Dutch and English,
with axe on every page (the provider's too): cancelled, expired and failed before paid; a
bank that confirms late (the webhook reaches the portal later); a browser that never comes
back; a payment nobody reported, settled by `flask payments worker` after the first worker
was killed; and the refund when staff reject the paid application.
"""

import os
import signal
import subprocess
import sys
import time

from playwright.sync_api import expect
from sqlalchemy import func, select

from app.db import get_session
from app.payments.cli import run_round
from app.payments.models import Payment
from app.zaken.models import Zaak
from tests.browser.conftest import pay_at_mock_psp
from tests.browser.staff import log_in_as_staff
from tests.browser.test_eform_journeys_more import (  # noqa: F401  (language: the fixture)
    ZAAKNUMMER,
    heading,
    language,
    option,
    pay_button_name,
    proceed,
    start,
    texts,
    tr,
)
from tests.conftest import CLIENT_PRIVATE_KEY_FILE, MOCK_PSP_URL
from tests.personas import FATIMA, SANNE

PAID = "Betaald (Paid)"
LATE = ("Betaald, de bank bevestigt later (late webhook) "
        "(Paid, the bank confirms later (late webhook))")
NO_RETURN = "Betaald, de browser komt niet terug (Paid, the browser does not come back)"
SLOW_UNNOTICED = ("Betaald, geen terugkeer en geen webhook, trage API (de worker wacht) "
                  "(Paid, no return and no webhook, slow API (the worker waits))")


def fill_in_the_extract(journey, bsn: str = FATIMA):
    """From the start page to the check page, one extract by post."""
    form = texts("uittreksel-brp")
    page = journey.page
    start(journey, form, bsn)
    page.get_by_label(option(form, "voor_wie", "mijzelf")).check()
    proceed(journey)
    page.get_by_label(option(form, "soort", "brp")).check()
    proceed(journey)
    page.get_by_label(form.field("doel").label.get(_language(page))).select_option("werk")
    proceed(journey)
    page.get_by_label(form.field("aantal").label.get(_language(page))).fill("1")
    proceed(journey)
    page.get_by_label(option(form, "levering", "post")).check()
    proceed(journey)
    expect(heading(page)).to_have_text(tr("Check your answers"))
    expect(page.get_by_role("button", name=pay_button_name())).to_contain_text("15")
    return form


def _language(page) -> str:
    return page.locator("html").get_attribute("lang")


def pay(journey, scenario: str) -> None:
    journey.page.get_by_role("button", name=pay_button_name()).click()
    pay_at_mock_psp(journey, scenario)


def zaken_paid_with(live_app, provider_id: str) -> list[Zaak]:
    with live_app.app_context():
        return list(get_session().scalars(select(Zaak).where(
            Zaak.kenmerken["betaling"].as_string() == provider_id)))


def latest_payment(live_app) -> Payment:
    with live_app.app_context():
        return get_session().scalar(select(Payment).order_by(Payment.id.desc()).limit(1))


def wait_for_zaak(live_app, provider_id: str, seconds: float = 20) -> Zaak:
    deadline = time.monotonic() + seconds
    while not (zaken := zaken_paid_with(live_app, provider_id)):
        assert time.monotonic() < deadline, "no zaak for the payment"
        time.sleep(0.2)
    assert len(zaken) == 1
    return zaken[0]


def test_cancelled_expired_and_failed_keep_the_draft_then_paid_sends_it(journey, live_app):
    page = journey.page
    fill_in_the_extract(journey)
    for scenario, notice in (("Geannuleerd (Cancelled)", "You cancelled the payment"),
                             ("Verlopen (Expired)", "The payment has expired"),
                             ("Mislukt (Failed)", "The payment did not succeed")):
        pay(journey, scenario)
        expect(heading(page)).to_have_text(tr("Check your answers"))
        expect(page.locator(".utrecht-alert")).to_contain_text(tr(notice))
        journey.check()
    pay(journey, PAID)
    expect(heading(page)).to_have_text(tr("Form sent"))
    journey.check()
    zaaknummer = ZAAKNUMMER.search(page.locator(".portal-case-number").inner_text())[0]
    zaak = wait_for_zaak(live_app, latest_payment(live_app).provider_id)
    assert zaak.identificatie == zaaknummer and zaak.betalingsindicatie == "geheel"


def test_a_bank_that_confirms_late_sends_the_form_by_the_webhook(journey, live_app):
    page = journey.page
    fill_in_the_extract(journey)
    pay(journey, LATE)
    expect(heading(page)).to_have_text(tr("We are waiting for your payment"))
    journey.check()
    wait_for_zaak(live_app, latest_payment(live_app).provider_id)  # the webhook came
    page.get_by_role("link", name=tr("Check again")).click()
    expect(heading(page)).to_have_text(tr("Form sent"))
    journey.check()


def test_a_browser_that_never_comes_back_still_sends_the_form(journey, live_app):
    page = journey.page
    fill_in_the_extract(journey)
    pay(journey, NO_RETURN)
    expect(heading(page)).to_have_text("Betaling verwerkt (test)")
    journey.check()
    zaak = wait_for_zaak(live_app, latest_payment(live_app).provider_id)
    journey.open("/mijn-omgeving/zaken")
    expect(page.locator("#main-content")).to_contain_text(zaak.identificatie)


def _payments_worker(live_database_url: str, live_server: str) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": live_database_url, "SECRET_KEY": "journey",
                   "PAYMENT_PROVIDER": "mock", "MOCK_PSP_URL": MOCK_PSP_URL,
                   "PORTAL_BASE_URL": live_server,
                   "OIDC_PRIVATE_KEY_FILE": CLIENT_PRIVATE_KEY_FILE}
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "payments", "worker",
         "--interval", "0.5"], env=environment, stdout=subprocess.PIPE, text=True)


def test_a_payment_nobody_reported_is_sent_by_the_worker_also_after_a_kill(
        journey, live_app, live_server, live_database_url):
    """The provider's API answers about this payment only after 3 seconds: the first worker
    is killed (SIGKILL) while it waits for that answer, mid-settle; the next one sends the
    form, once."""
    page = journey.page
    fill_in_the_extract(journey, SANNE)
    pay(journey, SLOW_UNNOTICED)
    expect(heading(page)).to_have_text("Betaling verwerkt (test)")
    journey.check()
    payment = latest_payment(live_app)
    with live_app.app_context():  # due now rather than in two minutes
        db = get_session()
        db.execute(Payment.__table__.update().where(Payment.id == payment.id)
                   .values(next_check_at=payment.created_at))
        db.commit()

    first = _payments_worker(live_database_url, live_server)
    assert first.stdout.readline().startswith("Payments worker")
    time.sleep(1)  # in its first round, waiting for the provider's answer
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert zaken_paid_with(live_app, payment.provider_id) == []
    second = _payments_worker(live_database_url, live_server)
    try:
        zaak = wait_for_zaak(live_app, payment.provider_id, seconds=60)
        time.sleep(4)  # more rounds: still the one zaak
        assert len(zaken_paid_with(live_app, payment.provider_id)) == 1
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
    journey.open("/mijn-omgeving/zaken")
    expect(page.locator("#main-content")).to_contain_text(zaak.identificatie)


def test_staff_reject_a_paid_application_and_the_provider_refunds_it(
        journey, live_app, live_server, browser):
    page = journey.page
    fill_in_the_extract(journey)
    pay(journey, PAID)
    expect(heading(page)).to_have_text(tr("Form sent"))
    zaaknummer = ZAAKNUMMER.search(page.locator(".portal-case-number").inner_text())[0]
    provider_id = latest_payment(live_app).provider_id

    staff_page = browser.new_page()
    try:
        staff = type(journey)(staff_page, live_server, journey.axe)
        log_in_as_staff(staff_page, live_server, "bas")
        staff.open(f"/backoffice/zaken/{zaaknummer}")
        expect(staff_page.locator("#betaling")).to_contain_text(provider_id)
        staff_page.locator('input[name="resultaat-resultaattype"][value="Afgewezen"]').check()
        staff_page.locator('form[action$="/resultaat"] button[type="submit"]').click()
        expect(staff_page.locator("#samenvatting")).to_contain_text("Afgewezen")
        staff.check()
        with live_app.app_context():
            assert run_round().refunds == 1
        staff.open(f"/backoffice/zaken/{zaaknummer}")
        expect(staff_page.locator("#betaling")).to_contain_text("re_")
        staff_page.goto(f"{MOCK_PSP_URL}/refunds")
        expect(staff_page.get_by_test_id(f"refund-{provider_id}")).to_contain_text("15.10")
        staff.check()
    finally:
        staff_page.close()
    with live_app.app_context():
        assert get_session().scalar(select(func.count()).select_from(Payment).where(
            Payment.provider_id == provider_id, Payment.refund_status == "sent")) == 1


def test_the_bin_size_chosen_sets_what_the_resident_pays(journey, live_app):
    """An answer-dependent fee: a 240 litre bin costs € 60,00, and after changing the answer
    to 140 litres the check page and the provider ask € 50,00 (content/catalog.toml)."""
    form, page = texts("minicontainer"), journey.page
    start(journey, form, FATIMA)
    page.get_by_label(option(form, "wat", "extra")).check()
    page.get_by_label(option(form, "soort_container", "rest")).check()
    page.get_by_label(option(form, "grootte", "240")).check()
    proceed(journey)
    expect(heading(page)).to_have_text(tr("Check your answers"))
    expect(page.get_by_role("button", name=pay_button_name())).to_contain_text("60")
    size_question = form.field("grootte").label.get(_language(page))
    page.get_by_role("link", name=f"{tr('Change')} {size_question}").click()
    journey.check()
    page.get_by_label(option(form, "grootte", "140")).check()
    proceed(journey)
    expect(heading(page)).to_have_text(tr("Check your answers"))
    expect(page.get_by_role("button", name=pay_button_name())).to_contain_text("50")
    pay(journey, PAID)
    expect(heading(page)).to_have_text(tr("Form sent"))
    journey.check()
    payment = latest_payment(live_app)
    assert str(payment.amount) == "50.00"
    assert wait_for_zaak(live_app, payment.provider_id).betalingsindicatie == "geheel"
