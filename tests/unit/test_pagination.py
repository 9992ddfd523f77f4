"""One pagination object for every paged list."""

import pytest

from app.ui.pagination import Pagination


@pytest.mark.parametrize(("asked", "expected"), [("1", 1), ("3", 3), ("9", 3), ("0", 1), ("x", 1)])
def test_the_page_asked_for_within_the_pages_there_are(app, asked, expected):
    with app.test_request_context(f"/mijn-omgeving/berichten?pagina={asked}"):
        pager = Pagination.of(41, 20, "pip.berichten")
        assert (pager.page, pager.pages, pager.offset) == (expected, 3, (expected - 1) * 20)


def test_links_to_the_neighbours_keep_the_lists_other_arguments(app):
    with app.test_request_context("/mijn-omgeving/zaken?pagina=2"):
        pager = Pagination.of(60, 20, "pip.zaken", status="gesloten")
        assert pager.previous_href == "/mijn-omgeving/zaken?status=gesloten&pagina=1"
        assert pager.next_href == "/mijn-omgeving/zaken?status=gesloten&pagina=3"
    with app.test_request_context("/mijn-omgeving/zaken"):
        only = Pagination.of(0, 20, "pip.zaken")
        assert (only.pages, only.previous_href, only.next_href) == (1, None, None)
