"""Mijn omgeving at city scale: a volume generator and a load benchmark (issue 4).

    DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m bench.pip_volume generate \\
        [--persons 200000] [--zaken 1000000] [--statuses 4000000] [--messages 1000000]
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m bench.pip_volume measure \\
        [--requests 500] [--rate 235] [--seconds 20] [--wrk-seconds 10]

PostgreSQL only (the rows go in with COPY). Migrate and seed the database first
(`flask --app wsgi db upgrade && flask --app wsgi seed`).

generate: persons, zaken (each with its initiator rol), statussen, resultaten of the
closed zaken and messages, streamed into COPY: rows are made as they are sent, so
memory stays flat (a compact plan of one byte per zaak per column is all that is
kept). The benchmark resident, persona Sanne de Vries (999990032, DigiD level
substantieel), gets exactly 50 zaken; the rest are spread over the generated persons.
Generated rows are registered by "bench-volume" (zaken) and @bench.example (persons).
A database that has them already is left as it is.

measure: the portal under gunicorn (2 sync workers) with the mock DigiD; the resident
logs in for real, then, in one run beside the minimal route and /healthz:
- one request at a time, in turns (a request to each page per round, so the machine's
  drift hits every page alike): Mijn zaken (open and closed), a zaak's page, the
  overview, the inbox: median and p95;
- a fixed rate (235 requests per second, Open Zaak's sizing for a city of 1,000,000)
  on Mijn zaken and the zaak page alternately, open loop: latency counted from the
  moment each request was due, so a slow answer delays the count, not the schedule;
- saturation throughput of Mijn zaken and of the minimal route with wrk (8
  connections), as a ratio;
- each worker's resident memory after the run.
Load goes to 127.0.0.1 only, bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import secrets
import statistics
import threading
import time
from array import array
from datetime import date, datetime, timedelta

import psycopg

from bench.harness import (
    Client,
    free_port,
    gunicorn,
    interleaved,
    load_average,
    log_in,
    mock_digid,
    one_at_a_time,
    report,
)

RESIDENT = "999990032"          # Sanne de Vries: DigiD level substantieel, may log in
RESIDENT_ZAKEN = 50
REGISTERED_BY = "bench-volume"
EMAIL_DOMAIN = "bench.example"
FIRST_BSN_BASE = 20_000_000     # 8-digit bases from here; the 11-proef gives the 9th digit
TODAY = date.today()


def psycopg_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (postgresql+psycopg://...).")
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


# --------------------------------------------------------------------------- generating


def bsns(count: int) -> list[str]:
    """count BSNs that pass the 11-proef, outside the 99999xxxx range of the personas."""
    found, base = [], FIRST_BSN_BASE
    while len(found) < count:
        digits = f"{base:08d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            found.append(digits + str(check))
        base += 1
    return found


class Catalogi:
    """The seeded zaaktypen with their statustypen (by volgnummer) and resultaattypen."""

    def __init__(self, connection) -> None:
        self.zaaktypen = connection.execute(
            "SELECT id, identificatie, omschrijving, vertrouwelijkheidaanduiding, team "
            "FROM zaaktypen ORDER BY id").fetchall()
        self.statustypen = {z[0]: connection.execute(
            "SELECT id, informeren, is_eindstatus, omschrijving, statustekst FROM statustypen "
            "WHERE zaaktype_id = %s ORDER BY volgnummer", (z[0],)).fetchall()
            for z in self.zaaktypen}
        self.resultaattypen = {z[0]: [row[0] for row in connection.execute(
            "SELECT id FROM resultaattypen WHERE zaaktype_id = %s ORDER BY id", (z[0],))]
            for z in self.zaaktypen}


class Plan:
    """A few bytes per zaak: its zaaktype, how many statussen, whether it is closed, how old
    it is (weeks). A zaak may set a middle status more than once (set_status allows any
    order: "in behandeling" again after a document came), so 4 statussen per zaak fit
    zaaktypen of 3 to 5 statustypen."""

    def __init__(self, zaken: int, statuses: int, catalogi: Catalogi, rng: random.Random) -> None:
        self.zaaktype = array("B")
        self.statuses = array("B")
        self.closed = array("B")
        self.weeks_ago = array("H")
        remaining = statuses
        for index in range(zaken):
            weeks = rng.randrange(104) if index < RESIDENT_ZAKEN else rng.randrange(260)
            closed = rng.random() < (0.85 if weeks > 8 else 0.3)
            # Spread what is left over the zaken still to come, with some variation.
            wanted = remaining / (zaken - index) + rng.choice((-1.5, -0.5, 0, 0.5, 1.5))
            count = max(1 + closed, min(12, round(wanted)))
            remaining -= count
            self.zaaktype.append(rng.randrange(len(catalogi.zaaktypen)))
            self.statuses.append(count)
            self.closed.append(closed)
            self.weeks_ago.append(weeks)

    def statustypen(self, index: int, catalogi: Catalogi) -> list:
        """The zaak's statustypen in the order they were set."""
        types = catalogi.statustypen[catalogi.zaaktypen[self.zaaktype[index]][0]]
        open_steps, eind = types[:-1], types[-1]
        count, closed = self.statuses[index], self.closed[index]
        steps = [open_steps[j] if j < len(open_steps)
                 else open_steps[1 + j % (len(open_steps) - 1)] if len(open_steps) > 1
                 else open_steps[0]
                 for j in range(count - closed)]
        return [*steps, eind] if closed else steps


def _copy(connection, table: str, columns: list[str], rows) -> int:
    count = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _next_id(connection, table: str) -> int:
    return connection.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]


def generate(persons: int, zaken: int, statuses: int, messages: int, seed: int = 4) -> None:
    started = time.perf_counter()
    with psycopg.connect(psycopg_url()) as connection:
        if connection.execute("SELECT 1 FROM zaken WHERE registered_by = %s LIMIT 1",
                              (REGISTERED_BY,)).fetchone():
            print("This database has the bench volume already; nothing added.")
            return
        rng = random.Random(seed)
        catalogi = Catalogi(connection)
        if not catalogi.zaaktypen:
            raise SystemExit("No zaaktypen: run `flask --app wsgi seed` first.")
        people = bsns(persons)
        plan = Plan(zaken, statuses, catalogi, rng)
        zaak_columns = {row[0] for row in connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'zaken'")}
        first = {table: _next_id(connection, table)
                 for table in ("persons", "zaken", "rollen", "statussen", "resultaten", "messages")}
        counts = {
            "persons": _copy(connection, "persons", PERSON_COLUMNS, person_rows(people, first)),
            "contact_preferences": _copy(connection, "contact_preferences", CONTACT_COLUMNS,
                                         contact_rows(people)),
            "zaken": _copy(connection, "zaken", zaak_columns_used(zaak_columns),
                           zaak_rows(plan, catalogi, first, "team" in zaak_columns)),
            "rollen": _copy(connection, "rollen", ROL_COLUMNS, rol_rows(plan, people, first)),
            "statussen": _copy(connection, "statussen", STATUS_COLUMNS,
                               status_rows(plan, catalogi, first)),
            "resultaten": _copy(connection, "resultaten", RESULTAAT_COLUMNS,
                                resultaat_rows(plan, catalogi, first)),
            "messages": _copy(connection, "messages", MESSAGE_COLUMNS,
                              message_rows(plan, catalogi, people, first, messages, rng)),
        }
        for table in first:
            connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))")
        connection.commit()
        connection.autocommit = True
        connection.execute("ANALYZE")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(", ".join(f"{name} {count:,}" for name, count in counts.items()))
    print(f"in {time.perf_counter() - started:.0f} s; generator peak RSS {peak_mb:.0f} MB")


PERSON_COLUMNS = ["id", "bsn", "voornamen", "voorvoegsel", "geslachtsnaam", "geslacht",
                  "geboortedatum", "geboorteplaats", "straat", "huisnummer", "huisletter",
                  "huisnummertoevoeging", "postcode", "woonplaats", "datum_aanvang_adreshouding"]
CONTACT_COLUMNS = ["bsn", "email", "telefoon", "updated_at"]
ROL_COLUMNS = ["id", "zaak_id", "betrokkene_type", "omschrijving_generiek", "inp_bsn", "naam",
               "email", "telefoon", "adres", "indicatie_machtiging"]
STATUS_COLUMNS = ["id", "zaak_id", "statustype_id", "datum_status_gezet", "statustoelichting",
                  "gezet_door"]
RESULTAAT_COLUMNS = ["id", "zaak_id", "resultaattype_id", "toelichting", "datum", "gezet_door"]
MESSAGE_COLUMNS = ["id", "public_id", "bsn", "zaak_identificatie", "onderwerp", "onderwerp_en",
                   "tekst", "tekst_en", "afzender", "created_at", "read_at"]
ZAAK_COLUMNS = ["id", "identificatie", "zaaktype_id", "omschrijving", "toelichting",
                "registratiedatum", "startdatum", "einddatum", "einddatum_gepland",
                "uiterlijke_einddatum_afdoening", "vertrouwelijkheidaanduiding",
                "aanvraaggegevens", "kenmerken", "registered_by"]
STREETS = ("Vischpoortstraat", "Jufferenstraat", "Eperweg", "Zuiderzeestraatweg", "Beekstraat")


def zaak_columns_used(present: set[str]) -> list[str]:
    return ZAAK_COLUMNS + (["team"] if "team" in present else [])


def person_rows(people: list[str], first: dict):
    for index, bsn in enumerate(people):
        yield (first["persons"] + index, bsn, "Test", "", f"Persoon {index}", "onbekend",
               date(1950 + index % 55, 1 + index % 12, 1 + index % 28), "Elburg",
               STREETS[index % len(STREETS)], 1 + index % 300, "", "", "8081 AA", "Elburg",
               date(2000 + index % 25, 1, 1))


def contact_rows(people: list[str]):
    """Every generated person gave an email address in Mijn gegevens."""
    given = datetime(2026, 1, 1)
    for index, bsn in enumerate(people):
        yield bsn, f"p{index}@{EMAIL_DOMAIN}", "", given


def _bsn_of(index: int, people: list[str]) -> str:
    return RESIDENT if index < RESIDENT_ZAKEN else people[index % len(people)]


def _start(plan: Plan, index: int) -> date:
    return TODAY - timedelta(weeks=plan.weeks_ago[index], days=index % 7)


def _closed(plan: Plan, catalogi: Catalogi, index: int) -> bool:
    return bool(plan.closed[index])


def zaak_rows(plan: Plan, catalogi: Catalogi, first: dict, with_team: bool):
    for index in range(len(plan.zaaktype)):
        zaaktype = catalogi.zaaktypen[plan.zaaktype[index]]
        start = _start(plan, index)
        closed = _closed(plan, catalogi, index)
        row = (first["zaken"] + index, f"ZAAK-{start.year}-8{index:09d}", zaaktype[0],
               zaaktype[2], "", start, start,
               start + timedelta(days=3 + index % 40) if closed else None,
               start + timedelta(days=14), start + timedelta(weeks=8), zaaktype[3],
               json.dumps({"omschrijving": "Gegenereerd voor de volumetest"}), "{}", REGISTERED_BY)
        yield row + ((zaaktype[4] or "",) if with_team else ())


def rol_rows(plan: Plan, people: list[str], first: dict):
    for index in range(len(plan.zaaktype)):
        yield (first["rollen"] + index, first["zaken"] + index, "natuurlijk_persoon", "initiator",
               _bsn_of(index, people), f"Persoon {index}", "", "", "", "")


def _status_moments(start: date, count: int):
    moment = datetime.combine(start, datetime.min.time()) + timedelta(hours=9)
    for step in range(count):
        yield moment + timedelta(days=2 * step)


def status_rows(plan: Plan, catalogi: Catalogi, first: dict):
    next_id = first["statussen"]
    for index in range(len(plan.zaaktype)):
        statustypen = plan.statustypen(index, catalogi)
        moments = _status_moments(_start(plan, index), len(statustypen))
        for statustype, moment in zip(statustypen, moments, strict=True):
            yield (next_id, first["zaken"] + index, statustype[0], moment, "", "medewerker bench")
            next_id += 1


def resultaat_rows(plan: Plan, catalogi: Catalogi, first: dict):
    next_id = first["resultaten"]
    for index in range(len(plan.zaaktype)):
        if _closed(plan, catalogi, index):
            zaaktype_id = catalogi.zaaktypen[plan.zaaktype[index]][0]
            moment = datetime.combine(_start(plan, index), datetime.min.time())
            yield (next_id, first["zaken"] + index, catalogi.resultaattypen[zaaktype_id][0], "",
                   moment + timedelta(days=3), "medewerker bench")
            next_id += 1


def message_rows(plan: Plan, catalogi: Catalogi, people: list[str], first: dict, limit: int,
                 rng: random.Random):
    """One message per zaak (its latest status) until `limit`; most of them read."""
    zaken = len(plan.zaaktype)
    for number in range(min(limit, zaken)):
        index = number
        zaaktype = catalogi.zaaktypen[plan.zaaktype[index]]
        statustype = plan.statustypen(index, catalogi)[-1]
        moment = datetime.combine(_start(plan, index), datetime.min.time()) + timedelta(hours=10)
        read = moment + timedelta(days=1) if rng.random() < 0.8 else None
        yield (first["messages"] + number, secrets.token_urlsafe(16), _bsn_of(index, people),
               f"ZAAK-{_start(plan, index).year}-8{index:09d}",
               f"{zaaktype[2]}: {statustype[3]}", "", statustype[4] or statustype[3], "",
               "Gemeente Elburg", moment, read)


# --------------------------------------------------------------------------- measuring


def fixed_rate(clients: list[Client], paths: list[str], rate: float, seconds: float):
    """Open loop: request n is due at start + n / rate, sent by thread n % threads; its
    latency counts from when it was due. Returns (latencies in s, errors, achieved rate)."""
    total = int(rate * seconds)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def run(thread: int) -> None:
        for number in range(thread, total, len(clients)):
            due = start + number / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            try:
                status = clients[thread].request("GET", paths[number % len(paths)]).status
            except OSError:
                status = 599
            finished = time.perf_counter()
            with lock:
                latencies.append(finished - due)
                errors[0] += status >= 400

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], total / (time.perf_counter() - start)


def run_wrk(url: str, seconds: int, cookie: str) -> float:
    import re
    import subprocess

    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"wrk: {errors.group(1)} error answers from {url}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def resident_paths(client: Client) -> dict[str, str]:
    """The pages measured, with the resident's own open zaak that has the most statussen."""
    with psycopg.connect(psycopg_url()) as connection:
        zaaknummer = connection.execute(
            "SELECT z.identificatie FROM zaken z JOIN rollen r ON r.zaak_id = z.id "
            "WHERE r.inp_bsn = %s AND z.einddatum IS NULL AND z.registered_by = %s "
            "ORDER BY (SELECT count(*) FROM statussen s WHERE s.zaak_id = z.id) DESC LIMIT 1",
            (RESIDENT, REGISTERED_BY)).fetchone()[0]
    return {"Mijn zaken (open)": "/mijn-omgeving/zaken",
            "Mijn zaken (closed)": "/mijn-omgeving/zaken?status=gesloten",
            "zaak page": f"/mijn-omgeving/zaken/{zaaknummer}",
            "overview": "/mijn-omgeving",
            "inbox": "/mijn-omgeving/berichten"}


def portal_env(issuer: str) -> dict[str, str]:
    """The settings of the portal under measurement, with the mock DigiD at `issuer`."""
    return {"OIDC_DISCOVERY_URL": f"{issuer}/.well-known/openid-configuration",
            "SECRET_KEY": "bench", "LOG_LEVEL": "WARNING",
            # The resident is "active" for the whole run: no idle logout mid-measurement.
            "SESSION_IDLE_TIMEOUT": "3600"}


def measure(requests: int, rate: float, seconds: float, wrk_seconds: int) -> None:
    port = free_port()
    with mock_digid(port) as issuer:
        env = portal_env(issuer)
        with gunicorn(env, workers=2, port=port) as server:
            cookie = log_in(server.base_url, RESIDENT)
            client = Client(server.base_url, cookie)
            paths = resident_paths(client)
            for path in ["/bench/baseline", "/healthz", *paths.values()]:
                one_at_a_time(client, path, 30)  # warm both workers
            anonymous = Client(server.base_url)  # the minimal route without the session cookie
            timings = interleaved({"baseline": (client, "/bench/baseline"),
                                   "baseline, no session": (anonymous, "/bench/baseline"),
                                   "/healthz": (client, "/healthz"),
                                   **{name: (client, path) for name, path in paths.items()}},
                                  requests)
            baseline = timings.pop("baseline")
            rows = list(timings.items())
            print(report(rows, baseline))
            print(load_average())
            healthz = rows[1][1].median_ms
            print("x /healthz (median): " + ", ".join(
                f"{name} {timings.median_ms / healthz:.2f}" for name, timings in rows[2:]))

            clients = [Client(server.base_url, cookie) for _ in range(8)]
            latencies, errors, achieved = fixed_rate(
                clients, [paths["Mijn zaken (open)"], paths["zaak page"]], rate, seconds)
            p95 = statistics.quantiles(latencies, n=20)[18] * 1000
            print(f"fixed rate {rate:.0f}/s for {seconds:.0f} s (achieved {achieved:.0f}/s): "
                  f"median {statistics.median(latencies) * 1000:.2f} ms, p95 {p95:.2f} ms, "
                  f"errors {errors} of {len(latencies)}")

            base_rate = run_wrk(server.base_url + "/bench/baseline", wrk_seconds, cookie)
            zaken_rate = run_wrk(server.base_url + paths["Mijn zaken (open)"], wrk_seconds, cookie)
            print(f"saturation (wrk, 8 connections, {wrk_seconds} s): baseline {base_rate:.0f}/s, "
                  f"Mijn zaken {zaken_rate:.0f}/s, ratio {zaken_rate / base_rate:.3f}")
            print("worker RSS MB:", ", ".join(f"{mb:.0f}" for mb in server.worker_rss_mb()))
            print(load_average())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate")
    gen.add_argument("--persons", type=int, default=200_000)
    gen.add_argument("--zaken", type=int, default=1_000_000)
    gen.add_argument("--statuses", type=int, default=4_000_000)
    gen.add_argument("--messages", type=int, default=1_000_000)
    run = commands.add_parser("measure")
    run.add_argument("--requests", type=int, default=500)
    run.add_argument("--rate", type=float, default=235)
    run.add_argument("--seconds", type=float, default=20)
    run.add_argument("--wrk-seconds", type=int, default=10)
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.persons, args.zaken, args.statuses, args.messages)
    else:
        measure(args.requests, args.rate, args.seconds, args.wrk_seconds)


if __name__ == "__main__":
    main()
