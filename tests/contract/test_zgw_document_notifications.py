"""A document the municipality adds to a resident's zaak in the zaaksysteem reaches the
resident once, as a message in Berichten, however often and on whichever kanaal it is
announced; one they may not see, or sent themselves, reaches nobody."""

import base64
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.berichten.services import messages_for_bsn
from app.eforms.services import REGISTERED_BY as EFORM
from app.notificaties import Notificatie
from app.notificaties.processing import process_due
from app.notifications.models import OutboxMessage
from app.pip.services import UPLOADED_BY
from app.zaken.store import Initiator, NewDocument
from tests.openzaak_fixtures import (  # noqa: F401
    deliver_notificatie,
    needs_open_zaak,
    open_zaak_app_store,
    open_zaak_catalogue,
    open_zaak_store,
)

RESIDENT = "999993793"  # a valid BSN no persona and no other module has
TEST_RESIDENTS = (RESIDENT,)
EMAIL = "rosa@example.nl"

pytestmark = needs_open_zaak


@pytest.fixture
def store(open_zaak_app_store):
    return open_zaak_app_store


def opened(store, **documents) -> dict:
    number = store.open_zaak(zaaktype="HULPVRAAG_WMO", omschrijving="Hulp bij het huishouden",
                             registered_by=EFORM, **documents,
                             initiator=Initiator(naam="Rosa", bsn=RESIDENT,
                                                 email=EMAIL)).identificatie
    return store._zaak(number)


def document_in_zaaksysteem(store, zaak: dict, *, titel: str = "Besluit huishoudelijke hulp",
                            level: str = "openbaar", status: str = "definitief") -> dict:
    """A behandelaar adds a document in the zaaksysteem's own screens: the document, then
    its link to the zaak (the zaakinformatieobject, returned)."""
    zaaktype = store.catalogue.zaaktype(zaak["zaaktype"])
    content = b"%PDF-1.4 besluit"
    document = store.apis.documenten.post("enkelvoudiginformatieobjecten", {
        "bronorganisatie": store.rsin, "creatiedatum": date.today().isoformat(),
        "titel": titel, "auteur": "Behandelaar Wmo", "taal": "dut", "status": status,
        "formaat": "application/pdf", "bestandsnaam": "besluit.pdf",
        "bestandsomvang": len(content), "inhoud": base64.b64encode(content).decode(),
        "vertrouwelijkheidaanduiding": level,
        "informatieobjecttype": zaaktype.informatieobjecttype, "indicatieGebruiksrecht": False})
    return store.apis.zaken.post("zaakinformatieobjecten", {
        "zaak": zaak["url"], "informatieobject": document["url"]})


def linked(link: dict) -> Notificatie:
    """The Zaken API's notificatie of a document linked to a zaak."""
    return Notificatie(kanaal="zaken", hoofd_object=link["zaak"],
                       resource="zaakinformatieobject", resource_url=link["url"],
                       actie="create", aanmaakdatum=datetime.now(UTC))


def document_changed(document_url: str, actie: str = "partial_update") -> Notificatie:
    """The Documenten API's notificatie of a document made or changed."""
    return Notificatie(kanaal="documenten", hoofd_object=document_url,
                       resource="enkelvoudiginformatieobject", resource_url=document_url,
                       actie=actie, aanmaakdatum=datetime.now(UTC))


def deliver(store, notificatie: Notificatie) -> None:
    deliver_notificatie(store.session, notificatie)


def deliver_link(store, link: dict) -> None:
    deliver(store, linked(link))


def inbox(store) -> list:
    return messages_for_bsn(store.session, RESIDENT, limit=20)


def test_a_document_added_in_the_zaaksysteem_becomes_one_message(store):
    zaak = opened(store)
    link = document_in_zaaksysteem(store, zaak)

    deliver_link(store, link)
    deliver_link(store, link)  # delivered again
    deliver(store, document_changed(link["informatieobject"], "create"))

    [message] = inbox(store)
    assert message.zaak_identificatie == zaak["identificatie"]
    assert message.onderwerp == "Hulpvraag Wmo: nieuw document"
    assert message.tekst == (f"Er is een nieuw document bij uw zaak {zaak['identificatie']}: "
                             "Besluit huishoudelijke hulp\n\n"
                             "U vindt het bij uw zaak in Mijn omgeving.")
    assert message.localized("tekst", "en").startswith(
        f"There is a new document for your case {zaak['identificatie']}")
    # The mail says there is a message, never what it is about.
    [mail] = store.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key == f"message:{message.public_id}")).all()
    assert mail.recipient == EMAIL
    assert "Besluit" not in mail.text_body and RESIDENT not in mail.text_body


def test_a_document_the_back_office_adds_is_announced_once_by_its_notificatie(store):
    zaak = opened(store)
    store.add_document(zaak["identificatie"], NewDocument(
        titel="Verslag keukentafelgesprek", bestandsnaam="verslag.pdf",
        formaat="application/pdf", content=b"%PDF-1.4 verslag"), added_by="bas")
    [link] = store.apis.zaken.get("zaakinformatieobjecten", params={"zaak": zaak["url"]})

    deliver_link(store, link)
    deliver_link(store, link)

    assert [m.tekst.count("Verslag keukentafelgesprek") for m in inbox(store)] == [1]


def test_a_document_the_resident_may_not_see_reaches_nobody(store):
    zaak = opened(store)
    confidential = document_in_zaaksysteem(store, zaak, titel="Medisch advies",
                                           level="geheim")
    draft = document_in_zaaksysteem(store, zaak, titel="Concept besluit",
                                    status="in_bewerking")

    deliver_link(store, confidential)
    deliver_link(store, draft)

    assert inbox(store) == []


def test_a_document_of_a_zaak_the_resident_may_not_see_reaches_nobody(store):
    zaak = opened(store)
    store.apis.zaken.request("PATCH", zaak["url"], json={"vertrouwelijkheidaanduiding": "geheim"})
    link = document_in_zaaksysteem(store, zaak)

    deliver_link(store, link)

    assert inbox(store) == []


def test_a_draft_linked_earlier_is_announced_when_it_is_made_definitief(store):
    zaak = opened(store)
    link = document_in_zaaksysteem(store, zaak, titel="Besluit", status="in_bewerking")
    deliver_link(store, link)
    assert inbox(store) == []
    page = store.resident_zaak(RESIDENT, zaak["identificatie"], max_level=store.max_level)
    assert page.documents == ()

    url = link["informatieobject"]
    lock = store.apis.documenten.post(f"{url}/lock", {})["lock"]
    store.apis.documenten.request("PATCH", url, json={"status": "definitief", "lock": lock})
    store.apis.documenten.request("POST", f"{url}/unlock", json={"lock": lock})
    deliver(store, document_changed(url))
    deliver(store, document_changed(url))

    [message] = inbox(store)
    assert "Besluit" in message.tekst
    page = store.resident_zaak(RESIDENT, zaak["identificatie"], max_level=store.max_level)
    assert [document.titel for document in page.documents] == ["Besluit"]


def test_what_the_resident_sent_is_not_announced_to_them(store):
    # An e-form's upload (made before the zaak), its answers, and the answer to a request.
    upload = store.new_document("HULPVRAAG_WMO", NewDocument(
        titel="Indicatie", bestandsnaam="indicatie.pdf", formaat="application/pdf",
        content=b"%PDF-1.4"), identificatie=f"TEST-{uuid.uuid4().hex[:12]}")
    zaak = opened(store, document_urls=(upload,), aanvraaggegevens={"hulp": "huishouden"},
                  documents=(NewDocument(titel="Bewijsstuk", bestandsnaam="bewijs.pdf",
                                         formaat="application/pdf", content=b"%PDF-1.4"),))
    store.request_document(zaak["identificatie"], omschrijving="Uw loonstrook",
                           requested_by="bas")
    [request] = store.open_document_requests(RESIDENT)
    assert store.answer_document_request(
        RESIDENT, zaak["identificatie"], request.id, bestandsnaam="loonstrook.pdf",
        formaat="application/pdf", content=b"%PDF-1.4", added_by=UPLOADED_BY)
    links = store.apis.zaken.get("zaakinformatieobjecten", params={"zaak": zaak["url"]})
    assert len(links) == 4

    for link in links:
        deliver_link(store, link)

    assert inbox(store) == []


def test_a_warm_zaak_page_asks_the_zaaksysteem_nothing_until_a_document_comes(
        store, monkeypatch):
    zaak = opened(store)
    calls = []
    for api in (store.apis.zaken, store.apis.documenten, store.apis.catalogi):
        monkeypatch.setattr(api, "request", lambda *a, _request=api.request, **k:
                            calls.append(a) or _request(*a, **k))

    def page():
        return store.resident_zaak(RESIDENT, zaak["identificatie"], max_level=store.max_level)

    first = page()
    asked = len(calls)
    again = page()
    assert again == first and len(calls) == asked  # nothing asked the second time
    assert asked > 0

    link = document_in_zaaksysteem(store, zaak, titel="Besluit")
    deliver_link(store, link)

    assert [document.titel for document in page().documents] == ["Besluit"]


def test_a_document_request_shows_at_once_on_a_warm_zaak_page(store):
    zaak = opened(store)
    store.resident_zaak(RESIDENT, zaak["identificatie"], max_level=store.max_level)

    store.request_document(zaak["identificatie"], omschrijving="Uw loonstrook",
                           requested_by="bas")

    page = store.resident_zaak(RESIDENT, zaak["identificatie"], max_level=store.max_level)
    assert [request.omschrijving for request in page.open_requests] == ["Uw loonstrook"]


def test_a_zaak_page_missing_a_document_is_shown_but_not_kept(store, monkeypatch):
    zaak = opened(store)
    document_in_zaaksysteem(store, zaak, titel="Besluit")
    get = store.apis.documenten.get

    def documenten_down(url, **kwargs):
        from app.remote import RemoteUnavailable

        raise RemoteUnavailable("Documenten API", "down")

    monkeypatch.setattr(store.apis.documenten, "get", documenten_down)
    incomplete = store.resident_zaak(RESIDENT, zaak["identificatie"], max_level=store.max_level)
    monkeypatch.setattr(store.apis.documenten, "get", get)
    complete = store.resident_zaak(RESIDENT, zaak["identificatie"], max_level=store.max_level)

    assert incomplete.documents == ()
    assert [document.titel for document in complete.documents] == ["Besluit"]


def test_another_residents_zaak_page_is_not_served_from_the_cache(store):
    zaak = opened(store)
    store.resident_zaak(RESIDENT, zaak["identificatie"], max_level=store.max_level)

    assert store.resident_zaak("999990019", zaak["identificatie"],
                               max_level=store.max_level) is None


def test_through_the_webhook_and_the_worker_a_document_makes_one_message(
        app, client, store, monkeypatch):
    auth = "Bearer 5c1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d"
    monkeypatch.setitem(app.config, "NOTIFICATIES_CALLBACK_AUTH", auth)
    zaak = opened(store)
    link = document_in_zaaksysteem(store, zaak)
    store.session.commit()
    body = {"kanaal": "zaken", "hoofdObject": link["zaak"], "resource": "zaakinformatieobject",
            "resourceUrl": link["url"], "actie": "create",
            "aanmaakdatum": datetime.now(UTC).isoformat(),
            "kenmerken": {"bronorganisatie": store.rsin, "zaaktype": zaak["zaaktype"],
                          "vertrouwelijkheidaanduiding": "openbaar"}}

    for aanmaakdatum in (body["aanmaakdatum"], body["aanmaakdatum"],  # delivered twice
                         datetime.now(UTC).isoformat()):  # and sent again by the zaaksysteem
        response = client.post("/notificaties/callback", json={**body, "aanmaakdatum": aanmaakdatum},
                               headers={"Authorization": auth})
        assert response.status_code == 204
    report = process_due(app.extensions["db"].sessionmaker)

    assert (report.processed, report.failed, report.retrying) == (2, 0, 0)
    assert [m.tekst.count("Besluit huishoudelijke hulp") for m in inbox(store)] == [1]
