"""The rules of the work queue and the zaak page: which statuses may come next, what the page
shows of the resident (for the disclosure log), a BSN as staff see it.

One zaak is read with app.backoffice.services.zaak_for_staff; zaken are read and changed
through the zaken store (app.zaken.store), as typed values.
"""

from __future__ import annotations

from app.zaken.store import StaffZaak, StatusTypeRecord

QUEUE_PAGE_SIZE = 25


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
