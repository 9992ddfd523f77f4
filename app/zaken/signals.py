"""Signals of the zaken domain, for features that react to a zaak without the zaken
service knowing them (Flask's blinker signals)."""

from blinker import Namespace

_signals = Namespace()

# Sent by the zaken store whenever a zaak reaches a status (set_status, set_resultaat),
# inside the caller's transaction: status_set.send(change, session=session), the change an
# app.zaken.store.StatusChange. Receivers write in that session, so a rolled-back status
# change takes its notification with it.
status_set = _signals.signal("zaak-status-set")

# Sent by the zaken store when the municipality adds a document to a zaak, in the same way:
# document_added.send(added, session=session), the added an app.zaken.store.DocumentAdded.
document_added = _signals.signal("zaak-document-added")
