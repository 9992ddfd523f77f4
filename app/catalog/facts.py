"""The facts a resident reads about a product, each from its one source, in words.

The product page, a form's start page, the confirmation, the mail and the zaak page all
ask here, so they cannot say different things:

- the servicenorm and doorlooptijd are the zaaktype's, as the zaaksysteem holds them now
  (beheer may change them); a form's text names them as ``{servicenorm}`` and
  ``{doorlooptijd}`` instead of repeating them;
- for whom a resident may apply is the product's ``applies_for`` (its form must agree:
  ``flask catalog check``);
- what to bring is the product's ``what_to_bring``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.ui.dates import duration_words
from app.zaken.store import get_zaken_store

_NORM_RE = re.compile(r"\{(servicenorm|doorlooptijd)\}")

APPLIES_FOR_TEXTS = {
    "self": _l("You can only apply for yourself."),
    "self_and_children": _l("You can apply for yourself and for your children."),
    "self_and_household": _l("You can do this for yourself and for the people who move with you."),
    "self_or_other": _l("You can apply for yourself or for someone else."),
}


@dataclass(frozen=True)
class Norms:
    """A zaaktype's terms in words in the current language ("3 dagen", "2 weeks")."""

    servicenorm: str | None
    doorlooptijd: str


def zaaktype_norms(zaaktype: str | None) -> Norms | None:
    """The zaaktype's servicenorm and doorlooptijd in words; None without a zaaktype."""
    found = get_zaken_store().beheer_zaaktype(zaaktype) if zaaktype else None
    if found is None:
        return None
    return Norms(servicenorm=duration_words(found.servicenorm) if found.servicenorm else None,
                 doorlooptijd=duration_words(found.doorlooptijd))


def with_norms(text: str, norms: Norms | None) -> str:
    """The text with {servicenorm} and {doorlooptijd} written out (the check makes sure
    the zaaktype has what a text names)."""
    if norms is None:
        return text
    return _NORM_RE.sub(lambda match: getattr(norms, match.group(1)) or match.group(0), text)


def applies_for_text(applies_for: str | None) -> str | None:
    return str(APPLIES_FOR_TEXTS[applies_for]) if applies_for else None
