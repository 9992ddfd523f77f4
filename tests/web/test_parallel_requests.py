"""The same request sent many times at the same moment, through the app, on the app's own
engine (real transactions and connections, not the rolled-back test connection): SQLite
in the suite's file, PostgreSQL with TEST_DATABASE_URL.

Each thread is a test client of its own holding the same session cookie, as a browser's
double click or a script's parallel POSTs would; a barrier lets them go at once.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from app.appointments.agenda import get_agenda
from app.appointments.models import Appointment
from app.db import get_session
from app.eforms.definitions import get_definition
from app.eforms.models import FormDraft
from app.eforms.services import create_draft
from app.extensions import limiter
from app.notifications.models import OutboxMessage
from app.payments.cli import run_round
from app.payments.models import Payment
from app.zaken.models import Rol, Zaak, ZaakType
from app.zaken.services import today
from tests.eforms_fixtures import form_csrf
from tests.login import login_as
from tests.payments_fixtures import mock_refunds, pay_at_mock
from tests.personas import JOHANNES, SANNE
from tests.web.test_appointments import offered_days

PARALLEL = 10


@pytest.fixture(autouse=True)
def no_rate_limits(app, monkeypatch):
    """The point here is the database, not the limits (they have their own tests)."""
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    limiter.enabled = False
    yield
    limiter.enabled = True
    limiter.reset()


@pytest.fixture(autouse=True)
def no_mail_left(app):
    """These tests commit: the mails they queue go, or a later test's worker sends them."""
    last = query(app, lambda db: db.scalar(select(func.max(OutboxMessage.id)))) or 0
    yield
    with app.app_context(), app.extensions["db"].sessionmaker() as db:
        db.execute(delete(OutboxMessage).where(OutboxMessage.id > last))
        db.commit()


def same_time(app, cookie_from, requests: int, send) -> list:
    """send(client) from `requests` test clients at once, each with cookie_from's cookies."""
    barrier = threading.Barrier(requests)

    def one(_):
        client = app.test_client()
        for cookie in cookie_from._cookies.values():
            client.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
        barrier.wait()
        return send(client)

    with ThreadPoolExecutor(requests) as pool:
        return list(pool.map(one, range(requests)))


def query(app, run):
    with app.app_context():
        return run(get_session())


# --------------------------------------------------------------------------- correction request

CORRECTION = "/mijn-omgeving/gegevens/correctie?veld=geboorteplaats"


def _correction_zaken(app, bsn: str) -> list[str]:
    return query(app, lambda db: db.scalars(
        select(Zaak.identificatie).join(Zaak.rollen).join(Zaak.zaaktype)
        .where(Rol.inp_bsn == bsn, ZaakType.identificatie == "CORRECTIEVERZOEK")).all())


def _corrections(app, bsn: str) -> tuple[int, int]:
    """The resident's correction zaken and the confirmation mails about them."""
    zaken = _correction_zaken(app, bsn)
    mails = query(app, lambda db: db.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.dedupe_key.in_([f"correction:{z}" for z in zaken]))))
    return len(zaken), mails


def test_parallel_posts_of_one_correction_request_open_one_zaak_and_send_one_mail(app):
    client = login_as(app.test_client(), SANNE)
    form = client.get(CORRECTION).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1)
    data = {"csrf_token": form_csrf(form), "token": token,
            "wat_is_fout": "Ik ben in Zwolle geboren.", "juiste_waarde": "Zwolle"}
    before = _correction_zaken(app, SANNE)
    zaken_before, mails_before = _corrections(app, SANNE)
    try:
        answers = same_time(app, client, PARALLEL, lambda c: c.post(CORRECTION, data=data))

        assert [a.status_code for a in answers] == [302] * PARALLEL
        assert len({a.headers["Location"] for a in answers}) == 1  # each shows the one zaak
        assert _corrections(app, SANNE) == (zaken_before + 1, mails_before + 1)
    finally:
        _forget(app, sorted(set(_correction_zaken(app, SANNE)) - set(before)), [])


# --------------------------------------------------------------------------- one permit per address

def _permit_drafts(app, bsn: str, count: int) -> list[str]:
    """`count` filled-in parking permit drafts of this resident, ready to send."""
    with app.app_context():
        definition = get_definition("parkeervergunning")
        with app.extensions["db"].sessionmaker() as db:
            drafts = [create_draft(db, definition, owner_bsn=bsn, lifetime=timedelta(days=1))
                      for _ in range(count)]
            for draft in drafts:
                draft.answers = {"kenteken": "AB-123-C", "eigendom": "eigen",
                                 "ingangsdatum": today().isoformat()}
                draft.completed_steps = ["kenteken", "eigenaar", "ingangsdatum"]
            db.commit()
            return [draft.id for draft in drafts]


def _permits(app, bsn: str) -> list[str]:
    return query(app, lambda db: db.scalars(
        select(Zaak.identificatie).join(Zaak.rollen).join(Zaak.zaaktype)
        .where(Rol.inp_bsn == bsn, ZaakType.identificatie == "PARKEERVERGUNNING")).all())


def _forget(app, identificaties: list[str], draft_ids: list[str]) -> None:
    """The zaken and drafts this test made: the address is free again for other tests."""
    with app.app_context(), app.extensions["db"].sessionmaker() as db:
        for zaak in db.scalars(select(Zaak).where(Zaak.identificatie.in_(identificaties))):
            db.delete(zaak)
        db.execute(delete(FormDraft).where(FormDraft.id.in_(draft_ids)))
        db.execute(delete(Payment).where(Payment.draft_id.in_(draft_ids)))
        db.commit()


def test_ten_permit_applications_for_one_address_paid_at_once_make_one_zaak(app, mock_psp):
    """Ten drafts for one address are sent and paid at once: the one-per-address rule lets
    one become a zaak; the other nine payments are refunded through the provider."""
    client = login_as(app.test_client(), JOHANNES)
    assert _permits(app, JOHANNES) == []
    drafts = _permit_drafts(app, JOHANNES, PARALLEL)
    check_page = client.get(f"/formulieren/parkeervergunning/{drafts[0]}/controleren")
    token = form_csrf(check_page.get_data(as_text=True))
    sending, returning = iter(drafts), iter(drafts)
    lock = threading.Lock()

    def send(c):
        with lock:
            draft_id = next(sending)
        return c.post(f"/formulieren/parkeervergunning/{draft_id}/controleren",
                      data={"csrf_token": token, "declaration": "y"})

    def come_back(c):
        with lock:
            draft_id = next(returning)
        return c.get(f"/formulieren/parkeervergunning/{draft_id}/betaling")

    try:
        checkouts = same_time(app, client, PARALLEL, send)
        assert [a.status_code for a in checkouts] == [303] * PARALLEL
        for answer in checkouts:
            pay_at_mock(answer.headers["Location"], "paid")
        answers = same_time(app, client, PARALLEL, come_back)
        permits = _permits(app, JOHANNES)
        assert len(permits) == 1
        locations = sorted(a.headers["Location"].rsplit("/", 1)[1] for a in answers)
        assert locations == ["bevestiging"] + ["controleren"] * (PARALLEL - 1)
        with app.app_context():
            assert run_round().refunds == PARALLEL - 1
        refunded = [mock_refunds(mock_psp, a.headers["Location"].rsplit("/", 1)[1])
                    for a in checkouts]
        assert sorted(len(refunds) for refunds in refunded) == [0] + [1] * (PARALLEL - 1)
    finally:
        _forget(app, _permits(app, JOHANNES), drafts)


def test_one_payment_reported_ten_times_at_once_opens_one_zaak_and_refunds_nothing(
        app, mock_psp):
    """The return page and the provider's webhooks (retried) all at once: the draft is
    submitted once, and no report of the same payment mistakes it for a second payment."""
    from tests.payments_fixtures import filled_draft
    from tests.personas import FATIMA

    client = login_as(app.test_client(), FATIMA)
    draft_id = filled_draft(app, FATIMA)
    check = f"/formulieren/uittreksel-brp/{draft_id}/controleren"
    token = form_csrf(client.get(check).get_data(as_text=True))
    checkout = client.post(check, data={"csrf_token": token}).headers["Location"]
    back = pay_at_mock(checkout, "paid-no-return") or ""
    provider_id = checkout.rsplit("/", 1)[1]
    reports = iter(range(PARALLEL))
    lock = threading.Lock()

    def report(c):
        with lock:
            n = next(reports)
        if n % 2:
            return c.post("/betalen/webhook", data={"id": provider_id})
        return c.get(f"/formulieren/uittreksel-brp/{draft_id}/betaling")

    zaken = []
    try:
        answers = same_time(app, client, PARALLEL, report)
        assert back == "" and all(a.status_code in (200, 302) for a in answers)
        zaken = query(app, lambda db: db.scalars(select(Zaak.identificatie).where(
            Zaak.kenmerken["betaling"].as_string() == provider_id)).all())
        assert len(zaken) == 1
        payment = query(app, lambda db: db.scalar(select(Payment).where(
            Payment.provider_id == provider_id)))
        assert payment.refund_status is None and payment.outcome == zaken[0]
    finally:
        _forget(app, zaken, [draft_id])


# --------------------------------------------------------------------------- appointments per day

def _walk_to_confirm(app, start_index: int, email: str) -> tuple:
    """A browser of its own at the check page of a booking on the third bookable day, at
    that day's free time number start_index; returns (client, the confirm form)."""
    client = app.test_client()

    def post(path, data):
        page = client.get(path).get_data(as_text=True)
        return client.post(path, data={"csrf_token": form_csrf(page), **data})

    post("/afspraak", {"products": ["paspoort"], "persons": "1"})
    post("/afspraak/gegevens", {"name": "Parallel", "email": email})
    times = sorted(offered_days(client).values())[2]
    start = _radio_values(client.get(times).get_data(as_text=True), "start")[start_index]
    post(times, {"start": start})
    page = client.get("/afspraak/controleren").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', page).group(1)
    return client, {"csrf_token": form_csrf(page), "idempotency_key": key}


def _radio_values(html: str, name: str) -> list[str]:
    return re.findall(rf'type="radio" id="[^"]+" name="{name}" value="([^"]+)"', html)


def test_parallel_bookings_of_one_resident_on_one_day_keep_the_day_limit(app):
    """Ten browsers of one resident (one email address) confirm ten different times of one
    day at once: the agenda allows two a day (content/agenda.toml)."""
    email = "parallel-day@example.org"
    with app.app_context():
        allowed = get_agenda().max_per_resident_per_day
    browsers = [_walk_to_confirm(app, n, email) for n in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)

    def confirm(browser):
        client, form = browser
        barrier.wait()
        return client.post("/afspraak/controleren", data=form)

    try:
        with ThreadPoolExecutor(PARALLEL) as pool:
            answers = list(pool.map(confirm, browsers))
        booked = [a for a in answers if a.location.endswith("/afspraak/bevestiging")]
        refused = [a for a in answers if a.location.endswith("probleem=day_limit")]
        assert (len(booked), len(refused)) == (allowed, PARALLEL - allowed)
        assert query(app, lambda db: db.scalar(select(func.count(Appointment.id)).where(
            Appointment.email == email))) == allowed
    finally:
        with app.app_context(), app.extensions["db"].sessionmaker() as db:
            db.execute(delete(Appointment).where(Appointment.email == email))
            db.commit()


def test_parallel_confirms_of_one_booking_at_the_day_limit_all_show_that_booking(app):
    """A resident with one visit that day clicks confirm on the second one many times at
    once: one booking, and every click answers with it (none with "the day is full")."""
    email = "parallel-click@example.org"
    earlier, form = _walk_to_confirm(app, 0, email)
    try:
        assert earlier.post("/afspraak/controleren", data=form).location.endswith("/bevestiging")
        browser, form = _walk_to_confirm(app, 1, email)
        answers = same_time(app, browser, PARALLEL,
                            lambda c: c.post("/afspraak/controleren", data=form))
        assert [a.location.rsplit("/", 1)[-1] for a in answers] == ["bevestiging"] * PARALLEL
        assert query(app, lambda db: db.scalar(select(func.count(Appointment.id)).where(
            Appointment.email == email))) == 2
    finally:
        with app.app_context(), app.extensions["db"].sessionmaker() as db:
            db.execute(delete(Appointment).where(Appointment.email == email))
            db.commit()
