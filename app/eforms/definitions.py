"""Form definitions: content/forms/*.toml loaded and checked into frozen dataclasses.

The format is described in content/forms/FORMAT.md. A wrong definition stops the
app at start-up with a message that names the file and the place, so a typo
never reaches a resident.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import current_app

from app.catalog.content import APPLIES_FOR
from app.eforms.validators import parse_relative_date
from app.texts import Text
from app.uploads import FILE_TYPES
from app.zaken.durations import parse_duration

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "content" / "forms"
EXTENSION_KEY = "eform_definitions"

FIELD_TYPES = {
    "text", "textarea", "email", "phone", "number", "date", "radio", "select", "checkboxes",
    "checkbox", "address", "bsn", "iban", "kenteken", "file", "group", "zaak",
}
CHOICE_TYPES = {"radio", "select", "checkboxes"}
CONDITION_SOURCE_TYPES = {"radio", "select", "checkbox", "checkboxes"}
PREFILL_ITEMS = {"naam", "bsn", "geboortedatum", "adres", "contact"}
FILE_KINDS = set(FILE_TYPES)  # what app.uploads can tell by content
RESERVED_STEP_IDS = {"controleren", "bevestiging", "later", "start"}
STEP_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
FIELD_NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
SLUG = STEP_ID


class DefinitionError(ValueError):
    """A form definition is wrong; the message says where."""


@dataclass(frozen=True)
class Condition:
    field: str
    values: tuple[Any, ...] = ()  # equals = x  ->  (x,);  in = [...]  ->  the list
    # decided_before = "P6W" on a `zaak` field: the chosen zaak was decided longer ago than
    # this (an objection after the Awb's six weeks is late: the form asks why).
    decided_before: str | None = None

    def holds(self, answers: dict) -> bool:
        if self.field not in answers:
            return False
        answer = answers[self.field]
        if self.decided_before is not None:
            return _decided_before(answer, self.decided_before)
        if isinstance(answer, list):
            return any(value in self.values for value in answer)
        return answer in self.values


def _decided_before(answer: Any, period: str) -> bool:
    from app.zaken.durations import add_duration
    from app.zaken.services import today

    try:
        decided = date.fromisoformat(answer["einddatum"])
    except (TypeError, KeyError, ValueError):
        return False
    return today() > add_duration(decided, period)


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    hint: Text | None = None
    # Choosing this option costs the product's catalogue fee with this Dutch label (a
    # wedding on a Saturday, a bigger bin); added to the form's own fee (app.eforms.paying).
    fee: str | None = None


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str
    label: Text
    hint: Text | None = None
    required: bool = True
    show_if: Condition | None = None
    prefill: str | None = None
    required_message: Text | None = None
    options: tuple[Option, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    rows: int | None = None
    min: Any = None
    max: Any = None
    integer: bool = True
    min_selected: int | None = None
    in_municipality: bool = False
    accept: tuple[str, ...] = ("pdf", "jpg", "png")
    max_files: int = 1
    max_size_mb: int | None = None
    fields: tuple[FieldDef, ...] = ()
    min_items: int = 0
    max_items: int = 10
    item_label: Text | None = None
    not_before: str | None = None
    # type zaak: the resident's decided zaken of every zaaktype but these (an objection is
    # not made against the decision on an objection: that goes to court).
    exclude_zaaktypen: tuple[str, ...] = ()

    def option_label(self, value: str, locale: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label.get(locale)
        return value


@dataclass(frozen=True)
class ConfirmationRule:
    """A second person confirms the sent form with their own DigiD before the zaak moves on
    (app.eforms.confirmations): the person whose BSN the `bsn` field holds."""

    field: str                 # the `bsn` field that names the confirmer
    shows: tuple[str, ...]     # the answers the confirmer reads (what the two share)
    status: int                # the zaak's status (volgnummer) once confirmed
    # The `email` field whose address hears of the request when the confirmer has no
    # verified address of their own.
    email: str | None = None
    # The confirmer's own label of each shown answer: the form's labels speak to the
    # requester ("your partner's name"), the confirmer is that partner.
    labels: dict[str, Text] = field(default_factory=dict)

    def label(self, name: str, locale: str) -> str | None:
        """The confirmer's label of this answer; None: the form's own (a group's items)."""
        text = self.labels.get(name)
        return text.get(locale) if text else None


@dataclass(frozen=True)
class Step:
    id: str
    title: Text
    fields: tuple[FieldDef, ...]
    intro: Text | None = None
    show_if: Condition | None = None


@dataclass(frozen=True)
class FormDefinition:
    slug: str
    product: str | None
    zaaktype: str
    login: str
    title: Text
    intro: Text
    omschrijving: Text
    what_happens_next: Text
    steps: tuple[Step, ...]
    min_loa: str | None = None
    what_you_need: tuple[Text, ...] = ()
    declaration: Text | None = None
    prefill: tuple[str, ...] = ()
    honeypot: bool = False
    initiator: dict[str, str] = field(default_factory=dict)
    confirmation_email: str | None = None
    kenmerken: tuple[str, ...] = ()
    # One zaak of this zaaktype per address (e.g. one residents' parking permit).
    one_per_address: bool = False
    # Paid online before the zaak is opened: the Dutch label of the product's fee in the
    # catalogue, whose amount is charged (app.eforms.paying); None: nothing to pay.
    fee: str | None = None
    # Optional: the number field whose answer multiplies the fee (e.g. how many extracts).
    fee_quantity: str | None = None
    # Confirmed by a second person with their own DigiD before the zaak moves on.
    confirmation: ConfirmationRule | None = None
    # Only residents can use it: organisations would log in with eHerkenning, which the portal
    # does not offer, so the start page sends them to the phone and mail.
    residents_only: bool = False
    # For whom the form can be filled in (app.catalog.content.APPLIES_FOR); must match
    # its product's (flask catalog check).
    applies_for: str | None = None

    @property
    def login_required(self) -> bool:
        return self.login == "required"

    def step(self, step_id: str) -> Step | None:
        return next((step for step in self.steps if step.id == step_id), None)

    def all_fields(self) -> list[FieldDef]:
        return [f for step in self.steps for f in step.fields]

    def option_fees(self) -> list[str]:
        """The catalogue fee labels its options name (what an answer may add to pay)."""
        return [option.fee for f in self.all_fields() for option in f.options if option.fee]

    @property
    def may_cost(self) -> bool:
        """Whether some answers make the form one to pay for."""
        return bool(self.fee or self.option_fees())

    def field(self, name: str) -> FieldDef | None:
        return next((f for f in self.all_fields() if f.name == name), None)

    @property
    def objection_period(self) -> str | None:
        """The period after a decision in which this form is on time (its `decided_before`
        condition: bezwaar's six weeks); None when it has none (a complaint)."""
        conditions = [step.show_if for step in self.steps] + [f.show_if for f in self.all_fields()]
        return next((c.decided_before for c in conditions
                     if c is not None and c.decided_before), None)


# --------------------------------------------------------------------------- loading

def load_definitions(folder: str | Path = DEFAULT_PATH) -> dict[str, FormDefinition]:
    definitions = {}
    for path in sorted(Path(folder).glob("*.toml")):
        definition = load_definition(path)
        definitions[definition.slug] = definition
    return definitions


def load_definition(path: str | Path) -> FormDefinition:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError(f"{path.name}: not valid TOML: {exc}") from None
    definition = _Parser(path.name).form(data)
    if definition.slug != path.stem:
        raise DefinitionError(f"{path.name}: slug {definition.slug!r} must equal the file name")
    return definition


def parse_definition(data: dict, source: str = "<form>") -> FormDefinition:
    return _Parser(source).form(data)


def get_definitions() -> dict[str, FormDefinition]:
    """The definitions loaded for this app (at start-up, see app/eforms/__init__.py)."""
    return current_app.extensions[EXTENSION_KEY]


def get_definition(slug: str) -> FormDefinition | None:
    return get_definitions().get(slug)


def definition_for_product(product_slug: str) -> FormDefinition | None:
    return next((d for d in get_definitions().values() if d.product == product_slug), None)


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> DefinitionError:
        return DefinitionError(f"{self.source}: {where}: {message}" if where else f"{self.source}: {message}")

    def no_unknown(self, data: dict, allowed: set[str], where: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r}")

    def text(self, data: dict, key: str, where: str, required: bool = True) -> Text | None:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(where, f"{key!r} is required")
            return None
        return self.text_value(value, f"{where}.{key}" if where else key)

    def text_value(self, value: Any, where: str) -> Text:
        if not isinstance(value, dict) or not isinstance(value.get("nl"), str) or not value["nl"].strip():
            raise self.fail(where, 'must be a table { nl = "...", en = "..." } with a Dutch text')
        self.no_unknown(value, {"nl", "en"}, where)
        english = value.get("en", "")
        if not isinstance(english, str):
            raise self.fail(where, "'en' must be a string")
        return Text(nl=value["nl"], en=english)

    def string(self, data: dict, key: str, where: str, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"{key!r} must be a non-empty string")
        return value

    def integer(self, data: dict, key: str, where: str, default: int | None) -> int | None:
        value = data.get(key, default)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise self.fail(where, f"{key!r} must be a whole number of 0 or more")
        return value

    def boolean(self, data: dict, key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(where, f"{key!r} must be true or false")
        return value

    # ---- form

    def form(self, data: dict) -> FormDefinition:
        self.no_unknown(data, {
            "slug", "product", "zaaktype", "login", "min_loa", "title", "intro", "what_you_need",
            "omschrijving", "declaration", "prefill", "what_happens_next", "honeypot", "steps",
            "initiator", "confirmation_email", "kenmerken", "one_per_address", "fee", "fee_quantity",
            "applies_for", "residents_only", "confirmation"}, "")
        slug = self.string(data, "slug", "")
        if not SLUG.fullmatch(slug):
            raise self.fail("", f"slug {slug!r}: use lowercase letters, digits and '-'")
        login = data.get("login", "required")
        if login not in ("required", "optional"):
            raise self.fail("", "login must be 'required' or 'optional'")
        prefill = data.get("prefill", [])
        if not isinstance(prefill, list) or not set(prefill) <= PREFILL_ITEMS:
            raise self.fail("", f"prefill must be a list of {sorted(PREFILL_ITEMS)}")
        what_you_need = data.get("what_you_need", [])
        if not isinstance(what_you_need, list):
            raise self.fail("", "what_you_need must be a list of texts")
        applies_for = data.get("applies_for")
        if applies_for is not None and applies_for not in APPLIES_FOR:
            raise self.fail("", f"applies_for must be one of {', '.join(APPLIES_FOR)}")
        steps = self.steps(data.get("steps"))
        definition = FormDefinition(
            slug=slug,
            product=self.string(data, "product", "", required=False),
            zaaktype=self.string(data, "zaaktype", ""),
            login=login,
            min_loa=self.string(data, "min_loa", "", required=False),
            title=self.text(data, "title", ""),
            intro=self.text(data, "intro", ""),
            what_you_need=tuple(self.text_value(item, f"what_you_need[{i}]")
                                for i, item in enumerate(what_you_need)),
            omschrijving=self.text(data, "omschrijving", ""),
            declaration=self.text(data, "declaration", "", required=False),
            prefill=tuple(prefill),
            what_happens_next=self.text(data, "what_happens_next", ""),
            honeypot=self.boolean(data, "honeypot", "", False),
            steps=steps,
            initiator=self.initiator(data.get("initiator", {})),
            confirmation_email=self.string(data, "confirmation_email", "", required=False),
            kenmerken=tuple(data.get("kenmerken", [])),
            one_per_address=self.boolean(data, "one_per_address", "", False),
            fee=self.string(data, "fee", "", required=False),
            fee_quantity=self.string(data, "fee_quantity", "", required=False),
            applies_for=applies_for,
            residents_only=self.boolean(data, "residents_only", "", False),
            confirmation=self.confirmation(data.get("confirmation")),
        )
        if definition.may_cost and not definition.product:
            raise self.fail("", "fee needs 'product': the fee is the catalogue product's")
        if definition.fee_quantity and not any(
                f.name == definition.fee_quantity and f.type == "number"
                for f in definition.all_fields()):
            raise self.fail("", "fee_quantity must name a number field of the form")
        if definition.confirmation is not None:
            self.check_confirmation(definition)
        if definition.one_per_address and "adres" not in definition.prefill:
            raise self.fail("", "one_per_address needs 'adres' in prefill: the rule is on that address")
        self.check_references(definition)
        return definition

    def confirmation(self, data: Any) -> ConfirmationRule | None:
        if data is None:
            return None
        if not isinstance(data, dict):
            raise self.fail("confirmation", "must be a table { field, shows, status }")
        self.no_unknown(data, {"field", "shows", "status", "email", "labels"}, "confirmation")
        shows = data.get("shows", [])
        if not isinstance(shows, list) or not all(isinstance(name, str) for name in shows):
            raise self.fail("confirmation", "shows must be a list of field names")
        status = self.integer(data, "status", "confirmation", None)
        if not status:
            raise self.fail("confirmation", "status must be the volgnummer the zaak moves to")
        labels = data.get("labels", {})
        if not isinstance(labels, dict):
            raise self.fail("confirmation", "labels must be a table { field = { nl, en } }")
        return ConfirmationRule(field=self.string(data, "field", "confirmation"),
                                shows=tuple(shows), status=status,
                                email=self.string(data, "email", "confirmation", required=False),
                                labels={name: self.text_value(text, f"confirmation.labels.{name}")
                                        for name, text in labels.items()})

    def check_confirmation(self, definition: FormDefinition) -> None:
        rule = definition.confirmation
        field = definition.field(rule.field)
        if field is None or field.type != "bsn":
            raise self.fail("confirmation", "field must name a bsn field of the form")
        if not definition.login_required:
            raise self.fail("confirmation", "needs login = 'required': the confirmer is told "
                                            "who asks, by the name DigiD gave")
        email = definition.field(rule.email) if rule.email else None
        if rule.email and (email is None or email.type != "email"):
            raise self.fail("confirmation", "email must name an email field of the form")
        unknown = [name for name in rule.shows if definition.field(name) is None]
        if unknown or rule.field in rule.shows:
            raise self.fail("confirmation", f"shows: {(unknown or [rule.field])[0]!r} is no "
                                            "field of the form to show (a BSN is never shown)")
        # Every shown answer but a group (its items are "Witness 1", ...) has the confirmer's
        # own label, so no label on their page speaks to the requester.
        unlabelled = [name for name in rule.shows
                      if definition.field(name).type != "group" and name not in rule.labels]
        extra = sorted(set(rule.labels) - set(rule.shows))
        if unlabelled or extra:
            raise self.fail("confirmation", f"labels: {(unlabelled or extra)[0]!r} needs a "
                                            "label for the confirmer, and only a shown answer has one")

    def initiator(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict) or not set(data) <= {"naam", "email", "telefoon", "adres"}:
            raise self.fail("initiator", "must be a table with naam / email / telefoon / adres")
        return dict(data)

    def steps(self, data: Any) -> tuple[Step, ...]:
        if not isinstance(data, list) or not data:
            raise self.fail("", "a form needs at least one [[steps]]")
        steps = tuple(self.step(item, f"steps[{i}]") for i, item in enumerate(data))
        ids = [step.id for step in steps]
        duplicate = next((i for i in ids if ids.count(i) > 1), None)
        if duplicate:
            raise self.fail("steps", f"step id {duplicate!r} is used twice")
        return steps

    def step(self, data: dict, where: str) -> Step:
        self.no_unknown(data, {"id", "title", "intro", "show_if", "fields"}, where)
        step_id = self.string(data, "id", where)
        if not STEP_ID.fullmatch(step_id) or step_id in RESERVED_STEP_IDS:
            raise self.fail(where, f"id {step_id!r}: lowercase letters, digits, '-'; not one of "
                                   f"{sorted(RESERVED_STEP_IDS)}")
        raw_fields = data.get("fields")
        if not isinstance(raw_fields, list) or not raw_fields:
            raise self.fail(where, "a step needs at least one [[steps.fields]]")
        fields = tuple(self.field(item, f"{where}.fields[{i}]") for i, item in enumerate(raw_fields))
        if any(f.type == "group" for f in fields) and len(fields) > 1:
            raise self.fail(where, "a group must be the only field of its step")
        return Step(id=step_id, title=self.text(data, "title", where), fields=fields,
                    intro=self.text(data, "intro", where, required=False),
                    show_if=self.condition(data.get("show_if"), f"{where}.show_if"))

    def condition(self, data: Any, where: str) -> Condition | None:
        if data is None:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("field"), str):
            raise self.fail(where, "must be { field = \"...\", equals = \"...\" } or { field, in = [...] }")
        self.no_unknown(data, {"field", "equals", "in", "decided_before"}, where)
        if "decided_before" in data:
            if len(data) != 2 or not isinstance(data["decided_before"], str):
                raise self.fail(where, "decided_before = \"P6W\" stands alone with field")
            try:
                parse_duration(data["decided_before"])
            except ValueError as error:
                raise self.fail(where, str(error)) from None
            return Condition(field=data["field"], decided_before=data["decided_before"])
        if ("equals" in data) == ("in" in data):
            raise self.fail(where, "give exactly one of 'equals' and 'in'")
        values = (data["equals"],) if "equals" in data else data["in"]
        if not isinstance(values, (list, tuple)) or not values:
            raise self.fail(where, "'in' must be a non-empty list")
        return Condition(field=data["field"], values=tuple(values))

    def field(self, data: dict, where: str, in_group: bool = False) -> FieldDef:
        if not isinstance(data, dict):
            raise self.fail(where, "must be a table")
        kind = data.get("type")
        if kind not in FIELD_TYPES:
            raise self.fail(where, f"unknown type {kind!r}; use one of {sorted(FIELD_TYPES)}")
        self.no_unknown(data, {
            "name", "type", "label", "hint", "required", "show_if", "prefill", "required_message",
            "options", "min_length", "max_length", "rows", "min", "max", "integer", "min_selected",
            "in_municipality", "accept", "max_files", "max_size_mb", "fields", "min_items",
            "max_items", "item_label", "not_before", "exclude_zaaktypen"}, where)
        name = self.string(data, "name", where)
        if not FIELD_NAME.fullmatch(name):
            raise self.fail(where, f"name {name!r} must be snake_case")
        if in_group and (kind in ("group", "file", "zaak") or "show_if" in data):
            raise self.fail(where, "a group cannot hold groups, files, zaken or show_if")
        prefill = data.get("prefill")
        if prefill not in (None, "email", "telefoon"):
            raise self.fail(where, "prefill must be 'email' or 'telefoon'")
        options = self.options(data, kind, where)
        accept = data.get("accept", ["pdf", "jpg", "png"])
        if not isinstance(accept, list) or not accept or not set(accept) <= FILE_KINDS:
            raise self.fail(where, f"accept must be a list of {sorted(FILE_KINDS)}")
        if kind == "date":
            self.check_date_bounds(data, where)
        sub_fields = ()
        if kind == "group":
            raw = data.get("fields")
            if not isinstance(raw, list) or not raw:
                raise self.fail(where, "a group needs fields = [...]")
            sub_fields = tuple(self.field(item, f"{where}.fields[{i}]", in_group=True)
                               for i, item in enumerate(raw))
        required = self.boolean(data, "required", where, True)
        default_min_items = 1 if required else 0
        return FieldDef(
            name=name, type=kind, label=self.text(data, "label", where),
            hint=self.text(data, "hint", where, required=False),
            required=required,
            show_if=self.condition(data.get("show_if"), f"{where}.show_if"),
            prefill=prefill,
            required_message=self.text(data, "required_message", where, required=False),
            options=options,
            min_length=self.integer(data, "min_length", where, None),
            max_length=self.integer(data, "max_length", where, 2000 if kind == "textarea" else 200),
            rows=self.integer(data, "rows", where, None),
            min=data.get("min"), max=data.get("max"),
            integer=self.boolean(data, "integer", where, True),
            min_selected=self.integer(data, "min_selected", where, None),
            in_municipality=self.boolean(data, "in_municipality", where, False),
            accept=tuple(accept),
            max_files=self.integer(data, "max_files", where, 1),
            max_size_mb=self.integer(data, "max_size_mb", where, None),
            fields=sub_fields,
            min_items=self.integer(data, "min_items", where, default_min_items),
            max_items=self.integer(data, "max_items", where, 10),
            item_label=self.text(data, "item_label", where, required=False),
            not_before=self.string(data, "not_before", where, required=False),
            exclude_zaaktypen=tuple(data.get("exclude_zaaktypen", [])),
        )

    def options(self, data: dict, kind: str, where: str) -> tuple[Option, ...]:
        raw = data.get("options")
        if kind not in CHOICE_TYPES:
            if raw is not None:
                raise self.fail(where, f"type {kind!r} has no options")
            return ()
        if not isinstance(raw, list) or not raw:
            raise self.fail(where, f"type {kind!r} needs options = [...]")
        options = []
        for i, item in enumerate(raw):
            at = f"{where}.options[{i}]"
            if not isinstance(item, dict):
                raise self.fail(at, "must be { value = \"...\", label = {...} }")
            self.no_unknown(item, {"value", "label", "hint", "fee"}, at)
            options.append(Option(value=self.string(item, "value", at), label=self.text(item, "label", at),
                                  hint=self.text(item, "hint", at, required=False),
                                  fee=self.string(item, "fee", at, required=False)))
        values = [option.value for option in options]
        if len(set(values)) != len(values):
            raise self.fail(where, "option values must be unique")
        return tuple(options)

    def check_date_bounds(self, data: dict, where: str) -> None:
        for key in ("min", "max"):
            if key in data:
                try:
                    parse_relative_date(str(data[key]))
                except (ValueError, OverflowError):
                    raise self.fail(where, f"{key} {data[key]!r} is not a date like 'today', '-18y' "
                                           "or '2026-01-01'") from None

    def check_references(self, definition: FormDefinition) -> None:
        """Names are unique; show_if points at an earlier choice field; options exist."""
        seen: dict[str, FieldDef] = {}
        for step in definition.steps:
            self.check_condition(step.show_if, seen, f"step {step.id!r}")
            for f in step.fields:
                if f.name in seen:
                    raise self.fail(f"step {step.id!r}", f"field name {f.name!r} is used twice")
                self.check_condition(f.show_if, seen, f"field {f.name!r}")
                self.check_not_before(f, seen)
                seen[f.name] = f
        names = set(seen)
        for role, name in definition.initiator.items():
            if name not in names:
                raise self.fail("initiator", f"{role} refers to unknown field {name!r}")
        for name in (*definition.kenmerken, definition.confirmation_email):
            if name is not None and name not in names:
                raise self.fail("", f"unknown field {name!r} in kenmerken / confirmation_email")

    def check_not_before(self, field: FieldDef, earlier: dict[str, FieldDef]) -> None:
        if field.not_before is None:
            return
        source = earlier.get(field.not_before)
        if field.type != "date" or source is None or source.type != "date":
            raise self.fail(f"field {field.name!r}", "not_before must name an earlier date field "
                                                     "of a date field")

    def check_condition(self, condition: Condition | None, earlier: dict[str, FieldDef], where: str) -> None:
        if condition is None:
            return
        source = earlier.get(condition.field)
        if source is None:
            raise self.fail(where, f"show_if refers to {condition.field!r}, which is not an earlier field")
        if condition.decided_before is not None:
            if source.type != "zaak":
                raise self.fail(where, f"decided_before needs a zaak field, not {source.type!r}")
            return
        if source.type not in CONDITION_SOURCE_TYPES:
            raise self.fail(where, f"show_if field {condition.field!r} must be a radio, select, "
                                   "checkbox or checkboxes field")
        if source.options:
            known = {option.value for option in source.options}
            unknown = [value for value in condition.values if value not in known]
            if unknown:
                raise self.fail(where, f"show_if value {unknown[0]!r} is not an option of {condition.field!r}")
