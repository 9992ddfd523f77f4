"""The form engine: from a definition to WTForms forms, conditions, step order and answers.

Nothing here knows about drafts or the database: routes give it the answers so
far and get back a form to render, the visible steps, the cleaned answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    FileField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError

from app.auth.kept_forms import KeptInputForm
from app.eforms.addresses import AddressLookupUnavailable, get_address_lookup
from app.eforms.definitions import FieldDef, FormDefinition, Step
from app.eforms.validators import (
    DateRange,
    Postcode,
    SingleLine,
    parse_date_parts,
    validator_for,
)
from app.texts import Text
from app.ui.dates import long_date
from app.zaken.store import DecidedZaak

DATE_PARTS = ("day", "month", "year")
ADDRESS_PARTS = ("postcode", "huisnummer", "huisletter", "toevoeging")
HOUSE_NUMBER = re.compile(r"[1-9][0-9]{0,4}")
HONEYPOT_FIELD = "website"
# Fields whose label cannot be the page's heading: several questions (group), a statement to
# tick (checkbox), or inputs in parts whose macro has no heading form (file, date, address).
NOT_A_HEADING = {"group", "checkbox", "file", "date", "address"}
# Posted once for every follow-up question the resident saw (see validate_step).
SEEN_FIELD = "shown"


# --------------------------------------------------------------------------- conditions and steps

def visible_steps(definition: FormDefinition, answers: dict) -> list[Step]:
    return [step for step in definition.steps if step.show_if is None or step.show_if.holds(answers)]


def prune(definition: FormDefinition, answers: dict) -> dict:
    """Only the answers of steps and fields that are visible now, in definition order.

    Conditions refer to earlier fields only, so one pass in order is enough: an
    answer that a changed earlier answer hides is dropped here, with everything
    that hung on it.
    """
    kept: dict[str, Any] = {}
    for step in definition.steps:
        if step.show_if is not None and not step.show_if.holds(kept):
            continue
        for field in step.fields:
            if field.name in answers and (field.show_if is None or field.show_if.holds(kept)):
                kept[field.name] = answers[field.name]
    return kept


def step_position(definition: FormDefinition, answers: dict, step: Step) -> tuple[int, int]:
    """("Stap X van Y"): the step's number among the steps visible with these answers."""
    steps = visible_steps(definition, answers)
    ids = [s.id for s in steps]
    return (ids.index(step.id) + 1 if step.id in ids else 1), len(steps)


def previous_step(definition: FormDefinition, answers: dict, step: Step) -> Step | None:
    steps = visible_steps(definition, answers)
    ids = [s.id for s in steps]
    if step.id not in ids or ids.index(step.id) == 0:
        return None
    return steps[ids.index(step.id) - 1]


def next_step(definition: FormDefinition, answers: dict, completed: list[str], step: Step) -> Step | None:
    """The page after ``step``: the next visible step, else the first one not completed.
    None: every visible step is done (on to check-your-answers)."""
    steps = visible_steps(definition, answers)
    ids = [s.id for s in steps]
    if step.id in ids and ids.index(step.id) + 1 < len(steps):
        return steps[ids.index(step.id) + 1]
    return first_incomplete_step(definition, answers, completed)


def first_incomplete_step(definition: FormDefinition, answers: dict, completed: list[str]) -> Step | None:
    return next((s for s in visible_steps(definition, answers) if s.id not in completed), None)


# --------------------------------------------------------------------------- composite fields

class DateInputsField(Field):
    """A date as three inputs (GOV.UK date input): name-day, name-month, name-year.

    ``parts`` keeps what was typed so a page with an error shows it again;
    ``data`` becomes a ``date`` once validated. Rendered by ui.date_input.
    """

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.object_data = data
        if formdata is not None:
            self.parts = {part: formdata.get(f"{self.name}-{part}", "")[:20] for part in DATE_PARTS}
            self.raw_data = list(self.parts.values())
        else:
            self.parts = _date_parts(data)
            self.raw_data = []
        self.data = None

    def has_answer(self) -> bool:
        return any(str(value).strip() for value in self.parts.values())


def _date_parts(value: Any) -> dict[str, str]:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return dict.fromkeys(DATE_PARTS, "")
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


class AddressInputsField(Field):
    """Postcode + huisnummer (+ huisletter, toevoeging); street and place are looked up."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.object_data = data
        if formdata is not None:
            self.parts = {part: formdata.get(f"{self.name}-{part}", "")[:20] for part in ADDRESS_PARTS}
            self.raw_data = list(self.parts.values())
        else:
            stored = data if isinstance(data, dict) else {}
            self.parts = {part: str(stored.get(part, "")) for part in ADDRESS_PARTS}
            self.raw_data = []
        self.data = None
        self.address = None

    def has_answer(self) -> bool:
        return any(str(self.parts.get(part, "")).strip() for part in ("postcode", "huisnummer"))


# --------------------------------------------------------------------------- validators

def _has_answer(field: Field) -> bool:
    if hasattr(field, "has_answer"):
        return field.has_answer()
    data = field.data
    if isinstance(data, str):
        return bool(data.strip())
    if isinstance(data, (list, tuple)):
        return bool(data)
    return bool(data)


class Presence:
    """Required answers get the engine's message; an empty optional answer stops validation."""

    def __init__(self, required: bool, message) -> None:
        self.required = required
        self.message = message

    def __call__(self, form, field) -> None:
        if _has_answer(field):
            return
        field.errors[:] = []
        if self.required:
            raise StopValidation(self.message)
        raise StopValidation()


class LengthWithin:
    def __init__(self, min_length: int | None, max_length: int | None) -> None:
        self.min_length = min_length
        self.max_length = max_length

    def __call__(self, form, field) -> None:
        length = len((field.data or "").strip())
        if self.max_length is not None and length > self.max_length:
            raise ValidationError(_l("Use at most %(count)s characters", count=self.max_length))
        if self.min_length is not None and length < self.min_length:
            raise ValidationError(_l("Use at least %(count)s characters", count=self.min_length))


class NumberWithin:
    def __init__(self, minimum, maximum, integer: bool) -> None:
        self.minimum, self.maximum, self.integer = minimum, maximum, integer

    def __call__(self, form, field) -> None:
        text = str(field.data or "").strip().replace(",", ".")
        pattern = r"-?[0-9]{1,12}" if self.integer else r"-?[0-9]{1,12}(\.[0-9]{1,6})?"
        if not re.fullmatch(pattern, text):
            raise ValidationError(_l("Enter a whole number, like 3") if self.integer
                                  else _l("Enter a number, like 3,5"))
        value = int(text) if self.integer else float(text)
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(_l("The number must be %(min)s or more", min=self.minimum))
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(_l("The number must be %(max)s or less", max=self.maximum))
        field.data = value


class OneOf:
    def __init__(self, values: set[str]) -> None:
        self.values = values

    def __call__(self, form, field) -> None:
        chosen = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in self.values for value in chosen):
            raise ValidationError(_l("Choose one of the options"))


class MinSelected:
    def __init__(self, count: int) -> None:
        self.count = count

    def __call__(self, form, field) -> None:
        if len(field.data or []) < self.count:
            raise ValidationError(_l("Choose at least %(count)s options", count=self.count))


def _parse_date(form, field) -> None:
    field.data = parse_date_parts(field.parts["day"], field.parts["month"], field.parts["year"])


class AddressKnown:
    def __init__(self, in_municipality: bool) -> None:
        self.in_municipality = in_municipality

    def __call__(self, form, field) -> None:
        parts = {key: str(value).strip() for key, value in field.parts.items()}
        if not parts["postcode"]:
            raise ValidationError(_l("Enter the postcode"))
        postcode = Postcode().clean(parts["postcode"])
        if not HOUSE_NUMBER.fullmatch(parts["huisnummer"]):
            raise ValidationError(_l("Enter the house number in digits, like 14"))
        try:
            address = get_address_lookup().lookup(postcode, int(parts["huisnummer"]),
                                                  parts["huisletter"], parts["toevoeging"])
        except AddressLookupUnavailable:
            # The register is down: the step is not done, the page shows what was typed and
            # this at the field; the draft keeps the earlier steps (no guess at the address).
            raise ValidationError(
                _l("We cannot check the address right now. Try again in a few minutes")) from None
        if address is None:
            raise ValidationError(_l("We cannot find this address. Check the postcode and house number"))
        if self.in_municipality and not address.in_municipality:
            raise ValidationError(_l("This address is not in our municipality"))
        field.address = address
        field.data = {"postcode": address.postcode, "huisnummer": address.huisnummer,
                      "huisletter": address.huisletter, "toevoeging": address.toevoeging,
                      "straat": address.straat, "woonplaats": address.woonplaats}


# --------------------------------------------------------------------------- building forms

def required_message(field: FieldDef, locale: str):
    if field.required_message:
        return field.required_message.get(locale)
    label = field.label.get(locale)
    if field.type in ("radio", "select", "checkboxes"):
        return _l('Choose an answer for "%(label)s"', label=label)
    if field.type == "checkbox":
        return _l('Tick the box "%(label)s" to continue', label=label)
    if field.type == "file":
        return _l('Choose a file for "%(label)s"', label=label)
    return _l('Fill in "%(label)s"', label=label)


def zaak_label(zaak: DecidedZaak, locale: str) -> str:
    return str(_l("%(zaaktype)s, case number %(number)s, decided on %(date)s",
                  zaaktype=zaak.zaaktype.get(locale), number=zaak.identificatie,
                  date=long_date(zaak.einddatum)))


def zaak_answer(zaak: DecidedZaak) -> dict:
    """A `zaak` field's stored answer: enough to show it and to check the objection term
    without asking the store again."""
    return {"identificatie": zaak.identificatie, "zaaktype": zaak.zaaktype.nl,
            "zaaktype_en": zaak.zaaktype.en, "einddatum": zaak.einddatum.isoformat()}


def decided_zaken_for(field: FieldDef, zaken: Sequence[DecidedZaak]) -> list[DecidedZaak]:
    """The zaken a `zaak` field offers: the resident's decided ones, but its excluded types."""
    return [z for z in zaken if z.zaaktype_identificatie not in field.exclude_zaaktypen]


def _wtforms_field(field: FieldDef, locale: str, name: str | None = None,
                   zaken: Sequence[DecidedZaak] = ()):
    label = field.label.get(locale)
    hint = field.hint.get(locale) if field.hint else ""
    presence = Presence(field.required, required_message(field, locale))
    common = {"label": label, "description": hint, "name": name or field.name}
    kind = field.type
    if kind in ("text", "bsn", "iban", "kenteken", "phone", "email", "textarea"):
        checks = [presence, LengthWithin(field.min_length if kind in ("text", "textarea") else None,
                                         field.max_length)]
        if kind != "textarea":
            checks.append(SingleLine())
        specific = validator_for(kind)
        if specific:
            checks.append(specific)
        cls = {"textarea": TextAreaField, "email": EmailField, "phone": TelField}.get(kind, StringField)
        render_kw = {"rows": field.rows} if kind == "textarea" and field.rows else None
        return cls(validators=checks, render_kw=render_kw, **common)
    if kind == "number":
        return StringField(validators=[presence, NumberWithin(field.min, field.max, field.integer)],
                           render_kw={"inputmode": "numeric" if field.integer else "decimal"}, **common)
    if kind == "date":
        return DateInputsField(validators=[presence, _parse_date,
                                           DateRange(min=_bound(field.min), max=_bound(field.max))],
                               **common)
    if kind in ("radio", "select", "checkboxes"):
        choices = [SelectChoice(o.value, o.label.get(locale)) for o in field.options]
        values = {o.value for o in field.options}
        if kind == "radio":
            return RadioField(choices=choices, validate_choice=False,
                              validators=[presence, OneOf(values)], **common)
        if kind == "select":
            return SelectField(choices=[SelectChoice("", _l("Choose")), *choices],
                               validate_choice=False,
                               validators=[presence, OneOf(values)], **common)
        minimum = field.min_selected if field.min_selected is not None else (1 if field.required else 0)
        return SelectMultipleField(choices=choices, validate_choice=False,
                                   validators=[presence, OneOf(values), MinSelected(minimum)], **common)
    if kind == "checkbox":
        return BooleanField(validators=[presence], **common)
    if kind == "address":
        return AddressInputsField(validators=[presence, AddressKnown(field.in_municipality)], **common)
    if kind == "file":
        cls = MultipleFileField if field.max_files > 1 else FileField
        return cls(**common)
    if kind == "zaak":
        choices = [SelectChoice(z.identificatie, zaak_label(z, locale)) for z in zaken]
        return RadioField(choices=choices, validate_choice=False,
                          validators=[presence, OneOf({z.identificatie for z in zaken})],
                          **common)
    raise ValueError(f"no form field for type {kind!r}")


def _bound(value: Any) -> str | None:
    return None if value is None else str(value)


def group_field_name(group: FieldDef, index: int, sub: FieldDef) -> str:
    return f"{group.name}-{index}-{sub.name}"


@dataclass
class GroupLayout:
    """How a repeating group is laid out on its page: which form fields belong to item i."""

    field: FieldDef
    items: list[list[str]]

    @property
    def can_add(self) -> bool:
        return len(self.items) < self.field.max_items


def build_step_form(definition: FormDefinition, step: Step, answers: dict, locale: str,
                    formdata=None, group_sizes: dict[str, int] | None = None, honeypot: bool = False,
                    decided_zaken: Sequence[DecidedZaak] = ()):
    """A FlaskForm for one step. Prefilled from ``answers`` (or ``formdata`` when posted).
    decided_zaken: the logged-in resident's decided zaken, which a `zaak` field offers
    (an optional one without any is left out: a visitor has none).

    Fields whose condition depends on an earlier step and is false are left out;
    fields that depend on a choice on this same page are rendered and only
    validated when the posted choice makes them visible (see ``validate_step``).
    """
    attrs: dict[str, Any] = {}
    data: dict[str, Any] = {}
    layouts: list[GroupLayout] = []
    offered_by_field: dict[str, dict[str, DecidedZaak]] = {}
    for field in step.fields:
        if not _may_show(step, field, answers):
            continue
        if field.type == "group":
            size = (group_sizes or {}).get(field.name, len(answers.get(field.name) or []))
            size = min(max(size, field.min_items, 1 if field.required else 0), field.max_items)
            items = []
            for index in range(size):
                stored = (answers.get(field.name) or [])
                item_answers = stored[index] if index < len(stored) else {}
                names = []
                for sub in field.fields:
                    name = group_field_name(field, index, sub)
                    attrs[name] = _wtforms_field(sub, locale, name)
                    data[name] = item_answers.get(sub.name)
                    names.append(name)
                items.append(names)
            attrs[f"{field.name}-count"] = HiddenField(default=str(size))
            layouts.append(GroupLayout(field=field, items=items))
            continue
        if field.type == "zaak":
            offered = decided_zaken_for(field, decided_zaken)
            if not offered and not field.required:
                continue
            attrs[field.name] = _wtforms_field(field, locale, zaken=offered)
            data[field.name] = (answers.get(field.name) or {}).get("identificatie")
            offered_by_field[field.name] = {z.identificatie: z for z in offered}
            continue
        attrs[field.name] = _wtforms_field(field, locale)
        if field.type != "file":
            data[field.name] = answers.get(field.name)
    if honeypot:
        attrs[HONEYPOT_FIELD] = StringField(_l("Leave this field empty"))
    form_class = type("StepForm", (KeptInputForm,), attrs)
    form = form_class(formdata=formdata, data=data) if formdata is not None else form_class(data=data)
    form.group_layouts = layouts
    for name, offered in offered_by_field.items():
        form[name].offered = offered  # what _clean turns the chosen zaaknummer into
    return form


def _may_show(step: Step, field: FieldDef, answers: dict) -> bool:
    if field.show_if is None:
        return True
    if any(f.name == field.show_if.field for f in step.fields):
        return True
    return field.show_if.holds(answers)


def heading_field(step: Step, locale: str, fields_on_page) -> FieldDef | None:
    """The field whose label is the page's h1 (GOV.UK "legend as page heading"): the step's
    first field, when the step asks just that question (the rest are its follow-ups) and its
    label is the step's title, so the page does not say the question twice."""
    first = step.fields[0] if step.fields else None
    if (first is None or first.name not in fields_on_page or first.type in NOT_A_HEADING
            or first.label.get(locale) != step.title.get(locale)):
        return None
    if all(follows_on_page(step, f) and f.show_if.field == first.name for f in step.fields[1:]):
        return first
    return None


def follows_on_page(step: Step, field: FieldDef) -> bool:
    """A follow-up question: shown by an answer on the same page ("Waarvoor dan?")."""
    return field.show_if is not None and any(f.name == field.show_if.field for f in step.fields)


def _page_context(step: Step, form, answers: dict) -> dict:
    """The answers as the page has them: the saved ones, with this page's choices on top."""
    context = dict(answers)
    for field in step.fields:
        if field.name in form._fields and field.type in ("radio", "select", "checkbox", "checkboxes"):
            context[field.name] = form[field.name].data
    return context


def follow_ups_shown(step: Step, form, answers: dict) -> set[str]:
    """The follow-up questions the page shows, by the answers it shows (the others are in the
    page too, hidden, for the script to reveal)."""
    context = _page_context(step, form, answers)
    return {field.name for field in step.fields
            if follows_on_page(step, field) and field.show_if.holds(context)}


def validate_step(step: Step, form, answers: dict, seen: set[str] | None = None) -> bool:
    """Validate the visible fields only: a field whose same-page condition is false is skipped.

    seen: the follow-up questions the resident saw (SEEN_FIELD in the post; None: all). A
    follow-up that the posted answer asks for but that was hidden (no JavaScript) is not
    checked yet: the step stays open and the page comes back showing it, without an error.
    """
    context = _page_context(step, form, answers)
    newly_shown = False
    for field in step.fields:
        if not follows_on_page(step, field) or field.name not in form._fields:
            continue
        if not field.show_if.holds(context):
            form[field.name].validators = ()
            form[field.name].hidden_by_condition = True
        elif seen is not None and field.name not in seen:
            form[field.name].validators = ()
            newly_shown = True
    valid = form.validate()
    return _dates_in_order(step, form, answers) and valid and not newly_shown


def _dates_in_order(step: Step, form, answers: dict) -> bool:
    """A date with ``not_before`` (an end date, say) may not be before the date it names,
    whether that was asked on this page or on an earlier step."""
    in_order = True
    for field in step.fields:
        own = form._fields.get(field.name)
        if field.not_before is None or own is None or not isinstance(own.data, date):
            continue
        other = form._fields.get(field.not_before)
        earliest = other.data if other is not None else _iso_date(answers.get(field.not_before))
        if isinstance(earliest, date) and own.data < earliest:
            own.errors.append(_l("The date must be on or after %(date)s",
                                 date=long_date(earliest)))
            in_order = False
    return in_order


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def step_answers(step: Step, form, answers: dict) -> dict:
    """The cleaned answers of this step's visible fields (files are handled by the uploads)."""
    result: dict[str, Any] = {}
    context = dict(answers)
    for field in step.fields:
        if field.type == "file" or getattr(form._fields.get(field.name), "hidden_by_condition", False):
            continue
        if field.show_if is not None and not field.show_if.holds({**context, **result}):
            continue
        if field.type == "group":
            layout = next(layout for layout in form.group_layouts if layout.field.name == field.name)
            result[field.name] = [
                {sub.name: _clean(sub, form[name]) for sub, name in zip(field.fields, names, strict=True)
                 if _clean(sub, form[name]) not in (None, "", [])}
                for names in layout.items]
            continue
        if field.name in form._fields:
            value = _clean(field, form[field.name])
            if value not in (None, "", []):
                result[field.name] = value
    return result


def _clean(field: FieldDef, form_field) -> Any:
    data = form_field.data
    if field.type == "zaak":
        chosen = form_field.offered.get(data)
        return zaak_answer(chosen) if chosen else None
    if field.type == "date":
        return data.isoformat() if isinstance(data, date) else None
    if field.type == "checkbox":
        return bool(data) if data else None
    if isinstance(data, str):
        return data.strip()
    return data


def group_size_from_post(field: FieldDef, formdata, action: str | None) -> int:
    """Items on the page after an "add another" / "remove" button (no JavaScript needed)."""
    try:
        size = int(formdata.get(f"{field.name}-count", "0"))
    except ValueError:
        size = 0
    size = min(max(size, 0), field.max_items)
    if action == f"add-{field.name}":
        size = min(size + 1, field.max_items)
    return size


def remove_group_item(field: FieldDef, formdata, index: int) -> dict:
    """Posted data with item ``index`` taken out and the items after it moved up."""
    data = formdata.copy()
    size = group_size_from_post(field, formdata, None)
    for i in range(index, size - 1):
        for sub in field.fields:
            for key in _posted_keys(sub, group_field_name(field, i + 1, sub)):
                data.setlist(key.replace(f"{field.name}-{i + 1}-", f"{field.name}-{i}-", 1),
                             formdata.getlist(key))
    data[f"{field.name}-count"] = str(max(size - 1, 0))
    return data


def _posted_keys(sub: FieldDef, name: str) -> list[str]:
    if sub.type == "date":
        return [f"{name}-{part}" for part in DATE_PARTS]
    if sub.type == "address":
        return [f"{name}-{part}" for part in ADDRESS_PARTS]
    return [name]


# --------------------------------------------------------------------------- showing answers

def display_value(field: FieldDef, value: Any, locale: str) -> str:
    if value in (None, "", []):
        return ""
    if field.type in ("radio", "select"):
        return field.option_label(value, locale)
    if field.type == "checkboxes":
        return ", ".join(field.option_label(v, locale) for v in value)
    if field.type == "checkbox":
        return str(_l("Yes")) if value else str(_l("No"))
    if field.type == "date":
        try:
            return long_date(date.fromisoformat(value), locale)
        except (TypeError, ValueError):
            return str(value)
    if field.type == "address":
        return address_line(value)
    if field.type == "file":
        return ", ".join(item["filename"] for item in value)
    if field.type == "zaak":
        return zaak_label(DecidedZaak(
            identificatie=value["identificatie"],
            zaaktype=Text(value["zaaktype"], value.get("zaaktype_en", "")),
            zaaktype_identificatie="", einddatum=date.fromisoformat(value["einddatum"])), locale)
    if field.type == "group":
        return "; ".join(", ".join(display_value(sub, item.get(sub.name), locale)
                                   for sub in field.fields if item.get(sub.name) not in (None, ""))
                         for item in value)
    return str(value)


def address_line(value: dict) -> str:
    number = f"{value.get('huisnummer', '')}{value.get('huisletter', '')}"
    if value.get("toevoeging"):
        number += f"-{value['toevoeging']}"
    return f"{value.get('straat', '')} {number}, {value.get('postcode', '')} {value.get('woonplaats', '')}"


@dataclass(frozen=True)
class SummaryRow:
    step: Step
    field: FieldDef
    key: str
    value: str


def summary_rows(definition: FormDefinition, answers: dict, locale: str) -> list[SummaryRow]:
    """Check-your-answers: one row per visible answered field (a group: one row per item)."""
    rows = []
    for step in visible_steps(definition, answers):
        for field in step.fields:
            if field.name not in answers:
                continue
            value = answers[field.name]
            if field.type == "group":
                label = field.item_label.get(locale) if field.item_label else field.label.get(locale)
                if not value:
                    rows.append(SummaryRow(step, field, field.label.get(locale), str(_l("None"))))
                for index, item in enumerate(value, start=1):
                    rows.append(SummaryRow(step, field, f"{label} {index}",
                                           display_value(field, [item], locale)))
                continue
            rows.append(SummaryRow(step, field, field.label.get(locale), display_value(field, value, locale)))
    return rows


def chosen_fees(definition: FormDefinition, answers: dict) -> list[str]:
    """The catalogue fee labels of the options the visible answers chose, in form order."""
    visible = prune(definition, answers)
    fees = []
    for field in definition.all_fields():
        chosen = visible.get(field.name)
        chosen = chosen if isinstance(chosen, list) else [chosen]
        fees += [option.fee for option in field.options if option.fee and option.value in chosen]
    return fees


def visible_answers(definition: FormDefinition, answers: dict) -> dict:
    """The answers as the zaak keeps them (aanvraaggegevens): visible ones only."""
    return prune(definition, answers)
