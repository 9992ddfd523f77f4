"""Thin views: read the request, ask the catalogue, render."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency
from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from wtforms import Form, SearchField

from app.ui import locale_name
from app.ui.dates import long_date

from . import bp
from .content import Product, TopTask, get_catalog
from .facts import applies_for_text, in_words, written_answer_words, zaaktype_terms
from .services import ProductNotFound, get_product, products_by_category, search

# Every page that promises a written answer says it through the one setting.
bp.add_app_template_global(written_answer_words)

MAX_QUERY_LENGTH = 100


class SearchForm(Form):
    """GET search form (no CSRF: it changes nothing)."""

    # A distinct id: the header's search field (on the other pages) also has the name "q".
    q = SearchField(lazy_gettext("Search for a product or service"), id="catalog-search-q")


def _search_form() -> SearchForm:
    form = SearchForm(request.args)
    form.q.data = (form.q.data or "").strip()[:MAX_QUERY_LENGTH]
    return form


def _toptask_href(task: TopTask) -> str:
    if task.product:
        return url_for("catalog.product", slug=task.product)
    if task.category:
        return url_for("catalog.products", _anchor=task.category)
    return task.path or url_for("catalog.home")


def _appointment_href(product: Product) -> str | None:
    """Link to book a balie appointment, only when the appointments feature is on
    (otherwise the page tells residents to phone for an appointment)."""
    if not (product.channels.appointment and current_app.config["APPOINTMENTS_ENABLED"]):
        return None
    return url_for("appointments.start", product=product.slug)


def _online_href(product: Product, form) -> str | None:
    """Where to arrange the product online: its e-form when a definition names the
    product, else the online path the catalogue marks as available (e.g. booking)."""
    if form:
        return url_for("eforms.start", slug=form.slug)
    return product.channels.online if product.channels.online_available else None


def _is_booking(href: str | None) -> bool:
    """The product is the booking itself ("Afspraak maken"): its online route is the agenda."""
    return bool(href) and href == url_for("appointments.start")


@bp.app_template_filter("catalog_euro")
def euro(amount: Decimal) -> str:
    """€ amounts in the page language; 0 reads as "free"."""
    if amount == 0:
        return gettext("Free")
    return format_currency(amount, "EUR", locale=locale_name())


@bp.get("/")
def home():
    catalog = get_catalog()
    toptaken = [(t, _toptask_href(t)) for t in catalog.toptaken]
    return render_template(
        "catalog/home.html", catalog=catalog, toptaken=toptaken, form=_search_form(), locale=locale_name()
    )


@bp.get("/producten")
def products():
    catalog = get_catalog()
    return render_template(
        "catalog/products.html", groups=products_by_category(catalog), locale=locale_name()
    )


@bp.get("/producten/<slug>")
def product(slug: str):
    catalog = get_catalog()
    try:
        item = get_product(catalog, slug)
    except ProductNotFound:
        abort(404)
    # Imported here: the e-forms feature uses the catalogue (app.eforms imports app.catalog).
    from app.eforms.definitions import definition_for_product

    form = definition_for_product(item.slug)
    form_href = _online_href(item, form)
    return render_template(
        "catalog/product.html",
        product=item,
        category=catalog.category(item.category),
        appointment_href=_appointment_href(item),
        form_href=form_href,
        is_booking=_is_booking(form_href),
        norms=in_words(zaaktype_terms(form.zaaktype if form else None)),
        applies_for=applies_for_text(item.applies_for),
        locale=locale_name(),
    )


# Endpoint "catalog.search" (contract); the function has another name so that
# services.search stays importable under its own name.
@bp.get("/zoeken", endpoint="search")
def search_page():
    catalog = get_catalog()
    form = _search_form()
    query = form.q.data
    results = search(catalog, query, locale_name()) if query else []
    return render_template(
        "catalog/search.html", form=form, query=query, results=results, locale=locale_name()
    )


def _page(name: str, template: str = "catalog/page.html"):
    page = get_catalog().page(name)
    updated = long_date(page.updated) or None
    return render_template(template, page=page, page_name=name, updated=updated, locale=locale_name())


@bp.get("/contact")
def contact():
    return _page("contact")


@bp.get("/toegankelijkheid")
def accessibility():
    return _page("accessibility")


@bp.get("/privacy")
def privacy():
    return _page("privacy")
