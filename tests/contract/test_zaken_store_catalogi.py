"""The contract of CatalogiBeheer (app.zaken.store): what a beheerder would notice, and the
staff and residents after them, run against every implementation of the zaken store.

The tests change the seeded zaaktype VERHUIZING (servicenorm P5D, doorlooptijd P4W) in the
test's transaction and see the changes through the store's other reads and writes.

On a ZGW zaaksysteem the catalogue is the zaaksysteem's: beheer reads it and changes
nothing (app.zaken.zgw.beheer says why), so there the reads hold and the changes are
refused; the tests of what a change does are the embedded store's only.
"""

from datetime import date, timedelta

import pytest

from app.db import get_session
from app.texts import Text
from app.zaken.durations import add_duration
from app.zaken.services import today
from app.zaken.signals import status_set
from app.zaken.store import (
    CatalogiNotEditable,
    Initiator,
    StatusTypeTexts,
    UnknownZaakType,
    Vertrouwelijkheidaanduiding,
    ZaakError,
)
from tests.openzaak_fixtures import (  # noqa: F401
    ZAKEN_STORES,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
)

RESIDENT = "999993124"  # a valid BSN that no persona and no other module has
TEST_RESIDENTS = (RESIDENT,)  # their zaken in Open Zaak are removed before and after
VERHUIZING = "VERHUIZING"


@pytest.fixture(params=ZAKEN_STORES)
def store(request, app, db_connection):
    """The implementation on the test's transaction, in a request of the app."""
    implementation = request.param(request)
    with app.test_request_context():
        yield implementation(get_session())


@pytest.fixture
def editable(store):
    """The store, for the tests of what a change does: where beheer changes the catalogi."""
    if not store.catalogi_editable:
        pytest.skip("the zaaksysteem keeps its catalogue: beheer changes nothing there")
    return store


def open_zaak(store, *, days_ago: int = 0) -> str:
    return store.open_zaak(zaaktype=VERHUIZING, omschrijving="Contract verhuizing",
                           registered_by="contract", initiator=Initiator(naam="C", bsn=RESIDENT),
                           startdatum=today() - timedelta(days=days_ago)).identificatie


def texts(zaaktype) -> dict[int, tuple[Text, bool]]:
    return {s.volgnummer: (s.statustekst, s.informeren) for s in zaaktype.statustypen}


def term(duration: str) -> date:
    """What a duration means: a catalogue may write P4W as P28D (Open Zaak does)."""
    return add_duration(date(2026, 1, 1), duration)


# --------------------------------------------------------------------------- reads


def test_every_zaaktype_with_its_norms_and_statustypen_by_name(store):
    zaaktypen = store.beheer_zaaktypen()
    names = [zaaktype.omschrijving.nl for zaaktype in zaaktypen]
    assert names == sorted(names)
    [verhuizing] = [z for z in zaaktypen if z.identificatie == VERHUIZING]
    assert verhuizing.omschrijving == Text("Verhuizing doorgeven", "Report a change of address")
    assert verhuizing.doel.startswith("Het adres in de Basisregistratie Personen")
    assert verhuizing.team == "burgerzaken"
    assert (term(verhuizing.doorlooptijd), term(verhuizing.servicenorm)) == (
        term("P4W"), term("P5D"))
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


def test_new_norms_apply_to_the_zaken_opened_from_then_on(editable):
    store = editable
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


def test_a_servicenorm_comes_back_after_being_left_empty(editable):
    store = editable
    store.set_norms(VERHUIZING, doorlooptijd="P4W", servicenorm=None)
    store.set_norms(VERHUIZING, doorlooptijd="P4W", servicenorm="P1W")
    assert store.opened_zaak(open_zaak(store)).einddatum_gepland == today() + timedelta(weeks=1)


# --------------------------------------------------------------------------- status texts


def test_new_status_texts_reach_the_resident(editable):
    store = editable
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
    page = store.resident_zaak(RESIDENT, zaaknummer,
                               max_level=Vertrouwelijkheidaanduiding.ZAAKVERTROUWELIJK)
    assert page.summary.status.statustekst == new


def test_informeren_can_be_switched_off(editable):
    store = editable
    received = texts(store.beheer_zaaktype(VERHUIZING))[1][0]
    store.set_status_texts(VERHUIZING, [StatusTypeTexts(1, received, False)])
    assert texts(store.beheer_zaaktype(VERHUIZING))[1] == (received, False)


def test_an_unknown_volgnummer_changes_nothing(editable):
    store = editable
    before = texts(store.beheer_zaaktype(VERHUIZING))
    with pytest.raises(ZaakError):
        store.set_status_texts(VERHUIZING, [StatusTypeTexts(1, Text("Nieuw", "New"), False),
                                            StatusTypeTexts(99, Text("Nieuw", "New"), True)])
    assert texts(store.beheer_zaaktype(VERHUIZING)) == before


def test_a_zaaksysteems_catalogue_refuses_every_change(store):
    if store.catalogi_editable:
        pytest.skip("the portal's own catalogi: beheer changes them (the tests above)")
    before = store.beheer_zaaktype(VERHUIZING)
    with pytest.raises(CatalogiNotEditable):
        store.set_norms(VERHUIZING, doorlooptijd="P6W", servicenorm=None)
    with pytest.raises(CatalogiNotEditable):
        store.set_status_texts(VERHUIZING, [StatusTypeTexts(1, Text("Nieuw", "New"), False)])
    assert store.beheer_zaaktype(VERHUIZING) == before
    opened = store.opened_zaak(open_zaak(store))
    assert opened.uiterlijke_einddatum_afdoening == add_duration(today(), before.doorlooptijd)
