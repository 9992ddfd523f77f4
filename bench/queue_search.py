"""The back office's work-queue search at city scale, on the pip_volume database.

    DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m bench.queue_search [--runs 5]

Generate the data first (`python -m bench.pip_volume generate`: 1,000,000 zaken, their
initiators named "Persoon <n>"). For each kind of search the KCC types (a whole
zaaknummer, its last digits, part of a name, a name nobody has) it runs what the queue
page runs, the count and the first page over every team's open zaken, and prints the
median in milliseconds beside a one-row query on the same connection (the baseline).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from app.db import make_engine
from app.zaken.services import today
from app.zaken.sql.staff import count_statement, page_statement
from app.zaken.store import STATUS_OPEN, QueueFilters
from bench.pip_volume import REGISTERED_BY, psycopg_url


def _median_ms(work, runs: int) -> float:
    work()  # once first: caches and the plan settle
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) * 1000


def searches() -> dict[str, str]:
    with psycopg.connect(psycopg_url()) as connection:
        zaaknummer = connection.execute(
            "SELECT identificatie FROM zaken WHERE registered_by = %s AND einddatum IS NULL "
            "ORDER BY id DESC LIMIT 1", (REGISTERED_BY,)).fetchone()[0]
    return {"whole zaaknummer": zaaknummer, "last 4 digits": zaaknummer[-4:],
            "last 3 digits": zaaknummer[-3:], "part of a name": "ersoon 4711",
            "a name nobody has": "jansen"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    session = sessionmaker(bind=make_engine(os.environ["DATABASE_URL"]))()
    day = today()
    baseline = _median_ms(lambda: session.execute(text("SELECT 1")).scalar_one(), runs)
    print(f"{'search':20s} {'text':22s} {'count ms':>9s} {'page ms':>8s} {'found':>7s}")
    print(f"{'baseline (SELECT 1)':20s} {'':22s} {baseline:9.2f}")
    for kind, typed in searches().items():
        filters = QueueFilters(q=typed, status=STATUS_OPEN)
        count = count_statement(filters, None, day)
        page = page_statement(filters, None, day, limit=25, offset=0)
        found = session.scalar(count)
        count_ms = _median_ms(lambda c=count: session.scalar(c), runs)
        page_ms = _median_ms(lambda p=page: session.execute(p).all(), runs)
        print(f"{kind:20s} {typed:22s} {count_ms:9.2f} {page_ms:8.2f} {found:7d}")
        session.rollback()


if __name__ == "__main__":
    main()
