"""The persons store: who lives here, as the BRP says; and what the portal keeps by BSN
beside it: the contact details residents give us, the disclosure log and staff's decisions
on correction requests.

Features ask ``get_persons_source()`` for a :class:`PersonsSource`, which answers in the
BRP's shape (:class:`Persoon`, :class:`PersoonBeperkt` for a search) and applies staff's
decided corrections where it may; the SQL table is the default implementation. A Haal
Centraal BRP connector is one more class with the same methods, named in app.ports for the
setting PERSONS_SOURCE (it is called with the request's Session, as SqlPersonsSource is).
"""

import calendar
import enum
import hashlib
import hmac
import re
import secrets
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session
from stdnum.exceptions import ValidationError
from stdnum.nl import postcode as dutch_postcode

from app.db import dialect_insert, get_session, utcnow
from app.persons.models import (
    ContactPreference,
    ContactVerification,
    CorrectionDecision,
    Disclosure,
    Person,
    ReminderOptOut,
)
from app.ports import PERSONS_SOURCE, implementation

PERSONAS_PATH = Path(__file__).with_name("personas.toml")


# --------------------------------------------------------------------------- the BRP's shape

@dataclass(frozen=True)
class Naam:
    voornamen: str
    voorvoegsel: str
    geslachtsnaam: str

    @property
    def achternaam(self) -> str:
        return " ".join(part for part in (self.voorvoegsel, self.geslachtsnaam) if part)

    @property
    def volledige_naam(self) -> str:
        return f"{self.voornamen} {self.achternaam}"


@dataclass(frozen=True)
class Geboorte:
    datum: date | None          # None: the BRP knows the day only in part, or not at all
    plaats: str


@dataclass(frozen=True)
class Adres:
    """An address in the Netherlands the resident lives or lived at, from the day the
    BRP says they began to live there (datum aanvang adreshouding)."""

    straat: str
    huisnummer: int
    huisletter: str
    huisnummertoevoeging: str
    postcode: str
    woonplaats: str
    datum_aanvang_adreshouding: date | None     # None: known only in part, or not at all

    @property
    def house_number_text(self) -> str:
        addition = f"-{self.huisnummertoevoeging}" if self.huisnummertoevoeging else ""
        return f"{self.huisnummer}{self.huisletter}{addition}"

    @property
    def address_line(self) -> str:
        """"Vischpoortstraat 14, 8081 BP Elburg"."""
        return f"{self.straat} {self.house_number_text}, {self.postcode} {self.woonplaats}"


# The BRP's codes for the kinds of Dutch travel documents the personas have.
PASPOORT, IDENTITEITSKAART = "PN", "NI"


@dataclass(frozen=True)
class Reisdocument:
    soort: str                     # the BRP's code: PN (passport), NI (identity card), ...
    documentnummer: str
    datum_einde_geldigheid: date


@dataclass(frozen=True)
class PersoonBeperkt:
    """A resident as a search finds them (Haal Centraal's PersoonBeperkt): enough to tell
    callers apart, and whether their data may be given to third parties."""

    bsn: str
    naam: Naam
    geboorte: Geboorte
    verblijfplaats: Adres
    # Haal Centraal: the data may not be given to third parties (churches, charities, ...)
    # outside the government; the municipality's own staff may still use it.
    geheimhouding_persoonsgegevens: bool

    @property
    def full_name(self) -> str:
        return self.naam.volledige_naam

    @property
    def address_line(self) -> str:
        return self.verblijfplaats.address_line


@dataclass(frozen=True)
class Persoon(PersoonBeperkt):
    """A resident as the BRP knows them (Haal Centraal's Persoon, with the address history
    and travel documents its sibling APIs give).

    The address history and the travel documents are None from a source that does not
    carry them (Haal Centraal BRP Personen gives neither: they are the BRP's Historie and
    Reisdocumenten APIs), so a page can tell "none" from "not known here"."""

    geslacht: str                                          # vrouw, man, onbekend
    nationaliteiten: tuple[str, ...]                       # the BRP's texts, "Nederlandse", ...
    eerdere_verblijfplaatsen: tuple[Adres, ...] | None     # newest first
    reisdocumenten: tuple[Reisdocument, ...] | None        # the one that ends last first


@dataclass(frozen=True)
class DecidedCorrection:
    """Staff approved a correction request: set this item of this resident to this value
    (as the correction form's item key and the text staff confirmed)."""

    zaak: str
    bsn: str
    veld: str
    waarde: str
    decided_by: str
    decided_at: datetime


class PersonsSource(Protocol):
    """Who lives here: one person by BSN, and Haal Centraal BRP's two searches the KCC uses
    to find a caller (at most `limit` people, sorted by surname and first names); and the
    corrections staff decided (app.backoffice.corrections)."""

    # Whether apply_correction writes the record (the local table) or always declines (the
    # BRP: Burgerzaken corrects it there); the decision page tells staff which beforehand.
    applies_corrections: bool

    def get_person(self, bsn: str) -> Persoon | None: ...

    def find_by_name_and_birth_date(self, achternaam: str, geboortedatum: date,
                                    limit: int) -> list[PersoonBeperkt]: ...

    def find_by_address(self, postcode: str, huisnummer: int,
                        limit: int) -> list[PersoonBeperkt]: ...

    def apply_correction(self, decision: DecidedCorrection) -> bool:
        """Correct the record as staff decided; False from a source the portal may not
        write (the BRP itself: Burgerzaken corrects it from the zaak)."""
        ...


_persons = Person.__table__
_ADDRESS_FIELDS = tuple(Adres.__dataclass_fields__)
# Prefill and Mijn gegevens read a person on many requests: plain columns (no ORM object to
# track) and statements built once (building one anew costs more than the query).
_FOUND = select(_persons.c.bsn, _persons.c.voornamen, _persons.c.voorvoegsel,
                _persons.c.geslachtsnaam, _persons.c.geboortedatum, _persons.c.geboorteplaats,
                *(_persons.c[name] for name in _ADDRESS_FIELDS),
                _persons.c.geheimhouding_persoonsgegevens)
_PERSON_BY_BSN = _FOUND.add_columns(
    _persons.c.geslacht, _persons.c.nationaliteiten, _persons.c.eerdere_verblijfplaatsen,
    _persons.c.reisdocumenten).where(_persons.c.bsn == bindparam("bsn"))


def _found_fields(row) -> dict:
    return {"bsn": row.bsn,
            "naam": Naam(row.voornamen, row.voorvoegsel, row.geslachtsnaam),
            "geboorte": Geboorte(row.geboortedatum, row.geboorteplaats),
            "verblijfplaats": Adres(*(getattr(row, name) for name in _ADDRESS_FIELDS)),
            "geheimhouding_persoonsgegevens": row.geheimhouding_persoonsgegevens}


def _persoon(row) -> Persoon:
    return Persoon(
        **_found_fields(row), geslacht=row.geslacht,
        nationaliteiten=tuple(row.nationaliteiten),
        eerdere_verblijfplaatsen=tuple(sorted(
            map(_stored_address, row.eerdere_verblijfplaatsen),
            key=lambda address: address.datum_aanvang_adreshouding, reverse=True)),
        reisdocumenten=tuple(sorted(
            map(_stored_document, row.reisdocumenten),
            key=lambda document: document.datum_einde_geldigheid, reverse=True)))


# The table's JSON lists keep their dates as ISO text.

def _stored_address(stored: dict) -> Adres:
    return Adres(**{**stored, "datum_aanvang_adreshouding": date.fromisoformat(
        stored["datum_aanvang_adreshouding"])})


def _stored_document(stored: dict) -> Reisdocument:
    return Reisdocument(stored["soort"], stored["documentnummer"],
                        date.fromisoformat(stored["datum_einde_geldigheid"]))


class SqlPersonsSource:
    """PERSONS_SOURCE=local: the persons table stands in for the BRP, and takes staff's
    corrections."""

    applies_corrections = True

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_person(self, bsn: str) -> Persoon | None:
        row = self.session.execute(_PERSON_BY_BSN, {"bsn": bsn}).one_or_none()
        return _persoon(row) if row else None

    def find_by_name_and_birth_date(self, achternaam: str, geboortedatum: date,
                                    limit: int) -> list[PersoonBeperkt]:
        """Haal Centraal's "zoek met geslachtsnaam en geboortedatum": the birth date exactly
        (indexed), the surname from its start, with or without the voorvoegsel, any case."""
        name = " ".join(achternaam.split()).lower()
        full = func.lower(func.trim(_persons.c.voorvoegsel + " " + _persons.c.geslachtsnaam))
        return self._found(_FOUND.where(
            _persons.c.geboortedatum == geboortedatum,
            or_(func.lower(_persons.c.geslachtsnaam).startswith(name, autoescape=True),
                full.startswith(name, autoescape=True))).limit(limit))

    def find_by_address(self, postcode: str, huisnummer: int,
                        limit: int) -> list[PersoonBeperkt]:
        """Haal Centraal's "zoek met postcode en huisnummer": everyone registered there."""
        return self._found(_FOUND.where(_persons.c.postcode == postcode,
                                        _persons.c.huisnummer == huisnummer).limit(limit))

    def _found(self, query) -> list[PersoonBeperkt]:
        return [PersoonBeperkt(**_found_fields(row)) for row in self.session.execute(
            query.order_by(_persons.c.geslachtsnaam, _persons.c.voornamen))]

    def apply_correction(self, decision: DecidedCorrection) -> bool:
        """Write the decided value into the table (one UPDATE); LookupError when the person
        is gone, CorrectionValueError when the value does not fit the item."""
        changes = correction_changes(decision.veld, decision.waarde)
        updated = self.session.execute(update(_persons).where(_persons.c.bsn == decision.bsn)
                                       .values(changes))
        if updated.rowcount != 1:
            raise LookupError("no such person")
        return True


def setup_local_source(app) -> type[SqlPersonsSource]:
    """PERSONS_SOURCE=local: the persons table (app.ports)."""
    return SqlPersonsSource


def get_persons_source() -> PersonsSource:
    """The source PERSONS_SOURCE chose (app.ports): a class is made on the request's Session,
    an instance (a connector with its own connection pool) is shared."""
    chosen = implementation(PERSONS_SOURCE)
    return chosen(get_session()) if isinstance(chosen, type) else chosen


# When a travel document's end comes this close, the resident is told to renew it in time:
# a passport takes a week or more to make, and an appointment must be booked first.
EXPIRY_NOTICE_MONTHS = 4


def expires_soon(document: Reisdocument, today: date) -> bool:
    """The document is no longer valid or will not be within EXPIRY_NOTICE_MONTHS."""
    return document.datum_einde_geldigheid <= notice_until(today)


def notice_until(today: date) -> date:
    """The last end date that is told about today: EXPIRY_NOTICE_MONTHS on."""
    return _months_later(today, EXPIRY_NOTICE_MONTHS)


def _months_later(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


# --------------------------------------------------------------------------- demo personas

_PERSON_COLUMNS = ("bsn", "voornamen", "voorvoegsel", "geslachtsnaam", "geslacht",
                   "geboortedatum", "geboorteplaats", *_ADDRESS_FIELDS, "nationaliteiten",
                   "geheimhouding_persoonsgegevens")


def load_personas(path: Path = PERSONAS_PATH) -> list[dict]:
    with path.open("rb") as file:
        return tomllib.load(file)["persona"]


def seed_personas(session: Session, path: Path = PERSONAS_PATH) -> int:
    """Insert the demo personas that are not there yet; returns how many were added."""
    known = set(session.scalars(select(Person.bsn)))
    added = 0
    for persona in load_personas(path):
        if persona["bsn"] in known:
            continue
        session.add(_person_row(persona))
        if persona["email"] or persona["telefoon"]:
            session.add(ContactPreference(bsn=persona["bsn"], email=persona["email"],
                                          telefoon=persona["telefoon"], updated_at=utcnow()))
        added += 1
    session.commit()
    return added


def _person_row(persona: dict) -> Person:
    """The persona as the table keeps it: the dates in its JSON lists as ISO text."""
    return Person(
        **{name: persona[name] for name in _PERSON_COLUMNS if name in persona},
        **{name: [_iso_dates(item) for item in persona.get(name, ())]
           for name in ("eerdere_verblijfplaatsen", "reisdocumenten")})


def _iso_dates(item: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in item.items()}


# --------------------------------------------------------------------------- verstrekkingen

CHANNELS = ("portal", "api", "backoffice")
DATA_CATEGORIES = ("naam", "bsn", "geboorte", "geslacht", "nationaliteit", "adres",
                   "contactgegevens", "zaakgegevens", "documenten", "berichten")


def log_disclosure(session: Session, *, bsn: str, recipient: str, purpose: str,
                   data_categories: Sequence[str], zaak: str | None = None, channel: str,
                   when: datetime | None = None) -> Disclosure:
    """Record that `recipient` (organisation and team) viewed or received this resident's data.

    Call it in the same transaction as the read it records, so no read goes unlogged.
    `zaak` is the zaak's identificatie when the data was read for a zaak.
    """
    recipient, purpose = _checked_disclosure(recipient, purpose, data_categories, channel)
    disclosure = Disclosure(bsn=bsn, disclosed_at=when or utcnow(), recipient=recipient,
                            purpose=purpose, zaak_identificatie=zaak,
                            data_categories=list(data_categories), channel=channel)
    session.add(disclosure)
    session.flush()
    return disclosure


def log_disclosures(session: Session, disclosed: Iterable[tuple[str | None, str | None]], *,
                    recipient: str, purpose: str, data_categories: Sequence[str], channel: str,
                    when: datetime | None = None) -> int:
    """log_disclosure() for a page that shows many residents or zaken at once (a search
    result, a work list, a page of the API's list), in one INSERT; returns how many entries
    it wrote. disclosed: (bsn, zaak identificatie or None) pairs, in order; a pair given twice
    is logged once, one without a BSN (a zaak filed without DigiD) not at all."""
    recipient, purpose = _checked_disclosure(recipient, purpose, data_categories, channel)
    when = when or utcnow()
    rows = [{"bsn": bsn, "zaak_identificatie": zaak, "disclosed_at": when,
             "recipient": recipient, "purpose": purpose,
             "data_categories": list(data_categories), "channel": channel}
            for bsn, zaak in dict.fromkeys(disclosed) if bsn]
    if rows:
        session.execute(insert(Disclosure.__table__), rows)  # Core: one executemany
    return len(rows)


def disclosed_since(session: Session, bsns: Iterable[str], *, recipient: str, purpose: str,
                    channel: str, since: datetime) -> set[tuple[str, str | None]]:
    """The (bsn, zaak identificatie or None) pairs already logged for these residents, this
    recipient and purpose since then: for pages that log a view once a day (one query)."""
    bsns = sorted(set(bsns))
    if not bsns:
        return set()
    return set(session.execute(
        select(Disclosure.bsn, Disclosure.zaak_identificatie).where(
            Disclosure.bsn.in_(bsns), Disclosure.recipient == recipient,
            Disclosure.purpose == purpose, Disclosure.channel == channel,
            Disclosure.disclosed_at >= since)))


def _checked_disclosure(recipient: str, purpose: str, data_categories: Sequence[str],
                        channel: str) -> tuple[str, str]:
    """The recipient and purpose as logged; ValueError for an entry the resident could not
    read."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}")
    unknown = set(data_categories) - set(DATA_CATEGORIES)
    if not data_categories or unknown:
        raise ValueError(f"data_categories must be a non-empty subset of {DATA_CATEGORIES}")
    if not recipient.strip() or not purpose.strip():
        raise ValueError("recipient and purpose are required")
    return recipient.strip(), purpose.strip()


def disclosures_for_bsn(session: Session, bsn: str, limit: int, offset: int = 0) -> list[Disclosure]:
    """One page of the resident's verstrekkingen, newest first (one query)."""
    return list(session.scalars(
        select(Disclosure).where(Disclosure.bsn == bsn)
        .order_by(Disclosure.disclosed_at.desc(), Disclosure.id.desc())
        .limit(limit).offset(offset)))


DEMO_DISCLOSURES = {
    "999990019": [
        (3, "Gemeente Elburg – KCC", "Uw vraag over de verhuizing beantwoorden",
         ["naam", "adres", "zaakgegevens"], "backoffice"),
        (17, "Zorgaanbieder De Linde", "Uitvoeren van uw Wmo-maatwerkvoorziening (huishoudelijke hulp)",
         ["naam", "adres", "contactgegevens"], "api"),
        (45, "Gemeente Elburg – Team Burgerzaken", "Controle van de adresgegevens na een verhuizing",
         ["naam", "bsn", "adres"], "backoffice"),
        (120, "Gemeente Elburg – Team Belastingen", "Opleggen van de gemeentelijke belastingen",
         ["naam", "adres"], "backoffice"),
    ],
    "999990020": [
        (8, "Gemeente Elburg – Team Doe'th", "Keukentafelgesprek over ondersteuning thuis",
         ["naam", "geboorte", "adres", "contactgegevens"], "backoffice"),
        (30, "Zorgaanbieder De Linde", "Uitvoeren van uw Wmo-maatwerkvoorziening (begeleiding)",
         ["naam", "adres"], "api"),
    ],
    "999990032": [
        (60, "Gemeente Elburg – KCC", "Terugbelverzoek over uw afspraak",
         ["naam", "contactgegevens"], "backoffice"),
    ],
}


def seed_disclosures(session: Session) -> int:
    """Demo verstrekkingen for the personas that have none yet, dated back from today."""
    have_some = set(session.scalars(
        select(Disclosure.bsn).where(Disclosure.bsn.in_(DEMO_DISCLOSURES)).distinct()))
    now = utcnow().replace(second=0, microsecond=0)
    added = 0
    for bsn, entries in DEMO_DISCLOSURES.items():
        if bsn in have_some:
            continue
        for days_ago, recipient, purpose, categories, channel in entries:
            log_disclosure(session, bsn=bsn, recipient=recipient, purpose=purpose,
                           data_categories=categories, channel=channel,
                           when=now - timedelta(days=days_ago, hours=days_ago % 7))
            added += 1
    session.commit()
    return added


# --------------------------------------------------------------------------- contact preferences

CODE_LIFETIME = timedelta(minutes=30)
MAX_CODE_ATTEMPTS = 5


class VerificationOutcome(enum.Enum):
    CONFIRMED = "confirmed"
    WRONG_CODE = "wrong_code"
    EXPIRED = "expired"          # also: too many attempts, or nothing pending


@dataclass(frozen=True)
class ContactDetails:
    """How to reach a resident, as they told us ("" for what they did not give)."""

    email: str = ""
    telefoon: str = ""


_preferences = ContactPreference.__table__
_CONTACT_BY_BSN = select(_preferences.c.email, _preferences.c.telefoon).where(
    _preferences.c.bsn == bindparam("bsn"))


def get_contact_details(session: Session, bsn: str) -> ContactDetails:
    row = session.execute(_CONTACT_BY_BSN, {"bsn": bsn}).one_or_none()
    return ContactDetails(row.email, row.telefoon) if row else ContactDetails()


# --------------------------------------------------------------------------- reminders


def wants_reminders(session: Session, bsn: str) -> bool:
    return session.get(ReminderOptOut, bsn) is None


def set_wants_reminders(session: Session, bsn: str, wanted: bool) -> None:
    """Switch the resident's reminders on or off (idempotent, also when two requests
    switch them at once)."""
    table = ReminderOptOut.__table__
    if wanted:
        session.execute(delete(table).where(table.c.bsn == bsn))
    else:
        session.execute(dialect_insert(session, table).values(bsn=bsn, since=utcnow())
                        .on_conflict_do_nothing(index_elements=[table.c.bsn]))


def reminders_off(session: Session, bsns: Iterable[str]) -> set[str]:
    """Which of these residents switched reminders off (one query)."""
    return set(session.scalars(select(ReminderOptOut.bsn)
                               .where(ReminderOptOut.bsn.in_(set(bsns)))))


def residents_with_contact_details(session: Session) -> list[str]:
    """The BSNs of the residents who gave us contact details: those the portal can tell
    something before they log in (the reminders ask the persons source about them)."""
    return list(session.scalars(select(ContactPreference.bsn).order_by(ContactPreference.bsn)))


@dataclass(frozen=True)
class KnownResident:
    """A resident as the municipality knows them: the BRP's record (from the persons
    source) and the contact details they gave us."""

    person: Persoon
    contact: ContactDetails


def known_resident(bsn: str) -> KnownResident | None:
    """None when the persons source does not know this BSN."""
    person = get_persons_source().get_person(bsn)
    if person is None:
        return None
    return KnownResident(person, get_contact_details(get_session(), bsn))


def set_phone(session: Session, *, bsn: str, telefoon: str) -> None:
    """The phone number the resident gave us (not verified: we only call it)."""
    _save_contact(session, bsn, telefoon=telefoon)


def _save_contact(session: Session, bsn: str, **details: str) -> None:
    """Change these of the resident's contact details; their first makes the row (one
    INSERT ... ON CONFLICT DO UPDATE, also right for two requests at the same moment)."""
    changes = {**details, "updated_at": utcnow()}
    session.execute(dialect_insert(session, _preferences)
                    .values({"bsn": bsn, "email": "", "telefoon": "", **changes})
                    .on_conflict_do_update(index_elements=[_preferences.c.bsn], set_=changes))


def start_email_verification(session: Session, *, bsn: str, email: str,
                             now: datetime | None = None) -> str:
    """Keep `email` aside until the resident enters the code sent to it; returns that code
    for the caller to mail. A new request replaces the one pending."""
    now = now or utcnow()
    code = f"{secrets.randbelow(1_000_000):06d}"
    salt = secrets.token_hex(16)
    session.execute(delete(ContactVerification).where(ContactVerification.bsn == bsn))
    session.add(ContactVerification(bsn=bsn, email=email, code_salt=salt,
                                    code_hash=_code_hash(salt, code), attempts=0,
                                    created_at=now, expires_at=now + CODE_LIFETIME))
    session.flush()
    return code


def pending_verification(session: Session, bsn: str,
                         now: datetime | None = None) -> ContactVerification | None:
    """The address waiting for its code, while the code can still be used."""
    verification = session.scalar(select(ContactVerification)
                                  .where(ContactVerification.bsn == bsn))
    if verification is None or not _usable(verification, now or utcnow()):
        return None
    return verification


def confirm_email(session: Session, *, bsn: str, code: str,
                  now: datetime | None = None) -> VerificationOutcome:
    """Check the code; when right, the pending address becomes the resident's email.
    Every wrong try counts, whatever the outcome, so the code cannot be guessed."""
    now = now or utcnow()
    verification = session.scalar(select(ContactVerification)
                                  .where(ContactVerification.bsn == bsn))
    if verification is None or not _usable(verification, now):
        return VerificationOutcome.EXPIRED
    if not hmac.compare_digest(verification.code_hash,
                               _code_hash(verification.code_salt, code.strip())):
        verification.attempts += 1
        session.flush()
        if verification.attempts >= MAX_CODE_ATTEMPTS:
            return VerificationOutcome.EXPIRED
        return VerificationOutcome.WRONG_CODE
    _save_contact(session, bsn, email=verification.email)
    session.delete(verification)
    session.flush()
    return VerificationOutcome.CONFIRMED


def attempts_left(verification: ContactVerification) -> int:
    return max(MAX_CODE_ATTEMPTS - verification.attempts, 0)


def _usable(verification: ContactVerification, now: datetime) -> bool:
    return verification.expires_at > now and verification.attempts < MAX_CODE_ATTEMPTS


def _code_hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


# --------------------------------------------------------------------------- corrections

# The items a resident may ask to correct (the keys of app.pip.services ITEMS), and what each
# changes in the persons store. BSN, email and phone are not corrected this way.
CORRECTABLE_FIELDS = ("voornamen", "achternaam", "geboortedatum", "geboorteplaats", "geslacht",
                      "nationaliteit", "straat", "huisnummer", "postcode", "woonplaats",
                      "adres_sinds")
# The disclosure log's category for each item.
CORRECTION_CATEGORIES = {"voornamen": "naam", "achternaam": "naam", "geboortedatum": "geboorte",
                         "geboorteplaats": "geboorte", "geslacht": "geslacht",
                         "nationaliteit": "nationaliteit", "straat": "adres",
                         "huisnummer": "adres", "postcode": "adres", "woonplaats": "adres",
                         "adres_sinds": "adres"}
# Dutch surname prefixes (voorvoegsels) as the BRP keeps them apart from the geslachtsnaam.
VOORVOEGSEL_WORDS = {"van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "in", "op",
                     "d'", "l'", "la", "le", "du", "von", "zu", "vd", "uit", "aan", "bij", "onder"}
SEX_VALUES = {"vrouw": "vrouw", "v": "vrouw", "female": "vrouw", "f": "vrouw",
              "man": "man", "m": "man", "male": "man",
              "onbekend": "onbekend", "o": "onbekend", "unknown": "onbekend"}
_TEXT_LIMITS = {"voornamen": 200, "geboorteplaats": 100, "straat": 200, "woonplaats": 100}
_NATIONALITY_LIMIT = 100
_DATE = re.compile(r"^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$")
_HOUSE_NUMBER = re.compile(r"^(\d{1,5})\s*([A-Za-z])?(?:\s*[- ]\s*([0-9A-Za-z]{1,4}))?$")


class CorrectionValueError(ValueError):
    """The value cannot be recorded for this field; ``reason`` says why:
    unknown_field, empty, too_long, date, sex, house_number, postcode."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def correction_changes(field: str, value: str) -> dict[str, object]:
    """The persons-store columns a corrected value sets, e.g. "van den Berg" ->
    {voorvoegsel: "van den", geslachtsnaam: "Berg"}, and "Nederlandse, Marokkaanse" ->
    {nationaliteiten: ["Nederlandse", "Marokkaanse"]}; CorrectionValueError when it does not
    fit."""
    if field not in CORRECTABLE_FIELDS:
        raise CorrectionValueError("unknown_field")
    value = " ".join(str(value).split())
    if not value:
        raise CorrectionValueError("empty")
    if field in _TEXT_LIMITS:
        if len(value) > _TEXT_LIMITS[field]:
            raise CorrectionValueError("too_long")
        return {field: value}
    return _PARSERS[field](value)


def _surname(value: str) -> dict[str, object]:
    words = value.split(" ")
    prefix = []
    while len(words) > 1 and words[0].lower() in VOORVOEGSEL_WORDS:
        prefix.append(words.pop(0).lower())
    voorvoegsel, geslachtsnaam = " ".join(prefix), " ".join(words)
    if len(voorvoegsel) > 20 or len(geslachtsnaam) > 200:
        raise CorrectionValueError("too_long")
    return {"voorvoegsel": voorvoegsel, "geslachtsnaam": geslachtsnaam}


def _date_value(value: str) -> date:
    """"1-3-1990", "01/03/1990", "1.3.1990" (day first, as in the Netherlands) or ISO."""
    try:
        match = _DATE.match(value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError:
        raise CorrectionValueError("date") from None


def _nationality_list(value: str) -> dict[str, object]:
    """All of the resident's nationalities, separated by commas, as Mijn gegevens shows them."""
    names = list(dict.fromkeys(name.strip() for name in re.split(r"[,;]", value)
                               if name.strip()))
    if not names:
        raise CorrectionValueError("empty")
    if any(len(name) > _NATIONALITY_LIMIT for name in names):
        raise CorrectionValueError("too_long")
    return {"nationaliteiten": names}


def _sex(value: str) -> dict[str, object]:
    sex = SEX_VALUES.get(value.lower())
    if sex is None:
        raise CorrectionValueError("sex")
    return {"geslacht": sex}


def _house_number(value: str) -> dict[str, object]:
    match = _HOUSE_NUMBER.match(value)
    if not match:
        raise CorrectionValueError("house_number")
    number, letter, addition = match.groups()
    return {"huisnummer": int(number), "huisletter": (letter or "").upper(),
            "huisnummertoevoeging": addition or ""}


def _postcode(value: str) -> dict[str, object]:
    try:  # python-stdnum knows the format and the letters never used (SA, SD, SS)
        return {"postcode": dutch_postcode.validate(value)}
    except ValidationError:
        raise CorrectionValueError("postcode") from None


_PARSERS = {
    "achternaam": _surname,
    "geboortedatum": lambda value: {"geboortedatum": _date_value(value)},
    "adres_sinds": lambda value: {"datum_aanvang_adreshouding": _date_value(value)},
    "nationaliteit": _nationality_list,
    "geslacht": _sex,
    "huisnummer": _house_number,
    "postcode": _postcode,
}


def record_correction_decision(session: Session, *, zaak: str, bsn: str, field: str,
                               value: str, decided_by: str) -> DecidedCorrection:
    """Keep staff's decision to correct this item to this value, for the persons source to
    apply (PersonsSource.apply_correction). The value is checked as correction_changes()
    does: CorrectionValueError when it does not fit."""
    correction_changes(field, value)
    decision = DecidedCorrection(zaak=zaak, bsn=bsn, veld=field, waarde=" ".join(value.split()),
                                 decided_by=decided_by, decided_at=utcnow())
    session.add(CorrectionDecision(zaak_identificatie=decision.zaak, bsn=decision.bsn,
                                   veld=decision.veld, waarde=decision.waarde,
                                   decided_by=decision.decided_by,
                                   decided_at=decision.decided_at))
    session.flush()
    return decision
