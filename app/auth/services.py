"""The rules of a DigiD login: which ID token claims let a resident in."""

from dataclasses import asdict, dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from flask_login import UserMixin
from stdnum.nl import bsn as bsn_number

from app.auth.loa import Loa, parse_loa
from app.persons.services import PersonsSource


class RefusalReason(StrEnum):
    CANCELLED = "cancelled"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    INVALID_RESPONSE = "invalid_response"
    LEVEL_TOO_LOW = "level_too_low"
    BSN_MISSING = "bsn_missing"
    BSN_INVALID = "bsn_invalid"


class LoginRefused(Exception):
    def __init__(self, reason: RefusalReason, detail: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        # Technical detail for the log line; never holds the BSN.
        self.detail = detail


@dataclass
class Resident(UserMixin):
    """The logged-in resident. Lives in the server-side session only."""

    bsn: str
    display_name: str
    loa: int

    is_staff = False  # see app.auth.staff.StaffUser

    def get_id(self) -> str:
        return "resident"

    def to_session(self) -> dict:
        return asdict(self)


def resident_from_claims(claims: dict, bsn_claim: str, minimum: Loa,
                         persons: PersonsSource) -> Resident:
    """Check the verified ID token's level and BSN; raise LoginRefused if they fall short."""
    level = parse_loa(claims.get("acr"))
    if level is None or level < minimum:
        raise LoginRefused(RefusalReason.LEVEL_TOO_LOW, f"acr={claims.get('acr')!r}")
    bsn = claims.get(bsn_claim)
    if not bsn:
        raise LoginRefused(RefusalReason.BSN_MISSING, f"claim {bsn_claim!r} absent")
    if not isinstance(bsn, str) or not bsn_number.is_valid(bsn):
        raise LoginRefused(RefusalReason.BSN_INVALID, "fails the 11-proef")
    person = persons.get_person(bsn)
    display_name = person.full_name if person else str(claims.get("name", ""))
    return Resident(bsn=bsn, display_name=display_name, loa=int(level))


def safe_next_path(target: str | None, default: str = "/") -> str:
    """Only our own paths may be a post-login redirect target (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target
