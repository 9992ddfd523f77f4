"""The built front-end assets (scripts/build-assets.mjs): their fingerprinted names and how
they are served.

Every asset in ``app/static/dist/`` carries its content's hash in its name, so its URL changes
whenever its content does: browsers may keep it a year without asking again (``immutable``).
Static files are served by WhiteNoise in front of Flask, so a request for one never reaches a
view, a session or the database, and WhiteNoise sends the build's brotli or gzip copy to a
browser that accepts it. Pages and JSON are compressed by Flask-Compress (app.extensions).
"""

import json
import re
from pathlib import Path

from flask import Flask, current_app
from whitenoise import WhiteNoise

from app.ui import template_url_for

DIST = "dist"
MANIFEST = "manifest.json"
ONE_YEAR = 365 * 24 * 60 * 60
# name.<12 hex digits>.ext, as the build names every file it fingerprints.
FINGERPRINTED = re.compile(rf"/{DIST}/[^/]+\.[0-9a-f]{{12}}\.\w+$")


class AssetsNotBuilt(RuntimeError):
    pass


class StaticFiles(WhiteNoise):
    # WhiteNoise says ten years for immutable files; a year is long enough (a changed file
    # gets a new name anyway) and what HTTP/1.1 once set as the most to promise.
    FOREVER = ONE_YEAR


def init_app(app: Flask) -> None:
    """Serve app/static/ before Flask sees the request, and give templates asset_url() and
    preloaded_fonts(). Wrap before the host check and ProxyFix, which then run first."""
    app.wsgi_app = StaticFiles(
        app.wsgi_app, root=app.static_folder, prefix=app.static_url_path,
        # Fingerprinted files never change; any other file under /static/ (an image a
        # municipality adds, the logo) may, so caches ask again after an hour.
        immutable_file_test=lambda _path, url: bool(FINGERPRINTED.search(url)),
        max_age=3600,
        # While developing (flask run --debug), a rebuild's new files are served at once.
        autorefresh=app.debug,
        add_headers_function=_static_headers)
    app.extensions["assets_manifest"] = _read_manifest(app)
    app.add_template_global(asset_url)
    app.add_template_global(preloaded_fonts)


def _static_headers(headers, _path: str, _url: str) -> None:
    # Flask's after_request never sees these responses: the one security header that
    # matters for a file (a browser must not take a text file for a script) is set here.
    headers["X-Content-Type-Options"] = "nosniff"


def _read_manifest(app: Flask) -> dict | None:
    try:
        return json.loads((Path(app.static_folder) / DIST / MANIFEST).read_text("utf-8"))
    except FileNotFoundError:
        return None  # asset_url() says what to do, on the first page that needs it


def _manifest() -> dict:
    if current_app.jinja_env.auto_reload:  # developing: `npm run build` without a restart
        current_app.extensions["assets_manifest"] = _read_manifest(current_app)
    manifest = current_app.extensions["assets_manifest"]
    if manifest is None:
        raise AssetsNotBuilt(
            f"{current_app.static_folder}/{DIST}/{MANIFEST} is missing: build the assets "
            "with `npm ci && npm run build`")
    return manifest


def asset_url(name: str) -> str:
    """The URL of a built asset under its fingerprinted name, e.g. asset_url("portal.css")."""
    try:
        built = _manifest()["files"][name]
    except KeyError:
        raise AssetsNotBuilt(f"no asset {name!r} in the build's {MANIFEST}") from None
    return template_url_for("static", filename=f"{DIST}/{built}")


def preloaded_fonts() -> list[str]:
    """The URLs of the theme's font files, which every page uses: the layout preloads them,
    so the text swaps to the theme's font before the stylesheet has been read."""
    return [template_url_for("static", filename=f"{DIST}/{name}")
            for name in _manifest()["preload"]]
