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

A changed zaaktype makes the catalogue be read again. Handlers are idempotent, as
app.notificaties asks: they read the resource's state now and announce by a key.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from app.berichten.services import send_message
from app.notificaties import Notificatie, handles
from app.remote import RemoteRefused
from app.texts import Text
from app.zaken.store import get_zaken_store, visible_levels

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
    if store is None:
        return
    try:
        link = store.apis.zaken.get(notificatie.resource_url)
    except RemoteRefused as refused:
        if refused.status == 404:  # unlinked again since: nothing to tell
            return
        raise
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


@handles("zaaktypen")
def read_the_catalogue_again(session: Session, notificatie: Notificatie) -> None:
    store = _zgw_store(session)
    if store is not None:
        store.catalogue.forget()


# --------------------------------------------------------------------------- documents


def announce_document(store, link: dict) -> None:
    """One message to the initiator of the link's zaak about its document, when their zaak
    page shows it and they did not send it themselves; again for the same link, none."""
    from app.zaken.zgw import shown_to_resident

    document = store.apis.documenten.get(link["informatieobject"])
    if (not shown_to_resident(document, store.max_level)
            or document.get("auteur") in SENT_BY_THE_RESIDENT):
        return
    zaak = store.apis.zaken.get(link["zaak"])
    if zaak["vertrouwelijkheidaanduiding"] not in visible_levels(store.max_level):
        return  # a zaak the resident does not see, nor its documents
    initiator = store._initiator(zaak["url"])
    bsn = initiator.get("betrokkeneIdentificatie", {}).get("inpBsn")
    if not bsn:
        return  # an initiator without DigiD has no inbox, nor a page with documents
    zaaktype = store.catalogue.zaaktype(zaak["zaaktype"]).omschrijving
    (onderwerp, tekst), (onderwerp_en, tekst_en) = (
        new_document_texts(zaaktype, zaak["identificatie"], document["titel"], locale)
        for locale in ("nl", "en"))
    send_message(store.session, bsn=bsn, onderwerp=onderwerp, tekst=tekst,
                 onderwerp_en=onderwerp_en, tekst_en=tekst_en,
                 afzender=current_app.config["MUNICIPALITY_NAME"],
                 zaak_identificatie=zaak["identificatie"],
                 initiator_email=(initiator.get("contactpersoonRol") or {}).get("emailadres", ""),
                 dedupe_key=f"document:{link['url']}"[:300])


def new_document_texts(zaaktype: Text, zaaknummer: str, titel: str,
                       locale: str) -> tuple[str, str]:
    """(onderwerp, tekst) of the message about a new document, in one language."""
    with force_locale(locale):
        return (gettext("%(zaaktype)s: new document", zaaktype=zaaktype.get(locale)),
                gettext("There is a new document for your case %(zaaknummer)s: %(titel)s\n\n"
                        "You will find it with your case in My portal.",
                        zaaknummer=zaaknummer, titel=titel))
