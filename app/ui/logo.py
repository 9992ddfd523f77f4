"""The municipality's logo: an SVG file named by MUNICIPALITY_LOGO (else the neutral logo
shipped beside this module), checked once at start and served at /logo/<digest>.svg.

The SVG is never written into a page: it is shown through <img> (where an SVG runs no script)
and served with a sandboxing Content-Security-Policy (a resident who opens it on its own gets no
script either). Its address carries the digest of its content, so browsers may keep it a year
and a new logo has a new address.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from flask import Flask, Response, abort, current_app

DEFAULT_LOGO = Path(__file__).with_name("default-logo.svg")
MAX_BYTES = 200_000
SVG_ROOT = "{http://www.w3.org/2000/svg}svg"
ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Logo:
    svg: bytes
    digest: str
    shows_name: bool

    @property
    def path(self) -> str:
        return f"/logo/{self.digest}.svg"


def load_logo(path: str, shows_name: bool) -> Logo:
    """The logo at `path` (empty: the default one); a file that is not a plain SVG image stops
    the app at start, where a mistake in the configuration is seen at once."""
    source = Path(path) if path else DEFAULT_LOGO
    try:
        svg = source.read_bytes()
    except OSError as error:
        raise RuntimeError(f"MUNICIPALITY_LOGO: cannot read {source}: {error}") from error
    problem = _svg_problem(svg)
    if problem:
        raise RuntimeError(f"MUNICIPALITY_LOGO: {source} {problem}")
    return Logo(svg=svg, digest=hashlib.sha256(svg).hexdigest()[:16],
                shows_name=shows_name and bool(path))


def _svg_problem(svg: bytes) -> str | None:
    if len(svg) > MAX_BYTES:
        return f"is larger than {MAX_BYTES // 1000} kB"
    if b"<!DOCTYPE" in svg.upper() or b"<!ENTITY" in svg.upper():
        return "has a DOCTYPE or entities (not allowed: they can expand without end)"
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        return f"is not well-formed XML ({error})"
    if root.tag != SVG_ROOT:
        return "is not an SVG image (its root element is not <svg> in the SVG namespace)"
    return None


def serve_logo(digest: str) -> Response:
    logo: Logo = current_app.extensions["ui_logo"]
    if digest != logo.digest:
        abort(404)
    response = Response(logo.svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    return response


def init_app(app: Flask) -> Logo:
    logo = load_logo(app.config["MUNICIPALITY_LOGO"], app.config["MUNICIPALITY_LOGO_SHOWS_NAME"])
    app.extensions["ui_logo"] = logo
    return logo
