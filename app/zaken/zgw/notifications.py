"""What the zaaksysteem's notificaties mean to the portal (ZAKEN_STORE=zgw).

A status set in the zaaksysteem, by the portal's back office or in the zaaksysteem's own
screens, reaches the resident as a message (and mail) through the same StatusChange the
embedded store sends; the message is deduplicated by the status's URL, so a status the
back office set (announced at once) and its notificatie make one message. A changed
zaaktype makes the catalogue be read again. Handlers are idempotent, as app.notificaties
asks: they read the resource's state now and announce by a key.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.notificaties import Notificatie, handles
from app.zaken.store import get_zaken_store


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


@handles("zaaktypen")
def read_the_catalogue_again(session: Session, notificatie: Notificatie) -> None:
    store = _zgw_store(session)
    if store is not None:
        store.catalogue.forget()
