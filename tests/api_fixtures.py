"""Fixtures for the zaken API tests: partners with tokens, zaken, and a JSON client.

    from tests.api_fixtures import api  # noqa: F401
"""

from __future__ import annotations

import base64
import itertools
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.api.models import ApiAuditEntry
from app.api.services import create_partner
from app.db import get_session
from app.persons.models import Disclosure
from app.zaken.services import Initiator, open_zaak, set_resultaat
from tests.images import PNG  # noqa: F401

FATIMA = "999990019"
JOHANNES = "999990020"
PDF = b"%PDF-1.4\n" + b"\x00" * 64
_numbers = itertools.count(1)


@contextmanager
def config_set(app: Flask, key: str, value):
    """Change one config value for a block; the old value comes back."""
    old = app.config[key]
    app.config[key] = value
    try:
        yield
    finally:
        app.config[key] = old


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


@dataclass
class Api:
    """Talks to /api/v1 as a partner; makes partners and zaken in the test's transaction."""

    app: Flask
    client: FlaskClient
    token: str = ""
    partner_naam: str = ""

    # ------------------------------------------------------------------ data

    def partner(self, naam: str | None = None, zaaktypen=("HULPVRAAG_WMO",), *,
                can_write: bool = True, use: bool = True) -> str:
        """A new partner and its token; ``use`` makes it the one requests are sent as."""
        naam = naam or f"Zorgaanbieder Test {next(_numbers)}"
        with self.app.app_context():
            db = get_session()
            _, token = create_partner(db, naam=naam, zaaktypen=zaaktypen, can_write=can_write)
            db.commit()
        if use:
            self.token, self.partner_naam = token, naam
        return token

    def zaak(self, zaaktype: str = "HULPVRAAG_WMO", bsn: str | None = FATIMA, *,
             closed: str | None = None, naam: str = "Fatima El Amrani",
             identificatie: str | None = None) -> str:
        with self.app.app_context():
            db = get_session()
            zaak = open_zaak(db, zaaktype=zaaktype,
                             initiator=Initiator(naam=naam, bsn=bsn, email="fatima@example.org",
                                                 telefoon="0612345678",
                                                 adres="Vischpoortstraat 14, 8081 BP Elburg"),
                             omschrijving="Hulp bij het huishouden", registered_by="test",
                             identificatie=identificatie)
            if closed:
                set_resultaat(db, zaak, resultaattype=closed, gezet_door="test")
            db.commit()
            return zaak.identificatie

    def disclosures(self, zaak: str) -> list[Disclosure]:
        with self.app.app_context():
            return list(get_session().scalars(
                select(Disclosure).where(Disclosure.zaak_identificatie == zaak)
                .order_by(Disclosure.id)))

    def audit(self) -> list[ApiAuditEntry]:
        with self.app.app_context():
            return list(get_session().scalars(select(ApiAuditEntry).order_by(ApiAuditEntry.id)))

    # ------------------------------------------------------------------ requests

    def headers(self, token: str | None = None, key: str | None = None) -> dict:
        token = self.token if token is None else token
        headers = {"Authorization": f"Token {token}"} if token else {}
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def get(self, path: str, *, token: str | None = None, headers: dict | None = None, **kwargs):
        return self.client.get(f"/api/v1{path}", headers={**self.headers(token), **(headers or {})},
                               **kwargs)

    def post(self, path: str, body=None, *, token: str | None = None, key: str | None = None,
             headers: dict | None = None, **kwargs):
        return self.client.post(f"/api/v1{path}", json=body,
                                headers={**self.headers(token, key), **(headers or {})}, **kwargs)


@pytest.fixture
def api(app, db_connection) -> Api:
    return Api(app=app, client=app.test_client())
