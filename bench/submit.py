"""Submit-to-zaak throughput: e-form submits that open zaken, beside the minimal route.

    .venv/bin/python -m bench.submit [--zaken 2000] [--threads 8]

Uses DATABASE_URL like the app (migrate and seed it first). The drafts are
filled in beforehand through the e-forms services, as a resident's earlier
steps would have; what is measured is the final POST: claim the draft, open
the zaak (zaaknummer, status, initiator), queue the confirmation mail, commit.
"""

import argparse
import re
from datetime import timedelta

import requests
from sqlalchemy import func, select

from app import create_app
from app.db import get_session
from app.eforms.definitions import FieldDef, get_definition
from app.eforms.services import create_draft, save_step
from app.zaken.models import Zaak
from bench.harness import (Client, concurrent, free_port, gunicorn, log_in, mock_digid,
                           one_at_a_time, report)

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
    args = parser.parse_args()
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


def _get(base_url: str, cookie: str, path: str) -> str:
    return requests.get(base_url + path, headers={"Cookie": cookie}, timeout=10).text


if __name__ == "__main__":
    main()
