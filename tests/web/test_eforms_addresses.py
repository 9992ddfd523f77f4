"""The e-forms' address field on the BAG connectors (ADDRESS_LOOKUP=pdok and bag), seen
by the resident: an address outside the municipality is refused exactly as with the local
register, and when the register is down the field says so, what was typed stays on the
page, the draft keeps its answers, and trying again works."""

import re

import pytest
from sqlalchemy import select

from app.db import get_session
from app.eforms.addresses import LocalAddressLookup
from app.eforms.models import FormDraft
from tests.address_fixtures import (  # noqa: F401
    address_lookup_in_app,
    bag_fake,
    bag_lookup,
    pdok_fake,
    pdok_lookup,
)
from tests.eforms_fixtures import draft_id_of, post_page, start_form
from tests.login import login_as
from tests.personas import FATIMA
from tests.web.test_eforms import walk_verhuizing

NOT_HERE = "Dit adres ligt niet in onze gemeente"
NOT_NOW = "We kunnen het adres nu niet controleren. Probeer het over een paar minuten opnieuw"
FAKE_OPERATION = {"pdok": ("pdok_fake", "/free"), "bag": ("bag_fake", "/adressen")}


def field_error(html: str) -> str:
    match = re.search(r'id="nieuw_adres-error">(.*?)</p>', html, re.S)
    assert match, "no error at the address field"
    return re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()


@pytest.fixture(params=["local", "pdok", "bag"])
def connector(request, app, address_lookup_in_app):
    if request.param == "local":
        lookup = LocalAddressLookup.from_file(app.config["ADDRESSES_PATH"])
    else:
        lookup = request.getfixturevalue(f"{request.param}_lookup")
    address_lookup_in_app(lookup)
    return request.param


def test_an_address_outside_the_municipality_is_refused_the_same_way(client, connector):
    login_as(client, FATIMA)
    step = start_form(client, "verhuizing")
    page = post_page(client, step, {"nieuw_adres-postcode": "3841 CN",
                                    "nieuw_adres-huisnummer": "10"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<title>Fout:" in html
    assert field_error(html).endswith(NOT_HERE)
    assert 'href="#nieuw_adres' in html  # the error summary links to the field
    answer = post_page(client, step, {"nieuw_adres-postcode": "8081 CR",
                                      "nieuw_adres-huisnummer": "7", "nieuw_adres-huisletter": "A"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/datum")


@pytest.mark.parametrize("name", ["pdok", "bag"])
def test_an_outage_keeps_the_draft_and_says_so_at_the_field(client, app, request, name,
                                                            address_lookup_in_app):
    address_lookup_in_app(request.getfixturevalue(f"{name}_lookup"))
    fake_name, operation = FAKE_OPERATION[name]
    fake = request.getfixturevalue(fake_name)
    login_as(client, FATIMA)
    check = walk_verhuizing(client, co_movers=False)
    draft_id = draft_id_of(check)
    with app.app_context():
        before = get_session().get(FormDraft, draft_id)
        answers, completed = dict(before.answers), list(before.completed_steps)

    change = f"/formulieren/verhuizing/{draft_id}/nieuw-adres?terug=controleren"
    fake.server.fail("GET", operation, status=503)
    page = post_page(client, change, {"nieuw_adres-postcode": "8081 bp",
                                      "nieuw_adres-huisnummer": "14"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<title>Fout:" in html
    assert field_error(html).endswith(NOT_NOW)
    assert 'value="8081 bp"' in html and 'value="14"' in html  # what was typed stays
    with app.app_context():
        get_session().expire_all()
        draft = get_session().execute(select(FormDraft).where(FormDraft.id == draft_id)).scalar_one()
        assert draft.submitted_at is None
        assert (draft.answers, list(draft.completed_steps)) == (answers, completed)
    assert client.get(check).status_code == 200  # the answers so far can still be sent

    answer = post_page(client, change, {"nieuw_adres-postcode": "8081 bp",
                                        "nieuw_adres-huisnummer": "14"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/controleren")
    assert "Vischpoortstraat 14, 8081 BP Elburg" in client.get(check).get_data(as_text=True)
