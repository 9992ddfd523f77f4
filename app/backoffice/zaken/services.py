"""The rules of the work queue and the zaak page: which statuses may come next, what the page
shows of the resident (for the disclosure log), a BSN as staff see it.

One zaak is read with app.backoffice.services.zaak_for_staff; zaken are read and changed
through the zaken store (app.zaken.store), as typed values.
"""

from __future__ import annotations

from collections.abc import Callable

from app.auth.staff import Colleague
from app.zaken.store import ContactPerson, StaffZaak, StatusTypeRecord, ZakenStore

QUEUE_PAGE_SIZE = 25
# The team whose zaaktypen make up the social domain: a resident with a complex question
# there gets one contact person for all their zaken in it (the concept's regievoerder).
SOCIAL_DOMAIN = "sociaal-domein"
# More open zaken than a resident ever has at once in one domain.
MAX_OPEN_ZAKEN = 100


def next_statustypen(zaak: StaffZaak) -> list[StatusTypeRecord]:
    """The statuses staff may set next: every later step except the eindstatus (a result
    closes the zaak). Skipping a step is allowed; going back is not."""
    if zaak.is_closed:
        return []
    status = zaak.current_status
    reached = status.statustype.volgnummer if status else 0
    return [statustype for statustype in zaak.zaaktype.statustypen
            if statustype.volgnummer > reached and not statustype.is_eindstatus]


def masked_bsn(bsn: str | None) -> str:
    """Enough for staff to tell two residents apart on the phone, never the whole number."""
    return f"******{bsn[-3:]}" if bsn else ""


def zaak_data_categories(zaak: StaffZaak) -> list[str]:
    """What the detail page shows of the resident, as the disclosure log's categories."""
    categories = ["naam", "zaakgegevens"]
    initiator = zaak.initiator
    if initiator and initiator.adres:
        categories.append("adres")
    if initiator and (initiator.email or initiator.telefoon):
        categories.append("contactgegevens")
    if zaak.documenten:
        categories.append("documenten")
    return categories


# --------------------------------------------------------------------------- contact person


def contact_person(colleague: Colleague) -> ContactPerson:
    """The colleague as the resident will know them, as they are now."""
    return ContactPerson(medewerker=colleague.username, naam=colleague.naam,
                         team=colleague.team, telefoon=colleague.telefoon,
                         email=colleague.email)


def social_domain_zaken(store: ZakenStore, bsn: str) -> list[str]:
    """The resident's open zaken of the social domain's zaaktypen, newest first."""
    zaaktypen = {z.identificatie for z in store.beheer_zaaktypen() if z.team == SOCIAL_DOMAIN}
    page = store.resident_zaken(bsn, closed=False, limit=MAX_OPEN_ZAKEN)
    return [z.identificatie for z in page.zaken if z.zaaktype_identificatie in zaaktypen]


def set_contact_person(store: ZakenStore, zaken: list[StaffZaak], contact: ContactPerson, *,
                       may_handle: Callable[[StaffZaak], bool], door: str) -> list[str]:
    """Make the colleague the contact person of those of these zaken the employee may handle
    that are open and have another one; the numbers of the zaken that changed."""
    changed = []
    for zaak in zaken:
        if zaak.is_closed or not may_handle(zaak) or zaak.contact_person == contact:
            continue
        store.set_contact_person(zaak.identificatie, contact, door=door)
        changed.append(zaak.identificatie)
    return changed
