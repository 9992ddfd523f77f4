"""Catalogue rules: finding products. Plain arguments in, domain objects out.

The catalogue is small and constant, so search runs in memory: every product
gets a set of normalised search terms (titles in all languages, slug,
synonyms, common misspellings); a query matches on whole terms, on words, on
word starts and parts of compound words, and on typos via ``difflib``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .content import Catalog, Category, Product

# Below this score a product is not a result.
MIN_SCORE = 0.74
# Typos: words of this length or more are compared with difflib.
FUZZY_MIN_LENGTH = 4
FUZZY_MIN_RATIO = 0.8
# Words that say nothing about the product ("paspoort aanvragen", "apply for a passport").
STOPWORDS = frozenset([
    "aan", "aanvraag", "aanvragen", "de", "het", "een", "en", "van", "voor", "mijn", "ik",
    "wil", "hoe", "wat", "waar", "kan", "in", "op", "met", "om", "doorgeven", "regelen",
    "geven", "krijgen", "nieuw", "nieuwe", "gemeente",
    "a", "an", "the", "and", "of", "for", "to", "my", "i", "how", "what", "where", "can",
    "apply", "application", "get", "new", "on", "with",
])


class ProductNotFound(LookupError):
    """No product with this slug; the routes answer 404."""

    def __init__(self, slug: str):
        super().__init__(slug)
        self.slug = slug


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation to spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^0-9a-z]+", " ", text.casefold())
    return text.strip()


@dataclass(frozen=True)
class _Terms:
    phrases: frozenset[str]  # normalised terms, spaces removed ("idkaart")
    words: frozenset[str]  # their words
    own_title: frozenset[str]  # phrases of the title per locale, for the locale bonus


@lru_cache(maxsize=1024)
def _terms(product: Product, locale: str) -> _Terms:
    raw = [*product.title.all(), product.slug.replace("-", " "), *product.synonyms, *product.misspellings]
    normalised = [n for n in (normalise(t) for t in raw) if n]
    words = {w for n in normalised for w in n.split() if w not in STOPWORDS}
    return _Terms(
        phrases=frozenset(n.replace(" ", "") for n in normalised),
        words=frozenset(words),
        own_title=frozenset({normalise(product.title.get(locale)).replace(" ", "")}),
    )


def _similarity(a: str, b: str, threshold: float) -> float:
    """difflib's ratio when it reaches the threshold, else 0. The cheap upper
    bounds go first: most pairs fail there, and ratio() is the costly part."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= threshold else 0.0


def _compound(word: str, term: str) -> bool:
    """One word is a large part of the other (Dutch writes compounds as one word)."""
    short, long = sorted((word, term), key=len)
    return len(short) >= 5 and short in long and len(short) >= 0.6 * len(long)


def _word_score(word: str, terms: _Terms) -> float:
    if word in terms.words:
        return 1.0
    best = 0.0
    for term in terms.words:
        if len(word) >= 3 and term.startswith(word):
            best = max(best, 0.85)  # "pasp" -> paspoort
        elif _compound(word, term):
            best = max(best, 0.8)  # compounds: "bewonersparkeervergunning", "kapvergunningen"
        if len(word) >= FUZZY_MIN_LENGTH and len(term) >= FUZZY_MIN_LENGTH:
            ratio = _similarity(word, term, FUZZY_MIN_RATIO)
            if ratio:
                best = max(best, 0.75 + 0.2 * ratio)  # "paspoord", "uitreksel"
    return best


def score(product: Product, query: str, locale: str = "nl") -> float:
    """How well the query names this product: 0 (not) to about 1 (exactly)."""
    q = normalise(query)
    if not q:
        return 0.0
    terms = _terms(product, locale)
    phrase = q.replace(" ", "")
    if phrase in terms.phrases:
        return 1.0 + (0.05 if phrase in terms.own_title else 0.0)
    content = [w for w in q.split() if w not in STOPWORDS]
    if not content:
        return 0.0
    word_scores = [_word_score(w, terms) for w in content]
    # Multi-word queries: half the best word, half how well all words matched.
    result = 0.5 * max(word_scores) + 0.5 * (sum(word_scores) / len(word_scores))
    if len(phrase) >= 6:  # "idkaart", "verhuisbericht": the whole query against whole terms
        for term in terms.phrases:
            if len(term) >= 6:
                ratio = _similarity(phrase, term, 0.85)
                if ratio:
                    result = max(result, 0.75 + 0.2 * ratio)
    return result


def search(catalog: Catalog, query: str, locale: str = "nl") -> list[Product]:
    """Products matching the query, best first; ties keep the catalogue order."""
    if not normalise(query or ""):
        return []
    scored = [(score(p, query, locale), i, p) for i, p in enumerate(catalog.products)]
    hits = [(s, i, p) for s, i, p in scored if s >= MIN_SCORE]
    hits.sort(key=lambda hit: (-round(hit[0], 6), hit[1]))
    return [p for _, _, p in hits]


def get_product(catalog: Catalog, slug: str) -> Product:
    product = catalog.product(slug)
    if product is None:
        raise ProductNotFound(slug)
    return product


def products_by_category(catalog: Catalog) -> list[tuple[Category, list[Product]]]:
    """Categories in catalogue order with their products; empty categories are left out."""
    groups = []
    for category in catalog.categories:
        products = [p for p in catalog.products if p.category == category.slug]
        if products:
            groups.append((category, products))
    return groups
