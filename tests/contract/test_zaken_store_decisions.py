"""The contract of the zaken store for the reminders: a result granted for a while (the
resultaattype's geldigheid) is a decision that ends, which decisions_ending finds before
that day. On Open Zaak the back office's closing takes a real Besluit with its vervaldatum.
"""

from datetime import timedelta

import pytest

from app.db import get_session
from app.texts import Text
from app.zaken.durations import add_duration
from app.zaken.services import decision_day, today
from app.zaken.store import EndingDecision, Initiator
from tests.openzaak_fixtures import (  # noqa: F401
    ZAKEN_STORES,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
)

RESIDENT = "999993343"  # a valid BSN no persona or other module has
TEST_RESIDENTS = (RESIDENT,)
PARKEERVERGUNNING = Text("Parkeervergunning voor bewoners", "Residents' parking permit")


@pytest.fixture(params=ZAKEN_STORES)
def store(request, app, db_connection):
    implementation = request.param(request)
    with app.test_request_context():
        yield implementation(get_session())


def decided(store, resultaattype: str) -> str:
    """A parking permit zaak of the resident, closed with this result."""
    number = store.open_zaak(
        zaaktype="PARKEERVERGUNNING", omschrijving="Contract parkeervergunning",
        registered_by="contract", initiator=Initiator(naam="Rosa Contract", bsn=RESIDENT)
    ).identificatie
    store.set_resultaat(number, resultaattype=resultaattype, gezet_door="contract")
    return number


def the_residents(decisions: list[EndingDecision]) -> list[EndingDecision]:
    return [decision for decision in decisions if decision.initiator_bsn == RESIDENT]


def test_a_permit_granted_for_a_year_ends_a_year_after_the_decision(store):
    granted = decided(store, "Toegekend")
    decided(store, "Afgewezen")  # nothing granted, nothing ends
    ends = add_duration(decision_day(), "P1Y")  # content/zaaktypen.toml: geldigheid

    found = the_residents(store.decisions_ending(since=ends - timedelta(days=120), until=ends))

    assert [(d.zaak_identificatie, d.product, d.vervaldatum) for d in found] == [
        (granted, "parkeervergunning-bewoners", ends)]
    assert found[0].zaaktype.get("nl") == PARKEERVERGUNNING.nl
    assert the_residents(store.decisions_ending(since=today(),
                                                until=ends - timedelta(days=1))) == []
    assert the_residents(store.decisions_ending(since=ends + timedelta(days=1),
                                                until=ends + timedelta(days=365))) == []
