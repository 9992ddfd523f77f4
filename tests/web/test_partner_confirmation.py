"""The marriage notice's second DigiD: the partner named by BSN confirms in their own Mijn
omgeving before the zaak moves on (staff and the API cannot move it on before), the partner
who sent it is told, a declined paid notice is refunded, and each resident finds the other's
reads in their disclosure log (issue 17)."""


import pytest
from sqlalchemy import select

from app.berichten.models import Message
from app.db import get_session
from app.eforms.confirmations import CHECKED_PURPOSE, READ_PURPOSE
from app.eforms.models import FormDraft, FormRegistration
from app.eforms.registrations import register_due
from app.eforms.services import UploadArea
from app.notifications.models import OutboxMessage
from app.zaken.services import get_zaak
from tests.api_fixtures import api  # noqa: F401
from tests.backoffice_fixtures import disclosures, form_fields
from tests.eforms_fixtures import form_csrf, form_rate_limit, post_page, start_form  # noqa: F401
from tests.login import login_as
from tests.openzaak_fixtures import needs_open_zaak, open_zaak_catalogue, open_zaak_store  # noqa: F401
from tests.payments_fixtures import filled_draft
from tests.personas import BAS, FATIMA, JOHANNES, PIOTR, SANNE
from tests.querycount import counted_queries
from tests.web.test_eforms_registration import RESIDENT, zgw  # noqa: F401

FORM = "melding-huwelijk"
NOTICE = {"soort": "partnerschap", "partner_naam": "Sanne de Vries",
          "partner_geboortedatum": "1991-04-12", "partner_email": "sanne@example.org",
          "datum_voorkeur": "2027-06-18", "ceremonie": "gratis", "eigen_locatie": "gemeentehuis",
          "getuigen": [{"naam": "Anna de Wit", "geboortedatum": "1985-01-02"},
                       {"naam": "Ben Blom", "geboortedatum": "1980-05-06"}]}
STEPS = ["soort", "partner", "ceremonie", "getuigen", "documenten"]


def send_notice(client, app, partner: str = SANNE) -> str:
    """Fatima sends a free notice naming `partner`; the zaaknummer."""
    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA, FORM, {**NOTICE, "partner_bsn": partner}, STEPS)
    check = f"/formulieren/{FORM}/{draft_id}/controleren"
    answer = post_page(client, check, {"declaration": "y"})
    assert answer.headers["Location"].endswith("/bevestiging"), answer.headers["Location"]
    with app.app_context():
        return get_session().scalar(select(FormDraft.zaak_identificatie)
                                    .where(FormDraft.id == draft_id))


def request_link(page: str) -> str:
    return page.split('href="/mijn-omgeving/bevestigen/', 1)[1].split('"', 1)[0]


def status_of(app, zaaknummer: str) -> str:
    with app.app_context():
        return get_zaak(get_session(), zaaknummer).statussen[-1].statustype.omschrijving


def messages_of(app, bsn: str) -> list[Message]:
    with app.app_context():
        return list(get_session().scalars(select(Message).where(Message.bsn == bsn)
                                          .order_by(Message.id)))


@pytest.fixture
def partner(app):
    return login_as(app.test_client(), SANNE)


def test_the_partner_confirms_and_only_then_the_zaak_moves_on(client, app, partner):
    zaaknummer = send_notice(client, app)
    assert status_of(app, zaaknummer) == "Ontvangen"
    [asked] = messages_of(app, SANNE)
    assert asked.onderwerp == "Graag bevestigen: Huwelijk of partnerschap melden"
    assert "Fatima El Amrani" in asked.tekst and asked.zaak_identificatie is None

    overview = partner.get("/mijn-omgeving").get_data(as_text=True)
    assert "Bevestigen: Huwelijk of partnerschap melden" in overview
    path = f"/mijn-omgeving/bevestigen/{request_link(overview)}"
    page = partner.get(path).get_data(as_text=True)
    assert "Een geregistreerd partnerschap" in page and "Ben Blom" in page
    # The labels speak to the partner, not to the sender about "your partner".
    assert "Uw naam" in page and "Datum die jullie willen" in page and "uw partner" not in page
    # What the two share, not Fatima's own details, nor a BSN.
    for private in (FATIMA, SANNE, "fatima.elamrani@example.nl", "Vischpoortstraat"):
        assert private not in page

    answer = partner.post(path, data={"csrf_token": form_csrf(page), "answer": "bevestigen"})
    assert answer.status_code == 302
    assert status_of(app, zaaknummer) == "Controle gegevens"
    told = messages_of(app, FATIMA)[-1]
    assert told.onderwerp == "Uw partner heeft bevestigd: Huwelijk of partnerschap melden"
    assert told.zaak_identificatie == zaaknummer
    done = partner.get(path).get_data(as_text=True)
    assert "U heeft dit formulier bevestigd" in done and "Klopt dit?" not in done
    assert "Bevestigen:" not in partner.get("/mijn-omgeving").get_data(as_text=True)

    # A second press (another tab) changes nothing.
    told_before = len(messages_of(app, FATIMA))
    partner.post(path, data={"csrf_token": form_csrf(page), "answer": "afwijzen"})
    assert len(messages_of(app, FATIMA)) == told_before
    assert "U heeft dit formulier bevestigd" in partner.get(path).get_data(as_text=True)


def test_the_partner_reads_labels_that_speak_to_them_in_english_too(client, app, partner):
    send_notice(client, app)
    partner.set_cookie("lang", "en")
    path = f"/mijn-omgeving/bevestigen/{request_link(partner.get('/mijn-omgeving').get_data(as_text=True))}"
    page = partner.get(path).get_data(as_text=True)
    assert "Your name" in page and "Where you marry" in page and "Witness 1" in page
    assert "Your partner" not in page


def test_a_declined_notice_stays_where_it_was_and_the_sender_is_told(client, app, partner):
    zaaknummer = send_notice(client, app)
    path = f"/mijn-omgeving/bevestigen/{request_link(partner.get('/mijn-omgeving').get_data(as_text=True))}"
    page = partner.get(path).get_data(as_text=True)
    partner.post(path, data={"csrf_token": form_csrf(page), "answer": "afwijzen"})
    assert status_of(app, zaaknummer) == "Ontvangen"
    assert messages_of(app, FATIMA)[-1].onderwerp.startswith("Uw partner heeft niet bevestigd")
    assert "U heeft gezegd dat dit formulier niet klopt" in partner.get(path).get_data(as_text=True)


def test_nobody_but_the_partner_finds_the_request(client, app, partner):
    zaaknummer = send_notice(client, app)
    path = f"/mijn-omgeving/bevestigen/{request_link(partner.get('/mijn-omgeving').get_data(as_text=True))}"
    for other in (FATIMA, PIOTR):  # the sender herself, and a stranger
        someone = login_as(app.test_client(), other)
        assert someone.get(path).status_code == 404
        csrf = form_csrf(someone.get("/mijn-omgeving").get_data(as_text=True))  # their own
        assert someone.post(path, data={"csrf_token": csrf, "answer": "bevestigen"}).status_code == 404
    assert partner.get("/mijn-omgeving/bevestigen/bestaat-niet").status_code == 404
    assert status_of(app, zaaknummer) == "Ontvangen"


def test_a_partner_logged_in_below_substantieel_is_asked_to_log_in_again(client, app):
    zaaknummer = send_notice(client, app, partner=JOHANNES)  # DigiD midden, no email with us
    with app.app_context():  # so the address Fatima gave hears of the request
        assert get_session().scalar(select(OutboxMessage.id).where(
            OutboxMessage.recipient == NOTICE["partner_email"])) is not None
    johannes = login_as(app.test_client(), JOHANNES)
    path = f"/mijn-omgeving/bevestigen/{request_link(johannes.get('/mijn-omgeving').get_data(as_text=True))}"
    page = johannes.get(path).get_data(as_text=True)
    assert "Opnieuw inloggen met DigiD" in page and "Klopt dit?" not in page
    johannes.post(path, data={"csrf_token": form_csrf(page), "answer": "bevestigen"})
    assert status_of(app, zaaknummer) == "Ontvangen"


@pytest.mark.parametrize(("bsn", "message"), [
    (FATIMA, "Dit is uw eigen BSN"),
    ("999993148", "Wij vinden niemand met dit BSN"),  # passes the 11-proef, nobody has it
])
def test_the_partners_bsn_must_be_someone_the_persons_source_knows(client, bsn, message):
    login_as(client, FATIMA)
    step = post_page(client, start_form(client, FORM), {"soort": "huwelijk"}).headers["Location"]
    answer = post_page(client, step, {
        "partner_naam": "Karim Haddou", "partner_geboortedatum-day": "27",
        "partner_geboortedatum-month": "3", "partner_geboortedatum-year": "1990",
        "partner_bsn": bsn, "partner_email": "karim@example.org"})
    assert answer.status_code == 200 and message in answer.get_data(as_text=True)


def test_the_overview_asks_one_query_for_the_requests(client, app, partner):
    partner.get("/mijn-omgeving")  # the session's first page does a little more
    with counted_queries(app) as before:
        partner.get("/mijn-omgeving")
    send_notice(client, app)
    send_notice(client, app)
    with counted_queries(app) as after:
        page = partner.get("/mijn-omgeving").get_data(as_text=True)
    assert page.count("Bevestigen: Huwelijk") == 2
    assert len(after) == len(before), "\n".join(" ".join(q.split())[:120] for q in after)


# --------------------------------------------------------------------------- with Open Zaak

TEST_RESIDENTS = (RESIDENT,)  # their zaken in Open Zaak are removed before and after


@needs_open_zaak
def test_with_a_remote_zaaksysteem_the_confirmation_waits_for_the_registration(
        client, app, db_connection, zgw, partner):
    login_as(client, RESIDENT)
    draft_id = filled_draft(app, RESIDENT, FORM, {**NOTICE, "partner_bsn": SANNE}, STEPS)
    answer = post_page(client, f"/formulieren/{FORM}/{draft_id}/controleren", {"declaration": "y"})
    assert answer.status_code == 302
    path = f"/mijn-omgeving/bevestigen/{request_link(partner.get('/mijn-omgeving').get_data(as_text=True))}"
    page = partner.get(path).get_data(as_text=True)
    early = partner.post(path, data={"csrf_token": form_csrf(page), "answer": "bevestigen"})
    assert "Probeer het over een paar minuten opnieuw" in early.get_data(as_text=True)

    with app.app_context():
        register_due(app.extensions["db"].sessionmaker, UploadArea(app.config["UPLOADS_PATH"]))
        zaaknummer = get_session().scalar(select(FormRegistration.zaaknummer).where(
            FormRegistration.draft_id == draft_id))
    assert partner.post(path, data={"csrf_token": form_csrf(page),
                                    "answer": "bevestigen"}).status_code == 302
    with app.test_request_context():
        zaak = zgw(get_session()).resident_zaak(RESIDENT, zaaknummer, max_level="zaakvertrouwelijk")
    assert zaak.summary.status.omschrijving.nl == "Controle gegevens"


# --------------------------------------------------------------------------- staff and the API


def answer_as_partner(partner, choice: str) -> None:
    path = f"/mijn-omgeving/bevestigen/{request_link(partner.get('/mijn-omgeving').get_data(as_text=True))}"
    page = partner.get(path).get_data(as_text=True)
    assert partner.post(path, data={"csrf_token": form_csrf(page),
                                    "answer": choice}).status_code == 302


def staff_page(staff, zaaknummer: str) -> str:
    return staff.get(f"/backoffice/zaken/{zaaknummer}").get_data(as_text=True)


def post_status(staff, zaaknummer: str, volgnummer: str = "2"):
    path, fields = form_fields(staff_page(staff, zaaknummer), "/status")
    return staff.post(path, data={**fields, "status-volgnummer": volgnummer,
                                  "status-toelichting": ""})


@pytest.fixture
def staff(app):
    staff = login_as(app.test_client(), BAS)
    staff.set_cookie("lang", "en")
    return staff


def test_staff_cannot_move_the_notice_on_before_the_partner_confirms(client, app, partner,
                                                                       staff):
    zaaknummer = send_notice(client, app)
    page = staff_page(staff, zaaknummer)
    assert "Waiting for the partner since" in page
    assert "The notice waits for the partner's confirmation" in page
    assert 'name="status-volgnummer"' not in page

    refused = post_status(staff, zaaknummer)  # a page from before, or another tab
    assert refused.status_code == 400
    assert "The partner has not confirmed the notice" in refused.get_data(as_text=True)
    assert status_of(app, zaaknummer) == "Ontvangen"

    answer_as_partner(partner, "bevestigen")  # which sets "Controle gegevens"
    page = staff_page(staff, zaaknummer)
    assert "Confirmed on" in page and "The notice waits" not in page
    assert "The next step is the result" in page  # the zaaktype's last step before the end


def test_a_declined_notice_shows_on_the_zaak_page_and_stays_put(client, app, partner, staff):
    zaaknummer = send_notice(client, app)
    answer_as_partner(partner, "afwijzen")
    page = staff_page(staff, zaaknummer)
    assert "Not confirmed: on " in page and "the partner said the notice is not right" in page
    assert "Contact the resident, and record the result below" in page
    assert post_status(staff, zaaknummer).status_code == 400
    assert status_of(app, zaaknummer) == "Ontvangen"


def post_result(staff, zaaknummer: str, resultaattype: str):
    path, fields = form_fields(staff_page(staff, zaaknummer), "/resultaat")
    return staff.post(path, data={**fields, "resultaat-resultaattype": resultaattype,
                                  "resultaat-toelichting": ""})


def is_closed(app, zaaknummer: str) -> bool:
    with app.app_context():
        return get_zaak(get_session(), zaaknummer).einddatum is not None


@pytest.mark.parametrize("partner_answer", [None, "afwijzen"])
def test_staff_cannot_grant_the_notice_without_the_partner_but_can_close_it(
        client, app, partner, staff, partner_answer):
    zaaknummer = send_notice(client, app)
    if partner_answer:
        answer_as_partner(partner, partner_answer)
    refused = post_result(staff, zaaknummer, "Toegekend")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "The partner has not confirmed the notice. You can record this result once" in page
    assert page.index('href="#resultaat-resultaattype') < page.index("<h1")  # error summary
    assert not is_closed(app, zaaknummer)

    # A rejection or a withdrawal ends the notice: that needs no confirmation.
    assert post_result(staff, zaaknummer, "Ingetrokken").status_code == 302
    assert is_closed(app, zaaknummer)


def test_the_api_grants_the_notice_only_once_the_partner_confirmed(client, app, partner, api):
    zaaknummer = send_notice(client, app)
    api.partner(zaaktypen=("MELDING_HUWELIJK",))
    granted = {"resultaattype": {"omschrijving": "Toegekend"}}
    refused = api.post(f"/zaken/{zaaknummer}/resultaat", granted)
    assert refused.status_code == 409, refused.get_data(as_text=True)
    assert not is_closed(app, zaaknummer)
    answer_as_partner(partner, "bevestigen")
    again = api.post(f"/zaken/{zaaknummer}/resultaat", granted)
    assert again.status_code == 201, again.get_data(as_text=True)
    assert is_closed(app, zaaknummer)


def test_the_api_cannot_set_a_status_before_the_partner_confirms(client, app, partner, api):
    zaaknummer = send_notice(client, app)
    api.partner(zaaktypen=("MELDING_HUWELIJK",))
    refused = api.post(f"/zaken/{zaaknummer}/statussen", {"statustype": {"volgnummer": 2}})
    assert refused.status_code == 409, refused.get_data(as_text=True)
    assert status_of(app, zaaknummer) == "Ontvangen"
    answer_as_partner(partner, "bevestigen")
    again = api.post(f"/zaken/{zaaknummer}/statussen", {"statustype": {"volgnummer": 2},
                                                        "statustoelichting": "Gecontroleerd"})
    assert again.status_code == 201, again.get_data(as_text=True)


def test_a_declined_paid_notice_is_refunded_and_the_sender_is_told(client, app, partner, staff,
                                                                     mock_psp):
    from app.payments.cli import run_round
    from app.payments.models import Payment
    from tests.payments_fixtures import mock_refunds, pay_at_mock, portal_path

    login_as(client, FATIMA)
    draft_id = filled_draft(app, FATIMA, FORM, {**NOTICE, "partner_bsn": SANNE,
                                                "ceremonie": "zaterdag"}, STEPS)
    check = f"/formulieren/{FORM}/{draft_id}/controleren"
    checkout = client.post(check, data={"csrf_token": form_csrf(client.get(check).get_data(
        as_text=True)), "declaration": "y"}).headers["Location"]
    client.get(portal_path(pay_at_mock(checkout, "paid")))
    provider_id = checkout.rsplit("/", 1)[1]

    answer_as_partner(partner, "afwijzen")
    with app.app_context():
        payment = get_session().scalar(select(Payment).where(Payment.draft_id == draft_id))
        assert (payment.refund_status, payment.refund_reason) == ("requested", "declined")
        assert run_round().refunds == 1
    assert [r["amount"]["value"] for r in mock_refunds(mock_psp, provider_id)] == ["595.00"]
    told = messages_of(app, FATIMA)[-1]
    assert told.onderwerp.startswith("Uw partner heeft niet bevestigd")
    assert "Wij betalen het bedrag dat u heeft betaald terug." in told.tekst
    zaaknummer = told.zaak_identificatie
    assert "Refunded on" in staff_page(staff, zaaknummer)


def test_a_declined_free_notice_says_nothing_of_money(client, app, partner):
    send_notice(client, app)
    answer_as_partner(partner, "afwijzen")
    assert "terug" not in messages_of(app, FATIMA)[-1].tekst


# --------------------------------------------------------------------------- disclosures


def enter_partner(client, bsn: str):
    """Fatima fills in the partner step of a new notice, naming this BSN."""
    login_as(client, FATIMA)
    step = post_page(client, start_form(client, FORM), {"soort": "huwelijk"}).headers["Location"]
    return post_page(client, step, {
        "partner_naam": "Sanne de Vries", "partner_geboortedatum-day": "12",
        "partner_geboortedatum-month": "4", "partner_geboortedatum-year": "1991",
        "partner_bsn": bsn, "partner_email": "sanne@example.org"})


def test_each_partner_finds_the_others_reads_in_their_disclosure_log(client, app, partner):
    assert enter_partner(client, SANNE).status_code == 302
    checked = [d for d in disclosures(app, SANNE) if d.purpose == CHECKED_PURPOSE]
    assert [(d.recipient, d.data_categories, d.channel) for d in checked] == [
        ("Fatima El Amrani", ["bsn"], "portal")]

    zaaknummer = send_notice(client, app)
    assert disclosures(app, FATIMA, zaaknummer) == []
    answer_as_partner(partner, "bevestigen")  # the request's page, read once
    read = disclosures(app, FATIMA, zaaknummer)
    assert [(d.recipient, d.purpose, d.data_categories) for d in read] == [
        ("Sanne de Vries", READ_PURPOSE, ["naam", "zaakgegevens"])]
    log = login_as(app.test_client(), FATIMA).get("/mijn-omgeving/gegevens/verstrekkingen")
    assert READ_PURPOSE in log.get_data(as_text=True)
    log = partner.get("/mijn-omgeving/gegevens/verstrekkingen").get_data(as_text=True)
    assert CHECKED_PURPOSE in log and "Fatima El Amrani" in log


def test_a_bsn_nobody_has_is_not_logged(client, app):
    assert enter_partner(client, "999993148").status_code == 200
    assert disclosures(app, "999993148") == []
