"""Issue 16's budgets, on the main pages through the app as served: a first visit (an empty
cache) at most 60 KB compressed, with room for the municipality's logo; every later page at
most 15 KB. bench/page_weight.py measures the same with gunicorn and records the figures."""

import pytest

from bench.page_weight import (
    ACCEPT_ENCODING,
    FIRST_VISIT_BUDGET,
    LATER_PAGE_BUDGET,
    PUBLIC_PAGES,
    Answer,
    measure,
    resident_pages,
)
from tests.factories import new_zaak
from tests.login import login_as
from tests.personas import FATIMA


def fetcher(client):
    def fetch(path: str) -> Answer:
        response = client.get(path, headers={"Accept-Encoding": ACCEPT_ENCODING})
        return Answer(response.status_code,
                      {name.lower(): value for name, value in response.headers.items()},
                      response.get_data())
    return fetch


def assert_within_budgets(first, later):
    for name, visit in first.items():
        assert visit.size_of("font") > 0, f"{name}: no theme font loaded"
        assert visit.first_visit_weight <= FIRST_VISIT_BUDGET, (
            f"{name}: first visit {visit.first_visit_weight} bytes: {visit.downloads}")
    for name, visit in later.items():
        assert visit.size <= LATER_PAGE_BUDGET, f"{name}: later page {visit.downloads}"
        # Only the page itself: every asset came from the cache the first page left.
        assert [download.kind for download in visit.downloads] == ["html"], name


def test_public_pages_fit_the_budgets(client):
    assert_within_budgets(*measure(fetcher(client), PUBLIC_PAGES))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_mijn_omgeving_fits_the_budgets(client, app, language):
    new_zaak(app, statussen=[2], documents=[("besluit", None)])
    login_as(client, FATIMA)
    client.get(f"/taal/{language}?next=/")
    fetch = fetcher(client)
    pages = resident_pages(fetch)
    assert "zaak page" in pages
    first, later = measure(fetch, pages)
    assert_within_budgets(first, later)
    # The logged-in layout loads the session timeout script as well: it is counted.
    assert any("session-timeout" in download.url for download in first["Mijn omgeving"].downloads)
