"""Two app nodes behind HAProxy (tests/multinode/cluster.py): what must hold when the
portal runs on several machines. Every request here goes through the balancer, which
spreads them round robin over both nodes, unless a test addresses a node on purpose."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.utils import parseaddr

import requests
from sqlalchemy import func, select

from app.appointments.models import Appointment, Desk, DeskSlot
from app.notifications.models import OutboxMessage
from app.zaken.models import Rol, Zaak, ZaakType
from tests.multinode.cluster import browser
from tests.multinode.journeys import (
    RADIO,
    fill_in_form,
    form_data,
    log_in,
    send_form,
    walk_to_booking_check,
)
from tests.payments_fixtures import mock_refunds, pay_at_mock
from tests.personas import FATIMA, JOHANNES, SANNE
from tests.web.digid import choose_persona


def _zaken_of(db, zaaktype: str, bsn: str) -> list[str]:
    db.expire_all()
    return list(db.scalars(select(Zaak.identificatie).join(Zaak.zaaktype).join(Zaak.rollen)
                           .where(ZaakType.identificatie == zaaktype, Rol.inp_bsn == bsn)))


def _questions(db, run: str) -> list[str]:
    """The subjects of the questions (zaaktype VRAAG) this run sent."""
    db.expire_all()
    answers = db.scalars(select(Zaak.aanvraaggegevens).join(Zaak.zaaktype)
                         .where(ZaakType.identificatie == "VRAAG"))
    return sorted(a["onderwerp"] for a in answers if a.get("onderwerp", "").startswith(run))


def _served(cluster, before: dict[str, int]) -> dict[str, int]:
    return {name: count - before[name] for name, count in cluster.requests_served().items()}


def test_a_login_on_one_node_continues_on_the_other(cluster):
    """Sessions live in the database: the nodes need no sticky sessions."""
    resident = browser()
    node1, node2 = cluster.node_url(1), cluster.node_url(2)
    started = resident.get(f"{node1}/inloggen/digid", allow_redirects=False, timeout=10)
    callback = choose_persona(started.headers["Location"], FATIMA)
    # DigiD sends the browser back to the balancer's address; node 2 takes the callback.
    assert callback.startswith(f"{cluster.url}/inloggen/digid/callback")
    answer = resident.get(callback.replace(cluster.url, node2), allow_redirects=False,
                          timeout=10)
    assert answer.status_code == 302
    for base in (node1, node2, cluster.url, cluster.url):
        page = resident.get(f"{base}/mijn-omgeving/zaken", allow_redirects=False, timeout=10)
        assert page.status_code == 200 and "Fatima El Amrani" in page.text, base


def test_the_limits_hold_across_nodes(cluster):
    """LOGIN_RATE_LIMIT (10 a minute per client address) counted once for both nodes."""
    client = browser(client_number=20)
    before = cluster.requests_served()
    statuses = [client.get(f"{cluster.url}/inloggen/digid", allow_redirects=False,
                           timeout=10).status_code for _ in range(14)]
    assert statuses == [302] * 10 + [429] * 4
    assert _served(cluster, before) == {"node1": 7, "node2": 7}
    # Another resident, at another address, is not held back by the first one's count.
    other = browser(client_number=21)
    assert other.get(f"{cluster.url}/inloggen/digid", allow_redirects=False,
                     timeout=10).status_code == 302


def test_fifty_parallel_bookings_of_the_last_place_make_one(cluster, db):
    """Fifty residents, each from an address of their own, confirm the same time at once,
    when one desk is still free at that time."""
    residents = [browser(client_number=100 + n) for n in range(50)]
    first = walk_to_booking_check(residents[0], cluster.url, "laatste-0@example.org")
    day, start = first["day"], first["start"]
    desks = db.scalars(select(Desk)).all()
    location_desks = [d for d in desks if d.location == desks[0].location]
    taken = dt.datetime.fromisoformat(start)
    db.add_all(DeskSlot(desk_id=desk.id, slot_start=taken) for desk in location_desks[1:])
    db.commit()

    with ThreadPoolExecutor(8) as pool:
        forms = [first, *pool.map(
            lambda n: walk_to_booking_check(residents[n], cluster.url,
                                            f"laatste-{n}@example.org", day=day, start=start),
            range(1, 50))]
    barrier = threading.Barrier(50)

    def confirm(n: int) -> requests.Response:
        barrier.wait()
        return residents[n].post(f"{cluster.url}/afspraak/controleren", data=forms[n]["form"],
                                 allow_redirects=False, timeout=60)

    before = cluster.requests_served()
    with ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(confirm, range(50)))
    where = [a.headers.get("Location", str(a.status_code)).rsplit("/", 1)[-1]
             for a in answers]
    assert sorted(where) == ["bevestiging"] + ["tijd"] * 49
    served = _served(cluster, before)
    assert served["node1"] > 0 and served["node2"] > 0
    db.expire_all()
    booked = db.scalars(select(Appointment).where(Appointment.starts_at == taken,
                                                  Appointment.email.like("laatste-%"))).all()
    assert len(booked) == 1


def test_ten_permit_applications_for_one_address_paid_at_once_make_one_permit(
        cluster, db):
    """One parking permit per address, also when ten drafts are sent and paid at once
    through both nodes: one zaak; the nine other payments are refunded by the payments
    workers through the provider."""
    resident = browser()
    log_in(resident, cluster.url, JOHANNES)
    start = dt.date.today() + dt.timedelta(days=7)
    answers = {"kenteken": "AB-123-C", "eigendom": "eigen", "ingangsdatum-day": start.day,
               "ingangsdatum-month": start.month, "ingangsdatum-year": start.year}
    checks = [fill_in_form(resident, cluster.url, "parkeervergunning", answers)
              for _ in range(10)]
    forms = [form_data(resident, url, {"declaration": "y"}) for url in checks]
    barrier = threading.Barrier(10)

    def send(n: int) -> requests.Response:
        barrier.wait()
        return resident.post(checks[n], data=forms[n], allow_redirects=False, timeout=60)

    def come_back(n: int) -> requests.Response:
        barrier.wait()
        return resident.get(returns[n], allow_redirects=False, timeout=60)

    with ThreadPoolExecutor(10) as pool:
        checkouts = list(pool.map(send, range(10)))
        assert [a.status_code for a in checkouts] == [303] * 10
        returns = [pay_at_mock(a.headers["Location"], "paid") for a in checkouts]
        answers = list(pool.map(come_back, range(10)))
    assert sorted(a.headers["Location"].rsplit("/", 1)[1] for a in answers) == \
        ["bevestiging"] + ["controleren"] * 9
    assert len(_zaken_of(db, "PARKEERVERGUNNING", JOHANNES)) == 1
    payment_ids = [a.headers["Location"].rsplit("/", 1)[1] for a in checkouts]
    deadline = time.monotonic() + 60
    while (refunds := sorted(len(mock_refunds(cluster.psp_url, p)) for p in payment_ids)) \
            != [0] + [1] * 9:
        assert time.monotonic() < deadline, refunds
        time.sleep(0.5)


def test_ten_bookings_of_one_resident_on_one_day_sent_at_once_keep_the_day_limit(cluster, db):
    """At most two visits a day (content/agenda.toml), also when ten are confirmed at once."""
    email = "dagelijks@example.org"
    browsers = [browser(client_number=40 + n) for n in range(10)]
    first = walk_to_booking_check(browsers[0], cluster.url, email)
    times = re.findall(RADIO.format(name="start"),
                       browsers[0].get(f"{cluster.url}/afspraak/tijd?dag={first['day']}",
                                       timeout=10).text)
    forms = [first] + [walk_to_booking_check(b, cluster.url, email, day=first["day"],
                                             start=times[n + 1])
                       for n, b in enumerate(browsers[1:])]
    barrier = threading.Barrier(10)

    def confirm(n: int) -> requests.Response:
        barrier.wait()
        return browsers[n].post(f"{cluster.url}/afspraak/controleren",
                                data=forms[n]["form"], allow_redirects=False, timeout=60)

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(confirm, range(10)))
    booked = [a for a in answers if a.headers.get("Location", "").endswith("/bevestiging")]
    assert len(booked) == 2
    db.expire_all()
    assert len(db.scalars(select(Appointment).where(Appointment.email == email)).all()) == 2


def test_twenty_parallel_sends_of_one_correction_request_open_one_zaak(cluster, db):
    resident = browser()
    log_in(resident, cluster.url, SANNE)
    url = f"{cluster.url}/mijn-omgeving/gegevens/correctie?veld=geboorteplaats"
    before = _zaken_of(db, "CORRECTIEVERZOEK", SANNE)
    data = form_data(resident, url, {"wat_is_fout": "Ik ben in Zwolle geboren.",
                                     "juiste_waarde": "Zwolle"})
    barrier = threading.Barrier(20)

    def send(_):
        barrier.wait()
        return resident.post(url, data=data, allow_redirects=False, timeout=60)

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(send, range(20)))
    assert [a.status_code for a in answers] == [302] * 20
    assert len({a.headers["Location"] for a in answers}) == 1
    assert len(_zaken_of(db, "CORRECTIEVERZOEK", SANNE)) == len(before) + 1


def _question(n: int, run: str) -> dict:
    return {"onderwerp": f"{run} {n}", "vraag": "Wanneer wordt het grofvuil opgehaald?",
            "naam": f"Inwoner {n}", "antwoord_via": "email", "email": f"{run}-{n}@example.org"}


def test_killing_a_node_loses_no_submission_and_the_balancer_moves_on(cluster, db):
    """Thirty residents send a question while node 1 dies (kill -9 of gunicorn's master
    and workers, as a crashed machine): each question is there once, and after that
    every request goes to node 2."""
    residents = [browser(client_number=200 + n) for n in range(30)]
    done = threading.Semaphore(0)

    def send(n: int) -> str:
        answer = send_form(residents[n], cluster.url, "vraag", _question(n, "knoop-weg"))
        done.release()
        return answer

    try:
        with ThreadPoolExecutor(6) as pool:
            sending = [pool.submit(send, n) for n in range(30)]
            for _ in range(5):
                done.acquire(timeout=120)
            cluster.kill("node1")
            confirmations = [future.result(timeout=300) for future in sending]
        assert all(url.endswith("/bevestiging") for url in confirmations)
        assert _questions(db, "knoop-weg") == sorted(f"knoop-weg {n}" for n in range(30))
        cluster.wait_until(lambda states: states["node1"].startswith("DOWN"))
        before = cluster.requests_served()
        assert all(requests.get(f"{cluster.url}/", timeout=10).ok for _ in range(10))
        assert _served(cluster, before) == {"node1": 0, "node2": 10}
    finally:
        cluster.restart("node1")
        cluster.wait_until(lambda states: states == {"node1": "UP", "node2": "UP"}, timeout=90)


def test_every_mail_goes_out_once_after_the_mail_server_was_down_a_minute(cluster, smtp, db):
    """Both mail workers keep trying while the SMTP server is away; none sends twice."""
    smtp.stop()
    try:
        for n in range(6):
            send_form(browser(client_number=60 + n), cluster.url, "vraag",
                      _question(n, "smtp-weg"))
        time.sleep(60)
        assert not _received(smtp, "smtp-weg")
        db.expire_all()
        tried = db.scalars(select(OutboxMessage.attempts).where(
            OutboxMessage.recipient.like("smtp-weg-%"))).all()
        assert len(tried) == 6 and min(tried) >= 2  # the workers kept trying, in vain
    finally:
        smtp.start()
    # Each mail goes out at its next try, when its backoff (MAIL_RETRY_SECONDS doubled per
    # failed try) ends: wait as long as some mail still has a try to come.
    give_up = time.monotonic() + 600
    while (len(_received(smtp, "smtp-weg")) < 6 and time.monotonic() < give_up
           and _seconds_to_last_retry(db, "smtp-weg") > -30):
        time.sleep(1)
    time.sleep(5)  # a few more rounds of both workers: nothing goes out twice
    received = _received(smtp, "smtp-weg")
    assert sorted(received) == [f"smtp-weg-{n}@example.org" for n in range(6)]


def _seconds_to_last_retry(db, run: str) -> float:
    """Seconds until the last try the workers have planned for this run's unsent mails
    (negative once it has passed)."""
    db.rollback()  # a fresh look at the outbox
    last = db.scalar(select(func.max(OutboxMessage.next_attempt_at)).where(
        OutboxMessage.recipient.like(f"{run}-%"), OutboxMessage.sent_at.is_(None)))
    if last is None:
        return -60.0
    return (last - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()


def _received(smtp, run: str) -> list[str]:
    return [parseaddr(message["To"])[1] for message in smtp.messages
            if run in message["To"]]
