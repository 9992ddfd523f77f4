"""The suite's W3C Nu Html Checker run (tests/nuchecker.py) finds what it must, page by page."""

import pytest

from tests.nuchecker import PageCollector, in_ci, unavailable_reason

PAGE = ('<!DOCTYPE html><html lang="nl"><head><title>Proef</title></head>'
        '<body><main>{}</main></body></html>')


def test_each_error_is_reported_under_the_page_that_has_it(tmp_path):
    reason = unavailable_reason()
    if reason and not in_ci():
        pytest.skip(reason)
    pages = PageCollector()
    pages.add(PAGE.format('<form><input type="hidden" name="csrf_token" value="a"></form>'), "GET /goed")
    pages.add(PAGE.format('<form><input type="hidden" name="csrf_token" value="b"></form>'), "GET /weer")
    pages.add(PAGE.format('<div aria-labelledby="x"><h2 id="x">Fout</h2></div>'), "POST /fout -> 200")
    assert [origin for origin, _html in pages.pages] == ["GET /goed", "POST /fout -> 200"]   # once

    errors = pages.check(tmp_path)

    assert errors[0] == "POST /fout -> 200"
    assert "aria-labelledby" in errors[1] and len(errors) == 2
