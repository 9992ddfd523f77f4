"""A besluit with a vervaldatum on a resident's zaak, taken in the zaaksysteem's own
screens, is found by the reminders (decisions_ending) once its notificatie came: on
kanaal besluiten or as the zaak's zaakbesluit, however often; changed, its new end;
deleted or without an end, nothing. And the Besluit the portal takes when it closes a
zaak goes again when the closing is refused. Against Open Zaak."""

from datetime import UTC, datetime, timedelta

import pytest

from app.notificaties import Notificatie
from app.remote import RemoteRefused
from app.zaken.services import decision_day, today
from app.zaken.store import Initiator, ZaakTransitionError
from tests.openzaak_fixtures import (  # noqa: F401
    deliver_notificatie,
    needs_open_zaak,
    open_zaak_app_store,
    open_zaak_catalogue,
    open_zaak_store,
    remove_zaken,
)

RESIDENT = "999993355"  # a valid BSN no persona or other module has
TEST_RESIDENTS = (RESIDENT,)
SOON = today() + timedelta(days=60)

pytestmark = needs_open_zaak


@pytest.fixture
def store(open_zaak_app_store):
    return open_zaak_app_store


def permit_zaak(store, bsn: str | None = RESIDENT) -> dict:
    number = store.open_zaak(zaaktype="PARKEERVERGUNNING", omschrijving="Parkeervergunning",
                             registered_by="test",
                             initiator=Initiator(naam="Rosa", bsn=bsn)).identificatie
    return store._zaak(number)


def besluit_in_zaaksysteem(store, zaak: dict, **fields) -> dict:
    """A behandelaar takes a besluit on the zaak in the zaaksysteem's own screens."""
    zaaktype = store.catalogue.zaaktype(zaak["zaaktype"])
    return store.apis.besluiten.post("besluiten", {
        "verantwoordelijkeOrganisatie": store.rsin, "besluittype": zaaktype.besluittype,
        "zaak": zaak["url"], "datum": decision_day().isoformat(),
        "ingangsdatum": decision_day().isoformat(), **fields})


def besluit_changed(besluit_url: str, actie: str = "create") -> Notificatie:
    return Notificatie(kanaal="besluiten", hoofd_object=besluit_url, resource="besluit",
                       resource_url=besluit_url, actie=actie, aanmaakdatum=datetime.now(UTC))


def ending(store) -> list[tuple[str, object]]:
    found = store.decisions_ending(since=today(), until=today() + timedelta(days=365))
    return [(d.zaak_identificatie, d.vervaldatum) for d in found if d.initiator_bsn == RESIDENT]


def test_a_besluit_keeps_its_end_until_it_changes_or_goes(store):
    zaak = permit_zaak(store)
    besluit = besluit_in_zaaksysteem(store, zaak, vervaldatum=SOON.isoformat(),
                                     vervalreden="tijdelijk")

    deliver_notificatie(store.session, besluit_changed(besluit["url"]))
    deliver_notificatie(store.session, besluit_changed(besluit["url"]))  # delivered again
    assert ending(store) == [(zaak["identificatie"], SOON)]

    later = SOON + timedelta(days=30)
    store.apis.besluiten.request("PATCH", besluit["url"], json={"vervaldatum": later.isoformat()})
    deliver_notificatie(store.session, besluit_changed(besluit["url"], "partial_update"))
    assert ending(store) == [(zaak["identificatie"], later)]

    store.apis.besluiten.request("DELETE", besluit["url"])
    deliver_notificatie(store.session, besluit_changed(besluit["url"], "destroy"))
    assert ending(store) == []


def test_the_zaakbesluit_of_a_zaak_tells_of_its_besluit(store):
    zaak = permit_zaak(store)
    besluit_in_zaaksysteem(store, zaak, vervaldatum=SOON.isoformat(), vervalreden="tijdelijk")
    [link] = store.apis.zaken.get(f"{zaak['url']}/besluiten")

    deliver_notificatie(store.session, Notificatie(
        kanaal="zaken", hoofd_object=zaak["url"], resource="zaakbesluit",
        resource_url=link["url"], actie="create", aanmaakdatum=datetime.now(UTC)))

    assert ending(store) == [(zaak["identificatie"], SOON)]


def test_a_besluit_without_an_end_or_a_resident_is_not_kept(store):
    without_end = besluit_in_zaaksysteem(store, permit_zaak(store))
    anonymous = permit_zaak(store, bsn=None)
    try:
        besluit = besluit_in_zaaksysteem(store, anonymous, vervaldatum=SOON.isoformat(),
                                         vervalreden="tijdelijk")
        for url in (without_end["url"], besluit["url"]):
            deliver_notificatie(store.session, besluit_changed(url))
        everyone = store.decisions_ending(since=today(), until=today() + timedelta(days=365))
        assert anonymous["identificatie"] not in {d.zaak_identificatie for d in everyone}
        assert ending(store) == []
    finally:
        remove_zaken(store.apis, [anonymous["identificatie"]])


def test_a_closing_the_zaaksysteem_refuses_leaves_no_besluit(store, monkeypatch):
    """The portal takes a permit's Besluit before it closes the zaak; when the closing is
    refused (another employee closed it meanwhile, say), the Besluit goes again."""
    zaak = permit_zaak(store)
    post = store.apis.zaken.post

    def refused_closing(path, body):
        if path.startswith("zaak_afsluiten/"):
            raise RemoteRefused("Zaken API", "the zaak is closed", status=400)
        return post(path, body)

    monkeypatch.setattr(store.apis.zaken, "post", refused_closing)

    with pytest.raises(ZaakTransitionError):
        store.set_resultaat(zaak["identificatie"], resultaattype="Toegekend", gezet_door="bas")

    assert store.apis.besluiten.get("besluiten", params={"zaak": zaak["url"]})["count"] == 0
    assert ending(store) == []
