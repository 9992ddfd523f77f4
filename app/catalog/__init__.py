"""Catalogue feature: home with toptaken, products and services (PDC), search,
contact page and the accessibility and privacy statements.

The lead wires it up in create_app::

    from app import catalog
    catalog.init_app(app)            # loads content/catalog.toml (CATALOG_PATH); fails fast
    app.register_blueprint(catalog.bp)
"""

from flask import Blueprint

bp = Blueprint("catalog", __name__)

from . import cli, routes  # noqa: E402,F401  (register the command and the views on bp)
from .content import CatalogError, get_catalog, init_app, load_catalog  # noqa: E402

__all__ = ["CatalogError", "bp", "get_catalog", "init_app", "load_catalog"]
