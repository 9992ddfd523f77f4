"""Catalogue: loading and validating the TOML, and product search.

Runs without the app: the catalogue is built straight from the loader.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from app.catalog.content import CatalogError, load_catalog, parse_catalog
from app.catalog.services import (
    ProductNotFound,
    get_product,
    normalise,
    products_by_category,
    search,
)
from app.texts import Text

CATALOG_FILE = Path(__file__).resolve().parents[2] / "content" / "catalog.toml"
FORMS = CATALOG_FILE.parent / "forms"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CATALOG_FILE)


@pytest.fixture()
def raw():
    """The real file as data, to break one thing per test."""
    with CATALOG_FILE.open("rb") as fh:
        return tomllib.load(fh)


def slugs(products):
    return [p.slug for p in products]


# ----------------------------------------------------------------------------- loading


def test_real_file_loads_with_enough_content(catalog):
    assert len(catalog.toptaken) >= 10
    assert len(catalog.products) >= 18
    assert {"contact", "accessibility", "privacy"} <= set(catalog.pages)
    assert catalog.toptaken[0].category == "reisdocumenten"  # most asked first


def test_every_product_is_complete_in_both_languages(catalog):
    for product in catalog.products:
        for text in (product.title, product.summary, product.description, product.who_can_apply):
            assert text.nl and text.en, product.slug
        assert product.cost.fees or product.cost.free, product.slug
        assert len(product.what_to_bring.nl) == len(product.what_to_bring.en)
        assert product.channels.phone, product.slug
        # a product only claims to be online when its e-form exists (or it is booking itself)
        if product.channels.online_available and product.channels.online != "/afspraak":
            slug = product.channels.online.removeprefix("/formulieren/")
            assert (FORMS / f"{slug}.toml").is_file(), product.slug


def test_fees_are_decimals_and_legal_fees_are_marked(catalog):
    paspoort = get_product(catalog, "paspoort")
    assert paspoort.cost.set_by_municipality is False
    assert paspoort.cost.year is not None
    assert all(isinstance(fee.amount, Decimal) for fee in paspoort.cost.fees)
    assert get_product(catalog, "uittreksel-brp").cost.set_by_municipality is True


def test_toptask_targets_exist(catalog):
    for task in catalog.toptaken:
        if task.product:
            assert catalog.product(task.product)
        if task.category:
            assert catalog.category(task.category)


def test_text_falls_back_to_dutch():
    text = Text(nl="Paspoort", en="Passport")
    assert text.get("en") == "Passport"
    assert text.get("en_GB") == "Passport"
    assert text.get("de") == "Paspoort"
    assert text.get(None) == "Paspoort"


def test_text_paragraphs_split_on_blank_lines():
    text = Text(nl="Een.\n\nTwee.\n  \nDrie.", en="x")
    assert text.paragraphs("nl") == ["Een.", "Twee.", "Drie."]


def test_missing_language_is_an_error(raw):
    del raw["products"][2]["summary"]["en"]
    with pytest.raises(CatalogError, match=r"products\[2\].*summary.*'en'"):
        parse_catalog(raw, "catalog.toml")


def test_duplicate_slug_is_an_error(raw):
    raw["products"][1]["slug"] = raw["products"][0]["slug"]
    with pytest.raises(CatalogError, match="duplicate product slug 'paspoort'"):
        parse_catalog(raw)


def test_unknown_key_is_reported_as_typo(raw):
    raw["products"][0]["sumary"] = raw["products"][0]["summary"]
    with pytest.raises(CatalogError, match="sumary"):
        parse_catalog(raw)


def test_toptask_to_unknown_product_is_an_error(raw):
    raw["toptaken"][1] = {**raw["toptaken"][1], "product": "bestaat-niet"}
    with pytest.raises(CatalogError, match="bestaat-niet"):
        parse_catalog(raw)


def test_external_or_protocol_relative_paths_are_refused(raw):
    raw["products"][3]["channels"]["online"] = "//evil.example/form"
    with pytest.raises(CatalogError, match="internal path"):
        parse_catalog(raw)


def test_online_available_needs_a_path(raw):
    raw["products"][0]["channels"]["online_available"] = True
    with pytest.raises(CatalogError, match="online_available"):
        parse_catalog(raw)


def test_cost_must_say_who_sets_it(raw):
    del raw["products"][0]["cost"]["cost_set_by_municipality"]
    with pytest.raises(CatalogError, match="cost_set_by_municipality"):
        parse_catalog(raw)


def test_malformed_toml_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "catalog.toml"
    bad.write_text('[home]\nintro = { nl = "Hallo" \n', encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog(bad)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CatalogError, match="CATALOG_PATH"):
        load_catalog(tmp_path / "nope.toml")


def test_file_missing_english_is_rejected(tmp_path):
    text = CATALOG_FILE.read_text(encoding="utf-8").replace(
        'title = { nl = "Rijbewijs", en = "Driving licence" }', 'title = { nl = "Rijbewijs" }'
    )
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"rijbewijs.*title.*'en'"):
        load_catalog(path)


# ----------------------------------------------------------------------------- lookups


def test_get_product_unknown_slug_raises(catalog):
    with pytest.raises(ProductNotFound):
        get_product(catalog, "bestaat-niet")


def test_products_by_category_keeps_order_and_covers_all(catalog):
    groups = products_by_category(catalog)
    assert [c.slug for c, _ in groups] == [
        c.slug for c in catalog.categories if any(p.category == c.slug for p in catalog.products)
    ]
    assert sum(len(items) for _, items in groups) == len(catalog.products)


# ----------------------------------------------------------------------------- search


def test_normalise():
    assert normalise("  ID-Kaart! ") == "id kaart"
    assert normalise("Doe'th café") == "doe th cafe"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("paspoort", "paspoort"),
        ("Paspoort aanvragen", "paspoort"),
        ("rijbewijs", "rijbewijs"),
        ("uittreksel BRP", "uittreksel-brp"),
        ("kapvergunning", "kapvergunning"),
    ],
)
def test_search_by_name(catalog, query, expected):
    assert slugs(search(catalog, query, "nl"))[0] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ID kaart", "identiteitskaart"),
        ("id-kaart", "identiteitskaart"),
        ("reisdocument", "paspoort"),
        ("adreswijziging", "verhuizing-doorgeven"),
        ("kliko", "minicontainer-en-afvalpas"),
        ("trouwen", "huwelijk-en-partnerschap"),
        ("Team Doe'th", "hulp-en-zorg-wmo"),
        ("lantaarnpaal kapot", "melding-openbare-ruimte"),
    ],
)
def test_search_by_synonym(catalog, query, expected):
    assert slugs(search(catalog, query, "nl"))[0] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("paspoord", "paspoort"),
        ("verhuisen", "verhuizing-doorgeven"),
        ("verhuising", "verhuizing-doorgeven"),
        ("uitreksel", "uittreksel-brp"),
        ("PASPOORD", "paspoort"),
        ("hondebelasting", "hondenbelasting"),
        ("omgevingsvergunnig", "omgevingsvergunning"),  # not in the list: difflib
        ("parkeervergunnnig", "parkeervergunning-bewoners"),
    ],
)
def test_search_tolerates_misspellings(catalog, query, expected):
    assert slugs(search(catalog, query, "nl"))[0] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("passport", "paspoort"),
        ("moving", "verhuizing-doorgeven"),
        ("change of address", "verhuizing-doorgeven"),
        ("driving licence", "rijbewijs"),
        ("dog tax", "hondenbelasting"),
        ("wedding", "huwelijk-en-partnerschap"),
    ],
)
def test_search_in_english(catalog, query, expected):
    assert slugs(search(catalog, query, "en"))[0] == expected


def test_search_finds_dutch_words_in_english_and_back(catalog):
    assert slugs(search(catalog, "paspoort", "en"))[0] == "paspoort"
    assert slugs(search(catalog, "passport", "nl"))[0] == "paspoort"


@pytest.mark.parametrize("query", ["xyzzy", "kwantumfysica", "", "   ", "!!!", "aanvragen", "the"])
def test_search_without_results(catalog, query):
    assert search(catalog, query, "nl") == []


def test_broad_query_ranks_all_matching_products(catalog):
    found = slugs(search(catalog, "vergunning", "nl"))
    assert {"parkeervergunning-bewoners", "omgevingsvergunning", "kapvergunning",
            "evenementenvergunning"} <= set(found)


def test_search_results_are_unique(catalog):
    found = slugs(search(catalog, "pas", "nl"))
    assert len(found) == len(set(found))
