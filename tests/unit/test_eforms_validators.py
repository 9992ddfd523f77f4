"""The e-form validators: known good and bad values, and arbitrary text never breaks them."""

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from hypothesis import given
from hypothesis import strategies as st
from wtforms.validators import ValidationError

from app.db import get_session, utcnow
from app.eforms.definitions import get_definition
from app.eforms.models import REGISTRATION_FAILED, REGISTRATION_PENDING, FormRegistration
from app.eforms.services import check_address_free
from app.eforms.validators import (
    Bsn,
    DateRange,
    Email,
    Iban,
    Kenteken,
    OnePerAddress,
    Phone,
    Postcode,
    normalise_email,
    normalise_iban,
    normalise_kenteken,
    normalise_postcode,
    parse_date_parts,
    parse_relative_date,
    validator_for,
)
from app.zaken.services import Initiator, open_zaak, set_resultaat
from app.zaken.store import get_zaken_store

TODAY = date(2026, 3, 15)


class Field:
    """The part of a WTForms field a validator uses."""

    def __init__(self, data):
        self.data = data


@pytest.fixture(autouse=True)
def english(app):
    """Messages are compared with their English msgids."""
    with app.test_request_context(), force_locale("en"):
        yield


def message(validator, value) -> str:
    with pytest.raises(ValidationError) as error:
        validator(None, Field(value))
    return str(error.value)


def cleaned(validator, value):
    field = Field(value)
    validator(None, field)
    return field.data


# --------------------------------------------------------------------------- BSN

@pytest.mark.parametrize("value", ["999990019", "999990020", "999 990 032", "9999.90.044", "111222333"])
def test_bsn_accepts_numbers_that_pass_the_11_proef(value):
    assert cleaned(Bsn(), value) == value.replace(" ", "").replace(".", "")


@pytest.mark.parametrize("value", ["12345678", "1234567890", "99999001A", "abc"])
def test_bsn_of_the_wrong_length_or_with_letters(value):
    assert message(Bsn(), value) == "Enter a BSN of 9 digits"


@pytest.mark.parametrize("value", ["999990018", "123456789", "111222334"])
def test_bsn_that_fails_the_11_proef(value):
    assert message(Bsn(), value) == "This is not a valid BSN. Check the number"


# --------------------------------------------------------------------------- postcode

@pytest.mark.parametrize("value", ["8081 BP", "8081bp", "8081 bp", " 8081  Bp ", "8084HC"])
def test_postcode_accepts_and_normalises(value):
    assert cleaned(Postcode(), value) == normalise_postcode(value)
    assert normalise_postcode(value) in {"8081 BP", "8084 HC"}


@pytest.mark.parametrize("value", ["1234 SA", "1234 sd", "1234SS"])
def test_postcode_with_letters_that_are_never_used(value):
    assert message(Postcode(), value) == "This postcode does not exist. Check the letters"


def test_postcode_starting_with_zero():
    assert message(Postcode(), "0123 AB") == "This postcode does not exist. Check the digits"


@pytest.mark.parametrize("value", ["123 AB", "12345 AB", "8081 B", "8081-BP", "AB 8081", "8081 ÄB"])
def test_postcode_in_the_wrong_format(value):
    assert message(Postcode(), value) == "Enter a postcode of 4 digits and 2 letters, like 8081 BP"


# --------------------------------------------------------------------------- IBAN

@pytest.mark.parametrize("value", ["NL91ABNA0417164300", "nl91 abna 0417 1643 00", "NL91-ABNA-0417-1643-00",
                                   "DE89370400440532013000", "BE71096123456769"])
def test_iban_accepts_and_normalises(value):
    assert cleaned(Iban(), value) == normalise_iban(value)
    assert " " not in normalise_iban(value) and normalise_iban(value).isupper()


def test_iban_with_a_wrong_check_digit():
    assert message(Iban(), "NL92ABNA0417164300") == "This IBAN is not correct. Check the number"


@pytest.mark.parametrize("value", ["NL91", "1234567890", "NL91ABNA041716430012345678901234567"])
def test_iban_in_the_wrong_format(value):
    assert message(Iban(), value) == "Enter an IBAN, like NL91 ABNA 0417 1643 00"


def test_iban_of_an_unknown_country_or_bank_layout():
    # The check digits are right, but no country "XX" exists / a Dutch bank code has no digits
    # / a Belgian account number fails its own check.
    for value in ("XX57WEST12345698765432", "NL97AB120417164300", "BE68539007547034"):
        assert message(Iban(), value) == "This IBAN does not exist. Check the country and the bank"


# --------------------------------------------------------------------------- kenteken

@pytest.mark.parametrize("value, expected", [
    ("AB-12-34", "AB-12-34"),     # sidecode 1
    ("12-34-AB", "12-34-AB"),     # 2
    ("12-AB-34", "12-AB-34"),     # 3
    ("AB-12-CD", "AB-12-CD"),     # 4
    ("ab-cd-12", "AB-CD-12"),     # 5
    ("12 ab cd", "12-AB-CD"),     # 6
    ("12-ABC-3", "12-ABC-3"),     # 7
    ("1abc23", "1-ABC-23"),       # 8
    ("AB-123-C", "AB-123-C"),     # 9
    ("A-123-BC", "A-123-BC"),     # 10
    ("abc12d", "ABC-12-D"),       # 11
    ("A-12-BCD", "A-12-BCD"),     # 12
    ("1-AB-234", "1-AB-234"),     # 13
    ("123-AB-4", "123-AB-4"),     # 14
])
def test_kenteken_in_every_sidecode(value, expected):
    assert cleaned(Kenteken(), value) == expected


@pytest.mark.parametrize("value", ["ABC-123", "123-ABC", "A1B2C3", "AB-12-C", "AB-12-CDE", "ÅB-12-CD"])
def test_kenteken_in_no_sidecode(value):
    assert message(Kenteken(), value) == "Enter a Dutch licence plate number, like AB-123-C"


# --------------------------------------------------------------------------- phone

@pytest.mark.parametrize("value", ["06 12345678", "06-12345678", "0612345678", "+31 6 12345678",
                                   "+31 (0)6 1234 5678", "0031612345678", "+31612345678"])
def test_mobile_numbers_in_every_common_spelling(value):
    assert cleaned(Phone(), value) == "0612345678"


@pytest.mark.parametrize("value", ["0525 681234", "0525-681234", "038 4251234", "+31 525 681234"])
def test_landline_numbers(value):
    assert len(cleaned(Phone(), value)) == 10


@pytest.mark.parametrize("value, expected", [("+49 30 901820", "+4930901820"),
                                             ("0049 30 901820", "+4930901820"),
                                             ("+32 9 210 10 10", "+3292101010"),
                                             ("+1 650 253 0000", "+16502530000")])
def test_numbers_from_abroad_with_their_country_code(value, expected):
    assert cleaned(Phone(), value) == expected


@pytest.mark.parametrize("value", ["0612345", "061234567890", "06 1234 567a",
                                   "0012345678", "12345", "+49 1", "telefoon", "06 00000000"])
def test_phone_numbers_that_do_not_exist_are_refused(value):
    assert message(Phone(), value) == ("Enter a phone number, like 06 12345678 or 0525 123456. "
                                       "From abroad with the country code, like +32 ...")


# --------------------------------------------------------------------------- email

@pytest.mark.parametrize("value, expected", [
    ("fatima.elamrani@example.nl", "fatima.elamrani@example.nl"),
    ("  Piet@Example.NL ", "Piet@example.nl"),
    ("a+b@sub.example.org", "a+b@sub.example.org"),
])
def test_email_accepts_and_lowercases_the_domain(value, expected):
    assert cleaned(Email(), value) == expected


@pytest.mark.parametrize("value", ["piet", "piet@", "@example.nl", "piet@example", "piet @example.nl",
                                   "piet@example..nl", "a" * 250 + "@example.nl"])
def test_email_in_the_wrong_format(value):
    assert message(Email(), value) == "Enter an email address like name@example.nl"


# --------------------------------------------------------------------------- empty answers

@pytest.mark.parametrize("validator", [Bsn(), Postcode(), Iban(), Kenteken(), Phone(), Email()])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_answers_are_left_to_the_required_check(validator, value):
    validator(None, Field(value))


def test_validator_for_each_text_type():
    assert isinstance(validator_for("kenteken"), Kenteken)
    assert validator_for("textarea") is None


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize("spec, expected", [
    ("today", TODAY),
    ("-1d", date(2026, 3, 14)),
    ("+6w", date(2026, 4, 26)),
    ("+3m", date(2026, 6, 15)),
    ("-18y", date(2008, 3, 15)),
    ("2000-01-01", date(2000, 1, 1)),
])
def test_parse_relative_date(spec, expected):
    assert parse_relative_date(spec, TODAY) == expected


def test_relative_months_and_years_stay_on_a_real_day():
    assert parse_relative_date("+1m", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_relative_date("-18y", date(2024, 2, 29)) == date(2006, 2, 28)


@pytest.mark.parametrize("spec", ["tomorrow", "+6", "6w", "+1x", ""])
def test_a_bad_bound_is_a_definition_error(spec):
    with pytest.raises(ValueError):
        parse_relative_date(spec, TODAY)
    with pytest.raises(ValueError):
        DateRange(min=spec)


def test_date_parts_make_a_date():
    assert parse_date_parts("29", "2", "2024") == date(2024, 2, 29)
    assert parse_date_parts(" 1", "04 ", "2026") == date(2026, 4, 1)


@pytest.mark.parametrize("parts, expected", [
    (("", "", ""), "Enter a date"),
    (("", "2", "2026"), "The date must include a day"),
    (("31", "", "2026"), "The date must include a month"),
    (("31", "2", None), "The date must include a year"),
    (("31", "2", "2026"), "Enter a real date, for example: there is no 31 February"),
    (("29", "2", "2026"), "Enter a real date, for example: there is no 31 February"),
    (("1", "13", "2026"), "Enter a real date, for example: there is no 31 February"),
    (("0", "1", "2026"), "Enter a real date, for example: there is no 31 February"),
    (("1", "1", "26"), "The year must have 4 digits, like 2007"),
    (("een", "1", "2026"), "Enter the date in numbers, like 27 3 2007"),
    (("-1", "1", "2026"), "Enter the date in numbers, like 27 3 2007"),
])
def test_date_parts_that_make_no_date(parts, expected):
    with pytest.raises(ValidationError) as error:
        parse_date_parts(*parts)
    assert str(error.value) == expected


def date_range_message(validator: DateRange, value: date) -> str:
    return message(validator, value)


@pytest.mark.parametrize("bounds, value, expected", [
    ({"max": "-1d"}, TODAY, "The date must be in the past"),
    ({"max": "today"}, date(2026, 3, 16), "The date must be today or in the past"),
    ({"min": "today"}, date(2026, 3, 14), "The date must be today or in the future"),
    ({"min": "+1d"}, TODAY, "The date must be in the future"),
    ({"min": "2000-01-01"}, date(1999, 12, 31), "The date must be on or after 1 January 2000"),
    ({"min": "today", "max": "+3m"}, date(2026, 6, 16), "The date must be on or before 15 June 2026"),
])
def test_date_out_of_range(bounds, value, expected):
    assert date_range_message(DateRange(**bounds, today=lambda: TODAY), value) == expected


def test_date_range_messages_follow_the_page_language():
    validator = DateRange(min="2000-01-01", today=lambda: TODAY)
    with pytest.raises(ValidationError) as error:
        validator(None, Field(date(1999, 1, 1)))
    with force_locale("nl"):
        assert "1 januari 2000" in str(error.value)


@pytest.mark.parametrize("value", [TODAY, date(2026, 6, 15), None, "not a date"])
def test_dates_in_range_or_not_yet_parsed_pass(value):
    DateRange(min="today", max="+3m", today=lambda: TODAY)(None, Field(value))


# --------------------------------------------------------------------------- any input

TEXT_VALIDATORS = [Bsn(), Postcode(), Iban(), Kenteken(), Phone(), Email()]
NORMALISERS = [normalise_postcode, normalise_kenteken, normalise_iban, normalise_email]
# Text that looks like the real thing reaches the deeper checks (stdnum) more often than noise.
near_misses = st.from_regex(r"\A[0-9A-Za-z \-+().@]{0,24}\Z")
any_text = st.one_of(st.text(), near_misses)


@given(value=any_text)
def test_any_text_gives_a_valid_value_or_a_validation_error(value):
    for validator in TEXT_VALIDATORS:
        field = Field(value)
        try:
            validator(None, field)
        except ValidationError as error:
            assert str(error)
        else:
            # A value that passed is stored normalised, and passes again unchanged.
            again = Field(field.data)
            validator(None, again)
            assert again.data == field.data


@given(value=any_text)
def test_normalisers_are_idempotent(value):
    for normalise in NORMALISERS:
        once = normalise(value)
        assert normalise(once) == once


@given(day=any_text, month=any_text, year=any_text)
def test_any_date_parts_give_a_date_or_a_validation_error(day, month, year):
    try:
        result = parse_date_parts(day, month, year)
    except ValidationError:
        return
    assert isinstance(result, date)


@given(day=st.integers(0, 40), month=st.integers(0, 14), year=st.integers(1, 9999))
def test_numeric_date_parts_never_break(day, month, year):
    try:
        result = parse_date_parts(str(day), str(month), str(year))
    except ValidationError:
        return
    try:
        DateRange(min="today", max="+3m", today=lambda: TODAY)(None, Field(result))
    except ValidationError as error:
        assert str(error)


# --------------------------------------------------------------------------- one permit per address

ADRES = "Vischpoortstraat 14, 8081 BP Elburg"


def permit_zaak(session, adres: str):
    return open_zaak(session, zaaktype="PARKEERVERGUNNING", initiator=Initiator(naam="Test"),
                     omschrijving="Aanvraag parkeervergunning", kenmerken={"adres": adres},
                     registered_by="test")


def test_one_permit_per_address(db_connection):
    session = get_session()
    store = get_zaken_store(session)
    rule = OnePerAddress("PARKEERVERGUNNING")
    rule.check(store, ADRES)                        # nothing there yet
    zaak = permit_zaak(session, ADRES)
    with pytest.raises(ValidationError, match="Only one permit per address"):
        rule.check(store, ADRES)                      # an open application
    rule.check(store, "Vischpoortstraat 16, 8081 BP Elburg")   # the neighbours may apply
    set_resultaat(session, zaak, resultaattype="Toegekend", gezet_door="test")
    with pytest.raises(ValidationError):
        rule.check(store, ADRES)                      # a permit granted today
    rule.check(store, ADRES, today=zaak.einddatum + timedelta(days=366))   # a year later


def test_a_refused_application_leaves_the_address_free(db_connection):
    session = get_session()
    set_resultaat(session, permit_zaak(session, ADRES), resultaattype="Afgewezen", gezet_door="test")
    OnePerAddress("PARKEERVERGUNNING").check(get_zaken_store(session), ADRES)


def test_a_submission_waiting_for_the_zaaksysteem_takes_the_address(app, db_connection):
    """With a remote zaaksysteem the zaak exists only once the worker registered it; until
    then its FormRegistration holds the address, and a refused one frees it."""
    session = get_session()
    definition = get_definition("parkeervergunning")
    registration = FormRegistration(
        draft_id="waiting-" + ADRES, form_slug="parkeervergunning", zaaktype="PARKEERVERGUNNING",
        created_at=utcnow(), initiator={}, omschrijving="Aanvraag", kenmerken={"adres": ADRES},
        answers={}, uploads=[], locale="nl", document_urls=[], status=REGISTRATION_PENDING,
        attempts=0, next_attempt_at=utcnow())
    session.add(registration)
    session.flush()
    with pytest.raises(ValidationError, match="Only one permit per address"):
        check_address_free(session, definition, ADRES)
    check_address_free(session, definition, "Vischpoortstraat 16, 8081 BP Elburg")
    registration.status = REGISTRATION_FAILED
    session.flush()
    check_address_free(session, definition, ADRES)
