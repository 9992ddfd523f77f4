"""DigiD Machtigen: Sanne logs in on behalf of Johannes (app/persons/personas.toml). Every
page works on Johannes's data, shows that Sanne acts for him, and Johannes finds her login
in his disclosure log."""

import pytest
from sqlalchemy import select

from app.auth.loa import Loa
from app.auth.services import ACTING_PURPOSE, LoginRefused, RefusalReason, resident_from_claims
from app.db import get_session
from app.persons.models import Disclosure
from app.zaken.services import Gemachtigde, Initiator, open_zaak
from mock_digid.personas import ACR_BY_LOA
from tests.web.digid import login
from tests.web.staff import login_staff

SANNE, JOHANNES = "999990032", "999990020"


def test_a_gemachtigde_works_in_the_represented_persons_portal_and_is_shown(client):
    answer = login(client, f"{SANNE}:{JOHANNES}", next_path="/mijn-omgeving")
    assert answer.status_code == 302
    page = client.get("/mijn-omgeving").get_data(as_text=True)
    assert "Sanne de Vries, namens Johannes Hendrik van den Berg" in page  # the header
    assert "U regelt zaken namens Johannes Hendrik van den Berg (DigiD Machtigen)" in page
    assert "Welkom, Sanne de Vries." in page
    gegevens = client.get("/mijn-omgeving/gegevens").get_data(as_text=True)
    assert JOHANNES in gegevens and SANNE not in gegevens
    assert "Eperweg" not in gegevens  # Sanne's own street


def test_the_represented_person_sees_who_logged_in_for_them(client, app):
    login(client, f"{SANNE}:{JOHANNES}")
    with app.app_context():
        (entry,) = get_session().scalars(select(Disclosure).where(
            Disclosure.bsn == JOHANNES, Disclosure.purpose == ACTING_PURPOSE))
        assert entry.recipient == "Uw gemachtigde Sanne de Vries" and entry.channel == "portal"
        assert not get_session().scalars(select(Disclosure).where(
            Disclosure.bsn == SANNE, Disclosure.purpose == ACTING_PURPOSE)).all()
    own = app.test_client()
    login(own, JOHANNES)
    verstrekkingen = own.get("/mijn-omgeving/gegevens/verstrekkingen").get_data(as_text=True)
    assert "Uw gemachtigde Sanne de Vries" in verstrekkingen


def test_logging_in_for_oneself_shows_no_machtiging(client):
    login(client, SANNE, next_path="/mijn-omgeving")
    page = client.get("/mijn-omgeving").get_data(as_text=True)
    assert "namens" not in page and "Welkom, Sanne de Vries." in page


class NobodyKnown:
    def get_person(self, bsn: str):
        return None


@pytest.mark.parametrize("act", [{"bsn": "123456789"}, {"bsn": JOHANNES}, {"name": "x"}, "x"])
def test_an_actor_claim_without_another_valid_bsn_refuses_the_login(act):
    claims = {"acr": ACR_BY_LOA["substantieel"], "bsn": JOHANNES, "act": act}
    with pytest.raises(LoginRefused) as refused:
        resident_from_claims(claims, "bsn", Loa.BASIS, NobodyKnown())
    assert refused.value.reason is RefusalReason.BSN_INVALID


def test_the_actor_claim_names_whoever_acts():
    claims = {"acr": ACR_BY_LOA["substantieel"], "bsn": JOHANNES, "name": "J. van den Berg",
              "act": {"bsn": SANNE, "name": "S. de Vries"}}
    resident = resident_from_claims(claims, "bsn", Loa.BASIS, NobodyKnown())
    assert (resident.bsn, resident.display_name) == (JOHANNES, "J. van den Berg")
    assert (resident.acting_bsn, resident.acting_name) == (SANNE, "S. de Vries")
    assert resident.acts_for_someone


def test_staff_see_who_sent_a_request_on_someones_behalf(client, app):
    with app.app_context():
        db = get_session()
        zaak = open_zaak(db, zaaktype="VERHUIZING", omschrijving="Verhuizing", registered_by="test",
                         initiator=Initiator(naam="Johannes Hendrik van den Berg", bsn=JOHANNES),
                         gemachtigde=Gemachtigde("Sanne de Vries", SANNE))
        db.commit()
        zaaknummer = zaak.identificatie
    login_staff(client, "karin")
    page = client.get(f"/backoffice/zaken/{zaaknummer}").get_data(as_text=True)
    assert "Ingediend door Sanne de Vries, die namens deze persoon handelt" in page
    assert SANNE not in page
