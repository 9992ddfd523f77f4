"""ZgwApis.each: parallel calls on one bounded pool, also when a call makes calls of its own."""

import threading
from concurrent.futures import ThreadPoolExecutor

from app.remote import RemoteApi, RemoteUnavailable
from app.zaken.zgw.apis import ZgwApis


def apis(threads: int) -> ZgwApis:
    unused = RemoteApi("Zaken API", "http://127.0.0.1:9")
    return ZgwApis(zaken=unused, catalogi=unused, documenten=unused, besluiten=unused,
                   pool=ThreadPoolExecutor(max_workers=threads))


def test_a_failed_call_is_its_error_in_its_place():
    def call(item):
        if item == 2:
            raise RemoteUnavailable("Zaken API", "timed out")
        return item * 10

    results = apis(2).each(call, [1, 2, 3])
    assert results[0] == 10 and isinstance(results[1], RemoteUnavailable) and results[2] == 30


def test_calls_within_calls_finish_when_every_thread_is_taken():
    """A zaak page reads each zaak's parts in parallel, and a part its documents: with more
    zaken than threads, the inner calls must not wait for a thread the outer ones hold."""
    pool = apis(2)
    done = []

    def zaak(number):
        return sum(pool.each(lambda document: document, range(number)))

    page = threading.Thread(target=lambda: done.append(pool.each(zaak, range(6))), daemon=True)
    page.start()
    page.join(timeout=10)
    assert done == [[0, 0, 1, 3, 6, 10]], "the page never came back: the pool deadlocked"
