"""The facts a resident reads about a product, each from its one source, in words.

The product page, a form's start page, the confirmation and the mail all ask here (the
zaak page's dates are the zaak's own: its start plus these terms), so they cannot say
different things:

- the servicenorm and doorlooptijd are the zaaktype's, as the zaaksysteem holds them now
  (beheer may change them); a form's text names them as ``{servicenorm}`` and
  ``{doorlooptijd}`` instead of repeating them;
- the servicenorm for a written answer to a question is one setting for every channel
  (WRITTEN_ANSWER_WORKING_DAYS: the question form, Berichten, the KCC's and the back
  office's lists); a text names it as ``{written_answer_norm}``;
- for whom a resident may apply is the product's ``applies_for`` (its form must agree:
  ``flask catalog check``);
- what to bring is the product's ``what_to_bring``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.exc import SQLAlchemyError

from app.remote import RemoteError
from app.ui.dates import duration_words
from app.zaken.catalogi import load_zaaktypen_file, zaaktypen_path
from app.zaken.store import ZaakError, ZakenStore, get_zaken_store

log = logging.getLogger(__name__)

_FILE_TERMS_KEY = "zaaktype_terms_in_file"
_NORM_RE = re.compile(r"\{(servicenorm|doorlooptijd|written_answer_norm)\}")

APPLIES_FOR_TEXTS = {
    "self": _l("You can only apply for yourself."),
    "self_and_children": _l("You can apply for yourself and for your children."),
    "self_and_household": _l("You can do this for yourself and for the people who move with you."),
    "self_or_other": _l("You can apply for yourself or for someone else."),
}


@dataclass(frozen=True)
class Terms:
    """A zaaktype's terms as ISO 8601 durations ("P3D", "P2W")."""

    servicenorm: str | None
    doorlooptijd: str


@dataclass(frozen=True)
class Norms:
    """A zaaktype's terms in words in the current language ("3 dagen", "2 weeks")."""

    servicenorm: str | None
    doorlooptijd: str


def zaaktype_terms(zaaktype: str | None, store: ZakenStore | None = None) -> Terms | None:
    """The zaaktype's terms as the zaaksysteem holds them now (beheer may have changed
    them; a remote zaaksysteem answers from its catalogue cache); the content file's when
    the zaaksysteem cannot say, so a page never shows a bare {servicenorm}. Pass the
    caller's store when it works in a session of its own (a worker, a submit)."""
    if not zaaktype:
        return None
    try:
        found = (store or get_zaken_store()).beheer_zaaktype(zaaktype)
    except (ZaakError, RemoteError, SQLAlchemyError):
        # A public page stays up while the zaaksysteem or the database is away.
        log.warning("zaaktype terms from the content file", extra={"zaaktype": zaaktype})
        found = None
    if found is not None:
        return Terms(servicenorm=found.servicenorm, doorlooptijd=found.doorlooptijd)
    return _terms_in_file().get(zaaktype)


def _terms_in_file() -> dict[str, Terms]:
    terms = current_app.extensions.get(_FILE_TERMS_KEY)
    if terms is None:
        terms = {item["identificatie"]: Terms(servicenorm=item.get("servicenorm"),
                                              doorlooptijd=item["doorlooptijd"])
                 for item in load_zaaktypen_file(zaaktypen_path())}
        current_app.extensions[_FILE_TERMS_KEY] = terms
    return terms


def in_words(terms: Terms | None) -> Norms | None:
    if terms is None:
        return None
    return Norms(servicenorm=duration_words(terms.servicenorm) if terms.servicenorm else None,
                 doorlooptijd=duration_words(terms.doorlooptijd))


def written_answer_days() -> int:
    """The servicenorm for a written answer: within this many working days."""
    return current_app.config["WRITTEN_ANSWER_WORKING_DAYS"]


def written_answer_words() -> str:
    """The written-answer norm in words in the current language ("5 werkdagen")."""
    return ngettext("%(num)d working day", "%(num)d working days", written_answer_days())


def with_norms(text: str, terms: Terms | None) -> str:
    """The text with {servicenorm}, {doorlooptijd} and {written_answer_norm} written out in
    the current language (flask catalog check makes sure the zaaktype has what a text
    names)."""
    norms = in_words(terms)

    def words(match: re.Match) -> str:
        if match.group(1) == "written_answer_norm":
            return written_answer_words()
        return (getattr(norms, match.group(1)) if norms else None) or match.group(0)

    return _NORM_RE.sub(words, text)


def applies_for_text(applies_for: str | None) -> str | None:
    return str(APPLIES_FOR_TEXTS[applies_for]) if applies_for else None
