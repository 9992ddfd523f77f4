"""The four ZGW APIs one zaaksysteem offers, and how a page calls them in parallel."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from app.remote import RemoteApi, RemoteError, TlsSettings
from app.zgw_auth import ZgwTokenSource

T = TypeVar("T")
R = TypeVar("R")

# Zaken carry geometry: the Zaken API refuses a call that does not name its coordinates.
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}


class SetStatusCache:
    """Statussen by URL. A status, once set, never changes (the Zaken API can only add
    one), so each is read from the zaaksysteem once per process: the list of a resident's
    zaken names each zaak's current status, and a status seen before costs nothing."""

    def __init__(self, api: RemoteApi, *, size: int = 100_000) -> None:
        self._api = api
        self._size = size
        self._known: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> dict:
        with self._lock:
            if url in self._known:
                self._known.move_to_end(url)
                return self._known[url]
        status = self._api.get(url)
        with self._lock:
            self._known[url] = status
            if len(self._known) > self._size:
                self._known.popitem(last=False)
        return status


@dataclass(frozen=True)
class ZgwApis:
    zaken: RemoteApi
    catalogi: RemoteApi
    documenten: RemoteApi
    besluiten: RemoteApi
    pool: ThreadPoolExecutor  # bounds the calls in flight, for every page of this process
    statussen: SetStatusCache = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "statussen", SetStatusCache(self.zaken))

    @classmethod
    def from_config(cls, config) -> ZgwApis:
        tls = TlsSettings(ca_bundle=config["ZGW_CA_BUNDLE"])

        def api(name: str, setting: str) -> RemoteApi:
            """The API at ZGW_<setting>_API_URL, with the client id and secret of its own
            when the municipality runs it apart (a DMS for the Documenten API, say)."""
            client_id, secret = (f"ZGW_{setting}_CLIENT_ID", f"ZGW_{setting}_SECRET")
            if not config.get(client_id):
                client_id, secret = "ZGW_CLIENT_ID", "ZGW_SECRET"
            token = ZgwTokenSource(config[client_id], config[secret])
            return RemoteApi(name, config[f"ZGW_{setting}_API_URL"], timeout=config["ZGW_TIMEOUT"],
                             tls=tls, headers=lambda: {**token(), **CRS},
                             pool_size=config["ZGW_CONCURRENCY"],
                             credentials=f"{client_id} and {secret}")

        return cls(zaken=api("Zaken API", "ZAKEN"), catalogi=api("Catalogi API", "CATALOGI"),
                   documenten=api("Documenten API", "DOCUMENTEN"),
                   besluiten=api("Besluiten API", "BESLUITEN"),
                   pool=ThreadPoolExecutor(max_workers=config["ZGW_CONCURRENCY"],
                                           thread_name_prefix="zgw"))

    def each(self, call: Callable[[T], R], items: Iterable[T]) -> list[R | RemoteError]:
        """call(item) for every item, in parallel; a failed call's error in its place, so
        one zaak the zaaksysteem cannot give does not take the page with it.

        Called again from inside one of those calls (a zaak's documents within the zaak's
        parts), the items run one after the other on that thread: a call waiting on the
        same bounded pool it holds a thread of would deadlock once every thread waits."""
        if _in_pool.active:
            return [_outcome(call, item) for item in items]
        futures = [self.pool.submit(_in_the_pool, call, item) for item in items]
        return [future.result() for future in futures]


class _PoolThread(threading.local):
    active = False  # whether this thread is running one of each()'s calls


_in_pool = _PoolThread()


def _in_the_pool(call: Callable[[T], R], item: T) -> R | RemoteError:
    _in_pool.active = True
    try:
        return _outcome(call, item)
    finally:
        _in_pool.active = False


def _outcome(call: Callable[[T], R], item: T) -> R | RemoteError:
    try:
        return call(item)
    except RemoteError as error:
        return error
