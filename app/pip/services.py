"""Mijn omgeving's rules about a resident's zaken, whatever store answers for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

UPLOADED_BY = "inwoner via Mijn omgeving"


@dataclass(frozen=True)
class Deadlines:
    target: date | None  # einddatum_gepland: start + servicenorm, what we aim for
    legal: date          # uiterlijke_einddatum_afdoening: start + doorlooptijd
    target_passed: bool
    legal_passed: bool


def deadlines(zaak, today: date) -> Deadlines:
    """zaak: anything with its einddatum, einddatum_gepland and uiterlijke_einddatum_afdoening."""
    still_open = zaak.einddatum is None
    target, legal = zaak.einddatum_gepland, zaak.uiterlijke_einddatum_afdoening
    return Deadlines(target=target, legal=legal,
                     target_passed=still_open and target is not None and today > target,
                     legal_passed=still_open and today > legal)
