"""Appointments: availability for 6 weeks at one location with 50,000 bookings, and
booking throughput, beside the minimal route.

    .venv/bin/python -m bench.appointments [--requests 300] [--bookings 300] [--threads 4] [--refill]

Uses DATABASE_URL like the app (migrate and seed it first). The first run fills
the agenda of one location with 50,000 bookings (email @bench.example) by bulk
insert: the next 6 weeks busy near today and emptier further out, the rest in
the past, going back as far as needed; later runs keep them (--refill deletes
every @bench.example booking and fills again). Then, served by gunicorn:

- one user at a time, one browser session walked through the booking flow:
  the page of days with room (6 weeks) and the times page of the busiest day;
- booking throughput: every booking is a resident of its own (a session walked
  up to the check page beforehand, a free time of its own); what is timed is
  the confirm POST (book, queue the confirmation mail, commit), from several
  client threads. These bookings stay in the agenda (@bench.example).
"""

import argparse
import datetime as dt
import random
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import requests
from sqlalchemy import delete, func, insert, select

from app import create_app
from app.appointments.agenda import get_agenda
from app.appointments.local import REFERENCE_ALPHABET, free_starts, location_desks
from app.appointments.models import Appointment, DeskSlot
from app.appointments.services import bookable_dates, local_today, opening_slots, utcnow
from app.appointments.values import (
    STATUS_ARRIVED,
    STATUS_BOOKED,
    STATUS_CANCELLED,
    STATUS_NO_SHOW,
    Visit,
)
from app.db import get_session
from bench.harness import Client, concurrent, gunicorn, one_at_a_time, report

TARGET = 50_000
DOMAIN = "bench.example"
BATCH = 500
# (products, persons) of the visits in the agenda, the common ones more often.
VISITS = [(("paspoort",), 1)] * 4 + [(("identiteitskaart",), 1)] * 3 + [
    (("rijbewijs",), 1), (("uittreksel-brp",), 1), (("paspoort",), 2),
    (("paspoort", "rijbewijs"), 1), (("omgevingsvergunning",), 1)]
PAST_STATUSES = [STATUS_ARRIVED] * 92 + [STATUS_NO_SHOW] * 4 + [STATUS_CANCELLED] * 4
FUTURE_STATUSES = [STATUS_BOOKED] * 97 + [STATUS_CANCELLED] * 3
ENV = {"SECRET_KEY": "bench", "APPOINTMENTS_BOOKING_RATE_LIMIT": "1000000 per minute"}
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" type="hidden" value="([^"]+)"')


# --------------------------------------------------------------------------- filling


@dataclass(frozen=True)
class Booking:
    desk_id: int
    start: dt.datetime
    products: tuple[str, ...]
    persons: int
    slots: int
    status: str


def day_bookings(day: dt.date, desks: list[int], chance: float, statuses: list[str],
                 rng: random.Random) -> Iterator[Booking]:
    """Bookings of one local day: per desk, each slot starts a visit with `chance`
    when the visit fits before the period closes; visits on a desk never overlap."""
    agenda = get_agenda()
    location = agenda.locations[0]
    for period in opening_slots(agenda, location, day):
        for desk in desks:
            i = 0
            while i < len(period):
                products, persons = rng.choice(VISITS)
                slots = agenda.duration(list(products), persons) // dt.timedelta(
                    minutes=agenda.slot_minutes)
                if i + slots <= len(period) and rng.random() < chance:
                    yield Booking(desk, period[i], products, persons, slots, rng.choice(statuses))
                    i += slots
                else:
                    i += 1


def planned_bookings(desks: list[int], rng: random.Random) -> list[Booking]:
    """The next 6 weeks (from 80% to 10% of the desk time taken), then the past
    (about 75% taken) backwards from yesterday until TARGET bookings."""
    agenda = get_agenda()
    today = local_today(agenda, utcnow())
    bookings = []
    for n in range(agenda.horizon_days + 1):
        chance = 0.8 - 0.7 * n / agenda.horizon_days
        bookings += day_bookings(today + dt.timedelta(days=n), desks, chance, FUTURE_STATUSES, rng)
    day = today
    while len(bookings) < TARGET:
        day -= dt.timedelta(days=1)
        bookings += day_bookings(day, desks, 0.65, PAST_STATUSES, rng)
    print(f"filling {TARGET} bookings from {day} to {today + dt.timedelta(agenda.horizon_days)}")
    return bookings[:TARGET]


def appointment_row(booking: Booking, number: int, reference: str) -> dict:
    step = dt.timedelta(minutes=get_agenda().slot_minutes)
    made = booking.start - dt.timedelta(days=1 + number % 30)
    return {
        "public_id": secrets.token_urlsafe(16), "reference": reference,
        "idempotency_key": f"bench-fill-{secrets.token_urlsafe(16)}",
        "location": get_agenda().locations[0].slug, "desk_id": booking.desk_id,
        "products": list(booking.products), "persons": booking.persons,
        "starts_at": booking.start, "ends_at": booking.start + booking.slots * step,
        "status": booking.status, "name": f"Inwoner {number}",
        "email": f"inwoner{number}@{DOMAIN}", "phone": "", "bsn": None, "locale": "nl",
        "sequence": 0, "needs_follow_up": False, "created_at": made, "updated_at": made,
    }


def new_references(count: int, taken: set[str], rng: random.Random) -> list[str]:
    """References as the app makes them, unique among themselves and the existing ones."""
    found: set[str] = set()
    while len(found) < count:
        code = "AFS-" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(6))
        if code not in taken:
            found.add(code)
    return list(found)


def insert_batch(session, bookings: list[Booking], first_number: int, references: list[str]) -> None:
    """One multi-row INSERT of appointments, then one of the desk slots they hold."""
    rows = [appointment_row(b, first_number + n, references[n]) for n, b in enumerate(bookings)]
    ids = dict(session.execute(insert(Appointment).values(rows).returning(
        Appointment.public_id, Appointment.id)).all())
    step = dt.timedelta(minutes=get_agenda().slot_minutes)
    slots = [{"desk_id": b.desk_id, "slot_start": b.start + n * step,
              "appointment_id": ids[row["public_id"]]}
             for b, row in zip(bookings, rows, strict=True) if b.status != STATUS_CANCELLED
             for n in range(b.slots)]
    if slots:
        session.execute(insert(DeskSlot).values(slots))


def delete_bench_bookings(session) -> None:
    bench = select(Appointment.id).where(Appointment.email.like(f"%@{DOMAIN}"))
    session.execute(delete(DeskSlot).where(DeskSlot.appointment_id.in_(bench)))
    session.execute(delete(Appointment).where(Appointment.email.like(f"%@{DOMAIN}")))


def fill(refill: bool) -> None:
    """Make sure the location holds TARGET bookings (see the module docstring)."""
    session = get_session()
    location = get_agenda().locations[0].slug
    if refill:
        delete_bench_bookings(session)
    have = session.scalar(select(func.count(Appointment.id))
                          .where(Appointment.location == location))
    if have >= TARGET:
        print(f"{have} appointments at {location}: not filling (--refill to start over)")
        return
    rng = random.Random(6)
    step = dt.timedelta(minutes=get_agenda().slot_minutes)
    desks = [desk.id for desk in location_desks(session, location)]
    busy = set(session.execute(select(DeskSlot.desk_id, DeskSlot.slot_start)))
    bookings = [b for b in planned_bookings(desks, rng) if not any(
        (b.desk_id, b.start + n * step) in busy for n in range(b.slots))]
    references = new_references(len(bookings), set(session.scalars(
        select(Appointment.reference))), rng)
    for first in range(0, len(bookings), BATCH):
        insert_batch(session, bookings[first:first + BATCH], first,
                     references[first:first + BATCH])
    session.commit()
    print(f"inserted {len(bookings)} bookings")


# --------------------------------------------------------------------------- the booking flow


def form_token(page: requests.Response, pattern: re.Pattern = CSRF) -> str:
    return pattern.search(page.text).group(1)


def post(browser: requests.Session, url: str, data: dict, expect: str, attempts: int = 5) -> None:
    """A flow step, again on 503: on SQLite the session write fails at once when
    another writer (a booking, the mail worker) committed during the request."""
    response = browser.post(url, data=data, allow_redirects=False, timeout=30)
    for _ in range(attempts - 1):
        if response.status_code != 503:
            break
        response = browser.post(url, data=data, allow_redirects=False, timeout=30)
    if response.status_code != 302 or not response.headers["Location"].endswith(expect):
        raise RuntimeError(f"POST {url} answered {response.status_code} "
                           f"{response.headers.get('Location')}")


def start_flow(base_url: str, number: int = 0) -> tuple[requests.Session, str]:
    """A new browser: one passport for one person, a resident of their own (the details
    come before the day); the flow is at the date page."""
    browser = requests.Session()
    token = form_token(browser.get(f"{base_url}/afspraak", timeout=30))
    post(browser, f"{base_url}/afspraak",
         {"csrf_token": token, "products": "paspoort", "persons": "1"}, "/afspraak/gegevens")
    post(browser, f"{base_url}/afspraak/gegevens",
         {"csrf_token": token, "name": f"Boeker {number}",
          "email": f"boeker{number}-{secrets.token_hex(4)}@{DOMAIN}"}, "/afspraak/datum")
    return browser, token


def times_path(day: dt.date) -> str:
    """The time page of a day (the calendar's day links lead there)."""
    return f"/afspraak/tijd?dag={day.isoformat()}"


def cookie_of(browser: requests.Session) -> str:
    return f"portal_session={browser.cookies['portal_session']}"


@dataclass(frozen=True)
class ReadyToConfirm:
    cookie: str
    body: str


def walk_to_check(base_url: str, day: dt.date, start: dt.datetime,
                  number: int) -> ReadyToConfirm:
    """A resident of their own walks the flow up to the check page, for `start` on `day`."""
    browser, token = start_flow(base_url, number)
    post(browser, base_url + times_path(day),
         {"csrf_token": token, "start": start.isoformat()}, "/afspraak/controleren")
    key = form_token(browser.get(f"{base_url}/afspraak/controleren", timeout=30), KEY)
    return ReadyToConfirm(cookie_of(browser), f"csrf_token={token}&idempotency_key={key}")


# --------------------------------------------------------------------------- what is free


def free_by_day() -> dict[dt.date, list[dt.datetime]]:
    """The free starts of a one-person passport visit per bookable day, from the local agenda."""
    agenda = get_agenda()
    visit = Visit(agenda.locations[0].slug, ("paspoort",), 1)
    now = utcnow()
    by_day = free_starts(get_session(), agenda, visit, bookable_dates(agenda, now), now)
    return {day: [s.start for s in starts] for day, starts in by_day.items() if starts}


def busiest_day(free: dict[dt.date, list[dt.datetime]]) -> dt.date:
    return min(free, key=lambda day: len(free[day]))


def spread_starts(free: dict[dt.date, list[dt.datetime]],
                  count: int) -> list[tuple[dt.date, dt.datetime]]:
    """`count` distinct free starts spread over the 6 weeks, at least an hour past
    the notice, so that no two prepared bookings compete for the same time."""
    agenda = get_agenda()
    earliest = utcnow() + dt.timedelta(minutes=agenda.notice_minutes + 60)
    starts = [(day, s) for day in sorted(free) for s in free[day] if s >= earliest]
    if len(starts) < count:
        raise SystemExit(f"only {len(starts)} free starts for {count} bookings: --refill")
    return [starts[n * len(starts) // count] for n in range(count)]


# --------------------------------------------------------------------------- measuring


def measure_availability(base_url: str, count: int, day: dt.date) -> list:
    """One browser session, one user at a time: the date page, then the times of `day`."""
    browser, _token = start_flow(base_url)
    client = Client(base_url, cookie_of(browser))
    dates = one_at_a_time(client, "/afspraak/datum", count)
    times = one_at_a_time(client, times_path(day), count)
    return [("days with room (6 weeks)", dates), (f"times of {day}", times)]


def measure_booking(base_url: str, starts: list[tuple[dt.date, dt.datetime]], threads: int):
    """The confirm POST of prepared flows from `threads` client threads: bookings/s.

    The flows are walked one after another: on SQLite, concurrent flow steps
    fail on the session write ("database is locked", see bench/README.md)."""
    ready = [walk_to_check(base_url, day, start, n) for n, (day, start) in enumerate(starts)]
    clients = [Client(base_url) for _ in range(threads)]
    baseline = concurrent(lambda thread, _: clients[thread].request("GET", "/bench/baseline"),
                          len(starts), threads)

    failed: list[int] = []

    def confirm(thread: int, index: int) -> None:
        response = clients[thread].request(
            "POST", "/afspraak/controleren", body=ready[index].body,
            headers={"Cookie": ready[index].cookie,
                     "Content-Type": "application/x-www-form-urlencoded"})
        location = response.getheader("Location", "")
        if response.status == 503:  # SQLite: "database is locked" after the app's retries
            failed.append(index)
        elif response.status != 302 or not location.endswith("/afspraak/bevestiging"):
            raise RuntimeError(f"confirm answered {response.status} {location}")

    return baseline, concurrent(confirm, len(starts), threads), len(failed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300, help="GETs per availability page")
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4, help="client threads for booking")
    parser.add_argument("--refill", action="store_true", help="delete the bench bookings, fill again")
    args = parser.parse_args()
    with create_app().app_context():
        fill(args.refill)
        free = free_by_day()
        starts = spread_starts(free, args.bookings)
    with gunicorn(ENV) as server:
        client = Client(server.base_url)
        one_at_a_time(client, "/bench/baseline", 50)  # warm up both workers
        baseline = one_at_a_time(client, "/bench/baseline", args.requests)
        rows = measure_availability(server.base_url, args.requests, busiest_day(free))
        print(report(rows, baseline))
        booking_baseline, bookings, failed = measure_booking(server.base_url, starts,
                                                             args.threads)
        print(report([("confirm (books)", bookings)], booking_baseline))
        booked = len(bookings.seconds) - failed
        print(f"bookings per second: {booked / bookings.wall:.0f} ({args.threads} client "
              f"threads; {booked} booked, {failed} answered 503)")
        print("worker RSS MB:", ", ".join(f"{mb:.0f}" for mb in server.worker_rss_mb()))


if __name__ == "__main__":
    main()
