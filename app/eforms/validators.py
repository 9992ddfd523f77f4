"""Validators for the e-form field types, WTForms style.

Every validator is a callable ``validator(form, field)`` that raises
``wtforms.validators.ValidationError`` with a specific, translated message, and
never any other exception, whatever the resident types. The text validators
also normalise: ``field.data`` is replaced by the canonical form ("8081bp" ->
"8081 BP"), so the stored answer and the check-your-answers page show one
spelling. Their ``clean(value)`` method does the same on a plain string for
callers without a WTForms field.

An empty value passes: whether an answer is required is the engine's rule, with
its own message. Python-stdnum does the checking wherever it knows the number.
"""

import re
from abc import ABC, abstractmethod
from calendar import monthrange
from datetime import date, timedelta

import phonenumbers
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, InvalidComponent
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode
from wtforms.validators import ValidationError

# The municipality's calendar: "today" flips at midnight in the Netherlands, not UTC
# (imported under this name: `today` is a parameter here).
from app.ui.dates import long_date
from app.zaken.services import today as today_in_municipality
from app.zaken.store import ZakenStore

SEPARATORS = re.compile(r"[\s.\-]+")


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


class _TextValidator(ABC):
    """Validates and normalises ``field.data``; subclasses implement ``clean``."""

    def __call__(self, form, field) -> None:
        value = _text(field.data)
        if value:
            field.data = self.clean(value)

    @abstractmethod
    def clean(self, value: str) -> str:
        """The canonical form of a non-empty answer, or ValidationError."""


# --------------------------------------------------------------------------- one line

class SingleLine:
    """A one-line answer (a name, a subject, an address): no line break, tab or other control
    character. A browser's text box cannot send one, a crafted request can; such text ends up
    in places that must stay one line, like a mail's subject."""

    def __call__(self, form, field) -> None:
        if not all(char.isprintable() for char in str(field.data or "")):
            raise ValidationError(_l("Write this on one line, without line breaks"))


# --------------------------------------------------------------------------- BSN

def normalise_bsn(value: str) -> str:
    return SEPARATORS.sub("", _text(value))


class Bsn(_TextValidator):
    """Burgerservicenummer: exactly 9 digits that pass the 11-proef."""

    def clean(self, value: str) -> str:
        number = normalise_bsn(value)
        # stdnum pads short numbers with zeros (old 8-digit BSNs); residents type 9.
        if not re.fullmatch(r"[0-9]{9}", number):
            raise ValidationError(_l("Enter a BSN of 9 digits"))
        if not stdnum_bsn.is_valid(number):
            raise ValidationError(_l("This is not a valid BSN. Check the number"))
        return number


# --------------------------------------------------------------------------- postcode

def normalise_postcode(value: str) -> str:
    """'8081bp', '8081 bp', ' 8081  BP ' -> '8081 BP'; anything else comes back stripped."""
    compact = re.sub(r"\s+", "", _text(value)).upper()
    match = re.fullmatch(r"([0-9]{4})([A-Z]{2})", compact)
    return f"{match[1]} {match[2]}" if match else _text(value)


class Postcode(_TextValidator):
    """Dutch postcode: 4 digits not starting with 0, 2 letters, not SA/SD/SS."""

    def clean(self, value: str) -> str:
        postcode = normalise_postcode(value)
        if not re.fullmatch(r"[0-9]{4} [A-Z]{2}", postcode):
            raise ValidationError(_l("Enter a postcode of 4 digits and 2 letters, like 8081 BP"))
        try:
            return stdnum_postcode.validate(postcode)
        except InvalidComponent:
            raise ValidationError(_l("This postcode does not exist. Check the letters")) from None
        except ValueError:  # the digits start with 0
            raise ValidationError(_l("This postcode does not exist. Check the digits")) from None


# --------------------------------------------------------------------------- IBAN

def normalise_iban(value: str) -> str:
    return re.sub(r"[\s.\-]+", "", _text(value)).upper()


class Iban(_TextValidator):
    """International bank account number, checked on its check digits and its country's format."""

    def clean(self, value: str) -> str:
        number = normalise_iban(value)
        if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}", number):
            raise ValidationError(_l("Enter an IBAN, like NL91 ABNA 0417 1643 00"))
        try:
            return stdnum_iban.validate(number)
        except InvalidChecksum:
            raise ValidationError(_l("This IBAN is not correct. Check the number")) from None
        # stdnum raises plain ValueErrors too, for example on an unknown bank code.
        except ValueError:
            raise ValidationError(_l("This IBAN does not exist. Check the country and the bank")) from None


# --------------------------------------------------------------------------- kenteken

# The RDW "sidecodes" of Dutch licence plates for cars: X = letter, 9 = digit.
# python-stdnum has no kenteken module. Older plates with other layouts (before
# 1951) and special plates (diplomatic, trade, military) are left out: residents
# with such a car ask for a permit at the balie.
SIDECODES = (
    ("XX", "99", "99"),   # 1: 1951-1965
    ("99", "99", "XX"),   # 2: 1965-1973
    ("99", "XX", "99"),   # 3: 1973-1978
    ("XX", "99", "XX"),   # 4: 1978-1991
    ("XX", "XX", "99"),   # 5: 1991-1999
    ("99", "XX", "XX"),   # 6: 1999-2005
    ("99", "XXX", "9"),   # 7: 2005-2009
    ("9", "XXX", "99"),   # 8: 2006-2013
    ("XX", "999", "X"),   # 9: 2009-2015
    ("X", "999", "XX"),   # 10: 2013-2015
    ("XXX", "99", "X"),   # 11: 2015-2019
    ("X", "99", "XXX"),   # 12: 2016-2021
    ("9", "XX", "999"),   # 13: 2019-
    ("999", "XX", "9"),   # 14: 2024-
)


def _sidecode_pattern(groups: tuple[str, ...]) -> re.Pattern:
    parts = (f"([A-Z]{{{len(g)}}})" if g[0] == "X" else f"([0-9]{{{len(g)}}})" for g in groups)
    return re.compile("".join(parts))


SIDECODE_PATTERNS = tuple(_sidecode_pattern(groups) for groups in SIDECODES)


def normalise_kenteken(value: str) -> str:
    """'ab12cd', 'AB 12 CD', 'ab-12-cd' -> 'AB-12-CD'; an unknown layout comes back compact."""
    compact = re.sub(r"[\s\-]+", "", _text(value)).upper()
    for pattern in SIDECODE_PATTERNS:
        match = pattern.fullmatch(compact)
        if match:
            return "-".join(match.groups())
    return compact


class Kenteken(_TextValidator):
    """A Dutch licence plate in one of the RDW sidecodes 1-14."""

    def clean(self, value: str) -> str:
        kenteken = normalise_kenteken(value)
        if "-" not in kenteken:
            raise ValidationError(_l("Enter a Dutch licence plate number, like AB-123-C"))
        return kenteken


# --------------------------------------------------------------------------- phone

# A number without a country code is Dutch.
PHONE_DEFAULT_REGION = "NL"


class Phone(_TextValidator):
    """A phone number that exists in the numbering plans, checked with `phonenumbers` (the
    data of Google's libphonenumber): Dutch without a country code ('06 12345678',
    '0525 123456', '+31 (0)6-1234 5678'), from abroad with it ('+32 ...', '0049 ...').

    Normalised: a Dutch number to its digits with the leading 0 ('0612345678'), so staff call
    it as they know; a foreign one to the international form ('+4930901820').
    """

    def clean(self, value: str) -> str:
        try:
            number = phonenumbers.parse(value, PHONE_DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(_l("Enter a phone number, like 06 12345678 or 0525 123456. "
                                     "From abroad with the country code, like +32 ..."))
        if phonenumbers.region_code_for_number(number) == PHONE_DEFAULT_REGION:
            return "0" + phonenumbers.national_significant_number(number)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --------------------------------------------------------------------------- email

# Deliberately simple: something@domain.tld without spaces. The confirmation mail
# is the real test; stricter rules only refuse real addresses.
EMAIL = re.compile(r"[^\s@]+@[^\s@.]+(\.[^\s@.]+)+")


def normalise_email(value: str) -> str:
    local, at, domain = _text(value).rpartition("@")
    return f"{local}@{domain.lower()}" if at else _text(value)


class Email(_TextValidator):
    def clean(self, value: str) -> str:
        address = normalise_email(value)
        if len(address) > 254 or not EMAIL.fullmatch(address):
            raise ValidationError(_l("Enter an email address like name@example.nl"))
        return address


# --------------------------------------------------------------------------- dates

RELATIVE_DATE = re.compile(r"([+-])([0-9]{1,3})([dwmy])")


def _add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    # 31 January + 1 month is the last day of February, not an error.
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def parse_relative_date(text: str, today: date | None = None) -> date:
    """A bound from a form definition: "today", "-18y", "+6w", "+3m", "-1d" or "2000-01-01".

    Raises ValueError for anything else: that is a mistake in the definition,
    not in a resident's answer.
    """
    today = today or today_in_municipality()
    spec = text.strip().lower()
    if spec == "today":
        return today
    match = RELATIVE_DATE.fullmatch(spec)
    if not match:
        return date.fromisoformat(spec)
    amount = int(match[2]) * (-1 if match[1] == "-" else 1)
    unit = match[3]
    if unit == "d":
        return today + timedelta(days=amount)
    if unit == "w":
        return today + timedelta(weeks=amount)
    return _add_months(today, amount * 12 if unit == "y" else amount)


def parse_date_parts(day: object, month: object, year: object) -> date:
    """The three inputs of a date question -> a date, or a message that says what is wrong."""
    parts = {"day": _text(day), "month": _text(month), "year": _text(year)}
    if not any(parts.values()):
        raise ValidationError(_l("Enter a date"))
    missing = [name for name, value in parts.items() if not value]
    if missing:
        raise ValidationError(_MISSING_PART[missing[0]])
    if not all(re.fullmatch(r"[0-9]{1,4}", value) for value in parts.values()):
        raise ValidationError(_l("Enter the date in numbers, like 27 3 2007"))
    if len(parts["year"]) != 4:
        raise ValidationError(_l("The year must have 4 digits, like 2007"))
    try:
        return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise ValidationError(_l("Enter a real date, for example: there is no 31 February")) from None


_MISSING_PART = {
    "day": _l("The date must include a day"),
    "month": _l("The date must include a month"),
    "year": _l("The date must include a year"),
}


def _formatted(day: date) -> LazyString:
    # Formatted when the message is shown, in the language of the page.
    return LazyString(long_date, day)


class DateRange:
    """Checks a date answer against bounds relative to today (see parse_relative_date).

    ``field.data`` is a ``date`` (the engine joins the three inputs with
    parse_date_parts first). ``today`` can be injected for tests.
    """

    def __init__(self, min: str | None = None, max: str | None = None, today=today_in_municipality):
        self.min = min
        self.max = max
        self.today = today
        # A definition with a bad bound fails at load time, not when a resident answers.
        for bound in (min, max):
            if bound is not None:
                parse_relative_date(bound, date(2000, 1, 1))

    def __call__(self, form, field) -> None:
        if isinstance(field.data, date):
            self.check(field.data)

    def check(self, value: date) -> None:
        today = self.today()
        if self.min is not None:
            earliest = parse_relative_date(self.min, today)
            if value < earliest:
                raise ValidationError(self._too_early(earliest, today))
        if self.max is not None:
            latest = parse_relative_date(self.max, today)
            if value > latest:
                raise ValidationError(self._too_late(latest, today))

    @staticmethod
    def _too_early(earliest: date, today: date):
        if earliest == today:
            return _l("The date must be today or in the future")
        if earliest == today + timedelta(days=1):
            return _l("The date must be in the future")
        return _l("The date must be on or after %(date)s", date=_formatted(earliest))

    @staticmethod
    def _too_late(latest: date, today: date):
        if latest == today:
            return _l("The date must be today or in the past")
        if latest == today - timedelta(days=1):
            return _l("The date must be in the past")
        return _l("The date must be on or before %(date)s", date=_formatted(latest))


# --------------------------------------------------------------------------- by field type

VALIDATORS_BY_TYPE = {
    "bsn": Bsn,
    "postcode": Postcode,
    "iban": Iban,
    "kenteken": Kenteken,
    "phone": Phone,
    "email": Email,
}


def validator_for(field_type: str) -> _TextValidator | None:
    """The validator of a text-like field type, for the engine; None when the type has none."""
    factory = VALIDATORS_BY_TYPE.get(field_type)
    return factory() if factory else None


# --------------------------------------------------------------------------- one per address

class OnePerAddress:
    """A rule across zaken: one zaak of a type per address, e.g. one residents' parking permit.

    An address is taken while a zaak of the type with that kenmerk "adres" (the
    engine stores the logged-in resident's address there) is open, or was closed
    with the granting result less than ``valid_for`` ago (a permit lasts a year).
    The message never names the other zaak: it may belong to a housemate.
    """

    def __init__(self, zaaktype: str, granted: str = "Toegekend", valid_for: timedelta = timedelta(days=365)):
        self.zaaktype = zaaktype
        self.granted = granted
        self.valid_for = valid_for

    def check(self, store: ZakenStore, adres: str, today: date | None = None) -> None:
        closed_after = (today or today_in_municipality()) - self.valid_for
        if adres and store.address_has_zaak(self.zaaktype, adres=adres, granted=self.granted,
                                            closed_after=closed_after):
            raise self.refusal()

    @staticmethod
    def refusal() -> ValidationError:
        return ValidationError(_l("There already is a permit or an application for a permit at "
                                  "your address. Only one permit per address is possible."))
