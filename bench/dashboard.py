"""The kanaalsturing dashboard at a city's volume (issue 18).

    .venv/bin/python -m bench.dashboard [--zaken 1000000] [--runs 50] [--database FILE]
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m bench.dashboard ...

Makes a fresh database (SQLite in a temporary directory, or --database FILE, which is kept
and, once filled, only measured again; or the empty, migrated PostgreSQL one DATABASE_URL
names), fills the contact ledger with a year of
generated contacts holding --zaken zaken (app.contacts.demo: with the forms started, the
phone calls and the visits beside them: about 3.4 rows per zaak, and scores for 3 tasks
in 10), then measures:
- the first refresh of the monthly sums (every month) and an incremental one after a day's
  worth of new contacts and decisions;
- the dashboard page for twelve months, all products and one, and its CSV: the view with
  its template for a logged-in management user, in this process (no HTTP, no gunicorn):
  median and p95 of --runs, after one warm-up.
The goal: a median under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from alembic import command
from flask_login import login_user
from sqlalchemy import func, select

from app import create_app
from app.auth.permissions import Role
from app.auth.staff import StaffUser
from app.backoffice.dashboard.routes import dashboard_csv_download, dashboard_page
from app.cli import alembic_config
from app.config import Config
from app.contacts.aggregates import refresh
from app.contacts.demo import generate
from app.contacts.models import ContactMonth
from app.contacts.services import Kanaal, Soort, record_contact, record_decision
from app.db import get_session, utcnow
from app.zaken.services import today

MONTHS = 12
ROWS_PER_DRAW_WITH_ZAAK = 0.42  # online share (~0.525) x forms sent (0.8): zaken per draw


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _page_ms(app, path: str, query: dict, view, runs: int) -> tuple[float, float]:
    manager = StaffUser(id=0, username="bench", naam="Bench", role=Role.MANAGEMENT, team=None)

    def once():
        with app.test_request_context(path, query_string=query):
            login_user(manager)
            response = view()
            assert not isinstance(response, tuple) or response[1] == 200

    once()
    seconds = sorted(_timed(once) for _ in range(runs))
    return statistics.median(seconds) * 1000, seconds[int(0.95 * (runs - 1))] * 1000


def _fill(session, per_month: int) -> None:
    """The year of contacts, the first refresh, then a day's more and the refresh after."""
    rows = 0

    def fill():
        nonlocal rows
        rows = generate(session, months=MONTHS, per_month=per_month, end=today())
        session.commit()

    took = _timed(fill)
    print(f"generate: {took:.1f} s for {rows:,} ledger rows")
    first = _timed(lambda: (refresh(session), session.commit()))
    print(f"first refresh (every month): {first:.1f} s")
    later = utcnow() + timedelta(minutes=30)  # past the first refresh's look-back
    for number in range(round(per_month / 30)):  # a day's contacts
        record_contact(session, kanaal=Kanaal.TELEFOON, soort=Soort.GESPREK,
                       geregistreerd_door="bench", gelukt=number % 5 != 0, now=later)
    for number in range(1000):
        record_decision(session, f"ZAAK-BENCH-{number}", today(), now=later)
    session.commit()
    incremental = _timed(lambda: (refresh(session, now=later + timedelta(minutes=1)),
                                  session.commit()))
    print(f"incremental refresh (a day's contacts): {incremental * 1000:.0f} ms")


def _measure(app, runs: int) -> None:
    this_month = date.today().replace(day=1)
    first_month = (this_month - timedelta(days=330)).replace(day=1)
    year = {"van": f"{first_month:%Y-%m}", "tot": f"{this_month:%Y-%m}", "product": ""}
    for name, view, path, query in (
            ("page, 12 months, all products", dashboard_page, "/backoffice/dashboard", year),
            ("page, 12 months, one product", dashboard_page, "/backoffice/dashboard",
             {**year, "product": "paspoort"}),
            ("CSV, 12 months, all products", dashboard_csv_download,
             "/backoffice/dashboard.csv", year)):
        median, p95 = _page_ms(app, path, query, view.__wrapped__, runs)
        print(f"{name:32s} median {median:6.1f} ms  p95 {p95:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--zaken", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database", type=Path,
                        help="a SQLite file to keep (and to measure again without generating)")
    args = parser.parse_args()
    directory = None if args.database else tempfile.mkdtemp(prefix="bench-dashboard-")
    path = args.database or Path(directory) / "dashboard.db"
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{path}"

    class BenchConfig(Config):
        DATABASE_URL = url
        SECRET_KEY = "bench"

    if url.startswith("sqlite"):
        command.upgrade(alembic_config(url), "heads")
    app = create_app(BenchConfig)
    with app.app_context():
        session = get_session()
        if session.scalar(select(func.count()).select_from(ContactMonth)):
            print("the database has its contacts already: measuring only")
        else:
            _fill(session, round(args.zaken / MONTHS / ROWS_PER_DRAW_WITH_ZAAK))
    _measure(app, args.runs)
    if directory:
        shutil.rmtree(directory)  # the generated SQLite database: a gigabyte at 1M zaken


if __name__ == "__main__":
    main()
