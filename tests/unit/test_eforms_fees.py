"""A fee chosen by the answers: an option's `fee` names a catalogue fee, the engine says which
options the visible answers chose, and `fee_amount` adds up the catalogue's amounts."""

from decimal import Decimal

import pytest

from app.eforms.definitions import DefinitionError, get_definition, parse_definition
from app.eforms.engine import chosen_fees
from app.eforms.paying import PaymentConfigurationError, check_fees, fee_amount
from tests.unit.test_eforms_engine import MINIMAL

PRICED = {**MINIMAL, "product": "huwelijk-en-partnerschap", "steps": [
    {"id": "een", "title": {"nl": "Een"}, "fields": [
        {"name": "dag", "type": "radio", "label": {"nl": "Dag"}, "options": [
            {"value": "maandag", "label": {"nl": "Maandag"},
             "fee": "Gratis: maandag 9.00 uur in het gemeentehuis"},
            {"value": "zaterdag", "label": {"nl": "Zaterdag"}, "fee": "Zaterdag"}]},
        {"name": "plek", "type": "radio", "label": {"nl": "Plek"},
         "show_if": {"field": "dag", "equals": "zaterdag"}, "options": [
            {"value": "thuis", "label": {"nl": "Thuis"}, "fee": "Extra voor een eigen trouwlocatie"},
            {"value": "gemeentehuis", "label": {"nl": "Gemeentehuis"}}]},
    ]},
]}


def test_the_engine_lists_the_fees_of_the_chosen_visible_options():
    definition = parse_definition(PRICED)
    assert chosen_fees(definition, {"dag": "zaterdag", "plek": "thuis"}) == [
        "Zaterdag", "Extra voor een eigen trouwlocatie"]
    # The place is asked only for a Saturday: a stale answer costs nothing.
    assert chosen_fees(definition, {"dag": "maandag", "plek": "thuis"}) == [
        "Gratis: maandag 9.00 uur in het gemeentehuis"]
    assert chosen_fees(definition, {}) == []


def test_an_option_fee_needs_the_product_whose_catalogue_has_it():
    without_product = {key: value for key, value in PRICED.items() if key != "product"}
    with pytest.raises(DefinitionError, match="fee needs 'product'"):
        parse_definition(without_product)


def test_fee_amount_adds_the_catalogue_amounts_of_the_chosen_options(app):
    definition = parse_definition(PRICED)
    with app.app_context():
        assert fee_amount(definition, {"dag": "zaterdag", "plek": "thuis"}) == Decimal("745.00")
        assert fee_amount(definition, {"dag": "zaterdag", "plek": "gemeentehuis"}) \
            == Decimal("595.00")
        assert fee_amount(definition, {"dag": "maandag"}) == Decimal("0.00")  # sent unpaid
        assert fee_amount(get_definition("verhuizing"), {}) is None  # never costs anything


def test_the_form_fee_and_its_quantity_still_count(app):
    with app.app_context():
        assert fee_amount(get_definition("uittreksel-brp"), {"aantal": 3}) == Decimal("45.30")


def test_an_option_fee_the_catalogue_lacks_stops_the_app(app, monkeypatch):
    wrong = parse_definition({**PRICED, "slug": "proef", "steps": [{
        **PRICED["steps"][0], "fields": [{**PRICED["steps"][0]["fields"][0], "options": [
            {"value": "zondag", "label": {"nl": "Zondag"}, "fee": "Zondag"}]}]}]})
    with app.app_context():
        monkeypatch.setattr("app.eforms.paying.get_definitions", lambda: {"proef": wrong})
        with pytest.raises(PaymentConfigurationError, match="no fee labelled 'Zondag'"):
            check_fees()
