"""The finished look, as far as HTML shows it: the municipality's logo (served as an image
only), one search box a page, the top tasks' pictograms, the HTML part of mail. The layout
itself (sizes, what is on a phone's first screen) is measured in tests/browser/test_look.py."""

import re

import pytest

from app.catalog.content import get_catalog
from app.db import get_session
from app.notifications.services import html_part, send_mail
from app.ui.icons import PICTOGRAMS, icon
from app.ui.logo import load_logo
from tests.login import login_as
from tests.personas import FATIMA

LOGO_SRC = re.compile(r'<img class="portal-brand__logo" src="(/logo/[0-9a-f]{16}\.svg)"\s+alt="([^"]*)"')


def test_the_header_shows_the_logo_and_it_is_served_as_a_cached_sandboxed_image(client):
    page = client.get("/").get_data(as_text=True)
    src, alt = LOGO_SRC.search(page).groups()
    assert alt == ""                                    # the name is written beside it
    assert '<span class="portal-brand__name">Gemeente Elburg</span>' in page

    logo = client.get(src)
    assert logo.status_code == 200 and logo.mimetype == "image/svg+xml"
    assert logo.data.startswith(b"<svg")
    assert "immutable" in logo.headers["Cache-Control"] and "public" in logo.headers["Cache-Control"]
    assert "sandbox" in logo.headers["Content-Security-Policy"]
    assert "script-src" not in logo.headers["Content-Security-Policy"]  # default-src 'none'
    assert client.get("/logo/0000000000000000.svg").status_code == 404


def test_a_logged_in_resident_gets_the_logo_cached_too(client):
    login_as(client, FATIMA)
    src = LOGO_SRC.search(client.get("/mijn-omgeving").get_data(as_text=True)).group(1)
    assert "no-store" not in client.get(src).headers["Cache-Control"]


def test_a_configured_logo_that_shows_the_name_is_the_brands_text(tmp_path):
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>')
    logo = load_logo(str(svg), shows_name=True)
    assert logo.shows_name and logo.svg == svg.read_bytes()
    assert logo.path == f"/logo/{logo.digest}.svg"
    assert not load_logo("", shows_name=True).shows_name   # the neutral default has no name


@pytest.mark.parametrize("content, problem", [
    ("<html><body>not an image</body></html>", "not an SVG image"),
    ("<svg xmlns='http://www.w3.org/2000/svg'>", "not well-formed"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>', "DOCTYPE"),
])
def test_a_logo_that_is_not_a_plain_svg_stops_the_app_at_start(tmp_path, content, problem):
    bad = tmp_path / "logo.svg"
    bad.write_text(content)
    with pytest.raises(RuntimeError, match=problem):
        load_logo(str(bad), shows_name=False)
    with pytest.raises(RuntimeError, match="cannot read"):
        load_logo(str(tmp_path / "missing.svg"), shows_name=False)


def test_home_and_search_have_one_search_box_and_other_pages_the_headers(client):
    for path in ("/", "/zoeken?q=paspoort"):
        page = client.get(path).get_data(as_text=True)
        assert page.count('name="q"') == 1, path
        assert 'id="site-search-q"' not in page
    assert page.count('name="q"') == 1
    product = client.get("/producten/paspoort").get_data(as_text=True)
    assert 'id="site-search-q"' in product and product.count('name="q"') == 1


def test_every_top_task_has_its_pictogram_as_decorative_svg(client, app):
    page = client.get("/").get_data(as_text=True)
    cards = page.count('<li class="portal-card portal-card--with-icon">')
    with app.app_context():
        assert cards == len(get_catalog().toptaken) and all(t.icon for t in get_catalog().toptaken)
    assert page.count('aria-hidden="true" focusable="false"') >= cards
    for name in PICTOGRAMS:
        assert 'aria-hidden="true"' in icon(name) and "<script" not in icon(name)


def test_templated_mail_has_an_html_part_with_the_logo_and_the_same_words(app, db_connection):
    with app.test_request_context():
        message = send_mail(get_session(), "email_code", to="fatima@example.nl", locale="nl",
                            code="123456", minutes=10)
    html = message.html_body
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    assert re.search(r'<img src="http://[^"]+/logo/[0-9a-f]{16}\.svg" alt="Gemeente Elburg"', html)
    assert "123456" in html and "123456" in message.text_body
    assert "<script" not in html


def test_the_html_part_escapes_the_text_and_links_its_addresses(app):
    with app.app_context():
        html = html_part("Hallo <b>Fatima</b>\nhttps://portaal.example/a?b=1&c=2.\n\n-----\n\nHello",
                         "Onderwerp", "nl")
    assert "&lt;b&gt;Fatima&lt;/b&gt;<br>" in html and "<b>" not in html
    assert '<a href="https://portaal.example/a?b=1&amp;c=2">https://portaal.example/a?b=1&amp;c=2</a>.<' in html
    assert "<hr" in html and "<p style=\"margin:0 0 16px\">Hello</p>" in html
    assert "<title>Onderwerp</title>" in html
