"""Texts in the portal's languages, as content files carry them: { nl = "...", en = "..." }.

One type for every feature's content (catalogue, forms, agenda), so a text is
looked up and falls back to Dutch the same way everywhere.
"""

import re
from dataclasses import dataclass

LANGUAGES: tuple[str, ...] = ("nl", "en")
# A web address in a line of text, without the full stop or comma after it.
WEB_ADDRESS = re.compile(r"https?://\S+?(?=[.,;:!?)]*(?:\s|$))")
DEFAULT_LANGUAGE = "nl"


def language_of(locale: object) -> str:
    """'en', 'en_GB', Locale('en') -> 'en'; anything unknown -> the default (nl)."""
    lang = str(locale or "").replace("-", "_").split("_")[0].lower()
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Text:
    """A text in every supported language; ``get`` falls back to Dutch."""

    nl: str
    en: str = ""

    def get(self, locale: object) -> str:
        return getattr(self, language_of(locale)) or self.nl

    def paragraphs(self, locale: object) -> list[str]:
        """The text split into paragraphs at blank lines."""
        return [p.strip() for p in re.split(r"\n\s*\n", self.get(locale)) if p.strip()]

    def all(self) -> tuple[str, ...]:
        return tuple(getattr(self, lang) for lang in LANGUAGES)


def localized_text(dutch: str | None, english: str | None, locale: object) -> str:
    """The English text when the locale is English and there is one; else the Dutch."""
    if language_of(locale) == "en":
        return english or dutch or ""
    return dutch or ""


class Localized:
    """For records that keep a text in a Dutch column and its ``<name>_en`` twin:
    ``localized(field, locale)`` reads one, falling back to Dutch."""

    def localized(self, field: str, locale: object) -> str:
        return localized_text(getattr(self, field), getattr(self, f"{field}_en"), locale)
