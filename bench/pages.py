"""Public pages against the minimal route, one user at a time, served by gunicorn.

    .venv/bin/python -m bench.pages [--requests 500]

Uses DATABASE_URL like the app (SQLite file by default; migrate and seed first).
"""

import argparse

from bench.harness import Client, gunicorn, one_at_a_time, report

PAGES = [("home", "/"), ("product page", "/producten/paspoort"), ("search", "/zoeken?q=paspoord")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    with gunicorn({}) as server:
        client = Client(server.base_url)
        one_at_a_time(client, "/bench/baseline", 50)  # warm up both workers' imports
        baseline = one_at_a_time(client, "/bench/baseline", args.requests)
        rows = [(name, one_at_a_time(client, path, args.requests)) for name, path in PAGES]
        print(report(rows, baseline))
        print("worker RSS MB:", ", ".join(f"{mb:.0f}" for mb in server.worker_rss_mb()))


if __name__ == "__main__":
    main()
