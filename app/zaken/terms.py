"""Legal terms (Algemene wet bestuursrecht): when a zaak must be decided, and when a
decision can still be objected to. Pure functions on dates, the same for every store.

A zaak's legal term (uiterlijke_einddatum_afdoening) starts as startdatum + the
zaaktype's doorlooptijd and moves two ways:

- suspension (opschorting, Awb 4:15): while the municipality waits for documents it asked
  the resident for, the term stands still. It stops the day after the request and runs
  again on the day the documents arrive, so the end moves by the days in between.
- extension (verlenging, Awb 4:14, 7:10 lid 3, 9:11 lid 2): the municipality moves the end
  once, by at most the zaaktype's verlengingstermijn, and tells the resident why.

A suspended zaak is never overdue: its end is not known until the term runs again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.zaken.durations import Duration, add_duration, parse_duration
from app.zaken.store import ZaakTransitionError

# Awb 6:7: an objection (bezwaar) is made within six weeks of the day after the decision
# was made known. Late is not refused outright (Awb 6:11): the resident is asked why.
OBJECTION_PERIOD = "P6W"


class TermError(ZaakTransitionError):
    """A change to a term the law does not allow (a second extension, one too long)."""


@dataclass(frozen=True)
class Suspension:
    """The term stood still from `since` (the request) until `until` (the documents came);
    until is None while the municipality still waits."""

    since: date
    until: date | None = None

    @property
    def is_running(self) -> bool:
        return self.until is None

    def days(self) -> int:
        """The days the term stood still: those after the request, before the receipt."""
        if self.until is None:
            raise TermError("a running suspension has no length yet")
        return max((self.until - self.since).days - 1, 0)


@dataclass(frozen=True)
class Extension:
    duur: str   # ISO 8601 duration in days or weeks ("P6W", "P14D")
    reden: str  # why, for the resident (Dutch, as staff wrote it)


def duration_days(duur: str | Duration, *, start: date) -> int:
    """The duration's length in days from `start` (a month is as long as the calendar says)."""
    return (add_duration(start, duur) - start).days


def legal_end(startdatum: date, doorlooptijd: str, *, suspensions: tuple[Suspension, ...] = (),
              extension: Extension | None = None) -> date:
    """The last day of the legal term: start + doorlooptijd, + the days of every ended
    suspension, + the extension. A running suspension adds nothing yet."""
    end = add_duration(startdatum, doorlooptijd)
    end += timedelta(days=sum(s.days() for s in suspensions if not s.is_running))
    if extension is not None:
        end = add_duration(end, extension.duur)
    return end


def resumed_end(end: date, suspension: Suspension) -> date:
    """The legal end once a suspension ended: moved by the days the term stood still."""
    return end + timedelta(days=suspension.days())


def end_at_close(end: date, *, suspended_since: date | None, closed: date) -> date:
    """The legal end a zaak closed with: a suspension still running then ends with the
    decision, so its days up to the closing day count, as if the documents came that day."""
    if suspended_since is None:
        return end
    return resumed_end(end, Suspension(since=suspended_since, until=closed))


def check_extension(duur: str, *, maximum: str | None, already: Extension | None,
                    on: date) -> None:
    """Raise TermError when this extension is not allowed: the zaaktype allows none
    (maximum None), the zaak was extended before, or it is longer than the maximum."""
    if maximum is None:
        raise TermError("this zaaktype allows no extension")
    if already is not None:
        raise TermError("the term was extended before")
    length = duration_days(parse_duration(duur), start=on)
    if length <= 0:
        raise TermError("an extension is at least one day")
    if length > duration_days(parse_duration(maximum), start=on):
        raise TermError(f"an extension is at most {maximum}")


def extended_end(end: date, duur: str) -> date:
    return add_duration(end, duur)


def objection_deadline(decision: date, period: str = OBJECTION_PERIOD) -> date:
    """The last day an objection is on time: six weeks from the day after the decision."""
    return add_duration(decision, period)


def objection_is_late(decision: date, received: date, period: str = OBJECTION_PERIOD) -> bool:
    return received > objection_deadline(decision, period)
