"""The contract of CatalogiBeheer (app.zaken.store): what a beheerder would notice, and the
staff and residents after them, run against every implementation of the zaken store.

The tests change the seeded zaaktype VERHUIZING (servicenorm P5D, doorlooptijd P4W) in the
test's transaction and see the changes through the store's other reads and writes.
"""

from datetime import timedelta

import pytest

from app.db import get_session
from app.texts import Text
from app.zaken.services import today
from app.zaken.signals import status_set
from app.zaken.sql import SqlZakenStore
from app.zaken.store import (
    Initiator,
    StatusTypeTexts,
    UnknownZaakType,
    Vertrouwelijkheidaanduiding,
    ZaakError,
)
from tests.backoffice_fixtures import FATIMA

IMPLEMENTATIONS = [pytest.param(SqlZakenStore, id="local")]
VERHUIZING = "VERHUIZING"


@pytest.fixture(params=IMPLEMENTATIONS)
def store(request, app, db_connection):
    """The implementation on the test's transaction, in a request of the app."""
    with app.test_request_context():
        yield request.param(get_session())


def open_zaak(store, *, days_ago: int = 0) -> str:
    return store.open_zaak(zaaktype=VERHUIZING, omschrijving="Contract verhuizing",
                           registered_by="contract", initiator=Initiator(naam="C", bsn=FATIMA),
                           startdatum=today() - timedelta(days=days_ago)).identificatie


def texts(zaaktype) -> dict[int, tuple[Text, bool]]:
    return {s.volgnummer: (s.statustekst, s.informeren) for s in zaaktype.statustypen}


# --------------------------------------------------------------------------- reads


def test_every_zaaktype_with_its_norms_and_statustypen_by_name(store):
    zaaktypen = store.beheer_zaaktypen()
    names = [zaaktype.omschrijving.nl for zaaktype in zaaktypen]
    assert names == sorted(names)
    [verhuizing] = [z for z in zaaktypen if z.identificatie == VERHUIZING]
    assert verhuizing.omschrijving == Text("Verhuizing doorgeven", "Report a move")
    assert verhuizing.doel.startswith("Het adres in de Basisregistratie Personen")
    assert (verhuizing.team, verhuizing.doorlooptijd, verhuizing.servicenorm) == (
        "burgerzaken", "P4W", "P5D")
    assert [s.volgnummer for s in verhuizing.statustypen] == [1, 2, 3, 4]
    first, _, internal, last = verhuizing.statustypen
    assert first.omschrijving == Text("Ontvangen", "Received")
    assert first.statustekst == Text("Wij hebben uw verhuizing ontvangen.",
                                     "We have received your move.")
    assert first.informeren and not internal.zichtbaar_voor_inwoner and last.is_eindstatus
    assert store.beheer_zaaktype(VERHUIZING) == verhuizing


def test_an_unknown_zaaktype_is_none_and_refuses_changes(store):
    assert store.beheer_zaaktype("ONBEKEND") is None
    with pytest.raises(UnknownZaakType):
        store.set_norms("ONBEKEND", doorlooptijd="P1W", servicenorm=None)
    with pytest.raises(UnknownZaakType):
        store.set_status_texts("ONBEKEND", [StatusTypeTexts(1, Text("x", "x"), True)])


# --------------------------------------------------------------------------- norms


def test_new_norms_apply_to_the_zaken_opened_from_then_on(store):
    earlier = store.opened_zaak(open_zaak(store))
    store.set_norms(VERHUIZING, doorlooptijd="P6W", servicenorm=None)
    changed = store.beheer_zaaktype(VERHUIZING)
    assert (changed.doorlooptijd, changed.servicenorm) == ("P6W", None)
    later = store.opened_zaak(open_zaak(store))
    assert later.uiterlijke_einddatum_afdoening == today() + timedelta(weeks=6)
    assert later.einddatum_gepland is None
    # The zaak opened before keeps the dates its resident was told.
    assert store.opened_zaak(earlier.identificatie) == earlier
    assert earlier.uiterlijke_einddatum_afdoening == today() + timedelta(weeks=4)


def test_a_servicenorm_comes_back_after_being_left_empty(store):
    store.set_norms(VERHUIZING, doorlooptijd="P4W", servicenorm=None)
    store.set_norms(VERHUIZING, doorlooptijd="P4W", servicenorm="P1W")
    assert store.opened_zaak(open_zaak(store)).einddatum_gepland == today() + timedelta(weeks=1)


# --------------------------------------------------------------------------- status texts


def test_new_status_texts_reach_the_resident(store):
    before = texts(store.beheer_zaaktype(VERHUIZING))
    new = Text("Een medewerker kijkt naar uw verhuizing.", "Someone is looking at your move.")
    store.set_status_texts(VERHUIZING, [StatusTypeTexts(2, new, True)])
    assert texts(store.beheer_zaaktype(VERHUIZING)) == {**before, 2: (new, True)}

    zaaknummer = open_zaak(store)
    changes = []

    def listen(change, **_extra):
        changes.append(change)

    status_set.connect(listen)
    try:
        store.set_status(zaaknummer, volgnummer=2, gezet_door="contract")
    finally:
        status_set.disconnect(listen)
    [change] = changes
    assert change.statustekst == new and change.meant_for_the_resident  # informeren now
    page = store.resident_zaak(FATIMA, zaaknummer,
                               max_level=Vertrouwelijkheidaanduiding.ZAAKVERTROUWELIJK)
    assert page.summary.status.statustekst == new


def test_informeren_can_be_switched_off(store):
    received = texts(store.beheer_zaaktype(VERHUIZING))[1][0]
    store.set_status_texts(VERHUIZING, [StatusTypeTexts(1, received, False)])
    assert texts(store.beheer_zaaktype(VERHUIZING))[1] == (received, False)


def test_an_unknown_volgnummer_changes_nothing(store):
    before = texts(store.beheer_zaaktype(VERHUIZING))
    with pytest.raises(ZaakError):
        store.set_status_texts(VERHUIZING, [StatusTypeTexts(1, Text("Nieuw", "New"), False),
                                            StatusTypeTexts(99, Text("Nieuw", "New"), True)])
    assert texts(store.beheer_zaaktype(VERHUIZING)) == before
