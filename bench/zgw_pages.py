"""Mijn zaken and a zaak's page on the ZGW store, against a real Open Zaak (issue 14).

    TEST_OPEN_ZAAK_URL=http://localhost:7000 .venv/bin/python -m bench.zgw_pages \\
        [--zaken 50] [--rounds 30]

Needs an Open Zaak (../shared/peers/open-zaak/setup.sh; `OZ_BULK=5000` gives it thousands
of other residents' zaken) and its Selectielijst stand-in. The portal's zaaktypen are
published into a catalogus of their own (as the tests do); persona Piotr Kowalski
(999990044) gets `--zaken` zaken of them, once (a rerun reuses them). Piotr, as no test
module has him among its TEST_RESIDENTS, whose zaken it removes from Open Zaak (Sanne's
are the ZGW browser journey's); he has DigiD basis only, which the portal is set to allow.

The portal runs under gunicorn (2 sync workers) with ZAKEN_STORE=zgw on a fresh SQLite
database; the resident logs in for real through the mock DigiD. In one run, in turns:
- Mijn zaken cold: the resident's cached page dropped before each request, so every
  request reads the Zaken API (one list call, then each zaak's zaaktype and statussen
  in parallel; the catalogue itself stays warm, as it does for an hour in production);
- Mijn zaken warm: the page as a notificatie-kept cache serves it;
- a zaak's page cold (its cached page dropped first: the zaak, its statussen, result and
  documents read) and warm (kept like Mijn zaken; only its open document requests, the
  portal's own rows, are read);
- the one-by-one pattern of the best-known portal on these APIs, outside the portal:
  the list call, then for each zaak its status, statustype and zaaktype in sequence;
- the minimal route, for the ratios.
Goals: cold Mijn zaken at most 200 ms, warm Mijn zaken and a warm zaak page at most 15 ms
(medians).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.harness import Client, Timings, free_port, gunicorn, log_in, mock_digid, report
from bench.pip_volume import portal_env
from tests.openzaak_fixtures import (
    CLIENT_ID,
    OPEN_ZAAK,
    RSIN,
    SECRET,
    SELECTIELIJST,
    open_zaak_config,
)

RESIDENT = "999990044"  # Piotr Kowalski
ROOT = Path(__file__).resolve().parent.parent


def published_catalogue() -> tuple[dict, str]:
    """The ZGW settings, with the catalogus holding the portal's zaaktypen."""
    from app.remote import RemoteApi
    from app.zaken.catalogi import DEFAULT_ZAAKTYPEN_PATH, load_zaaktypen_file
    from app.zaken.zgw.apis import ZgwApis
    from app.zaken.zgw.publish import publish_catalogue

    config = open_zaak_config()
    apis = ZgwApis.from_config(config)
    found = apis.catalogi.get("catalogussen", params={"domein": "BENCH"})["results"]
    catalogus = found[0] if found else apis.catalogi.post("catalogussen", {
        "domein": "BENCH", "rsin": RSIN, "naam": "Portaal (benchmark)",
        "contactpersoonBeheerNaam": "Portaal"})
    publish_catalogue(apis.catalogi, catalogus_url=catalogus["url"], rsin=RSIN,
                      zaaktypen=load_zaaktypen_file(DEFAULT_ZAAKTYPEN_PATH),
                      selectielijst=RemoteApi("Selectielijst API", SELECTIELIJST))
    return config, catalogus["url"]


def client_key_file(folder: Path) -> Path:
    """The portal's private_key_jwt key for the run (the mock reads its public half from the
    portal's /.well-known/jwks.json)."""
    from joserfc.jwk import RSAKey

    path = folder / "oidc-client-key.pem"
    if not path.exists():
        path.write_bytes(RSAKey.generate_key(2048).as_pem(private=True))
    return path


def settings(database: Path, catalogus_url: str) -> dict[str, str]:
    return {**{name: str(value) for name, value in open_zaak_config().items()},
            "ZAKEN_STORE": "zgw", "ZGW_CATALOGUS_URL": catalogus_url,
            "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench-secret",
            "PORTAL_ENV": "production", "LOG_LEVEL": "WARNING", "OIDC_MIN_LOA": "basis",
            # Production takes DigiD's private_key_jwt key from a file only.
            "OIDC_PRIVATE_KEY_FILE": str(client_key_file(database.parent))}


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                   env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)


def give_resident_zaken(database: Path, catalogus_url: str, count: int) -> list[str]:
    """The resident's zaken of the portal's zaaktypen, made through the store once."""
    from app import create_app
    from app.config import Config
    from app.db import get_session
    from app.zaken.store import Initiator, get_zaken_store

    app = create_app(type("BenchConfig", (Config,), {
        **open_zaak_config(), "ZAKEN_STORE": "zgw", "ZGW_CATALOGUS_URL": catalogus_url,
        "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench-secret"}))
    with app.test_request_context():
        store = get_zaken_store(get_session())
        existing = store.resident_zaken(RESIDENT, closed=False, limit=500).zaken
        numbers = [zaak.identificatie for zaak in existing]
        zaaktypen = ["VERHUIZING", "PARKEERVERGUNNING", "HULPVRAAG_WMO", "UITTREKSEL_BRP"]
        for n in range(len(numbers), count):
            opened = store.open_zaak(zaaktype=zaaktypen[n % 4], omschrijving=f"Bench {n}",
                                     registered_by="bench",
                                     initiator=Initiator(naam="Piotr Kowalski", bsn=RESIDENT))
            if n % 3:
                store.set_status(opened.identificatie, volgnummer=2, gezet_door="bench")
            numbers.append(opened.identificatie)
    return numbers


def one_by_one(token_headers: dict) -> float:
    """The best-known portal's way: the list, then status, statustype, zaaktype per zaak."""
    session = requests.Session()
    session.headers.update({**token_headers, "Accept-Crs": "EPSG:4326"})
    begin = time.perf_counter()
    zaken = session.get(f"{OPEN_ZAAK}/zaken/api/v1/zaken", params={
        "rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": RESIDENT,
        "rol__omschrijvingGeneriek": "initiator"}, timeout=30).json()["results"]
    for zaak in zaken:
        if zaak.get("status"):
            status = session.get(zaak["status"], timeout=30).json()
            session.get(status["statustype"], timeout=30)
        session.get(zaak["zaaktype"], timeout=30)
    return time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zaken", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=30)
    options = parser.parse_args()
    if not OPEN_ZAAK:
        raise SystemExit("set TEST_OPEN_ZAAK_URL to an Open Zaak (see the docstring)")

    _, catalogus_url = published_catalogue()
    database = Path(tempfile.mkdtemp(prefix="bench-zgw-")) / "portal.db"
    env = settings(database, catalogus_url)
    flask(env, "db", "upgrade")
    flask(env, "seed")
    numbers = give_resident_zaken(database, catalogus_url, options.zaken)
    print(f"{len(numbers)} zaken for the resident in Open Zaak")

    from app.zgw_auth import ZgwTokenSource

    token = ZgwTokenSource(CLIENT_ID, SECRET)
    port = free_port()
    with mock_digid(port) as issuer, gunicorn({**env, **portal_env(issuer)}, port=port) as server:
        client = Client(server.base_url, log_in(server.base_url, RESIDENT))
        baseline = Client(server.base_url)
        timings = measure(client, baseline, database, numbers[0], token, options.rounds)
    print(report([(name, t) for name, t in timings.items() if name != "baseline"],
                 timings["baseline"]))


def measure(client: Client, baseline: Client, database: Path, zaaknummer: str, token,
            rounds: int) -> dict[str, Timings]:
    zaak_page = f"/mijn-omgeving/zaken/{zaaknummer}"
    turns = (("baseline", "/bench/baseline"), ("Mijn zaken cold", "/mijn-omgeving/zaken"),
             ("Mijn zaken warm", "/mijn-omgeving/zaken"), ("zaak page cold", zaak_page),
             ("zaak page warm", zaak_page))
    seconds: dict[str, list[float]] = {name: [] for name, _ in turns}
    seconds["one by one (peer)"] = []
    drop = sqlite3.connect(database)
    started = time.perf_counter()
    for _ in range(rounds):
        for name, path in turns:
            if name.endswith(" cold"):
                drop.execute("DELETE FROM zgw_resident_page_zaken")
                drop.execute("DELETE FROM zgw_resident_pages")
                drop.commit()
            begin = time.perf_counter()
            status = (baseline if name == "baseline" else client).request("GET", path).status
            seconds[name].append(time.perf_counter() - begin)
            if status != 200:  # a redirect to the login would be a fast page of nothing
                raise RuntimeError(f"{path} answered {status}")
        seconds["one by one (peer)"].append(one_by_one(token()))
    wall = (time.perf_counter() - started) / len(seconds)
    return {name: Timings(values, wall) for name, values in seconds.items()}


if __name__ == "__main__":
    main()
