"""Beheer through the test client: staff members (add, change role, team and direct phone
number, deactivate)
and zaaktypen (norms as ISO 8601 durations, status texts, informeren); only beheerders."""

import pytest
from sqlalchemy import select

from app.auth.models import StaffMember
from app.db import get_session
from app.zaken.models import ZaakType
from app.zaken.services import Initiator, open_zaak
from tests.kcc_fixtures import csrf_from, post_form, queries_for
from tests.login import login_as
from tests.personas import BEA, KARIN
from tests.web.staff import login_staff


@pytest.fixture(autouse=True)
def context(app, db_connection):
    with app.test_request_context():
        yield


def member(username: str) -> StaffMember | None:
    session = get_session()
    session.expire_all()
    return session.scalar(select(StaffMember).where(StaffMember.username == username))


def zaaktype(identificatie: str) -> ZaakType:
    session = get_session()
    session.expire_all()
    return session.scalar(select(ZaakType).where(ZaakType.identificatie == identificatie))


# --------------------------------------------------------------------------- who may


@pytest.mark.parametrize("path", ["/backoffice/beheer/medewerkers",
                                  "/backoffice/beheer/medewerkers/nieuw",
                                  "/backoffice/beheer/medewerkers/bas",
                                  "/backoffice/beheer/zaaktypen",
                                  "/backoffice/beheer/zaaktypen/VERHUIZING"])
@pytest.mark.parametrize("username", ["karin", "bas"])
def test_only_beheerders_open_beheer(client, path, username):
    login_as(client, username)
    assert client.get(path).status_code == 403


def test_karin_cannot_deactivate_anyone(client):
    login_as(client, KARIN)
    token = csrf_from(client.get("/backoffice/").get_data(as_text=True))
    answer = client.post("/backoffice/beheer/medewerkers/bas/deactiveren",
                         data={"csrf_token": token})
    assert answer.status_code == 403 and member("bas").active


def test_beheer_asks_to_log_in_first(client):
    answer = client.get("/backoffice/beheer/medewerkers")
    assert answer.status_code == 302 and "/backoffice/inloggen" in answer.location


# --------------------------------------------------------------------------- staff


def test_the_staff_list(client):
    login_as(client, BEA)
    page = client.get("/backoffice/beheer/medewerkers").get_data(as_text=True)
    for text in ("Karin Kok", "Bas Bakker", "Bea Bos", "Burgerzaken"):
        assert text in page
    assert 'href="/backoffice/beheer/medewerkers/bas"' in page


def test_add_a_staff_member_who_can_then_log_in(client):
    login_as(client, BEA)
    answer = post_form(client, "/backoffice/beheer/medewerkers/nieuw", {
        "username": "wim", "naam": "Wim de Wit", "email": "wim@elburg.example",
        "role": "behandelaar", "team": "vergunningen"})
    assert answer.status_code == 302
    wim = member("wim")
    assert (wim.naam, wim.role, wim.team, wim.active) == ("Wim de Wit", "behandelaar",
                                                         "vergunningen", True)
    assert "Wim de Wit" in client.get("/backoffice/beheer/medewerkers").get_data(as_text=True)


@pytest.mark.parametrize(("changes", "field"), [
    ({"username": "bas"}, "username"),                       # taken
    ({"username": "Wim Wit"}, "username"),                   # not a user name
    ({"team": ""}, "team"),                                  # a behandelaar needs a team
    ({"role": "kcc", "team": "burgerzaken"}, "team"),        # KCC staff are in the KCC
    ({"email": "geen-adres"}, "email"),
    ({"role": "directeur"}, "role"),
])
def test_a_new_staff_member_is_checked(client, changes, field):
    login_as(client, BEA)
    form = {"username": "wim", "naam": "Wim de Wit", "email": "wim@elburg.example",
            "role": "behandelaar", "team": "vergunningen", **changes}
    answer = post_form(client, "/backoffice/beheer/medewerkers/nieuw", form)
    assert answer.status_code == 200
    assert f'href="#{field}"' in answer.get_data(as_text=True)
    assert member("wim") is None or changes.get("username") == "bas"


def test_change_role_and_team(client):
    login_as(client, BEA)
    answer = post_form(client, "/backoffice/beheer/medewerkers/vera",
                       {"role": "behandelaar", "team": "burgerzaken"})
    assert answer.status_code == 302 and member("vera").team == "burgerzaken"
    post_form(client, "/backoffice/beheer/medewerkers/vera", {"role": "beheerder", "team": "kcc"})
    assert (member("vera").role, member("vera").team) == ("beheerder", None)


def test_a_direct_phone_number_is_kept_for_residents_and_checked(client):
    login_as(client, BEA)
    page = client.get("/backoffice/beheer/medewerkers/sara").get_data(as_text=True)
    assert 'value="0525688120"' in page                       # seeded for the demo
    answer = post_form(client, "/backoffice/beheer/medewerkers/sara", {
        "role": "behandelaar", "team": "sociaal-domein", "telefoon": "0525 688 199"})
    assert answer.status_code == 302 and member("sara").telefoon == "0525688199"
    answer = post_form(client, "/backoffice/beheer/medewerkers/sara", {
        "role": "behandelaar", "team": "sociaal-domein", "telefoon": "12"})
    assert answer.status_code == 200 and 'href="#telefoon"' in answer.get_data(as_text=True)
    assert member("sara").telefoon == "0525688199"


def test_management_is_a_role_without_a_team(client):
    login_as(client, BEA)
    page = client.get("/backoffice/beheer/medewerkers/vera").get_data(as_text=True)
    assert 'value="management"' in page
    post_form(client, "/backoffice/beheer/medewerkers/vera", {"role": "management", "team": "kcc"})
    assert (member("vera").role, member("vera").team) == ("management", None)


def test_a_beheerder_cannot_change_their_own_role_or_deactivate_themselves(client):
    login_as(client, BEA)
    answer = post_form(client, "/backoffice/beheer/medewerkers/bea", {"role": "kcc", "team": "kcc"})
    assert answer.status_code == 200 and 'href="#role"' in answer.get_data(as_text=True)
    page = client.get("/backoffice/beheer/medewerkers/bea").get_data(as_text=True)
    assert "deactiveren" not in page
    token = csrf_from(page)
    client.post("/backoffice/beheer/medewerkers/bea/deactiveren", data={"csrf_token": token})
    assert member("bea").active and member("bea").role == "beheerder"


def test_deactivate_ends_access_and_reactivate_restores_it(client, app):
    login_as(client, BEA)
    path = "/backoffice/beheer/medewerkers/sara"
    token = csrf_from(client.get(path).get_data(as_text=True))
    answer = client.post(f"{path}/deactiveren", data={"csrf_token": token})
    assert answer.status_code == 302 and not member("sara").active
    other = app.test_client()
    assert login_staff(other, "sara").status_code == 403  # the real login is refused
    client.post(f"{path}/activeren", data={"csrf_token": token})
    assert member("sara").active
    assert login_staff(other, "sara").status_code == 302


def test_unknown_staff_member_answers_404(client):
    login_as(client, BEA)
    assert client.get("/backoffice/beheer/medewerkers/niemand").status_code == 404


# --------------------------------------------------------------------------- zaaktypen


def zaaktype_form(**changes) -> dict:
    """The edit form of VERHUIZING as it stands, with P6W / P1W and the changes."""
    form = {"doorlooptijd": "P6W", "servicenorm": "P1W"}
    for index, statustype in enumerate(zaaktype("VERHUIZING").statustypen):
        form[f"statustypen-{index}-statustekst"] = statustype.statustekst
        form[f"statustypen-{index}-statustekst_en"] = statustype.statustekst_en
        if statustype.informeren:
            form[f"statustypen-{index}-informeren"] = "y"
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_the_zaaktypen_list_and_the_product_decision(client):
    login_as(client, BEA)
    page = client.get("/backoffice/beheer/zaaktypen").get_data(as_text=True)
    assert "VERHUIZING" in page and "TERUGBELVERZOEK" in page
    assert 'href="/backoffice/beheer/zaaktypen/VERHUIZING"' in page
    assert "content/catalog.toml" in page


def test_edit_norms_and_status_texts(client):
    login_as(client, BEA)
    path = "/backoffice/beheer/zaaktypen/VERHUIZING"
    page = client.get(path).get_data(as_text=True)
    assert 'id="statustypen-0-statustekst"' in page
    form = zaaktype_form(doorlooptijd="p6w", **{
        "statustypen-1-statustekst": "Een medewerker kijkt naar uw verhuizing.",
        "statustypen-1-informeren": "y", "statustypen-0-informeren": None})
    answer = post_form(client, path, form)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    changed = zaaktype("VERHUIZING")
    assert (changed.doorlooptijd, changed.servicenorm) == ("P6W", "P1W")
    first, second = changed.statustypen[:2]
    assert second.statustekst == "Een medewerker kijkt naar uw verhuizing." and second.informeren
    assert not first.informeren
    # New zaken get the new norms.
    zaak = open_zaak(get_session(), zaaktype="VERHUIZING", initiator=Initiator(naam="Test"),
                     omschrijving="Test", registered_by="test")
    assert (zaak.uiterlijke_einddatum_afdoening - zaak.startdatum).days == 42


@pytest.mark.parametrize(("changes", "field"), [
    ({"doorlooptijd": "8 weken"}, "doorlooptijd"),
    ({"doorlooptijd": "PT4H"}, "doorlooptijd"),
    ({"doorlooptijd": ""}, "doorlooptijd"),
    ({"servicenorm": "P3M"}, "servicenorm"),          # longer than the doorlooptijd
    ({"statustypen-0-statustekst_en": ""}, "statustypen-0-statustekst_en"),
])
def test_zaaktype_changes_are_checked(client, changes, field):
    login_as(client, BEA)
    before = zaaktype("VERHUIZING").doorlooptijd
    answer = post_form(client, "/backoffice/beheer/zaaktypen/VERHUIZING", zaaktype_form(**changes))
    assert answer.status_code == 200
    assert f'href="#{field}"' in answer.get_data(as_text=True)
    assert zaaktype("VERHUIZING").doorlooptijd == before


def test_servicenorm_may_be_left_empty(client):
    login_as(client, BEA)
    answer = post_form(client, "/backoffice/beheer/zaaktypen/VERHUIZING",
                       zaaktype_form(servicenorm=""))
    assert answer.status_code == 302 and zaaktype("VERHUIZING").servicenorm is None


def test_unknown_zaaktype_answers_404(client):
    login_as(client, BEA)
    assert client.get("/backoffice/beheer/zaaktypen/ONBEKEND").status_code == 404


def test_beheer_in_english(client):
    login_as(client, BEA)
    client.set_cookie("lang", "en")
    page = client.get("/backoffice/beheer/zaaktypen/VERHUIZING").get_data(as_text=True)
    for text in ("Lead time (doorlooptijd)", "Text for the resident in English",
                 "Tell the resident when the case reaches this status"):
        assert text in page


def test_beheer_pages_run_a_fixed_number_of_queries(client, app):
    login_as(client, BEA)
    pages = ("/backoffice/beheer/medewerkers", "/backoffice/beheer/zaaktypen",
             "/backoffice/beheer/zaaktypen/VERHUIZING")
    before = {path: queries_for(client, app, path) for path in pages}
    session = get_session()
    for n in range(15):
        session.add(StaffMember(username=f"extra{n}", naam=f"Extra {n}", email="", role="kcc",
                                team="kcc", created_at=member("bas").created_at))
    session.commit()
    assert {path: queries_for(client, app, path) for path in pages} == before
