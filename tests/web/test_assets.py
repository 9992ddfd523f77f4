"""The built assets as a browser gets them: fingerprinted names cached a year, served before
Flask (no session, no database), compressed, and only the CSS the pages use; pages
compressed too, personal pages never stored."""

import hashlib
import re

import pytest

from app.assets import AssetsNotBuilt, asset_url
from bench.page_weight import decoded
from tests.login import login_as
from tests.pagecheck import PageProblem, check_page
from tests.personas import FATIMA
from tests.querycount import counted_queries

ASSET = re.compile(r'(?:href|src)="(/static/dist/([\w-]+)\.([0-9a-f]{12})\.(\w+))"')
YEAR = "max-age=31536000"


def assets_of(client, path="/") -> dict[str, str]:
    """The built files a page links to: {logical name: URL}."""
    page = client.get(path).get_data(as_text=True)
    return {f"{name}.{ext}": url for url, name, _hash, ext in ASSET.findall(page)}


def test_every_asset_is_named_by_its_content_and_cached_for_a_year(client):
    login_as(client, FATIMA)  # the logged-in layout links the most: session-timeout.js too
    assets = assets_of(client, "/mijn-omgeving")
    assert set(assets) == {"portal.css", "portal.js", "session-timeout.js",
                           "noto-sans-latin-400-normal.woff2", "noto-sans-latin-700-normal.woff2"}
    for url in assets.values():
        answer = client.get(url)
        assert answer.status_code == 200, url
        fingerprint = url.rsplit(".", 2)[1]
        assert hashlib.sha256(answer.data).hexdigest()[:12] == fingerprint, url
        cache_control = {part.strip() for part in answer.headers["Cache-Control"].split(",")}
        assert cache_control == {YEAR, "public", "immutable"}, url
        assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_a_logged_in_resident_gets_assets_without_a_session_read_or_cookie(client, app):
    login_as(client, FATIMA)
    assets = assets_of(client, "/mijn-omgeving")
    with counted_queries(app) as statements:
        answers = [client.get(url) for url in assets.values()]
    assert statements == []  # not even the session row
    for answer in answers:
        assert "Set-Cookie" not in answer.headers
        assert "no-store" not in answer.headers["Cache-Control"]
    # ... while their pages stay out of every cache, the public ones too (they show the name).
    for page in ("/mijn-omgeving", "/"):
        assert client.get(page).headers["Cache-Control"] == "no-store"


def test_assets_are_sent_compressed_to_browsers_that_accept_it(client):
    stylesheet = assets_of(client)["portal.css"]
    plain = client.get(stylesheet).data
    for encoding in ("br", "gzip"):
        answer = client.get(stylesheet, headers={"Accept-Encoding": f"{encoding}, deflate"})
        assert answer.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in answer.headers["Vary"]
        assert len(answer.data) < len(plain) / 5
        assert decoded(answer.data, encoding) == plain
    assert "Content-Encoding" not in client.get(stylesheet).headers


def test_pages_are_sent_compressed(client):
    for encoding in ("gzip", "br", "zstd"):
        answer = client.get("/", headers={"Accept-Encoding": encoding})
        assert answer.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in answer.headers["Vary"]
        assert "<h1" in decoded(answer.data, encoding).decode("utf-8")


def test_the_css_holds_only_what_the_pages_use_and_the_theme_font(client):
    css = client.get(assets_of(client)["portal.css"]).get_data(as_text=True)
    # Components no template uses are left out, e.g. the calendar and the drawer...
    assert ".utrecht-calendar" not in css
    assert ".utrecht-drawer" not in css
    # ... but what a macro builds from parts is kept (ui.alert, ui.status_badge, ui.heading).
    for kept in (".utrecht-alert--error", ".utrecht-status-badge--success",
                 ".utrecht-heading-3", ".portal-width-4"):
        assert kept in css, kept
    assert "\n  " not in css  # minified
    assert '"Noto Sans"' in css or "Noto Sans," in css
    assert css.count("@font-face") == 2
    assert "font-display:swap" in css


def test_the_layout_preloads_the_theme_fonts(client):
    page = client.get("/").get_data(as_text=True)
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" '
                          r"crossorigin>", page)
    assert len(preloads) == 2
    for url in preloads:
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer.mimetype == "font/woff2"


def test_the_page_checker_fails_a_page_using_a_class_the_build_left_out():
    page = ('<!DOCTYPE html><html lang="nl"><head><title>Kalender - Gemeente</title></head>'
            '<body><h1 class="utrecht-heading-1">Kalender</h1>'
            '<div class="utrecht-calendar portal-main"></div></body></html>')
    with pytest.raises(PageProblem, match="'utrecht-calendar' on <div> is not in the built CSS"):
        check_page(page)
    check_page(page.replace("utrecht-calendar ", ""))


def test_an_asset_missing_from_the_build_is_an_error_that_says_so(app):
    with app.test_request_context("/"), pytest.raises(AssetsNotBuilt, match=r"no asset 'x\.css'"):
        asset_url("x.css")
