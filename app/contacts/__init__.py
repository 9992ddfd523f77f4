"""The contact ledger: every contact a resident has with the municipality, with its channel.

Each place where a contact is made (an e-form that opens a zaak, a callback or question the
KCC registers, a booked appointment, a phone call the KCC answers at once) writes one row
through services.record_contact, whatever zaken backend runs; the zaken signal status_set
adds a zaak's decision date when it closes. The rows are shaped after the Klantinteracties
API's klantcontact (kanaal, onderwerp, indicatieContactGelukt, plaatsgevondenOp).

The kanaalsturing dashboard (dashboard.py) never reads the ledger itself: the worker
(`flask contacts refresh`, `flask contacts worker`) sums it per month x product into the
aggregate tables, which a page reads in a few hundred rows at a city's volume.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Every zaak that closes, from the back office, the API or the command line, gets its
    decision date in the ledger. (Connecting again is harmless: blinker keeps it once.)"""
    from app.contacts.services import connect_signals

    connect_signals()
