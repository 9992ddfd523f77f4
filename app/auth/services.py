"""The rules of a DigiD login: which ID token claims let a resident in."""

from dataclasses import asdict, dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from flask_login import UserMixin
from stdnum.nl import bsn as bsn_number

from app.auth.loa import Loa, parse_loa
from app.persons.services import PersonsSource, log_disclosure
from app.remote import RemoteUnavailable
from app.zaken.store import Gemachtigde

# What the represented person reads in Mijn gegevens > verstrekkingen when their gemachtigde
# logs in for them (Dutch, B1: data, not msgids): what the gemachtigde can see there.
ACTING_PURPOSE = "Namens u zaken regelen in Mijn omgeving (DigiD Machtigen)"
ACTING_DATA = ("naam", "geboorte", "adres", "contactgegevens", "zaakgegevens", "documenten")


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
    """The logged-in resident. Lives in the server-side session only.

    With DigiD Machtigen someone else acts for the resident: `bsn` and `display_name` are
    then the represented person's (every page and rule works on their data), `acting_bsn`
    and `acting_name` the gemachtigde's, who is recorded and shown as acting for them."""

    bsn: str
    display_name: str
    loa: int
    acting_bsn: str = ""
    acting_name: str = ""

    is_staff = False  # see app.auth.staff.StaffUser

    def get_id(self) -> str:
        return "resident"

    def to_session(self) -> dict:
        return asdict(self)

    @property
    def acts_for_someone(self) -> bool:
        return bool(self.acting_bsn)

    @property
    def gemachtigde(self) -> Gemachtigde | None:
        """Who acts for the resident, as a zaak records them (a rol of its own)."""
        return (Gemachtigde(self.acting_name, self.acting_bsn, loa=self.loa)
                if self.acting_bsn else None)


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
    acting_bsn, acting_name = _acting_person(claims, bsn_claim, bsn, persons)
    return Resident(bsn=bsn, display_name=_name(bsn, claims, persons), loa=int(level),
                    acting_bsn=acting_bsn, acting_name=acting_name)


def _name(bsn: str, claims: dict, persons: PersonsSource) -> str:
    """The name the BRP has; the ID token's while the BRP cannot be reached, so an outage
    there does not keep residents from their zaken and messages."""
    try:
        person = persons.get_person(bsn)
    except RemoteUnavailable:
        person = None
    return person.full_name if person else str(claims.get("name", ""))


def _acting_person(claims: dict, bsn_claim: str, bsn: str,
                   persons: PersonsSource) -> tuple[str, str]:
    """DigiD Machtigen: the BSN and name of whoever acts for the resident, from the ID
    token's actor claim (`act`, RFC 8693); ("", "") when the resident logged in themselves."""
    act = claims.get("act")
    if act is None:
        return "", ""
    acting = act.get(bsn_claim) if isinstance(act, dict) else None
    if not isinstance(acting, str) or not bsn_number.is_valid(acting) or acting == bsn:
        raise LoginRefused(RefusalReason.BSN_INVALID, "the actor claim holds no other valid BSN")
    return acting, _name(acting, act, persons)


def log_acting_login(session, resident: Resident) -> None:
    """A gemachtigde logged in for the resident: from now on they see the resident's data,
    so the resident finds that in their disclosure log."""
    log_disclosure(session, bsn=resident.bsn, recipient=f"Uw gemachtigde {resident.acting_name}",
                   purpose=ACTING_PURPOSE, data_categories=ACTING_DATA, channel="portal")


def safe_next_path(target: str | None, default: str = "/") -> str:
    """Only our own paths may be a post-login redirect target (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    return target
