"""Page weight: the bytes a browser downloads for the portal's main pages, compressed as sent.

    .venv/bin/python -m bench.page_weight

A first visit is a page with an empty cache: the HTML and everything it loads (stylesheet,
scripts, the fonts it preloads or its stylesheet names, images). A later page is the next
page with the cache the earlier pages left: its HTML plus whatever it loads that was not
cached, so an asset sent as not to be stored (or under a name that changes) counts again.
Bodies only, as sent (compressed where the browser asked for it); headers are left out.
Issue 16's budgets: a first visit at most 60 KB, every later page at most 15 KB
(tests/web/test_page_weight.py holds the portal to them).

Served by gunicorn as in production, with a resident logged in through the mock DigiD. Uses
DATABASE_URL like the app (SQLite file by default; migrate and seed it with DEMO_DATA=true,
so the resident has zaken and messages).
"""

import gzip
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.client import HTTPConnection
from urllib.parse import urljoin, urlsplit

import brotli

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

KB = 1000
FIRST_VISIT_BUDGET = 60 * KB
LATER_PAGE_BUDGET = 15 * KB
# Room kept in the first visit for the municipality's logo (an SVG), while a page shows none.
LOGO_ALLOWANCE = 4 * KB
# What Chrome and Firefox send.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"

PUBLIC_PAGES = {"home": "/", "product page": "/producten/paspoort",
                "search": "/zoeken?q=paspoort", "contact": "/contact"}
RESIDENT_PAGES = {"Mijn omgeving": "/mijn-omgeving", "Mijn zaken": "/mijn-omgeving/zaken",
                  "Mijn gegevens": "/mijn-omgeving/gegevens",
                  "Berichten": "/mijn-omgeving/berichten"}
ZAAK_LINK = re.compile(r'href="(/mijn-omgeving/zaken/[^"/?]+)"')
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes  # as sent

    def text(self) -> str:
        return decoded(self.body, self.headers.get("content-encoding", "")).decode("utf-8")


Fetch = Callable[[str], Answer]  # a GET of a path, sending ACCEPT_ENCODING (and a session)


def decoded(body: bytes, encoding: str) -> bytes:
    decode = {"": bytes, "identity": bytes, "gzip": gzip.decompress,
              "br": brotli.decompress, "zstd": zstd.decompress}[encoding.strip()]
    return decode(body)


class _AssetLinks(HTMLParser):
    """The files a page makes a browser load: stylesheets, preloads, icons, scripts, images."""

    LOADED_LINKS = frozenset({"stylesheet", "preload", "icon", "modulepreload"})

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and self.LOADED_LINKS & set((values.get("rel") or "").split()):
            self.urls.append(values.get("href") or "")
        elif tag in ("script", "img") and values.get("src"):
            self.urls.append(values["src"] or "")


def _is_cached(headers: dict[str, str]) -> bool:
    """Whether a browser keeps the answer and uses it again without asking."""
    directives = {part.strip().split("=")[0]: part.strip()
                  for part in headers.get("cache-control", "").lower().split(",")}
    if {"no-store", "no-cache"} & directives.keys() or "max-age" not in directives:
        return False
    return int(directives["max-age"].split("=")[1]) > 0


@dataclass
class Download:
    url: str
    kind: str  # html, css, js, font, image
    size: int


@dataclass
class Visit:
    page: str
    downloads: list[Download]

    @property
    def size(self) -> int:
        return sum(download.size for download in self.downloads)

    def size_of(self, kind: str) -> int:
        return sum(download.size for download in self.downloads if download.kind == kind)

    @property
    def shows_an_image(self) -> bool:
        return any(download.kind == "image" for download in self.downloads)

    @property
    def first_visit_weight(self) -> int:
        """What the budget of a first visit is held to: the logo's room counted while the
        page shows no image yet."""
        return self.size + (0 if self.shows_an_image else LOGO_ALLOWANCE)


def _kind(url: str, headers: dict[str, str]) -> str:
    mimetype = headers.get("content-type", "").split(";")[0].strip()
    if mimetype == "text/html":
        return "html"
    if mimetype == "text/css":
        return "css"
    if "javascript" in mimetype:
        return "js"
    if mimetype.startswith("font/") or url.endswith((".woff2", ".woff")):
        return "font"
    return "image" if mimetype.startswith("image/") else mimetype


@dataclass
class Browser:
    """A browser's cache over `fetch`: what it downloads per page."""

    fetch: Fetch
    cache: set[str] = field(default_factory=set)

    def visit(self, path: str) -> Visit:
        page = self._get(path)
        downloads = [Download(path, "html", len(page.body))]
        pending = list(_page_assets(path, page.text()))
        seen = set()
        while pending:
            url = pending.pop(0)
            if url in seen or url in self.cache:
                continue
            seen.add(url)
            answer = self._get(url)
            kind = _kind(url, answer.headers)
            downloads.append(Download(url, kind, len(answer.body)))
            if _is_cached(answer.headers):
                self.cache.add(url)
            if kind == "css":
                pending.extend(urljoin(url, ref) for ref in CSS_URL.findall(answer.text())
                               if not ref.startswith("data:"))
        return Visit(path, downloads)

    def _get(self, path: str) -> Answer:
        answer = self.fetch(path)
        if answer.status != 200:
            raise AssertionError(f"GET {path}: {answer.status}")
        return answer


def _page_assets(path: str, html: str) -> Iterable[str]:
    links = _AssetLinks()
    links.feed(html)
    for url in links.urls:
        absolute = urljoin(path, url)
        if not urlsplit(absolute).netloc:  # same origin only (the CSP allows nothing else)
            yield absolute


def resident_pages(fetch: Fetch) -> dict[str, str]:
    """Mijn omgeving's main pages, with the resident's first zaak when they have one."""
    pages = dict(RESIDENT_PAGES)
    zaak = ZAAK_LINK.search(fetch(RESIDENT_PAGES["Mijn zaken"]).text())
    if zaak:
        pages["zaak page"] = zaak.group(1)
    return pages


def measure(fetch: Fetch, pages: dict[str, str]) -> tuple[dict[str, Visit], dict[str, Visit]]:
    """Each page as a first visit (an empty cache), and as a later page (the cache after
    visiting the first of `pages`)."""
    first = {name: Browser(fetch).visit(path) for name, path in pages.items()}
    browser = Browser(fetch)
    browser.visit(next(iter(pages.values())))
    later = {name: browser.visit(path) for name, path in pages.items()}
    return first, later


def table(first: dict[str, Visit], later: dict[str, Visit]) -> str:
    rows = ["| page | first visit KB | HTML | CSS | JS | fonts | later page KB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, visit in first.items():
        sizes = [visit.size, *(visit.size_of(kind) for kind in ("html", "css", "js", "font")),
                 later[name].size]
        rows.append(f"| {name} | " + " | ".join(f"{size / KB:.1f}" for size in sizes) + " |")
    return "\n".join(rows)


def http_fetcher(base_url: str, cookie: str = "") -> Fetch:
    """GETs over one keep-alive connection, as a browser sends them (the body as sent)."""
    host, port = urlsplit(base_url).netloc.split(":")
    connection = HTTPConnection(host, int(port), timeout=30)
    headers = {"Accept-Encoding": ACCEPT_ENCODING, **({"Cookie": cookie} if cookie else {})}

    def fetch(path: str) -> Answer:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return Answer(response.status,
                      {name.lower(): value for name, value in response.getheaders()}, body)
    return fetch


def main() -> None:
    from bench.harness import free_port, gunicorn, log_in, mock_digid
    from bench.pip_volume import portal_env
    from tests.personas import FATIMA

    port = free_port()
    with mock_digid(port) as issuer, gunicorn(portal_env(issuer), port=port) as server:
        public = measure(http_fetcher(server.base_url), PUBLIC_PAGES)
        resident = http_fetcher(server.base_url, log_in(server.base_url, FATIMA))
        personal = measure(resident, resident_pages(resident))
    print("Public pages, not logged in:\n" + table(*public))
    print("\nMijn omgeving, logged in:\n" + table(*personal))
    print(f"\nKB = {KB} bytes; budgets: first visit {FIRST_VISIT_BUDGET // KB} KB "
          f"(incl. {LOGO_ALLOWANCE // KB} KB for a logo), later page {LATER_PAGE_BUDGET // KB} KB")


if __name__ == "__main__":
    main()
