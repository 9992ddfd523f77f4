"""Correction requests (correctierecht): the open ones of team Burgerzaken, and what the
resident asked, as Mijn gegevens stored it in the zaak's aanvraaggegevens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.zaken.store import StaffZaak, get_zaken_store

CORRECTION_ZAAKTYPE = "CORRECTIEVERZOEK"
CORRECTION_TEAM = "burgerzaken"


def open_corrections(session: Session) -> list[StaffZaak]:
    """Open correction requests for team Burgerzaken, oldest first, in a fixed number of
    queries however many there are."""
    return get_zaken_store(session).open_zaken_of_type(CORRECTION_ZAAKTYPE, team=CORRECTION_TEAM)


@dataclass(frozen=True)
class CorrectionRequest:
    """What the resident asked, as app.pip.gegevens stored it in the zaak's aanvraaggegevens."""

    veld: str                 # the item's key, e.g. "geboorteplaats"
    veld_omschrijving: str    # the BRP's own name, e.g. "Geboorteplaats"
    huidige_waarde: str       # as the resident saw it when asking
    juiste_waarde: str        # what the resident says is right
    toelichting: str          # what is wrong, in the resident's words


def correction_request(zaak: StaffZaak) -> CorrectionRequest:
    answers: dict[str, Any] = dict(zaak.aanvraaggegevens or {})
    return CorrectionRequest(**{name: str(answers.get(name, ""))
                                for name in CorrectionRequest.__dataclass_fields__})


def is_correction(zaak: StaffZaak) -> bool:
    return zaak.zaaktype.identificatie == CORRECTION_ZAAKTYPE
