"""The back office's work queue and zaak page through the test client: filters, roles,
the disclosure log, every action with its validation, double submits and query counts."""

import io
import re
from datetime import timedelta

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.backoffice.common import dutch
from app.backoffice.models import FormSubmission
from app.berichten.models import Message
from app.berichten.services import read_attachment
from app.db import get_session, utcnow
from app.zaken.models import DocumentRequest, Status
from app.zaken.services import today
from tests.backoffice_fixtures import (
    FATIMA,
    JOHANNES,
    MISSING,
    PDF,
    PNG,
    disclosures,
    form_fields,
    new_zaak,
    zaak_of,
    zaaknummers,
)
from tests.querycount import counted_queries
from tests.web.staff import login_staff

QUEUE = "/backoffice/zaken"


def staff(client, username: str = "bas", language: str = "en"):
    """Logged in as this employee; English by default, so tests read the msgids and do not
    depend on the Dutch catalogue."""
    login_staff(client, username)
    client.set_cookie("lang", language)
    return client


def page_of(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def messages_about(app, zaaknummer: str) -> list[Message]:
    with app.app_context():
        return list(get_session().scalars(select(Message).where(
            Message.zaak_identificatie == zaaknummer).order_by(Message.id)))


def in_dutch(app, text) -> str:
    """A stored Dutch text as the app makes it (the catalogue's translation of the msgid)."""
    with app.test_request_context():
        return dutch(text)


# --------------------------------------------------------------------------- roles


def test_the_pages_ask_staff_to_log_in(client, app):
    zaaknummer = new_zaak(app)
    for path in (QUEUE, f"{QUEUE}/{zaaknummer}", f"{QUEUE}/{zaaknummer}/documenten/1"):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer.headers["Location"].startswith("/backoffice/inloggen")
    answer = client.post(f"{QUEUE}/{zaaknummer}/status", data={})
    assert answer.status_code in (302, 400)
    assert len(zaak_of(app, zaaknummer).statussen) == 1


def test_a_beheerder_cannot_open_the_queue_or_a_zaak(client, app):
    zaaknummer = new_zaak(app)
    staff(client, "bea")
    assert client.get(QUEUE).status_code == 403
    assert client.get(f"{QUEUE}/{zaaknummer}").status_code == 403
    assert disclosures(app, zaak=zaaknummer) == []


def test_a_behandelaar_sees_only_their_teams_zaken(client, app):
    burgerzaken = new_zaak(app, "VERHUIZING")
    vergunningen = new_zaak(app, "PARKEERVERGUNNING")
    staff(client, "vera")
    found = zaaknummers(page_of(client, QUEUE))
    assert vergunningen in found and burgerzaken not in found
    assert client.get(f"{QUEUE}/{burgerzaken}").status_code == 403
    assert client.get(f"{QUEUE}/{vergunningen}").status_code == 200
    assert client.get(f"{QUEUE}/{MISSING}").status_code == 404
    # The team filter cannot widen the scope.
    assert burgerzaken not in zaaknummers(page_of(client, f"{QUEUE}?team=burgerzaken"))
    assert disclosures(app, zaak=burgerzaken) == []


def test_the_kcc_sees_every_team_and_filters_by_team(client, app):
    burgerzaken = new_zaak(app, "VERHUIZING")
    vergunningen = new_zaak(app, "PARKEERVERGUNNING")
    staff(client, "karin")
    page = page_of(client, QUEUE)
    assert {burgerzaken, vergunningen} <= set(zaaknummers(page))
    assert 'name="team"' in page and "Permits" in page
    found = zaaknummers(page_of(client, f"{QUEUE}?team=vergunningen"))
    assert vergunningen in found and burgerzaken not in found


def test_the_kcc_may_look_at_a_teams_zaak_but_not_change_it(client, app):
    zaaknummer = new_zaak(app)
    staff(client, "karin")
    page = page_of(client, f"{QUEUE}/{zaaknummer}")
    assert "/status" not in page and "/resultaat" not in page
    assert "Team Civil Affairs handles this case" in page
    assert "/team" in page                                  # the KCC routes
    _action, fields = form_fields(page, "/team")
    answer = client.post(f"{QUEUE}/{zaaknummer}/status",
                         data={"status-csrf_token": fields["team-csrf_token"],
                               "status-token": "x" * 32, "status-volgnummer": "2"})
    assert answer.status_code == 403
    assert len(zaak_of(app, zaaknummer).statussen) == 1


# --------------------------------------------------------------------------- queue filters


def test_filter_by_zaaktype_status_and_closed(client, app):
    received = new_zaak(app, "VERHUIZING")
    in_progress = new_zaak(app, "VERHUIZING", statussen=[2])
    extract = new_zaak(app, "UITTREKSEL_BRP")
    closed = new_zaak(app, "VERHUIZING", resultaat="Verwerkt")
    staff(client)
    default = zaaknummers(page_of(client, QUEUE))
    assert {received, in_progress, extract} <= set(default) and closed not in default
    by_type = zaaknummers(page_of(client, f"{QUEUE}?zaaktype=UITTREKSEL_BRP"))
    assert extract in by_type and received not in by_type
    by_status = zaaknummers(page_of(client, f"{QUEUE}?status=In+behandeling"))
    assert in_progress in by_status and received not in by_status
    only_closed = page_of(client, f"{QUEUE}?status=gesloten")
    assert closed in zaaknummers(only_closed) and received not in zaaknummers(only_closed)
    assert "Closed on" in only_closed
    both = zaaknummers(page_of(client, f"{QUEUE}?status=alle&zaaktype=VERHUIZING"))
    assert {received, in_progress, closed} <= set(both) and extract not in both


def test_overdue_zaken_say_which_deadline_passed_in_words(client, app):
    # VERHUIZING: servicenorm P5D, doorlooptijd P4W.
    legal = new_zaak(app, startdatum=today() - timedelta(days=40))
    target = new_zaak(app, startdatum=today() - timedelta(days=8))
    on_time = new_zaak(app)
    staff(client)
    page = page_of(client, QUEUE)
    found = zaaknummers(page)
    assert found.index(legal) < found.index(target) < found.index(on_time)   # most urgent first
    rows = {number: row for row in page.split("<tr") for number in (legal, target, on_time)
            if number in row}
    assert "Legal deadline passed 12 days ago" in rows[legal]
    assert "Target date passed 3 days ago" in rows[target]
    assert "On time" in rows[on_time]
    past_legal = zaaknummers(page_of(client, f"{QUEUE}?overdue=doorlooptijd"))
    assert legal in past_legal and target not in past_legal and on_time not in past_legal
    past_target = zaaknummers(page_of(client, f"{QUEUE}?overdue=servicenorm"))
    assert {legal, target} <= set(past_target) and on_time not in past_target


def test_search_by_zaaknummer_or_by_part_of_the_name(client, app):
    mine = new_zaak(app, naam="Johannes van den Berg", bsn=JOHANNES)
    other = new_zaak(app, naam="Fatima El Amrani")
    staff(client)
    assert zaaknummers(page_of(client, f"{QUEUE}?q={mine}")) == [mine]
    assert mine in zaaknummers(page_of(client, f"{QUEUE}?q={mine[-3:]}"))   # the last digits
    assert mine in zaaknummers(page_of(client, f"{QUEUE}?q={mine.lower()}"))
    by_name = zaaknummers(page_of(client, f"{QUEUE}?q=VAN+DEN+berg"))
    assert mine in by_name and other not in by_name
    assert zaaknummers(page_of(client, f"{QUEUE}?q=%25%25%25")) == []  # LIKE wildcards are literal
    too_short = page_of(client, f"{QUEUE}?q={mine[-2:]}")  # would match a hundredth of all
    assert "Type at least 3 characters" in too_short and mine in zaaknummers(too_short)


def test_the_queue_pages_and_keeps_its_filters(client, app):
    numbers = [new_zaak(app, naam="Pagina Proef") for _ in range(27)]
    staff(client)
    first = page_of(client, f"{QUEUE}?q=pagina+proef")
    assert "27 cases" in first and "Page 1 of 2" in first
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "q=pagina+proef" in next_link or "q=pagina%20proef" in next_link
    second = page_of(client, next_link)
    assert set(zaaknummers(first)) | set(zaaknummers(second)) == set(numbers)
    assert len(zaaknummers(second)) == 2
    # Unknown values and pages out of range do not break the page.
    stale = f"{QUEUE}?status=nonsense&overdue=x&team=y&zaaktype=z&pagina=99"
    assert client.get(stale).status_code == 200
    assert client.get(f"{QUEUE}?pagina=abc").status_code == 200


def test_the_filter_form_is_a_plain_get_form(client, app):
    staff(client)
    page = page_of(client, QUEUE)
    assert '<form class="portal-filter-form" method="get" action="/backoffice/zaken"' in page
    for name in ("q", "zaaktype", "status", "overdue"):
        assert f'name="{name}"' in page
    assert 'name="team"' not in page        # a behandelaar has one team: nothing to choose


def test_the_queue_runs_a_fixed_number_of_queries(client, app):
    staff(client)

    def count() -> int:
        client.get(QUEUE)
        with counted_queries(app) as statements:
            assert client.get(QUEUE + "?status=alle").status_code == 200
        return len(statements)

    new_zaak(app, statussen=[2], documents=[("a", None)])
    with_one = count()
    for index in range(30):
        new_zaak(app, statussen=[2, 3][: index % 3],
                 resultaat="Verwerkt" if index % 4 == 0 else None)
    assert count() == with_one
    assert with_one <= 6, with_one


# --------------------------------------------------------------------------- the zaak page


def test_the_zaak_page_shows_answers_documents_history_and_the_initiator(client, app):
    zaaknummer = new_zaak(app, statussen=[2], email="fatima@example.nl",
                          documents=[("aanvraag", None), ("intern-advies", "vertrouwelijk")],
                          requests=["Een kopie van uw huurcontract"],
                          aanvraaggegevens={"verhuisdatum": "2026-03-01", "hoofdbewoner": "nee"})
    staff(client)
    page = page_of(client, f"{QUEUE}/{zaaknummer}")
    assert f"<h1 class=\"utrecht-heading-1\">Case {zaaknummer}</h1>" in page
    assert "<title>Case " + zaaknummer in page
    for text in ("Fatima El Amrani", "Vischpoortstraat 14", "fatima@example.nl", "******019",
                 "aanvraag.pdf", "intern-advies.pdf", "Confidential",
                 "Een kopie van uw huurcontract", "Waiting for the resident",
                 "toelichting 2", "Being processed",
                 "Date of the move", "1 March 2026"):
        assert text in page, text
    assert FATIMA not in page
    # Answers of a zaaktype without a form show as stored, any BSN in them masked.
    other = new_zaak(app, "CORRECTIEVERZOEK", aanvraaggegevens={
        "toelichting": f"Mijn BSN is {FATIMA}", "partner_bsn": JOHANNES})
    page = page_of(client, f"{QUEUE}/{other}")
    assert FATIMA not in page and JOHANNES not in page
    assert "Mijn BSN is *********" in page


def test_viewing_a_zaak_is_written_to_the_residents_disclosure_log(client, app):
    zaaknummer = new_zaak(app, documents=[("aanvraag", None)])
    anonymous = new_zaak(app, "MELDING_OPENBARE_RUIMTE", bsn=None, naam="Anoniem")
    staff(client)
    page_of(client, f"{QUEUE}/{zaaknummer}")
    [entry] = disclosures(app, zaak=zaaknummer)
    assert entry.channel == "backoffice"
    assert entry.recipient == "Gemeente Elburg, team Burgerzaken"
    assert entry.purpose == in_dutch(app, _l("Handling your case"))
    assert set(entry.data_categories) >= {"naam", "zaakgegevens", "documenten", "adres"}
    # An initiator without a BSN has no verstrekkingen page: nothing to write.
    login_staff(client, "olaf")
    page_of(client, f"{QUEUE}/{anonymous}")
    with app.app_context():
        from app.persons.models import Disclosure
        assert get_session().scalar(select(func.count(Disclosure.id)).where(
            Disclosure.zaak_identificatie == anonymous)) == 0


def test_staff_download_a_document_of_any_level_and_it_is_logged(client, app):
    zaaknummer = new_zaak(app, documents=[("intern-advies", "geheim")])
    document = zaak_of(app, zaaknummer).documenten[0]
    staff(client)
    answer = client.get(f"{QUEUE}/{zaaknummer}/documenten/{document.id}")
    assert answer.status_code == 200 and answer.data == PDF
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in answer.headers["Cache-Control"]
    assert disclosures(app, zaak=zaaknummer)[-1].data_categories == ["documenten"]
    assert client.get(f"{QUEUE}/{MISSING}/documenten/{document.id}").status_code == 404
    other = new_zaak(app)
    assert client.get(f"{QUEUE}/{other}/documenten/{document.id}").status_code == 404
    staff(client, "vera")
    assert client.get(f"{QUEUE}/{zaaknummer}/documenten/{document.id}").status_code == 403


def test_the_zaak_page_runs_a_fixed_number_of_queries(client, app):
    def rich_zaak(size: int) -> str:
        return new_zaak(app, statussen=[2, 3][:size], documents=[("d", None)] * size,
                        requests=["kopie"] * size)

    small, large = rich_zaak(1), rich_zaak(2)
    for _ in range(3):
        new_zaak(app)
    staff(client)

    def count(zaaknummer: str) -> int:
        client.get(f"{QUEUE}/{zaaknummer}")
        with counted_queries(app) as statements:
            assert client.get(f"{QUEUE}/{zaaknummer}").status_code == 200
        return len(statements)

    assert count(small) == count(large)
    # 12, the colleagues a contact person is chosen from, how it came in, whether it waits
    # for a partner's confirmation
    assert count(large) <= 15


# --------------------------------------------------------------------------- actions


def post_form(client, zaaknummer: str, action: str, data: dict, **files):
    """Post the zaak page's form for this action with its hidden fields and these answers
    (names without the form's prefix)."""
    page = page_of(client, f"{QUEUE}/{zaaknummer}")
    path, fields = form_fields(page, f"/{action}")
    prefix = next(name for name in fields if name.endswith("csrf_token")).split("-")[0]
    body = {**fields, **{f"{prefix}-{key}": value for key, value in data.items()},
            **{f"{prefix}-{key}": value for key, value in files.items()}}
    answer = client.post(path, data=body, content_type="multipart/form-data")
    return answer, body, path


def test_set_the_next_status_with_a_toelichting(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(client, zaaknummer, "status",
                                     {"volgnummer": "2", "toelichting": "We bekijken uw stukken."})
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"{QUEUE}/{zaaknummer}#geschiedenis")
    page = page_of(client, answer.headers["Location"])
    assert "The status is now Being processed." in page
    status = zaak_of(app, zaaknummer).statussen[-1]
    assert (status.statustype.volgnummer, status.statustoelichting, status.gezet_door) == (
        2, "We bekijken uw stukken.", "medewerker bas")
    assert "We bekijken uw stukken." in page and "medewerker bas" in page


def test_a_status_form_sent_twice_acts_once(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    first, body, path = post_form(client, zaaknummer, "status", {"volgnummer": "2"})
    second = client.post(path, data=body)
    assert first.status_code == second.status_code == 302
    assert len(zaak_of(app, zaaknummer).statussen) == 2
    assert "This form was sent already" in page_of(client, second.headers["Location"])
    with app.app_context():
        assert get_session().scalar(select(func.count(FormSubmission.id)).where(
            FormSubmission.zaak_identificatie == zaaknummer)) == 1


def test_old_form_tokens_are_purged_and_recent_ones_kept(client, app, monkeypatch):
    with app.app_context():
        db = get_session()
        for token, days_ago in (("oud", 8), ("recent", 1)):
            db.add(FormSubmission(token=token, action="status", zaak_identificatie="ZAAK-1",
                                  staff_username="bas",
                                  created_at=utcnow() - timedelta(days=days_ago)))
        db.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backoffice", "purge-submissions", "--days", "7"])
    assert result.exit_code == 0 and "Deleted 1 form token(s)." in result.output
    with app.app_context():
        tokens = set(get_session().scalars(select(FormSubmission.token)))
    assert "recent" in tokens and "oud" not in tokens
    # A form can be sent as long as its session lasts: its token must be kept that long.
    monkeypatch.setitem(app.config, "SESSION_ABSOLUTE_TIMEOUT", 10 * 24 * 3600)
    refused = runner.invoke(args=["backoffice", "purge-submissions", "--days", "7"])
    assert refused.exit_code != 0 and "SESSION_ABSOLUTE_TIMEOUT" in refused.output


def test_a_status_form_from_before_another_change_does_not_act(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    page = page_of(client, f"{QUEUE}/{zaaknummer}")
    path, fields = form_fields(page, "/status")
    # Meanwhile a colleague (or the API) moves the zaak on.
    with app.app_context():
        from app.zaken.services import get_zaak, set_status
        db = get_session()
        set_status(db, get_zaak(db, zaaknummer), volgnummer=2, gezet_door="collega")
        db.commit()
    answer = client.post(path, data={**fields, "status-volgnummer": "3"})
    assert answer.status_code == 302
    notice = page_of(client, answer.headers["Location"])
    assert "Someone else changed this case in the meantime" in notice
    assert [s.statustype.volgnummer for s in zaak_of(app, zaaknummer).statussen] == [1, 2]


def test_a_status_needs_a_choice_and_keeps_what_was_typed(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(client, zaaknummer, "status", {"toelichting": "Half getypt"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "<title>Error: Case" in page
    assert 'href="#status-volgnummer"' in page and "Choose the new status" in page
    assert "Half getypt" in page
    assert len(zaak_of(app, zaaknummer).statussen) == 1


def test_an_action_without_its_csrf_token_is_refused(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    page = page_of(client, f"{QUEUE}/{zaaknummer}")
    path, fields = form_fields(page, "/status")
    fields.pop("status-csrf_token")
    answer = client.post(path, data={**fields, "status-volgnummer": "2"})
    assert answer.status_code == 400
    assert len(zaak_of(app, zaaknummer).statussen) == 1


def test_ask_the_resident_for_a_document(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(client, zaaknummer, "documentverzoek",
                                     {"omschrijving": "Een kopie van uw huurcontract"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#verzoeken")
    [document_request] = zaak_of(app, zaaknummer).document_requests
    assert (document_request.omschrijving, document_request.requested_by) == (
        "Een kopie van uw huurcontract", "medewerker bas")
    [message] = messages_about(app, zaaknummer)            # the resident is told
    assert message.bsn == FATIMA and "Een kopie van uw huurcontract" in message.tekst
    assert message.afzender == "Gemeente Elburg, team Burgerzaken"
    assert "has been asked for the document" in page_of(client, answer.headers["Location"])


def test_a_document_request_needs_a_description(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(client, zaaknummer, "documentverzoek", {"omschrijving": " "})
    assert answer.status_code == 400
    assert "Describe the document you need" in answer.get_data(as_text=True)
    with app.app_context():
        assert get_session().scalar(select(func.count(DocumentRequest.id)).join(
            DocumentRequest.zaak).where(DocumentRequest.zaak.has(identificatie=zaaknummer))) == 0


def test_add_a_document_with_its_confidentiality(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(
        client, zaaknummer, "documenten",
        {"titel": "Advies wijkagent", "vertrouwelijkheidaanduiding": "vertrouwelijk"},
        document=(io.BytesIO(PNG), "advies.png"))
    assert answer.status_code == 302 and answer.headers["Location"].endswith("#documenten")
    [document] = zaak_of(app, zaaknummer).documenten
    assert (document.titel, document.bestandsnaam, document.formaat,
            document.vertrouwelijkheidaanduiding, document.added_by) == (
        "Advies wijkagent", "advies.png", "image/png", "vertrouwelijk", "medewerker bas")


@pytest.mark.parametrize("upload, message", [
    ((b"MZ\x90\x00 not a pdf", "virus.pdf"), "The file virus.pdf is not a PDF, JPG, PNG file"),
    ((b"", "leeg.pdf"), "The file leeg.pdf is empty"),
    (None, "Choose a file"),
])
def test_an_added_document_is_checked_on_its_content(client, app, upload, message):
    zaaknummer = new_zaak(app)
    staff(client)
    files = {"document": (io.BytesIO(upload[0]), upload[1])} if upload else {}
    answer, _body, _path = post_form(client, zaaknummer, "documenten",
                                     {"titel": "Bijlage", "vertrouwelijkheidaanduiding": "intern"},
                                     **files)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert message in page and 'href="#document-document"' in page
    assert 'value="Bijlage"' in page                          # nothing typed is lost
    assert zaak_of(app, zaaknummer).documenten == []


def test_send_a_message_to_the_residents_inbox(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(client, zaaknummer, "bericht",
                                     {"onderwerp": "Uw verhuizing",
                                      "tekst": "Wij bellen u morgen."})
    assert answer.status_code == 302
    [message] = messages_about(app, zaaknummer)
    assert (message.bsn, message.onderwerp, message.tekst, message.afzender) == (
        FATIMA, "Uw verhuizing", "Wij bellen u morgen.", "Gemeente Elburg, team Burgerzaken")
    page = page_of(client, answer.headers["Location"])
    assert "The message has been sent to the resident." in page and "Uw verhuizing" in page


def test_a_message_can_carry_a_letter_the_resident_downloads(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(client, zaaknummer, "bericht",
                                     {"onderwerp": "Besluit", "tekst": "Zie de brief."},
                                     bijlage=(io.BytesIO(PDF), "besluit.pdf"))
    assert answer.status_code == 302
    [message] = messages_about(app, zaaknummer)
    with app.app_context():
        attachment = get_session().merge(message).attachments[0]
        assert (attachment.bestandsnaam, read_attachment(attachment)) == ("besluit.pdf", PDF)


def test_a_message_attachment_is_checked_on_its_content(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(client, zaaknummer, "bericht",
                                     {"onderwerp": "Besluit", "tekst": "Zie de brief."},
                                     bijlage=(io.BytesIO(b"MZ\x90 not a pdf"), "brief.pdf"))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "The file brief.pdf is not a PDF, JPG, PNG file" in page
    assert 'value="Besluit"' in page and messages_about(app, zaaknummer) == []


def test_a_message_needs_its_texts_and_an_inbox(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(client, zaaknummer, "bericht",
                                     {"onderwerp": "Alleen onderwerp"})
    assert answer.status_code == 400
    assert "Enter the message" in answer.get_data(as_text=True)
    assert 'value="Alleen onderwerp"' in answer.get_data(as_text=True)
    anonymous = new_zaak(app, bsn=None, naam="Zonder DigiD")
    page = page_of(client, f"{QUEUE}/{anonymous}")
    assert "This resident has no inbox in My portal" in page
    assert messages_about(app, zaaknummer) == messages_about(app, anonymous) == []


def test_record_the_result_and_close(client, app):
    zaaknummer = new_zaak(app, statussen=[2])
    staff(client)
    answer, body, path = post_form(client, zaaknummer, "resultaat",
                                   {"resultaattype": "Verwerkt", "toelichting": "Alles klopt."})
    assert answer.status_code == 302
    zaak = zaak_of(app, zaaknummer)
    assert zaak.is_closed and zaak.resultaat.resultaattype.omschrijving == "Verwerkt"
    assert zaak.statussen[-1].statustype.is_eindstatus
    assert zaak.resultaat.gezet_door == "medewerker bas"
    page = page_of(client, answer.headers["Location"])
    assert "The case has been closed with the result Processed." in page
    assert "This case is closed." in page and "/resultaat" not in page
    # A second close of a closed zaak (another tab) changes nothing.
    again = client.post(path, data={**body, "resultaat-token": "y" * 32})
    assert "This case is closed. Nothing was changed." in page_of(client, again.headers["Location"])
    assert len(zaak_of(app, zaaknummer).statussen) == 3


def test_a_result_must_be_chosen(client, app):
    zaaknummer = new_zaak(app)
    staff(client)
    answer, _body, _path = post_form(client, zaaknummer, "resultaat", {"toelichting": "x"})
    assert answer.status_code == 400 and "Choose the result" in answer.get_data(as_text=True)
    assert not zaak_of(app, zaaknummer).is_closed


def test_the_kcc_routes_a_zaak_to_another_team(client, app):
    zaaknummer = new_zaak(app, "VRAAG")
    staff(client, "karin")
    answer, _body, _path = post_form(client, zaaknummer, "team", {"team": "vergunningen"})
    assert answer.status_code == 302
    assert zaak_of(app, zaaknummer).team == "vergunningen"
    notice = page_of(client, answer.headers["Location"])
    assert "The case has been routed to team Permits." in notice
    staff(client, "vera")
    page = page_of(client, QUEUE)
    assert zaaknummer in zaaknummers(page)
    # A behandelaar has no routing permission.
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = client.post(f"{QUEUE}/{zaaknummer}/team",
                         data={"team-csrf_token": token, "team-token": "z" * 32,
                               "team-team": "kcc"})
    assert answer.status_code == 403


def test_an_action_on_another_teams_zaak_answers_403(client, app):
    zaaknummer = new_zaak(app)
    mine = new_zaak(app, "PARKEERVERGUNNING")
    staff(client, "vera")
    page = page_of(client, f"{QUEUE}/{mine}")
    _path, fields = form_fields(page, "/status")
    token = {"status-csrf_token": fields["status-csrf_token"]}
    for action, data in (("status", {"status-volgnummer": "2"}),
                         ("documentverzoek", {"verzoek-omschrijving": "x"}),
                         ("documenten", {"document-titel": "x"}),
                         ("bericht", {"bericht-onderwerp": "x", "bericht-tekst": "y"}),
                         ("resultaat", {"resultaat-resultaattype": "Verwerkt"})):
        answer = client.post(f"{QUEUE}/{zaaknummer}/{action}", data={**token, **data})
        assert answer.status_code == 403, action
    assert client.post(f"{QUEUE}/{MISSING}/status", data=token).status_code == 404
    zaak = zaak_of(app, zaaknummer)
    assert len(zaak.statussen) == 1 and not zaak.document_requests


def test_a_status_with_informeren_tells_the_resident(client, app):
    zaaknummer = new_zaak(app, "HULPVRAAG_WMO")      # 2 "Gesprek gepland" informs the resident
    staff(client, "sara")
    post_form(client, zaaknummer, "status",
              {"volgnummer": "2", "toelichting": "Dinsdag om 10 uur."})
    [message] = messages_about(app, zaaknummer)
    assert "Dinsdag om 10 uur." in message.tekst and message.bsn == FATIMA
    with app.app_context():
        assert get_session().scalar(select(func.count(Status.id)).where(
            Status.zaak.has(identificatie=zaaknummer))) == 2


def test_the_pages_in_dutch(client, app):
    zaaknummer = new_zaak(app)
    staff(client, language="nl")
    page = page_of(client, QUEUE)
    assert '<html lang="nl"' in page and zaaknummer in page
    assert '<html lang="nl"' in page_of(client, f"{QUEUE}/{zaaknummer}")
