"""The product catalogue (PDC) as data: loaded from a TOML file and validated once.

The municipality edits ``content/catalog.toml`` (path in the app config key
``CATALOG_PATH``); nothing here needs a code change for new texts or products.
Every text exists in Dutch and English, as ``{ nl = "...", en = "..." }``.
A malformed file stops the app at start-up with a message that names the place.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from app.texts import LANGUAGES, Text, language_of
from app.ui.icons import PICTOGRAMS

EXTENSION_KEY = "catalog"

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Own paths only: "/x", never "//host" or "/\host" (browsers treat both as another site).
_PATH_RE = re.compile(r"^/(?![/\\])[^\s]*$")
# For whom a resident may arrange a product (and fill in its form): one value that the
# product page and the form's start page both show, so they cannot say different things.
APPLIES_FOR = ("self", "self_and_children", "self_and_household", "self_or_other")


class CatalogError(ValueError):
    """The catalogue file is missing or malformed; the message names the place."""


# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class TextList:
    """A list of short texts (e.g. what to bring) in every supported language."""

    nl: tuple[str, ...] = ()
    en: tuple[str, ...] = ()

    def get(self, locale: object) -> list[str]:
        return list(getattr(self, language_of(locale)) or self.nl)

    def __bool__(self) -> bool:
        return bool(self.nl)


@dataclass(frozen=True)
class Category:
    slug: str
    title: Text
    description: Text | None = None


@dataclass(frozen=True)
class Fee:
    label: Text
    amount: Decimal


@dataclass(frozen=True)
class Cost:
    """Fees of one year. ``set_by_municipality`` is False for fees the law fixes
    (the Rijk sets a maximum, e.g. paspoort); the note says so in words."""

    year: int | None
    set_by_municipality: bool
    fees: tuple[Fee, ...] = ()
    free: bool = False
    note: Text | None = None


@dataclass(frozen=True)
class Channels:
    """How to arrange the product, in click-call-face order.

    ``online`` is the internal path of the e-form; it is only offered when
    ``online_available`` is true (the e-form exists). ``appointment`` means a
    visit to the balie by appointment.
    """

    online: str | None = None
    online_available: bool = False
    phone: bool = True
    appointment: bool = False


@dataclass(frozen=True)
class Product:
    slug: str
    category: str
    title: Text
    summary: Text
    description: Text
    who_can_apply: Text
    cost: Cost
    channels: Channels
    doorlooptijd: Text | None = None
    servicenorm: Text | None = None
    what_to_bring: TextList = field(default_factory=TextList)
    synonyms: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    applies_for: str | None = None  # one of APPLIES_FOR


@dataclass(frozen=True)
class TopTask:
    """A top task on the home page. Exactly one of product / category / path."""

    title: Text
    description: Text
    product: str | None = None
    category: str | None = None
    path: str | None = None
    icon: str | None = None  # a pictogram of app/ui/icons.py


@dataclass(frozen=True)
class Section:
    heading: Text
    body: Text | None = None
    items: TextList = field(default_factory=TextList)
    # Show the municipality's contact details (from the app config) after this section.
    contact_details: bool = False
    # A button to a page of the portal (e.g. a form) after the section.
    link: str | None = None
    link_text: Text | None = None


@dataclass(frozen=True)
class Page:
    title: Text
    intro: Text | None = None
    sections: tuple[Section, ...] = ()
    updated: dt.date | None = None


@dataclass(frozen=True, eq=False)
class Catalog:
    intro: Text
    categories: tuple[Category, ...]
    toptaken: tuple[TopTask, ...]
    products: tuple[Product, ...]
    pages: dict[str, Page]
    source: str = ""

    def product(self, slug: str) -> Product | None:
        return next((p for p in self.products if p.slug == slug), None)

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def page(self, name: str) -> Page:
        return self.pages[name]


REQUIRED_PAGES = ("contact", "accessibility", "privacy")


# --------------------------------------------------------------------------- parsing


class _Parser:
    def __init__(self, source: str):
        self.source = source

    def fail(self, where: str, message: str) -> CatalogError:
        return CatalogError(f"{self.source}: {where}: {message}")

    def table(self, data: Any, where: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, "expected a table")
        return data

    def required(self, data: dict[str, Any], key: str, where: str) -> Any:
        if key not in data:
            raise self.fail(where, f"'{key}' is missing")
        return data[key]

    def no_unknown(self, data: dict[str, Any], allowed: set[str], where: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(map(repr, unknown))} (typo?)")

    def text(self, value: Any, where: str) -> Text:
        if not isinstance(value, dict):
            raise self.fail(where, 'expected { nl = "...", en = "..." }')
        self.no_unknown(value, set(LANGUAGES), where)
        texts = {}
        for lang in LANGUAGES:
            item = value.get(lang)
            if not isinstance(item, str) or not item.strip():
                raise self.fail(where, f"the text in language '{lang}' is missing or empty")
            texts[lang] = item.strip()
        return Text(**texts)

    def opt_text(self, data: dict[str, Any], key: str, where: str) -> Text | None:
        return self.text(data[key], f"{where}.{key}") if key in data else None

    def text_list(self, value: Any, where: str) -> TextList:
        if not isinstance(value, dict):
            raise self.fail(where, 'expected { nl = ["..."], en = ["..."] }')
        self.no_unknown(value, set(LANGUAGES), where)
        lists = {}
        for lang in LANGUAGES:
            items = value.get(lang)
            if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
                raise self.fail(where, f"the list in language '{lang}' is missing or has empty items")
            lists[lang] = tuple(i.strip() for i in items)
        if len(lists["nl"]) != len(lists["en"]):
            raise self.fail(where, "the languages have a different number of items")
        return TextList(**lists)

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(i, str) and i.strip() for i in value):
            raise self.fail(where, "expected a list of non-empty strings")
        return tuple(i.strip() for i in value)

    def boolean(self, data: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", "expected true or false")
        return value

    def slug(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _SLUG_RE.match(value):
            raise self.fail(where, f"{value!r} is not a slug (lower-case letters, digits and '-')")
        return value

    def path(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _PATH_RE.match(value):
            raise self.fail(where, f"{value!r} is not an internal path starting with '/'")
        return value

    # -- parts

    def category(self, data: Any, where: str) -> Category:
        data = self.table(data, where)
        self.no_unknown(data, {"slug", "title", "description"}, where)
        return Category(
            slug=self.slug(self.required(data, "slug", where), f"{where}.slug"),
            title=self.text(self.required(data, "title", where), f"{where}.title"),
            description=self.opt_text(data, "description", where),
        )

    def cost(self, data: Any, where: str) -> Cost:
        data = self.table(data, where)
        self.no_unknown(data, {"year", "cost_set_by_municipality", "fees", "free", "note"}, where)
        year = data.get("year")
        if year is not None and not (isinstance(year, int) and 2000 <= year <= 2100):
            raise self.fail(f"{where}.year", "expected a year such as 2025")
        if "cost_set_by_municipality" not in data:
            raise self.fail(where, "'cost_set_by_municipality' is missing (true, or false when the law fixes the fee)")
        fees = []
        for i, fee in enumerate(data.get("fees", [])):
            fw = f"{where}.fees[{i}]"
            fee = self.table(fee, fw)
            self.no_unknown(fee, {"label", "amount"}, fw)
            raw = self.required(fee, "amount", fw)
            try:
                if isinstance(raw, bool):
                    raise InvalidOperation
                amount = Decimal(str(raw).replace(",", "."))
            except InvalidOperation:
                raise self.fail(f"{fw}.amount", f"{raw!r} is not an amount in euros") from None
            if amount < 0 or not amount.is_finite():
                raise self.fail(f"{fw}.amount", "expected an amount of 0 or more")
            fees.append(Fee(label=self.text(self.required(fee, "label", fw), f"{fw}.label"),
                            amount=amount.quantize(Decimal("0.01"))))
        free = self.boolean(data, "free", where, False)
        if not fees and not free:
            raise self.fail(where, "give 'fees' or set 'free = true'")
        if fees and year is None:
            raise self.fail(where, "'year' is missing: say which year the fees are for")
        return Cost(
            year=year,
            set_by_municipality=self.boolean(data, "cost_set_by_municipality", where, True),
            fees=tuple(fees),
            free=free,
            note=self.opt_text(data, "note", where),
        )

    def channels(self, data: Any, where: str) -> Channels:
        data = self.table(data, where)
        self.no_unknown(data, {"online", "online_available", "phone", "appointment"}, where)
        online = self.path(data["online"], f"{where}.online") if "online" in data else None
        online_available = self.boolean(data, "online_available", where, False)
        if online_available and not online:
            raise self.fail(where, "'online_available = true' needs the e-form path in 'online'")
        return Channels(
            online=online,
            online_available=online_available,
            phone=self.boolean(data, "phone", where, True),
            appointment=self.boolean(data, "appointment", where, False),
        )

    def product(self, data: Any, where: str) -> Product:
        data = self.table(data, where)
        allowed = {
            "slug", "category", "title", "summary", "description", "who_can_apply", "cost",
            "channels", "doorlooptijd", "servicenorm", "what_to_bring", "synonyms", "misspellings",
            "applies_for",
        }
        self.no_unknown(data, allowed, where)
        slug = self.slug(self.required(data, "slug", where), f"{where}.slug")
        where = f"{where} ({slug})"
        return Product(
            slug=slug,
            category=self.slug(self.required(data, "category", where), f"{where}.category"),
            title=self.text(self.required(data, "title", where), f"{where}.title"),
            summary=self.text(self.required(data, "summary", where), f"{where}.summary"),
            description=self.text(self.required(data, "description", where), f"{where}.description"),
            who_can_apply=self.text(self.required(data, "who_can_apply", where), f"{where}.who_can_apply"),
            cost=self.cost(self.required(data, "cost", where), f"{where}.cost"),
            channels=self.channels(self.required(data, "channels", where), f"{where}.channels"),
            doorlooptijd=self.opt_text(data, "doorlooptijd", where),
            servicenorm=self.opt_text(data, "servicenorm", where),
            what_to_bring=(self.text_list(data["what_to_bring"], f"{where}.what_to_bring")
                           if "what_to_bring" in data else TextList()),
            synonyms=self.strings(data.get("synonyms", []), f"{where}.synonyms"),
            misspellings=self.strings(data.get("misspellings", []), f"{where}.misspellings"),
            applies_for=self.applies_for(data.get("applies_for"), f"{where}.applies_for"),
        )

    def applies_for(self, value: Any, where: str) -> str | None:
        if value is not None and value not in APPLIES_FOR:
            raise self.fail(where, f"{value!r}: expected one of {', '.join(APPLIES_FOR)}")
        return value

    def toptask(self, data: Any, where: str) -> TopTask:
        data = self.table(data, where)
        self.no_unknown(data, {"title", "description", "product", "category", "path", "icon"}, where)
        targets = [k for k in ("product", "category", "path") if k in data]
        if len(targets) != 1:
            raise self.fail(where, "give exactly one link target: 'product', 'category' or 'path'")
        if "icon" in data and data["icon"] not in PICTOGRAMS:
            raise self.fail(f"{where}.icon", f"unknown pictogram; one of {', '.join(PICTOGRAMS)}")
        return TopTask(
            icon=data.get("icon"),
            title=self.text(self.required(data, "title", where), f"{where}.title"),
            description=self.text(self.required(data, "description", where), f"{where}.description"),
            product=self.slug(data["product"], f"{where}.product") if "product" in data else None,
            category=self.slug(data["category"], f"{where}.category") if "category" in data else None,
            path=self.path(data["path"], f"{where}.path") if "path" in data else None,
        )

    def section(self, data: Any, where: str) -> Section:
        data = self.table(data, where)
        self.no_unknown(data, {"heading", "body", "items", "contact_details", "link", "link_text"},
                        where)
        if ("link" in data) != ("link_text" in data):
            raise self.fail(where, "give 'link' and 'link_text' together")
        return Section(
            heading=self.text(self.required(data, "heading", where), f"{where}.heading"),
            body=self.opt_text(data, "body", where),
            items=self.text_list(data["items"], f"{where}.items") if "items" in data else TextList(),
            contact_details=self.boolean(data, "contact_details", where, False),
            link=self.path(data["link"], f"{where}.link") if "link" in data else None,
            link_text=self.opt_text(data, "link_text", where),
        )

    def page(self, data: Any, where: str) -> Page:
        data = self.table(data, where)
        self.no_unknown(data, {"title", "intro", "sections", "updated"}, where)
        updated = data.get("updated")
        if updated is not None and (not isinstance(updated, dt.date) or isinstance(updated, dt.datetime)):
            raise self.fail(f"{where}.updated", "expected a date such as 2025-06-01")
        sections = data.get("sections", [])
        if not isinstance(sections, list):
            raise self.fail(f"{where}.sections", "expected [[...sections]] tables")
        return Page(
            title=self.text(self.required(data, "title", where), f"{where}.title"),
            intro=self.opt_text(data, "intro", where),
            sections=tuple(self.section(s, f"{where}.sections[{i}]") for i, s in enumerate(sections)),
            updated=updated,
        )

    def catalog(self, data: dict[str, Any]) -> Catalog:
        self.no_unknown(data, {"home", "categories", "toptaken", "products", "pages"}, "top level")
        home = self.table(self.required(data, "home", "top level"), "home")
        self.no_unknown(home, {"intro"}, "home")

        def array(key: str) -> list[Any]:
            value = self.required(data, key, "top level")
            if not isinstance(value, list) or not value:
                raise self.fail(key, f"expected one or more [[{key}]] tables")
            return value

        categories = tuple(self.category(c, f"categories[{i}]") for i, c in enumerate(array("categories")))
        products = tuple(self.product(p, f"products[{i}]") for i, p in enumerate(array("products")))
        toptaken = tuple(self.toptask(t, f"toptaken[{i}]") for i, t in enumerate(array("toptaken")))

        self._unique([c.slug for c in categories], "categories", "category slug")
        self._unique([p.slug for p in products], "products", "product slug")
        category_slugs = {c.slug for c in categories}
        product_slugs = {p.slug for p in products}
        for p in products:
            if p.category not in category_slugs:
                raise self.fail(f"product '{p.slug}'", f"category '{p.category}' is not in [[categories]]")
        for i, t in enumerate(toptaken):
            if t.product and t.product not in product_slugs:
                raise self.fail(f"toptaken[{i}]", f"product '{t.product}' is not in [[products]]")
            if t.category and t.category not in category_slugs:
                raise self.fail(f"toptaken[{i}]", f"category '{t.category}' is not in [[categories]]")

        pages_data = self.table(self.required(data, "pages", "top level"), "pages")
        pages = {name: self.page(value, f"pages.{name}") for name, value in pages_data.items()}
        for name in REQUIRED_PAGES:
            if name not in pages:
                raise self.fail("pages", f"[pages.{name}] is missing")

        return Catalog(
            intro=self.text(self.required(home, "intro", "home"), "home.intro"),
            categories=categories,
            toptaken=toptaken,
            products=products,
            pages=pages,
            source=self.source,
        )

    def _unique(self, values: list[str], where: str, what: str) -> None:
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise self.fail(where, f"duplicate {what} '{value}'")
            seen.add(value)


def parse_catalog(data: dict[str, Any], source: str = "<catalog>") -> Catalog:
    """Validate already-parsed TOML data into a Catalog (raises CatalogError)."""
    return _Parser(source).catalog(data)


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate the catalogue file (raises CatalogError)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise CatalogError(f"{path}: the catalogue file does not exist (config CATALOG_PATH)") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML: {exc}") from None
    return parse_catalog(data, str(path))


# --------------------------------------------------------------------------- app glue


def init_app(app: Flask) -> Catalog:
    """Load the catalogue once for this app; a malformed file fails start-up."""
    catalog = load_catalog(app.config["CATALOG_PATH"])
    app.extensions[EXTENSION_KEY] = catalog
    return catalog


def get_catalog() -> Catalog:
    """The current app's catalogue, loaded on first use when init_app was not called."""
    catalog = current_app.extensions.get(EXTENSION_KEY)
    if catalog is None:
        catalog = init_app(current_app._get_current_object())  # type: ignore[attr-defined]
    return catalog
