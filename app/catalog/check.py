"""One truth per product: the catalogue, the e-forms, the zaaktypen and the agenda checked
against each other (`flask catalog check`).

Each file is valid on its own when the app starts (its own loader refuses a malformed
one). What no single loader can see is two files saying different things about one
product: a legal term in the catalogue and another in the zaaktype, an appointment
button for a product the agenda does not offer, a form for "yourself" on a product for
"yourself and your children". Every fact a resident reads has one home; this module
refuses a second, contradicting copy, and names both places.

Plain values in, a list of problems out (empty: consistent); loading is the caller's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from app.catalog.content import Catalog, Product
from app.texts import LANGUAGES, Text

if TYPE_CHECKING:  # app.eforms imports the catalogue
    from app.eforms.definitions import FormDefinition

FORM_PATH_PREFIX = "/formulieren/"
# Texts in a form may name the zaaktype's norms instead of repeating them:
# "Wij maken uw uittreksel binnen {servicenorm}." (filled in by app.eforms.services).
NORM_PLACEHOLDERS = ("servicenorm", "doorlooptijd")
# The written-answer norm is a setting, not the zaaktype's (app.catalog.facts).
SETTING_PLACEHOLDERS = ("written_answer_norm",)
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
_EURO_RE = re.compile(r"€\s*(\d+(?:[.,]\d{1,2})?)")


@dataclass(frozen=True)
class ZaakTypeFacts:
    """What the check needs of a zaaktype (from content/zaaktypen.toml or the zaaksysteem)."""

    identificatie: str
    omschrijving: Text
    product: str  # "" for contact zaken without a product
    doorlooptijd: str
    servicenorm: str | None


@dataclass(frozen=True)
class Content:
    catalog: Catalog
    forms: Mapping[str, FormDefinition]
    zaaktypen: Mapping[str, ZaakTypeFacts]
    agenda_products: Collection[str] | None  # None: appointments are switched off
    # Whether an internal path is a page of the portal (a product's online route).
    route_exists: Callable[[str], bool] = lambda path: True


def check_content(content: Content) -> list[str]:
    """Every contradiction between the files, one line each; [] when they agree."""
    return [*_zaaktypen_problems(content), *_online_problems(content),
            *_appointment_problems(content), *_form_problems(content),
            *_page_link_problems(content)]


# --------------------------------------------------------------------------- zaaktypen


def _zaaktype_of(content: Content, product: Product) -> ZaakTypeFacts | None:
    return next((z for z in content.zaaktypen.values() if z.product == product.slug), None)


def _zaaktypen_problems(content: Content) -> Iterable[str]:
    for zaaktype in content.zaaktypen.values():
        if zaaktype.product and content.catalog.product(zaaktype.product) is None:
            yield (f"zaaktype {zaaktype.identificatie}: product {zaaktype.product!r} is not "
                   "in the catalogue")
    for product in content.catalog.products:
        zaaktype = _zaaktype_of(content, product)
        if zaaktype is None:
            continue
        for norm in NORM_PLACEHOLDERS:
            if getattr(product, norm) is not None:
                yield (f"product {product.slug}: {norm} is the zaaktype's "
                       f"({zaaktype.identificatie}: {getattr(zaaktype, norm) or 'none'}); "
                       "remove it from the catalogue, the product page shows the zaaktype's")
        yield from _name_problems(f"zaaktype {zaaktype.identificatie}: omschrijving",
                                  zaaktype.omschrijving, product)
    for i, task in enumerate(content.catalog.toptaken):
        product = content.catalog.product(task.product) if task.product else None
        # A top task may shorten the name ("Parking permit"), not give it another one.
        if product and task.title.en.casefold() not in product.title.en.casefold():
            yield (f"toptaken[{i}]: title (en) {task.title.en!r} is not the product's name "
                   f"{product.title.en!r} or a part of it")


def _name_problems(where: str, title: Text, product: Product) -> Iterable[str]:
    """A form or zaaktype of a product carries the product's English name, so a resident
    reading English meets one name on the product page, the form, the mail and the zaak.
    (Dutch names may vary with the verb: "Uittreksel BRP aanvragen".)"""
    name = product.title.en
    if name.casefold() not in title.en.casefold():
        yield f"{where} (en) {title.en!r} does not contain the product's name {name!r}"


# --------------------------------------------------------------------------- channels


def _form_slug(path: str | None) -> str | None:
    if path and path.startswith(FORM_PATH_PREFIX):
        return path.removeprefix(FORM_PATH_PREFIX).strip("/")
    return None


def _online_problems(content: Content) -> Iterable[str]:
    forms_by_product = {f.product: f for f in content.forms.values() if f.product}
    for product in content.catalog.products:
        channels, where = product.channels, f"product {product.slug}: channels"
        form = forms_by_product.get(product.slug)
        slug = _form_slug(channels.online)
        if form is not None and channels.online and slug != form.slug:
            yield f"{where}.online {channels.online!r}: its form is {FORM_PATH_PREFIX}{form.slug}"
        elif form is not None and not channels.online_available:
            yield (f"{where}: form {form.slug!r} exists, so the product page offers it; "
                   "set online_available = true")
        elif form is None and channels.online_available:
            if slug is not None:
                yield (f"{where}: says online, but there is no form {slug!r} "
                       f"(content/forms/{slug}.toml) for this product")
            elif not content.route_exists(channels.online):
                yield f"{where}: says online, but {channels.online!r} is no page of the portal"


def _page_link_problems(content: Content) -> Iterable[str]:
    for name, page in content.catalog.pages.items():
        for i, section in enumerate(page.sections):
            if not section.link:
                continue
            slug, where = _form_slug(section.link), f"pages.{name}.sections[{i}].link"
            if slug is not None and slug not in content.forms:
                yield f"{where}: there is no form {slug!r} (content/forms/{slug}.toml)"
            elif slug is None and not content.route_exists(section.link):
                yield f"{where}: {section.link!r} is no page of the portal"


def _appointment_problems(content: Content) -> Iterable[str]:
    if content.agenda_products is None:
        return
    for product in content.catalog.products:
        if product.channels.appointment and product.slug not in content.agenda_products:
            yield (f"product {product.slug}: appointment = true, but the agenda does not "
                   "offer it: add it to the agenda's [[products]] or remove the button")


# --------------------------------------------------------------------------- forms


def _form_problems(content: Content) -> Iterable[str]:
    for form in content.forms.values():
        where = f"form {form.slug}"
        zaaktype = content.zaaktypen.get(form.zaaktype)
        if zaaktype is None:
            yield f"{where}: zaaktype {form.zaaktype!r} does not exist"
        product = content.catalog.product(form.product) if form.product else None
        if form.product and product is None:
            yield f"{where}: product {form.product!r} is not in the catalogue"
        if zaaktype is not None and form.product and zaaktype.product != form.product:
            yield (f"{where}: its zaaktype {zaaktype.identificatie} belongs to product "
                   f"{zaaktype.product or '(none)'!r}, the form to {form.product!r}")
        yield from _placeholder_problems(where, form, zaaktype)
        if product is None:
            continue
        if form.applies_for != product.applies_for:
            yield (f"{where}: applies_for {form.applies_for!r} but product {product.slug} "
                   f"says {product.applies_for!r}")
        if form.what_you_need and product.what_to_bring:
            yield (f"{where}: what_you_need repeats what product {product.slug} lists in "
                   "what_to_bring; keep one list (the start page shows the product's)")
        yield from _name_problems(f"{where}: title", form.title, product)
        yield from _fee_problems(where, form, product)


def _form_texts(form: FormDefinition) -> Iterable[tuple[str, Text]]:
    yield "intro", form.intro
    yield "what_happens_next", form.what_happens_next
    for step in form.steps:
        for field in step.fields:
            if field.hint is not None:
                yield f"steps.{step.id}.{field.name}.hint", field.hint
            for option in field.options:  # "Zaterdag, € 595,00"
                where = f"steps.{step.id}.{field.name}.options.{option.value}"
                yield f"{where}.label", option.label
                if option.hint is not None:
                    yield f"{where}.hint", option.hint


def _placeholder_problems(where: str, form: FormDefinition,
                          zaaktype: ZaakTypeFacts | None) -> Iterable[str]:
    for place, text in _form_texts(form):
        for name in {n for lang in LANGUAGES for n in _PLACEHOLDER_RE.findall(getattr(text, lang))}:
            if name in SETTING_PLACEHOLDERS:
                continue
            if name not in NORM_PLACEHOLDERS:
                yield (f"{where}: {place}: unknown {{{name}}} (use {{servicenorm}}, "
                       "{doorlooptijd} or {written_answer_norm})")
            elif zaaktype is not None and not getattr(zaaktype, name):
                yield f"{where}: {place}: {{{name}}}, but zaaktype {zaaktype.identificatie} has none"


def _fee_problems(where: str, form: FormDefinition, product: Product) -> Iterable[str]:
    fees = {fee.amount for fee in product.cost.fees}
    labels = {fee.label.nl for fee in product.cost.fees}
    for label in form.option_fees():
        # An option's fee is charged as the catalogue's amount of that label (app.eforms.paying).
        if label not in labels:
            yield (f"{where}: an option's fee {label!r} is no fee of product {product.slug}, "
                   "so it has no amount to charge")
    for place, text in _form_texts(form):
        for lang in LANGUAGES:
            for raw in _EURO_RE.findall(getattr(text, lang)):
                amount = Decimal(raw.replace(",", ".")).quantize(Decimal("0.01"))
                if amount not in fees:
                    yield (f"{where}: {place} ({lang}) says € {raw}, but that is no fee of "
                           f"product {product.slug}")


# --------------------------------------------------------------------------- loading


def zaaktypen_from_file(items: Iterable[dict]) -> dict[str, ZaakTypeFacts]:
    """The facts of content/zaaktypen.toml (as app.zaken.catalogi loads and checks it)."""
    return {item["identificatie"]: ZaakTypeFacts(
        identificatie=item["identificatie"],
        omschrijving=Text(nl=item["omschrijving"]["nl"], en=item["omschrijving"].get("en", "")),
        product=item.get("product", ""), doorlooptijd=item["doorlooptijd"],
        servicenorm=item.get("servicenorm")) for item in items}


def with_norms_in_use(zaaktypen: Mapping[str, ZaakTypeFacts],
                      in_use: Iterable) -> dict[str, ZaakTypeFacts]:
    """The file's zaaktypen with the names and norms the zaaksysteem uses now: beheer may
    have changed a term since the file gave its first value (app.zaken.catalogi)."""
    facts = dict(zaaktypen)
    for zaaktype in in_use:
        known = facts.get(zaaktype.identificatie)
        product = known.product if known else ""
        facts[zaaktype.identificatie] = ZaakTypeFacts(
            identificatie=zaaktype.identificatie, omschrijving=zaaktype.omschrijving,
            product=product, doorlooptijd=zaaktype.doorlooptijd,
            servicenorm=zaaktype.servicenorm)
    return facts
