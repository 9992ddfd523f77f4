"""Helpers for the back-office zaken tests: zaken in given states, the forms of a page."""

import html
import re

from sqlalchemy import select

from app.db import get_session
from app.persons.models import Disclosure
from app.zaken.models import Zaak
from app.zaken.services import (
    get_zaak,
)
from app.zaken.sql import SqlZakenStore
from tests.factories import PDF, new_zaak  # noqa: F401  (the back-office tests' factory)
from tests.images import PNG  # noqa: F401

FATIMA = "999990019"      # Fatima El Amrani
JOHANNES = "999990020"    # Johannes van den Berg
MISSING = "ZAAK-2000-0000000001"
ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")


def zaaknummers(page: str) -> list[str]:
    return list(dict.fromkeys(ZAAKNUMMER.findall(page)))


def zaak_of(app, zaaknummer: str) -> Zaak:
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer)
        _ = (zaak.documenten, zaak.document_requests, zaak.rollen,
             zaak.resultaat and zaak.resultaat.resultaattype,
             [s.statustype for s in zaak.statussen], zaak.zaaktype.statustypen)
        return zaak


def disclosures(app, bsn: str = FATIMA, zaak: str | None = None) -> list[Disclosure]:
    with app.app_context():
        query = select(Disclosure).where(Disclosure.bsn == bsn).order_by(Disclosure.id)
        if zaak:
            query = query.where(Disclosure.zaak_identificatie == zaak)
        return list(get_session().scalars(query))


FORM = re.compile(r'<form[^>]*action="(?P<action>[^"]+)"[^>]*>(?P<body>.*?)</form>', re.S)
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def form_fields(page: str, action_ends_with: str) -> tuple[str, dict]:
    """The action and the hidden fields (CSRF token, one-time token, ...) of the page's form
    whose action ends with this path."""
    for match in FORM.finditer(page):
        action = html.unescape(match.group("action"))
        if action.endswith(action_ends_with):
            fields = {}
            for tag in HIDDEN.findall(match.group("body")):
                attrs = dict(ATTR.findall(tag))
                fields[attrs["name"]] = html.unescape(attrs.get("value", ""))
            return action, fields
    raise AssertionError(f"no form for {action_ends_with}")




class ZaaksysteemCatalogi(SqlZakenStore):
    """The embedded store, saying what a zaaksysteem's store says of its catalogi (they are
    its own: beheer shows them and changes nothing), for the pages' tests without one."""

    catalogi_editable = False
