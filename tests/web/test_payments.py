"""Paying online for a form with a fee, through the test client and the mock payment
provider process: the amount from the catalogue, each scenario of the checkout, the webhook,
the worker, and the refund when staff reject a paid application."""

import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.db import get_session
from app.eforms.models import FormDraft
from app.payments.cli import run_round
from app.payments.models import Payment
from app.ui.dates import local_date, long_date
from app.zaken.models import Zaak
from tests.backoffice_fixtures import form_fields
from tests.eforms_fixtures import form_csrf
from tests.factories import new_zaak
from tests.login import login_as
from tests.payments_fixtures import (
    EXTRACT_ANSWERS,
    filled_draft,
    mock_payment,
    mock_refunds,
    pay_at_mock,
    portal_path,
)
from tests.personas import BAS, FATIMA, SANNE
from tests.querycount import counted_queries

pytestmark = pytest.mark.usefixtures("mock_psp")

EXTRACT = "/formulieren/uittreksel-brp"


def check_path(draft_id: str) -> str:
    return f"{EXTRACT}/{draft_id}/controleren"


def press_pay(client, draft_id: str, **extra) -> str:
    """Post the check page's form; the checkout URL the portal sends the browser to."""
    page = client.get(check_path(draft_id)).get_data(as_text=True)
    answer = client.post(check_path(draft_id),
                         data={"csrf_token": form_csrf(page), **extra})
    assert answer.status_code == 303, answer.status_code
    return answer.headers["Location"]


def payment_of(app, draft_id: str) -> Payment:
    with app.app_context():
        return get_session().scalar(select(Payment).where(Payment.draft_id == draft_id)
                                    .order_by(Payment.id.desc()))


def zaak_of(app, draft_id: str) -> Zaak | None:
    with app.app_context():
        db = get_session()
        identificatie = db.scalar(select(FormDraft.zaak_identificatie)
                                  .where(FormDraft.id == draft_id))
        return db.scalar(select(Zaak).where(Zaak.identificatie == identificatie)) \
            if identificatie else None


def test_the_check_page_shows_the_catalogue_amount_times_the_number(client, app):
    login_as(client, FATIMA)
    client.set_cookie("lang", "en")
    page = client.get(check_path(filled_draft(app, FATIMA))).get_data(as_text=True)
    assert "Pay €30.20 and send" in page  # 2 extracts of € 15.10 (content/catalog.toml)


def test_paid_opens_the_zaak_with_the_payment_once(client, app, mock_psp):
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA)
    checkout = press_pay(client, draft_id, amount="0.01")  # the browser has no say in it
    assert checkout.startswith(f"{mock_psp}/checkout/tr_")
    provider_id = checkout.rsplit("/", 1)[1]
    assert mock_payment(mock_psp, provider_id)["amount"] == {"currency": "EUR",
                                                             "value": "30.20"}
    assert zaak_of(app, draft_id) is None  # nothing before it is paid

    back = pay_at_mock(checkout, "paid")
    answer = client.get(portal_path(back))
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/{draft_id}/bevestiging")
    zaak = zaak_of(app, draft_id)
    assert zaak.betalingsindicatie == "geheel" and zaak.laatste_betaaldatum is not None
    assert zaak.kenmerken["betaling"] == provider_id
    confirmation = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert zaak.identificatie in confirmation

    # The return again, and the webhook (twice): still one zaak.
    client.get(portal_path(back))
    assert client.post("/betalen/webhook", data={"id": provider_id}).status_code == 200
    assert client.post("/betalen/webhook", data={"id": provider_id}).status_code == 200
    with app.app_context():
        assert get_session().scalar(select(Zaak).where(
            Zaak.kenmerken["betaling"].as_string() == provider_id)).id == zaak.id
    assert payment_of(app, draft_id).outcome == zaak.identificatie


@pytest.mark.parametrize(("scenario", "notice"), [
    ("canceled", "You cancelled the payment"),
    ("expired", "The payment has expired"),
    ("failed", "The payment did not succeed"),
])
def test_an_unsuccessful_payment_keeps_the_draft_to_pay_again(client, app, scenario, notice):
    login_as(client, FATIMA)
    client.set_cookie("lang", "en")
    draft_id = filled_draft(app, FATIMA)
    back = pay_at_mock(press_pay(client, draft_id), scenario)
    answer = client.get(portal_path(back))
    assert answer.headers["Location"].endswith(check_path(draft_id))
    page = client.get(check_path(draft_id)).get_data(as_text=True)
    assert notice in page and "Your answers are saved. You can pay again." in page
    assert zaak_of(app, draft_id) is None

    again = press_pay(client, draft_id)
    assert client.get(portal_path(pay_at_mock(again, "paid"))).status_code == 302
    assert zaak_of(app, draft_id).betalingsindicatie == "geheel"


def test_pressing_pay_twice_goes_to_the_same_payment(client, app):
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA)
    assert press_pay(client, draft_id) == press_pay(client, draft_id)


def test_a_late_confirmation_waits_and_the_webhook_opens_the_zaak(client, app, mock_psp):
    login_as(client, FATIMA)
    client.set_cookie("lang", "en")
    draft_id = filled_draft(app, FATIMA)
    checkout = press_pay(client, draft_id)
    provider_id = checkout.rsplit("/", 1)[1]
    back = pay_at_mock(checkout, "late")
    waiting = client.get(portal_path(back))
    assert waiting.status_code == 200
    assert "We are waiting for your payment" in waiting.get_data(as_text=True)
    assert zaak_of(app, draft_id) is None

    deadline = time.monotonic() + 10
    while mock_payment(mock_psp, provider_id)["status"] != "paid":
        assert time.monotonic() < deadline
        time.sleep(0.2)
    # The mock's webhook cannot reach the test client: it is delivered here as it would be.
    assert client.post("/betalen/webhook", data={"id": provider_id}).status_code == 200
    assert zaak_of(app, draft_id) is not None
    again = client.get(portal_path(back))  # "Check again"
    assert again.headers["Location"].endswith(f"/{draft_id}/bevestiging")


def test_the_webhook_alone_opens_the_zaak_when_the_browser_never_returns(client, app):
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA)
    checkout = press_pay(client, draft_id)
    assert pay_at_mock(checkout, "paid-no-return") is None
    anonymous = app.test_client()  # the provider has no session
    assert anonymous.post("/betalen/webhook",
                          data={"id": checkout.rsplit("/", 1)[1]}).status_code == 200
    assert zaak_of(app, draft_id).betalingsindicatie == "geheel"


def test_a_forged_webhook_changes_nothing(client, app):
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA)
    checkout = press_pay(client, draft_id)
    anonymous = app.test_client()
    # An open payment: the portal asks the provider, which says open.
    assert anonymous.post("/betalen/webhook",
                          data={"id": checkout.rsplit("/", 1)[1]}).status_code == 200
    assert anonymous.post("/betalen/webhook", data={"id": "tr_unknown1"}).status_code == 200
    assert anonymous.post("/betalen/webhook", data={"id": "../admin"}).status_code == 400
    assert zaak_of(app, draft_id) is None


def test_the_worker_opens_the_zaak_when_neither_return_nor_webhook_came(client, app):
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA)
    assert pay_at_mock(press_pay(client, draft_id), "paid-unnoticed") is None
    with app.app_context():
        # Due at once: the worker asks about open payments as they become due.
        get_session().execute(Payment.__table__.update().values(next_check_at=Payment.created_at))
        report = run_round()
        assert report.settled >= 1
        assert run_round().settled == 0  # a second round finds nothing to do
    assert zaak_of(app, draft_id).betalingsindicatie == "geheel"


def test_another_residents_return_page_is_not_found(client, app):
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA)
    back = pay_at_mock(press_pay(client, draft_id), "paid")
    other = login_as(app.test_client(), SANNE)
    assert other.get(portal_path(back)).status_code == 404
    assert zaak_of(app, draft_id) is None


def test_rejecting_a_paid_application_refunds_it_through_the_provider(client, app, mock_psp):
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA)
    checkout = press_pay(client, draft_id)
    provider_id = checkout.rsplit("/", 1)[1]
    client.get(portal_path(pay_at_mock(checkout, "paid")))
    zaaknummer = zaak_of(app, draft_id).identificatie

    staff = login_as(app.test_client(), BAS)
    staff.set_cookie("lang", "en")
    page = staff.get(f"/backoffice/zaken/{zaaknummer}").get_data(as_text=True)
    assert "Payment" in page and provider_id in page and "€30.20" in page
    path, fields = form_fields(page, "/resultaat")
    prefix = next(name for name in fields if name.endswith("csrf_token")).split("-")[0]
    answer = staff.post(path, data={**fields, f"{prefix}-resultaattype": "Afgewezen",
                                    f"{prefix}-toelichting": "Niet nodig."})
    assert answer.status_code == 302
    assert payment_of(app, draft_id).refund_status == "requested"
    assert mock_refunds(mock_psp, provider_id) == []
    # A late report of the payment does not put the refund off.
    assert app.test_client().post("/betalen/webhook", data={"id": provider_id}).status_code == 200

    with app.app_context():
        assert run_round().refunds == 1
        assert run_round().refunds == 0
    refunds = mock_refunds(mock_psp, provider_id)
    assert [r["amount"]["value"] for r in refunds] == ["30.20"]
    page = staff.get(f"/backoffice/zaken/{zaaknummer}").get_data(as_text=True)
    assert "Refunded on" in page and refunds[0]["id"] in page
    client.set_cookie("lang", "en")
    own = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    assert "€30.20" in own and "Refunded on " in own


def payment_section(page: str) -> str:
    return page.split('id="payment-title"', 1)[1].split("</section>", 1)[0]


def test_the_residents_zaak_page_shows_what_was_paid_in_one_query_more(client, app):
    login_as(client, FATIMA)
    client.set_cookie("lang", "en")
    draft_id = filled_draft(app, FATIMA)
    client.get(portal_path(pay_at_mock(press_pay(client, draft_id), "paid")))
    zaak = zaak_of(app, draft_id)
    unpaid = new_zaak(app)
    with counted_queries(app) as unpaid_queries:
        assert 'id="payment-title"' not in client.get(
            f"/mijn-omgeving/zaken/{unpaid}").get_data(as_text=True)
    with counted_queries(app) as paid_queries:
        page = client.get(f"/mijn-omgeving/zaken/{zaak.identificatie}").get_data(as_text=True)
    section = payment_section(page)
    assert "Amount" in section and "€30.20" in section
    assert "Paid on" in section and long_date(local_date(zaak.laatste_betaaldatum), "en") in section
    assert "Refund" not in section
    assert len(paid_queries) == len(unpaid_queries) + 1  # the payment, by its unique id
    # Another resident does not see it: the zaak answers 404.
    assert login_as(app.test_client(), SANNE).get(
        f"/mijn-omgeving/zaken/{zaak.identificatie}").status_code == 404


def test_the_amount_is_charged_as_the_catalogue_says(app):
    from app.eforms.definitions import get_definition
    from app.eforms.paying import fee_amount

    with app.app_context():
        definition = get_definition("parkeervergunning")
        assert fee_amount(definition) == Decimal("65.00")
        assert fee_amount(get_definition("verhuizing")) is None


# Forms whose answers choose the fee (an option's `fee`): the answers that matter for the
# amount, and what the catalogue says they cost together.
CHOSEN_FEES = [
    ("minicontainer", {"wat": "extra", "soort_container": "rest", "grootte": "240"}, "60.00"),
    ("evenement", {"naam_evenement": "Zomerfeest", "soort_aanvraag": "vergunning"}, "110.00"),
    ("melding-huwelijk", {"soort": "huwelijk", "ceremonie": "zaterdag", "eigen_locatie": "eigen",
                          "locatie": "De Haere"}, "745.00"),  # Saturday 595 + own place 150
]


def filled_form(app, bsn: str, slug: str, answers: dict) -> str:
    """A draft of the form with every step marked done: its check page is next."""
    from app.eforms.definitions import get_definition

    with app.app_context():
        steps = [step.id for step in get_definition(slug).steps]
    return filled_draft(app, bsn, slug, answers, steps)


@pytest.mark.parametrize(("slug", "answers", "amount"), CHOSEN_FEES)
def test_the_answers_choose_the_amount_the_provider_charges(client, app, mock_psp, slug,
                                                             answers, amount):
    login_as(client, FATIMA)
    client.set_cookie("lang", "en")
    draft_id = filled_form(app, FATIMA, slug, answers)
    check = f"/formulieren/{slug}/{draft_id}/controleren"
    page = client.get(check).get_data(as_text=True)
    assert f"This costs €{amount}." in page and f"Pay €{amount} and send" in page
    answer = client.post(check, data={"csrf_token": form_csrf(page), "declaration": "y",
                                      "amount": "0.01"})
    provider_id = answer.headers["Location"].rsplit("/", 1)[1]
    assert mock_payment(mock_psp, provider_id)["amount"] == {"currency": "EUR", "value": amount}


def test_a_smaller_bin_costs_less_and_opens_the_zaak_paid(client, app, mock_psp):
    login_as(client, FATIMA)
    slug, answers, _ = CHOSEN_FEES[0]
    draft_id = filled_form(app, FATIMA, slug, {**answers, "grootte": "140"})
    check = f"/formulieren/{slug}/{draft_id}/controleren"
    page = client.get(check).get_data(as_text=True)
    assert "50,00 betalen en versturen" in page
    checkout = client.post(check, data={"csrf_token": form_csrf(page)}).headers["Location"]
    assert client.get(portal_path(pay_at_mock(checkout, "paid"))).status_code == 302
    zaak = zaak_of(app, draft_id)
    assert zaak.betalingsindicatie == "geheel"
    assert payment_of(app, draft_id).amount == Decimal("50.00")


def test_answers_that_cost_nothing_send_the_form_without_paying(client, app):
    login_as(client, FATIMA)
    draft_id = filled_form(app, FATIMA, "melding-huwelijk",
                           {"soort": "huwelijk", "partner_bsn": SANNE, "ceremonie": "gratis",
                            "eigen_locatie": "gemeentehuis"})
    check = f"/formulieren/melding-huwelijk/{draft_id}/controleren"
    page = client.get(check).get_data(as_text=True)
    assert "betalen" not in page and "Formulier versturen" in page
    answer = client.post(check, data={"csrf_token": form_csrf(page), "declaration": "y"})
    assert answer.headers["Location"].endswith(f"/{draft_id}/bevestiging")
    assert zaak_of(app, draft_id).betalingsindicatie is None
    assert payment_of(app, draft_id) is None


def test_with_a_remote_zaaksysteem_the_worker_registers_the_zaak_as_paid(
        client, app, monkeypatch):
    from app.eforms.registrations import register_due
    from app.eforms.services import UploadArea
    from tests.web.test_eforms_registration_steps import RemoteStore, Zaaksysteem

    system = Zaaksysteem()
    monkeypatch.setitem(app.extensions, "zaken_store",
                        lambda session: RemoteStore(system, session))
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA)
    checkout = press_pay(client, draft_id)
    answer = client.get(portal_path(pay_at_mock(checkout, "paid")))
    assert answer.headers["Location"].endswith(f"/{draft_id}/bevestiging")
    assert system.calls == []  # the request registers nothing remote
    with app.app_context():
        assert register_due(app.extensions["db"].sessionmaker,
                            UploadArea(app.config["UPLOADS_PATH"])).registered == 1
    (zaak,) = system.zaken.values()
    assert zaak["betaling"].indicatie == "geheel"
    assert zaak["betaling"].transactie == checkout.rsplit("/", 1)[1]


def test_a_payment_for_other_answers_is_refunded_not_sent(client, app, mock_psp):
    """Paid for one extract, then asked for two in another tab: the payment does not pay for
    the answers that are sent, so it goes back and the resident pays the right amount."""
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA, answers={**EXTRACT_ANSWERS, "aantal": 1})
    first = press_pay(client, draft_id)
    with app.app_context():
        db = get_session()
        draft = db.get(FormDraft, draft_id)
        draft.answers = {**EXTRACT_ANSWERS, "aantal": 2}
        db.commit()
    second = press_pay(client, draft_id)
    assert second != first  # another amount: another payment
    assert mock_payment(mock_psp, second.rsplit("/", 1)[1])["amount"]["value"] == "30.20"
    client.get(portal_path(pay_at_mock(first, "paid")))
    assert zaak_of(app, draft_id) is None
    assert payment_of(app, draft_id).provider_id == second.rsplit("/", 1)[1]
    with app.app_context():
        refunded = get_session().scalar(select(Payment).where(
            Payment.provider_id == first.rsplit("/", 1)[1]))
        assert (refunded.refund_status, refunded.refund_reason) == ("requested", "not_sent")
    client.get(portal_path(pay_at_mock(second, "paid")))
    assert zaak_of(app, draft_id).betalingsindicatie == "geheel"
