"""What the zaaksysteem's notificaties mean to the portal (ZAKEN_STORE=zgw).

A status set in the zaaksysteem, by the portal's back office or in the zaaksysteem's own
screens, reaches the resident as a message (and mail) through the same StatusChange the
embedded store sends; the message is deduplicated by the status's URL, so a status the
back office set (announced at once) and its notificatie make one message.

A document the municipality adds to a resident's zaak, in the back office or in the
zaaksysteem's own screens, reaches the resident as one message in Berichten (and the mail
that says there is one, never what it is), deduplicated by the URL of the document's link
to the zaak (its zaakinformatieobject): the link's notificatie on kanaal zaken and the
document's on kanaal documenten (made definitief after it was linked, or made and linked
in one call) find the same link. Only a document the resident's zaak page shows is
announced (definitief, at a level up to PIP_MAX_VERTROUWELIJKHEID, not the e-form's
answers), and not one the resident sent themselves.

A besluit taken, changed or deleted (kanaal besluiten, or its link to a zaak on kanaal
zaken) keeps or forgets its end for the reminders (app.zaken.zgw.besluiten).

A changed zaaktype makes the catalogue be read again. Handlers are idempotent, as
app.notificaties asks: they read the resource's state now and announce by a key.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.notificaties import Notificatie, handles
from app.zaken.signals import document_added
from app.zaken.store import DocumentAdded, get_zaken_store
from app.zaken.zgw.besluiten import read_if_there

# The auteur app.zaken.zgw gives the documents the resident sent: an e-form's uploads
# (new_document: "Portaal"), the documents registered with a zaak (open_zaak's
# registered_by: app.eforms' "e-formulier", app.pip's "mijn-omgeving") and the answer to a
# document request (app.pip's UPLOADED_BY). The resident knows of those: no message.
SENT_BY_THE_RESIDENT = frozenset({"Portaal", "e-formulier", "mijn-omgeving",
                                  "inwoner via Mijn omgeving"})


def _zgw_store(session: Session):
    from app.zaken.zgw import ZgwZakenStore

    store = get_zaken_store(session)
    return store if isinstance(store, ZgwZakenStore) else None


@handles("zaken", resource="status", actie="create")
def announce_status(session: Session, notificatie: Notificatie) -> None:
    store = _zgw_store(session)
    if store is not None:
        store.announce_status(notificatie.resource_url)


@handles("zaken")
def refresh_the_residents_pages(session: Session, notificatie: Notificatie) -> None:
    """Any change of a zaak drops the cached pages that show it; a new zaak, the pages of
    its initiator."""
    store = _zgw_store(session)
    if store is None:
        return
    store.cache.forget_zaak(notificatie.hoofd_object)
    if notificatie.resource == "zaak" and notificatie.actie == "create":
        store.forget_resident_of(notificatie.hoofd_object)


@handles("zaken", resource="zaakinformatieobject", actie="create")
def announce_document_of_zaak(session: Session, notificatie: Notificatie) -> None:
    """A document linked to a zaak (the zaak's pages are dropped by the handler above)."""
    store = _zgw_store(session)
    # None: unlinked again since (what it linked tells its own changes)
    link = (read_if_there(store.apis.zaken, notificatie.resource_url)
            if store is not None else None)
    if link is not None:
        announce_document(store, link)


@handles("documenten", resource="enkelvoudiginformatieobject")
def refresh_the_zaken_of_document(session: Session, notificatie: Notificatie) -> None:
    """A document made, changed (made definitief, another level or title) or deleted:
    the pages of the zaken it belongs to are dropped, and each zaak's resident told of it
    when it is now one for them. (Deleted: its links went first, which kanaal zaken
    told; a document made by itself has none yet: its link's notificatie follows.)"""
    store = _zgw_store(session)
    if store is None or notificatie.actie == "destroy":
        return
    links = store.apis.zaken.get("zaakinformatieobjecten",
                                 params={"informatieobject": notificatie.resource_url})
    for link in links:
        store.cache.forget_zaak(link["zaak"])
        announce_document(store, link)


@handles("besluiten", resource="besluit")
def keep_the_end_of_besluit(session: Session, notificatie: Notificatie) -> None:
    """A besluit taken, changed or deleted in the zaaksysteem: its end kept or forgotten
    for the reminders (app.zaken.zgw.besluiten)."""
    store = _zgw_store(session)
    if store is not None:
        store.keep_decision(notificatie.resource_url)


@handles("zaken", resource="zaakbesluit", actie="create")
def keep_the_end_of_zaakbesluit(session: Session, notificatie: Notificatie) -> None:
    """A besluit linked to a zaak (a besluit on kanaal besluiten tells the rest)."""
    store = _zgw_store(session)
    link = (read_if_there(store.apis.zaken, notificatie.resource_url)
            if store is not None else None)
    if link is not None:
        store.keep_decision(link["besluit"])


@handles("zaaktypen")
def read_the_catalogue_again(session: Session, notificatie: Notificatie) -> None:
    store = _zgw_store(session)
    if store is not None:
        store.catalogue.forget()


# --------------------------------------------------------------------------- documents


def announce_document(store, link: dict) -> None:
    """Tell of a document linked to a zaak in the zaaksysteem; deduplicated by the link."""
    document = store.apis.documenten.get(link["informatieobject"])
    tell_document_added(store, store.apis.zaken.get(link["zaak"]), document, link["url"])


def tell_document_added(store, zaak: dict, document: dict, link_url: str) -> None:
    """document_added, as the embedded store sends it, unless the resident's zaak page does
    not show the document (a draft, the answers) or they sent it themselves."""
    from app.zaken.zgw import shown_to_resident

    if (not shown_to_resident(document, store.max_level)
            or document.get("auteur") in SENT_BY_THE_RESIDENT):
        return
    initiator = store._initiator(zaak["url"])
    document_added.send(DocumentAdded(
        zaak_identificatie=zaak["identificatie"], document_key=link_url,
        titel=document["titel"],
        zaaktype=store.catalogue.zaaktype(zaak["zaaktype"]).omschrijving,
        levels=(zaak["vertrouwelijkheidaanduiding"], document["vertrouwelijkheidaanduiding"]),
        initiator_bsn=initiator.get("betrokkeneIdentificatie", {}).get("inpBsn") or None,
        initiator_email=(initiator.get("contactpersoonRol") or {}).get("emailadres", "")),
        session=store.session)
