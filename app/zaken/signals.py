"""Signals of the zaken domain, for features that react to a zaak without the zaken
service knowing them (Flask's blinker signals)."""

from blinker import Namespace

_signals = Namespace()

# Sent by set_status and set_resultaat after the flush, inside the caller's transaction:
# status_set.send(zaak, session=session, status=status). Receivers write in that session,
# so a rolled-back status change takes its notification with it.
status_set = _signals.signal("zaak-status-set")
