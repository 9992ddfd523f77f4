"""Submit-to-zaak throughput: e-form submits that open zaken, beside the minimal route.

    .venv/bin/python -m bench.submit [--zaken 2000] [--threads 8]
    .venv/bin/python -m bench.submit --wrk [--seconds 10]   # load from wrk (Debian package)

Uses DATABASE_URL like the app (migrate and seed it first). The drafts are
filled in beforehand through the e-forms services, as a resident's earlier
steps would have; what is measured is the final POST: claim the draft, open
the zaak (zaaknummer, status, initiator), queue the confirmation mail, commit.
"""

import argparse
import os
import re
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import requests
from sqlalchemy import func, select

from app import create_app
from app.db import get_session
from app.eforms.definitions import FieldDef, get_definition
from app.eforms.services import create_draft, save_step
from app.zaken.models import Zaak
from bench.harness import (
    Client,
    concurrent,
    free_port,
    gunicorn,
    load_average,
    log_in,
    mock_digid,
    report,
)

FORM = "terugbelverzoek"
RESIDENT_BSN = "999990019"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
DAY = timedelta(days=1)
SAMPLE_VALUES = {"phone": "0612345678", "email": "test@example.nl", "textarea": "Graag terugbellen."}


def sample_answer(field: FieldDef):
    if field.options:
        return field.options[0].value
    return SAMPLE_VALUES.get(field.type, "Test")


def filled_drafts(count: int) -> list[str]:
    """Drafts of the resident with every step answered, committed."""
    app = create_app()
    with app.app_context():
        definition = get_definition(FORM)
        answers = {field.name: sample_answer(field) for step in definition.steps
                   for field in step.fields if field.show_if is None}
        session = get_session()
        ids = []
        for _ in range(count):
            draft = create_draft(session, definition, owner_bsn=RESIDENT_BSN, lifetime=DAY)
            for step in definition.steps:
                save_step(session, draft, answers=answers, step_id=step.id, completed=True,
                          lifetime=DAY)
            ids.append(draft.id)
        session.commit()
        return ids


def run_wrk(url: str, seconds: int, connections: int, env: dict | None = None,
            script: Path | None = None) -> tuple[float, str]:
    """wrk's requests per second and its latency line. wrk is a C load generator: it
    leaves the two cores to the server, where Python client threads take one."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True,
                            env={**os.environ, **(env or {})}).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = re.search(r"Latency\s+(\S+)", output).group(1)
    return rate, latency


def zaken_count() -> int:
    app = create_app()
    with app.app_context():
        return get_session().scalar(select(func.count(Zaak.id)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--zaken", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--worker-threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--wrk", action="store_true", help="send the load with wrk instead")
    parser.add_argument("--seconds", type=int, default=10, help="with --wrk: how long")
    args = parser.parse_args()
    if args.wrk:
        args.zaken = max(args.zaken, 400 * args.seconds)  # more drafts than wrk can send
    draft_ids = filled_drafts(args.zaken)
    before = zaken_count()
    port = free_port()
    with mock_digid(port) as issuer:
        env = {"OIDC_DISCOVERY_URL": f"{issuer}/.well-known/openid-configuration",
               "SECRET_KEY": "bench", "FORM_RATE_LIMIT": "1000000 per minute"}
        with gunicorn(env, workers=args.workers, threads=args.worker_threads, port=port) as server:
            cookie = log_in(server.base_url, RESIDENT_BSN)
            check_page = f"/formulieren/{FORM}/{draft_ids[0]}/controleren"
            token = CSRF_FIELD.search(_get(server.base_url, cookie, check_page)).group(1)
            if args.wrk:
                _measure_with_wrk(server, args, draft_ids, cookie, token, before)
                return
            clients = [Client(server.base_url, cookie) for _ in range(args.threads)]
            baseline = concurrent(lambda thread, _: clients[thread].request(
                "GET", "/bench/baseline"), args.zaken, args.threads)

            def submit(thread: int, index: int) -> None:
                response = clients[thread].request(
                    "POST", f"/formulieren/{FORM}/{draft_ids[index]}/controleren",
                    body=f"csrf_token={token}",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})
                location = response.getheader("Location", "")
                if response.status != 302 or not location.endswith("/bevestiging"):
                    raise RuntimeError(f"submit answered {response.status} {location}")

            submits = concurrent(submit, args.zaken, args.threads)
            print(report([("submit (opens a zaak)", submits)], baseline))
            print(f"zaken per second: {submits.per_second:.0f}")
            print("worker RSS MB:", ", ".join(f"{mb:.0f}" for mb in server.worker_rss_mb()))
    opened = zaken_count() - before
    assert opened == args.zaken, f"{opened} zaken for {args.zaken} submits"
    print(f"{opened} submits opened {opened} zaken")


def _measure_with_wrk(server, args, draft_ids: list[str], cookie: str, token: str,
                      before: int) -> None:
    baseline_rate, baseline_latency = run_wrk(server.base_url + "/bench/baseline", args.seconds,
                                              args.threads)
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as drafts:
        drafts.write("\n".join(draft_ids))
        drafts.flush()
        env = {"BENCH_DRAFTS": drafts.name, "BENCH_THREADS": "2", "BENCH_COOKIE": cookie,
               "BENCH_CSRF": token}
        cpu_before = server.worker_cpu_seconds()
        rate, latency = run_wrk(server.base_url, args.seconds, args.threads, env,
                                Path(__file__).with_name("submit.lua"))
        cpu = server.worker_cpu_seconds() - cpu_before
    opened = zaken_count() - before
    print(f"baseline (minimal route): {baseline_rate:.0f} req/s, mean latency {baseline_latency}")
    print(f"submit (opens a zaak):    {rate:.0f} req/s, mean latency {latency}, "
          f"{rate / baseline_rate:.2f} x baseline")
    print(f"zaken opened: {opened} (about {opened / args.seconds:.0f} per second); "
          f"worker CPU {cpu / opened * 1000:.2f} ms per zaak; {load_average()}")
    print("worker RSS MB:", ", ".join(f"{mb:.0f}" for mb in server.worker_rss_mb()))


def _get(base_url: str, cookie: str, path: str) -> str:
    return requests.get(base_url + path, headers={"Cookie": cookie}, timeout=10).text


if __name__ == "__main__":
    main()
