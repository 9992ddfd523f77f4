"""E-forms through the test client: both reference forms end to end, drafts, uploads, safety."""

import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.db import get_session
from app.eforms.models import FormDraft
from app.extensions import limiter
from app.notifications.models import OutboxMessage
from app.zaken.services import get_zaak, today
from tests.eforms_fixtures import (  # noqa: F401
    JPEG,
    PDF,
    PNG,
    date_parts,
    draft_id_of,
    form_csrf,
    form_rate_limit,
    post_page,
    start_form,
)
from tests.login import login_as
from tests.personas import FATIMA, JOHANNES

OTHER = JOHANNES
ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")

pytestmark = pytest.mark.usefixtures("form_rate_limit")


def _zaaknummer(client, location: str) -> str:
    page = client.get(location)
    assert page.status_code == 200
    return ZAAKNUMMER.search(page.get_data(as_text=True)).group(0)


def walk_verhuizing(client, *, co_movers: bool = True) -> str:
    """Fill in the whole move form; returns the check-your-answers path."""
    step = start_form(client, "verhuizing")
    assert step.endswith("/nieuw-adres")
    answer = post_page(client, step, {"nieuw_adres-postcode": "8081cr", "nieuw_adres-huisnummer": "7",
                                      "nieuw_adres-huisletter": "a"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/datum")
    answer = post_page(client, answer.headers["Location"], date_parts("verhuisdatum", today()))
    assert answer.headers["Location"].endswith("/woonsituatie")
    answer = post_page(client, answer.headers["Location"], {"hoofdbewoner": "nee"})
    answer = post_page(client, answer.headers["Location"], {"meeverhuizers": "ja" if co_movers else "nee"})
    if co_movers:
        group_url = answer.headers["Location"]
        assert group_url.endswith("/meeverhuizers")
        page = post_page(client, group_url, {
            "medeverhuizers-count": "1", "medeverhuizers-0-naam": "Youssef El Amrani",
            **date_parts("medeverhuizers-0-geboortedatum", date(2015, 3, 27)),
            "action": "add-medeverhuizers"})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert 'name="medeverhuizers-1-naam"' in html and "Youssef El Amrani" in html
        answer = client.post(group_url, data={
            "csrf_token": form_csrf(html), "medeverhuizers-count": "2",
            "medeverhuizers-0-naam": "Youssef El Amrani",
            **date_parts("medeverhuizers-0-geboortedatum", date(2015, 3, 27)),
            "medeverhuizers-1-naam": "Noor El Amrani",
            **date_parts("medeverhuizers-1-geboortedatum", date(2018, 6, 1)), "action": "continue"})
    contact = answer.headers["Location"]
    assert contact.endswith("/contact")
    answer = post_page(client, contact, {"email": "fatima@example.org", "telefoon": ""})
    assert answer.headers["Location"].endswith("/controleren")
    return answer.headers["Location"]


def test_verhuizing_logged_in_end_to_end(client, app):
    login_as(client, FATIMA)
    start = client.get("/formulieren/verhuizing").get_data(as_text=True)
    assert "Verhuizing doorgeven" in start
    check = walk_verhuizing(client)
    page = client.get(check).get_data(as_text=True)
    assert "Jufferenstraat 7a, 8081 CR Elburg" in page
    assert "Noor El Amrani" in page and "Wijzigen" in page
    answer = post_page(client, check, {})
    assert answer.status_code == 200
    assert "Bevestig" in answer.get_data(as_text=True) or "declaration" in answer.get_data(as_text=True)
    answer = post_page(client, check, {"declaration": "y"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/bevestiging")
    zaaknummer = _zaaknummer(client, answer.headers["Location"])
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer)
        assert zaak.zaaktype.identificatie == "VERHUIZING"
        assert zaak.initiator.inp_bsn == FATIMA
        assert [m["naam"] for m in zaak.aanvraaggegevens["medeverhuizers"]] == [
            "Youssef El Amrani", "Noor El Amrani"]
        assert zaak.aanvraaggegevens["nieuw_adres"]["straat"] == "Jufferenstraat"
        mail = get_session().scalar(select(OutboxMessage).where(OutboxMessage.recipient == "fatima@example.org"))
        assert zaaknummer in mail.subject and FATIMA not in mail.text_body and "Noor" not in mail.text_body
    # Submitting again (refresh, back button) gives the same zaak.
    again = client.post(check, data={"csrf_token": form_csrf(client.get(answer.headers["Location"])
                                                             .get_data(as_text=True)), "declaration": "y"})
    assert again.status_code == 302 and again.headers["Location"] == answer.headers["Location"]


def test_hidden_answers_are_dropped_when_a_condition_turns_false(client, app):
    login_as(client, FATIMA)
    check = walk_verhuizing(client)
    draft_id = check.split("/")[3]
    change = f"/formulieren/verhuizing/{draft_id}/meeverhuizers-vraag?terug=controleren"
    answer = post_page(client, change, {"meeverhuizers": "nee"})
    assert answer.headers["Location"].endswith("/controleren")
    with app.app_context():
        assert "medeverhuizers" not in get_session().get(FormDraft, draft_id).answers
    assert "Noor" not in client.get(check).get_data(as_text=True)


def test_step_numbers_count_visible_steps_only(client):
    login_as(client, FATIMA)
    step = start_form(client, "verhuizing")
    html = client.get(step).get_data(as_text=True)
    assert re.search(r"(Stap|Step) 1 (van|of) 5", html)  # the co-movers step is hidden


def test_validation_errors_in_summary_and_at_the_field_and_draft_survives(client, app):
    login_as(client, FATIMA)
    step = start_form(client, "verhuizing")
    post_page(client, step, {"nieuw_adres-postcode": "8081 CR", "nieuw_adres-huisnummer": "7",
                             "nieuw_adres-huisletter": "a"})
    date_step = step.replace("nieuw-adres", "datum")
    page = post_page(client, date_step, {"verhuisdatum-day": "31", "verhuisdatum-month": "2",
                                         "verhuisdatum-year": "2026"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<title>Fout:" in html
    assert html.count("Vul een bestaande datum in") + html.count("31 februari") >= 2 or \
        len(re.findall(r'href="#verhuisdatum"', html)) == 1
    assert 'id="verhuisdatum-error"' in html and 'value="31"' in html
    with app.app_context():
        draft = get_session().get(FormDraft, draft_id_of(step))
        assert draft.answers["nieuw_adres"]["postcode"] == "8081 CR"


def test_another_residents_draft_answers_404(client):
    login_as(client, FATIMA)
    step = start_form(client, "verhuizing")
    client.post("/uitloggen", data={"csrf_token": form_csrf(client.get(step).get_data(as_text=True))})
    login_as(client, OTHER)
    assert client.get(step).status_code == 404
    assert client.get(step.replace(draft_id_of(step), "x" * 43)).status_code == 404


def walk_melding(client, photo: bytes | None = PNG, photo_name: str = "lamp.png") -> str:
    step = start_form(client, "melding-openbare-ruimte")
    answer = post_page(client, step, {"soort": "verlichting", "omschrijving": "Lamp is kapot"})
    location_step = answer.headers["Location"]
    answer = post_page(client, location_step, {"locatie_soort": "beschrijving",
                                               "locatie_beschrijving": "Bij het bankje in het park",
                                               "locatie_adres-postcode": "rubbish"})
    photo_step = answer.headers["Location"]
    assert photo_step.endswith("/foto")
    if photo is not None:
        from io import BytesIO

        page = post_page(client, photo_step, {"foto": (BytesIO(photo), photo_name), "action": "continue"},
                         content_type="multipart/form-data")
        assert page.status_code == 302, page.get_data(as_text=True)
        answer = page
    else:
        answer = post_page(client, photo_step, {})
    answer = post_page(client, answer.headers["Location"], {"naam": "", "email": "melder@example.org"})
    assert answer.headers["Location"].endswith("/controleren")
    return answer.headers["Location"]


def test_melding_anonymous_with_photo(client, app):
    check = walk_melding(client)
    page = client.get(check).get_data(as_text=True)
    assert "Bij het bankje in het park" in page and "lamp.png" in page
    assert re.search("Laat dit veld leeg|Leave this field empty", page) and 'tabindex="-1"' in page
    answer = post_page(client, check, {})
    assert answer.status_code == 302
    zaaknummer = _zaaknummer(client, answer.headers["Location"])
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer)
        assert zaak.initiator.inp_bsn is None and zaak.initiator.naam == "Anoniem"
        assert "locatie_adres" not in zaak.aanvraaggegevens  # hidden answer, not stored
        assert [d.bestandsnaam for d in zaak.documenten] == ["lamp.png"]
        assert zaak.documenten[0].formaat == "image/png"


def test_melding_logged_in(client, app):
    login_as(client, FATIMA)
    check = walk_melding(client, photo=None)
    answer = post_page(client, check, {})
    zaaknummer = _zaaknummer(client, answer.headers["Location"])
    with app.app_context():
        assert get_zaak(get_session(), zaaknummer).initiator.inp_bsn == FATIMA


def test_a_sent_form_is_an_online_contact_beside_its_start(client, app):
    from app.contacts.models import Contact

    with app.app_context():  # rows other tests committed (workers, the demo) stay out of it
        before = get_session().scalar(select(func.coalesce(func.max(Contact.id), 0)))
    login_as(client, FATIMA)
    zaaknummer = _zaaknummer(client, post_page(client, walk_melding(client, photo=None), {})
                             .headers["Location"])
    with app.app_context():
        contacts = get_session().scalars(
            select(Contact).where(Contact.id > before).order_by(Contact.id)).all()
    assert [(c.soort, c.kanaal, c.product, c.zaak_identificatie, c.bsn) for c in contacts] == [
        ("formulier", "online", "melding-openbare-ruimte", None, None),
        ("zaak", "online", "melding-openbare-ruimte", zaaknummer, FATIMA)]
    assert contacts[1].geregistreerd_door == "inwoner"
    assert contacts[1].uiterlijke_einddatum_afdoening is not None


def test_a_report_sent_on_behalf_of_someone_records_both(client, app):
    sanne = "999990032"  # acts for OTHER (Johannes) with DigiD Machtigen
    login_as(client, sanne, acting_for=OTHER)
    answer = post_page(client, walk_melding(client, photo=None), {})
    zaaknummer = _zaaknummer(client, answer.headers["Location"])
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer)
        assert (zaak.initiator.inp_bsn, zaak.initiator.indicatie_machtiging) == (
            OTHER, "machtiginggever")
        (acting,) = [rol for rol in zaak.rollen if rol is not zaak.initiator]
        assert (acting.inp_bsn, acting.naam, acting.indicatie_machtiging) == (
            sanne, "Sanne de Vries", "gemachtigde")


def test_filled_honeypot_gives_no_zaak(client, app):
    check = walk_melding(client, photo=None)
    draft_id = check.split("/")[3]
    answer = post_page(client, check, {"website": "http://spam.example"})
    assert answer.status_code == 200
    assert not ZAAKNUMMER.search(answer.get_data(as_text=True))
    with app.app_context():
        assert get_session().get(FormDraft, draft_id) is None


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"GIF89a" + b"\x00" * 20, "foto.png", "is geen JPG, PNG-bestand"),
    (b"", "leeg.png", "is leeg"),
    (PDF, "scan.pdf", "is geen JPG, PNG-bestand"),
])
def test_uploads_are_checked_on_content(client, content, name, message):
    from io import BytesIO

    step = start_form(client, "melding-openbare-ruimte")
    photo_step = step.replace("/soort", "/foto")
    post_page(client, step, {"soort": "afval", "omschrijving": "Zwerfvuil"})
    post_page(client, step.replace("/soort", "/locatie"), {"locatie_soort": "beschrijving",
                                                           "locatie_beschrijving": "Markt"})
    page = post_page(client, photo_step, {"foto": (BytesIO(content), name)},
                     content_type="multipart/form-data")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<title>Fout:" in html and name in html


def test_uploaded_file_can_be_removed(client):
    from io import BytesIO

    step = start_form(client, "melding-openbare-ruimte")
    post_page(client, step, {"soort": "afval", "omschrijving": "Zwerfvuil"})
    post_page(client, step.replace("/soort", "/locatie"), {"locatie_soort": "beschrijving",
                                                           "locatie_beschrijving": "Markt"})
    photo_step = step.replace("/soort", "/foto")
    page = post_page(client, photo_step, {"foto": [(BytesIO(JPEG), "a.jpg"), (BytesIO(PNG), "b.png")],
                                          "action": "continue"}, content_type="multipart/form-data")
    assert page.status_code == 302
    html = client.get(photo_step).get_data(as_text=True)
    assert "a.jpg" in html and "b.png" in html
    remove = re.search(r'value="(remove-file-[0-9a-f]{32})"', html).group(1)
    post_page(client, photo_step, {"action": remove})
    html = client.get(photo_step).get_data(as_text=True)
    assert html.count("remove-file-") == 1


def test_too_large_request_gives_a_page_not_a_crash(client, app):
    from io import BytesIO

    previous = app.config.get("MAX_CONTENT_LENGTH")
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        step = start_form(client, "melding-openbare-ruimte")
        answer = client.post(step.replace("/soort", "/foto"),
                             data={"foto": (BytesIO(PNG + b"\x00" * 5000), "big.png")},
                             content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = previous
    assert answer.status_code == 413
    assert "te groot" in answer.get_data(as_text=True) or "too big" in answer.get_data(as_text=True)


def test_resume_link_by_email_works_and_expires(client, app):
    step = start_form(client, "melding-openbare-ruimte")
    post_page(client, step, {"soort": "groen", "omschrijving": "Boom is om"})
    draft_id = draft_id_of(step)
    later = f"/formulieren/melding-openbare-ruimte/{draft_id}/later"
    answer = post_page(client, later, {"email": "later@example.org"})
    assert answer.status_code == 200
    with app.app_context():
        mail = get_session().scalar(select(OutboxMessage).where(OutboxMessage.recipient == "later@example.org"))
        link = re.search(r"http://localhost(/formulieren/hervatten/\S+)", mail.text_body).group(1)
        assert "Boom" not in mail.text_body

    with app.test_client() as other_browser:
        assert other_browser.get(step.replace("/soort", "/locatie")).status_code == 404
        resumed = other_browser.get(link)
        assert resumed.status_code == 302 and resumed.headers["Location"].endswith("/locatie")
        assert other_browser.get(resumed.headers["Location"]).status_code == 200

    with app.app_context():
        draft = get_session().get(FormDraft, draft_id)
        draft.resume_expires_at = draft.resume_expires_at - timedelta(days=8)
        get_session().commit()
    with app.test_client() as late_browser:
        assert late_browser.get(link).status_code == 404


def test_product_page_links_to_its_form(client):
    html = client.get("/producten/verhuizing-doorgeven").get_data(as_text=True)
    assert 'href="/formulieren/verhuizing"' in html


def test_login_required_form_asks_for_digid(client):
    html = client.get("/formulieren/verhuizing").get_data(as_text=True)
    assert re.search("/inloggen\\?next=(%2F|/)formulieren(%2F|/)verhuizing", html)


def test_rate_limit_on_start(client, app):
    app.config["FORM_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    statuses = [post_page(client, "/formulieren/melding-openbare-ruimte").status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_a_resident_logged_in_with_digid_is_not_limited_by_address(client, app):
    # Residents at a library or the balie's kiosk share one address; a DigiD login is known.
    app.config["FORM_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    login_as(client, FATIMA)
    statuses = [post_page(client, "/formulieren/melding-openbare-ruimte").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 302]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_arbitrary_text_in_every_field_never_gives_a_500(client, text):
    if not hasattr(test_arbitrary_text_in_every_field_never_gives_a_500, "step"):
        test_arbitrary_text_in_every_field_never_gives_a_500.step = start_form(
            client, "melding-openbare-ruimte").replace("/soort", "/locatie")
    step = test_arbitrary_text_in_every_field_never_gives_a_500.step
    page = client.get(step)
    if page.status_code != 200:
        return
    names = set(re.findall(r'name="([^"]+)"', page.get_data(as_text=True))) - {"csrf_token", "q"}
    answer = client.post(step, data={"csrf_token": form_csrf(page.get_data(as_text=True)),
                                     **dict.fromkeys(names, text)})
    assert answer.status_code < 500
