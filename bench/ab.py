"""A/B: two versions of the portal under gunicorn on the same database, requests in turns.

    DATABASE_URL=postgresql+psycopg://... .venv/bin/python -m bench.ab --a ../portal-before \\
        [--b .] [--rounds 1000] [--a-env NAME=VALUE ...] [--a-python PATH] [--pages ...]

`--a` and `--b` are checkouts (e.g. `git worktree add ../portal-before HEAD~1`), each with
its translations compiled; by default B is this one. A and B may also be the same code with
other settings (`--b-env`) or another interpreter (`--b-python`). The pip_volume database
(`bench.pip_volume generate`) and its resident are used; one sync worker each. When B needs
a newer schema than A, give B a copy of the database migrated to it
(`createdb -T pip_volume pip_after`, `flask db upgrade`) with `--b-env DATABASE_URL=...`: the
resident's login session is copied there, so both sides serve the same logged-in resident.

A change that saves a tenth of a millisecond drowns in this machine's drift between two
`measure` runs; in turns (A's page, then B's, round after round) both see the same drift.
Prints the median and p95 of each page on each side and B's median as a share of A's; run
it both ways round (swap --a and --b) before trusting a difference of a few per cent.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

import psycopg
from psycopg.types.json import Json

from bench.harness import ROOT, Client, free_port, gunicorn, interleaved, log_in, mock_digid
from bench.pip_volume import RESIDENT, portal_env, psycopg_url, resident_paths

PAGES = ("minimal route", "zaak page", "Mijn zaken (open)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", type=Path, required=True, help="checkout of version A")
    parser.add_argument("--b", type=Path, default=ROOT, help="checkout of version B")
    for side in ("a", "b"):
        parser.add_argument(f"--{side}-env", nargs="*", default=[], metavar="NAME=VALUE")
        parser.add_argument(f"--{side}-python", default=sys.executable)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    args = parser.parse_args()

    port_a = free_port()  # the mock DigiD sends the login back to A
    with mock_digid(port_a) as issuer, ExitStack() as servers:
        bases = {}
        for side, port in (("A", port_a), ("B", None)):
            key = side.lower()
            env = {**portal_env(issuer),
                   **dict(pair.split("=", 1) for pair in getattr(args, f"{key}_env"))}
            server = servers.enter_context(gunicorn(
                env, workers=1, port=port, root=getattr(args, key).resolve(),
                python=getattr(args, f"{key}_python")))
            bases[side] = server.base_url
        cookie = log_in(bases["A"], RESIDENT)  # a server-side session: valid on both
        _share_login_session(dict(pair.split("=", 1) for pair in args.b_env).get("DATABASE_URL"))
        clients = {side: Client(base, cookie) for side, base in bases.items()}
        paths = {"minimal route": "/bench/baseline", **resident_paths(clients["A"])}
        requests = {f"{page} {side}": (clients[side], paths[page])
                    for page in args.pages for side in clients}
        for name, (client, path) in requests.items():  # a redirect to the login would count too
            if (status := client.request("GET", path).status) != 200:
                raise SystemExit(f"{name}: {path} answered {status}, not the page")
        interleaved(requests, 50)  # warm up both
        timings = interleaved(requests, args.rounds)
    print(f"{'page':22s} {'A median':>9s} {'B median':>9s} {'A p95':>7s} {'B p95':>7s} {'B/A':>6s}")
    for page in args.pages:
        a, b = timings[f"{page} A"], timings[f"{page} B"]
        print(f"{page:22s} {a.median_ms:9.3f} {b.median_ms:9.3f} {a.p95_ms:7.2f} "
              f"{b.p95_ms:7.2f} {b.median_ms / a.median_ms:6.3f}")


def _share_login_session(b_database_url: str | None) -> None:
    """Copy the newest login session from A's database to B's, when B has its own."""
    a_url = psycopg_url()
    if not b_database_url:
        return
    b_url = b_database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    if b_url == a_url:
        return
    with psycopg.connect(a_url) as source, psycopg.connect(b_url) as target:
        cursor = source.execute("SELECT * FROM web_sessions ORDER BY created_at DESC LIMIT 1")
        columns = [column.name for column in cursor.description]
        row = cursor.fetchone()
        target.execute(f"INSERT INTO web_sessions ({', '.join(columns)}) "
                       f"VALUES ({', '.join(['%s'] * len(columns))})",
                       [Json(value) if isinstance(value, dict) else value for value in row])


if __name__ == "__main__":
    main()
