"""Objections and complaints (Awb) through the test client: from a decided zaak to a BEZWAAR
zaak that names it, the late objection's question, a complaint without DigiD, and the
legal term as the resident and staff see it when it is suspended or extended."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.berichten.models import Message
from app.db import get_session
from app.zaken.models import RelevanteAndereZaak, Zaak
from app.zaken.services import get_zaak, today
from tests.backoffice_fixtures import form_fields
from tests.eforms_fixtures import (  # noqa: F401
    draft_id_of,
    form_csrf,
    form_rate_limit,
    post_page,
    start_form,
)
from tests.factories import new_zaak
from tests.login import login_as
from tests.personas import FATIMA, JOHANNES
from tests.web.staff import login_staff

pytestmark = pytest.mark.usefixtures("form_rate_limit")


def messages_about(app, zaaknummer: str) -> list[Message]:
    with app.app_context():
        return list(get_session().scalars(select(Message).where(
            Message.zaak_identificatie == zaaknummer).order_by(Message.id)))


def english(client):
    client.get("/taal/en?next=/")


def page_of(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def decided(app, *, bsn: str = FATIMA, days_ago: int = 0) -> str:
    """A parking permit refused, decided days_ago."""
    zaaknummer = new_zaak(app, "PARKEERVERGUNNING", bsn=bsn, resultaat="Afgewezen")
    if days_ago:
        with app.app_context():
            db = get_session()
            db.execute(update(Zaak).where(Zaak.identificatie == zaaknummer)
                       .values(einddatum=today() - timedelta(days=days_ago)))
            db.commit()
    return zaaknummer


def related(app, zaaknummer: str) -> list[str]:
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer)
        return [r.andere_zaak.identificatie for r in get_session().scalars(
            select(RelevanteAndereZaak).where(RelevanteAndereZaak.zaak_id == zaak.id))]


def submit(client, step: str, answers: list[dict]) -> str:
    """Answer the steps in turn, then send the check page; the new zaak's number."""
    for data in answers:
        answer = post_page(client, step, data)
        assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
        step = answer.headers["Location"]
    assert step.endswith("/controleren")
    sent = post_page(client, step, {"declaration": "y"})
    assert sent.status_code == 302
    return re.search(r"ZAAK-\d{4}-\d{10}", page_of(client, sent.headers["Location"])).group(0)


def test_a_decided_zaak_links_to_an_objection_that_names_it(client, app):
    zaaknummer = decided(app)
    login_as(client, FATIMA)
    english(client)
    page = page_of(client, f"/mijn-omgeving/zaken/{zaaknummer}")
    assert "Do you disagree?" in page
    until = (today() + timedelta(weeks=6))
    assert f"You can object until {until.day} {until.strftime('%B %Y')}" in page
    link = f"/formulieren/bezwaar?zaak={zaaknummer}"
    assert link in page and f"/formulieren/klacht?zaak={zaaknummer}" in page

    started = post_page(client, link)
    step = started.headers["Location"]
    first = page_of(client, step)
    # The zaak it came from is chosen already; the resident confirms it.
    assert re.search(rf'value="{zaaknummer}"[^>]*checked', first)
    objection = submit(client, step, [
        {"besluit": zaaknummer},
        {"gronden": "Ik woon in de binnenstad en heb geen eigen parkeerplaats."},
        {"email": "fatima@example.nl"},
    ])
    assert related(app, objection) == [zaaknummer]
    with app.app_context():
        zaak = get_zaak(get_session(), objection)
        assert zaak.zaaktype.identificatie == "BEZWAAR" and zaak.team == "juridische-zaken"
        assert "reden_te_laat" not in zaak.aanvraaggegevens
    page = page_of(client, f"/mijn-omgeving/zaken/{objection}")
    assert f"Case {zaaknummer}" in page and "Do you disagree?" not in page


def test_an_objection_after_six_weeks_is_taken_in_with_the_question_why(client, app):
    zaaknummer = decided(app, days_ago=50)
    login_as(client, FATIMA)
    english(client)
    page = page_of(client, f"/mijn-omgeving/zaken/{zaaknummer}")
    assert "You can still object, but then tell us why you are late." in page
    step = start_form(client, "bezwaar")
    answer = post_page(client, step, {"besluit": zaaknummer})
    assert answer.headers["Location"].endswith("/te-laat")
    assert "Why are you objecting late?" in page_of(client, answer.headers["Location"])
    objection = submit(client, answer.headers["Location"], [
        {"reden_te_laat": "Ik lag in het ziekenhuis."},
        {"gronden": "Het besluit klopt niet."},
        {"email": "fatima@example.nl"},
    ])
    with app.app_context():
        answers = get_zaak(get_session(), objection).aanvraaggegevens
    assert answers["reden_te_laat"] == "Ik lag in het ziekenhuis."


def test_only_the_residents_own_decided_zaken_can_be_objected_to(client, app):
    others = decided(app, bsn=JOHANNES)
    still_open = new_zaak(app, "PARKEERVERGUNNING")
    own = decided(app)
    login_as(client, FATIMA)
    english(client)
    step = start_form(client, "bezwaar")
    page = page_of(client, step)
    assert own in page and others not in page and still_open not in page
    for chosen in (others, still_open):
        answer = post_page(client, step, {"besluit": chosen})
        assert answer.status_code == 200  # the step again, with its error
        assert "Choose the decision you object to" in answer.get_data(as_text=True) or \
            "Choose one of the options" in answer.get_data(as_text=True)
    # Coming from another's zaak chooses nothing.
    answer = post_page(client, f"/formulieren/bezwaar?zaak={others}")
    assert others not in page_of(client, answer.headers["Location"])


def test_a_complaint_without_digid_has_no_zaak_to_choose(client, app):
    english(client)
    step = start_form(client, "klacht")
    page = page_of(client, step)
    assert 'name="zaak"' not in page
    answer = post_page(client, step, {
        "wat": "Ik werd aan de balie onvriendelijk behandeld.",
        "wanneer-day": "2", "wanneer-month": "3", "wanneer-year": str(today().year - 1)})
    assert answer.status_code == 302
    answer = post_page(client, answer.headers["Location"], {})
    assert answer.headers["Location"].endswith("/controleren")
    token = form_csrf(page_of(client, answer.headers["Location"]))
    sent = client.post(answer.headers["Location"], data={"csrf_token": token})
    assert sent.status_code == 302
    number = re.search(r"ZAAK-\d{4}-\d{10}", page_of(client, sent.headers["Location"])).group(0)
    with app.app_context():
        zaak = get_zaak(get_session(), number)
        assert zaak.zaaktype.identificatie == "KLACHT" and zaak.initiator.naam == "Anoniem"
    assert draft_id_of(step)


def test_a_document_request_puts_the_term_on_hold_for_resident_and_staff(client, app):
    # Opened 100 days ago: its legal term (12 weeks) has passed, until documents are asked.
    overdue = new_zaak(app, "BEZWAAR", startdatum=today() - timedelta(days=100))
    login_as(client, FATIMA)
    english(client)
    assert "the legal deadline has passed" in page_of(client, "/mijn-omgeving/zaken")
    assert "The legal deadline has passed" in page_of(client, f"/mijn-omgeving/zaken/{overdue}")

    login_staff(client, "jan")
    client.set_cookie("lang", "en")
    page = page_of(client, f"/backoffice/zaken/{overdue}")
    path, fields = form_fields(page, "/documentverzoek")
    assert client.post(path, data={**fields, "verzoek-omschrijving": "Een kopie van het besluit"}
                       ).status_code == 302
    page = page_of(client, f"/backoffice/zaken/{overdue}")
    assert "On hold: waiting for documents" in page
    assert "On hold: waiting for documents" in page_of(
        client, "/backoffice/zaken?team=juridische-zaken")
    assert overdue not in page_of(client, "/backoffice/zaken?overdue=doorlooptijd")

    login_as(client, FATIMA)
    english(client)
    assert "the legal deadline has passed" not in page_of(client, "/mijn-omgeving/zaken")
    page = page_of(client, f"/mijn-omgeving/zaken/{overdue}")
    assert "The legal deadline is on hold" in page
    assert "The legal deadline has passed" not in page


def test_staff_extend_the_term_once_with_a_reason_the_resident_reads(client, app):
    zaaknummer = new_zaak(app, "BEZWAAR")
    login_staff(client, "jan")
    client.set_cookie("lang", "en")
    page = page_of(client, f"/backoffice/zaken/{zaaknummer}")
    assert "The law allows one extension of at most 6 weeks." in page
    path, fields = form_fields(page, "/termijn")
    too_long = client.post(path, data={**fields, "termijn-duur": "P7W",
                                       "termijn-reden": "Drukte"})
    assert too_long.status_code == 400
    no_reason = client.post(path, data={**fields, "termijn-duur": "P6W"})
    assert no_reason.status_code == 400
    assert "Give the reason for the extension" in no_reason.get_data(as_text=True)
    extended = client.post(path, data={**fields, "termijn-duur": "P6W",
                                       "termijn-reden": "De bezwaarcommissie vergadert later."})
    assert extended.status_code == 302
    new_end = today() + timedelta(weeks=18)
    page = page_of(client, extended.headers["Location"])
    assert "Extended by 6 weeks. Reason for the resident: De bezwaarcommissie" in page
    assert "/termijn" not in page.split('id="termijn"')[1].split("</section>")[0]

    (message,) = messages_about(app, zaaknummer)
    assert message.onderwerp == "Wij hebben meer tijd nodig voor uw zaak"
    assert f"uiterlijk op {new_end.day} " in message.tekst
    assert "Reden: De bezwaarcommissie vergadert later." in message.tekst

    login_as(client, FATIMA)
    english(client)
    page = page_of(client, f"/mijn-omgeving/zaken/{zaaknummer}")
    assert "We have extended the legal deadline" in page
    assert "Reason: De bezwaarcommissie vergadert later." in page
    assert f"{new_end.day} {new_end.strftime('%B')} {new_end.year}" in page


def test_another_team_cannot_extend_the_term(client, app):
    zaaknummer = new_zaak(app, "BEZWAAR")
    own = new_zaak(app)  # burgerzaken's: where bas gets his session's CSRF token
    login_staff(client, "bas")
    _path, fields = form_fields(page_of(client, f"/backoffice/zaken/{own}"), "/status")
    answer = client.post(f"/backoffice/zaken/{zaaknummer}/termijn", data={
        "termijn-csrf_token": fields["status-csrf_token"], "termijn-token": "t" * 32,
        "termijn-duur": "P1W", "termijn-reden": "x"})
    assert answer.status_code == 403
    with app.app_context():
        assert get_zaak(get_session(), zaaknummer).verlenging_duur is None


def test_a_decided_objection_offers_a_complaint_but_no_second_objection(client, app):
    objection = new_zaak(app, "BEZWAAR", resultaat="Ongegrond")
    login_as(client, FATIMA)
    english(client)
    page = page_of(client, f"/mijn-omgeving/zaken/{objection}")
    assert f"/formulieren/klacht?zaak={objection}" in page
    assert "/formulieren/bezwaar" not in page and "You can object until" not in page
