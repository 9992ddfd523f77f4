"""Mijn omgeving and Mijn zaken through the test client: what a resident sees of their zaken,
that they see nothing of anyone else's, and that the pages cost a fixed number of queries."""

import io
import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import get_session
from app.eforms.definitions import get_definition
from app.eforms.services import create_draft
from app.zaken.models import DocumentRequest, Zaak
from app.zaken.services import (
    get_zaak,
    request_document,
    today,
)
from tests.factories import PDF, new_zaak
from tests.login import login_as
from tests.personas import FATIMA, JOHANNES
from tests.querycount import counted_queries
from tests.web.digid import csrf_token
from tests.web.test_resident_authorization import CSRF_VALUE

ZAAKNUMMER = re.compile(r"ZAAK-\d{4}-\d{10}")
MISSING = "ZAAK-2000-0000000001"


def zaaknummers(page: str) -> list[str]:
    """The zaaknummers a page shows, in order, each once."""
    return list(dict.fromkeys(ZAAKNUMMER.findall(page)))


def english(client):
    client.get("/taal/en?next=/")


def zaak_of(app, zaaknummer: str) -> Zaak:
    with app.app_context():
        zaak = get_zaak(get_session(), zaaknummer)
        _ = zaak.documenten, zaak.document_requests  # loaded before the context closes
        return zaak


# --------------------------------------------------------------------------- overview


def test_the_overview_shows_open_zaken_what_is_asked_and_drafts(client, app):
    waiting = new_zaak(app, requests=["Een kopie van uw huurcontract"], statussen=[2])
    closed = new_zaak(app, resultaat="Verwerkt")
    others = new_zaak(app, bsn=JOHANNES)
    with app.app_context():
        db = get_session()
        draft = create_draft(db, get_definition("verhuizing"), owner_bsn=FATIMA,
                             lifetime=timedelta(days=30))
        db.commit()
        draft_id = draft.id
    login_as(client, FATIMA)
    page = client.get("/mijn-omgeving").get_data(as_text=True)
    assert f'href="/mijn-omgeving/zaken/{waiting}#verzoeken"' in page
    assert "Een kopie van uw huurcontract" in page
    assert "Wij controleren uw gegevens." in page            # statustekst of "In behandeling"
    assert '<span class="utrecht-status-badge utrecht-status-badge--active">In behandeling</span>' in page
    assert closed not in page and others not in page
    assert f"/formulieren/verhuizing/{draft_id}/nieuw-adres" in page
    assert 'href="/afspraak/mijn-afspraken"' in page
    assert 'href="/mijn-omgeving/zaken"' in page
    assert FATIMA not in page


def test_the_overview_in_english(client, app):
    new_zaak(app, requests=["Een kopie van uw huurcontract"])
    login_as(client, FATIMA)
    english(client)
    page = client.get("/mijn-omgeving").get_data(as_text=True)
    for text in ("My portal", "We need something from you", "Your open cases", "Your appointments",
                 "We have received your move.", "Report a change of address"):
        assert text in page
    assert 'aria-current="page">Overview</a>' in page


def test_the_pages_need_a_login(client, app):
    zaaknummer = new_zaak(app, documents=[("besluit", None)])
    for path in ("/mijn-omgeving", "/mijn-omgeving/zaken", f"/mijn-omgeving/zaken/{zaaknummer}",
                 f"/mijn-omgeving/zaken/{zaaknummer}/documenten/1"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/inloggen" in answer.headers["Location"], path


# --------------------------------------------------------------------------- list


def test_mijn_zaken_lists_open_and_closed_newest_first(client, app):
    older = new_zaak(app, startdatum=today() - timedelta(days=3))
    newer = new_zaak(app, zaaktype="PARKEERVERGUNNING", omschrijving="Parkeervergunning Vischpoort")
    closed = new_zaak(app, resultaat="Verwerkt")
    new_zaak(app, bsn=JOHANNES)
    login_as(client, FATIMA)
    page = client.get("/mijn-omgeving/zaken").get_data(as_text=True)
    found = zaaknummers(page)
    assert found.index(newer) < found.index(older) and closed not in found
    assert "Parkeervergunning voor bewoners" in page and "Parkeervergunning Vischpoort" in page
    assert "Wij hebben uw aanvraag ontvangen." in page
    zaak = zaak_of(app, newer)
    assert f"{zaak.einddatum_gepland.day} " in page         # the expected decision date
    gesloten = zaaknummers(client.get("/mijn-omgeving/zaken?status=gesloten").get_data(as_text=True))
    assert gesloten[0] == closed and newer not in gesloten and older not in gesloten


def test_mijn_zaken_pages_by_twenty(client, app):
    # Browser journeys may have committed zaken of this persona before: ours are the newest.
    numbers = [new_zaak(app) for _ in range(23)][::-1]
    login_as(client, FATIMA)
    first = zaaknummers(client.get("/mijn-omgeving/zaken").get_data(as_text=True))
    second_page = client.get("/mijn-omgeving/zaken?status=open&pagina=2").get_data(as_text=True)
    second = zaaknummers(second_page)
    assert first == numbers[:20]
    assert second[:3] == numbers[20:]
    assert client.get("/mijn-omgeving/zaken?pagina=x").status_code == 200
    assert client.get("/mijn-omgeving/zaken?pagina=99").status_code == 200


# --------------------------------------------------------------------------- detail


def test_the_timeline_folds_internal_statuses_into_the_visible_one(client, app):
    zaaknummer = new_zaak(app, statussen=[2, 3])           # 3 "Adresonderzoek" is internal
    login_as(client, FATIMA)
    page = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    steps = page[page.index('<ol class="portal-steps"'):].split("</ol>")[0]
    done, current, to_come = steps.split("<li")[1:]
    assert "Klaar:" in done and "Ontvangen" in done
    assert 'aria-current="step"' in current and "Huidige stap:" in current and "In behandeling" in current
    assert "Adresonderzoek" not in page and "toelichting 3" not in page
    assert "toelichting 2" in current
    assert "Wij controleren uw gegevens." in page           # current: folded into "In behandeling"
    assert "Nog te komen:" in to_come and "Afgehandeld" in to_come  # the next expected step


def test_the_status_and_next_step_are_the_zaaks_own(client, app):
    # The page reads them in SQL from the zaak's latest status: not from any other zaak's.
    behind = new_zaak(app)                                  # only "Ontvangen"
    new_zaak(app, statussen=[2, 3])                         # another one, further and later
    login_as(client, FATIMA)
    page = client.get(f"/mijn-omgeving/zaken/{behind}").get_data(as_text=True)
    to_come = page[page.index("portal-steps__step--to-come"):].split("</li>")[0]
    assert "In behandeling" in to_come
    assert "Wij controleren uw gegevens." not in page       # statustekst of "In behandeling"


def test_dates_are_labelled_and_a_passed_deadline_is_announced(client, app):
    overdue = new_zaak(app, startdatum=today() - timedelta(days=60))  # P5D and P4W passed
    late = new_zaak(app, startdatum=today() - timedelta(days=10))     # only P5D passed
    on_time = new_zaak(app)
    login_as(client, FATIMA)
    english(client)
    pages = {number: client.get(f"/mijn-omgeving/zaken/{number}").get_data(as_text=True)
             for number in (overdue, late, on_time)}
    for page in pages.values():
        assert "Our target" in page and "Legal deadline" in page
    assert "The legal deadline has passed" in pages[overdue]
    assert "Our target date has passed" in pages[late]
    assert "The legal deadline has passed" not in pages[late]
    assert "has passed" not in pages[on_time]


def test_a_closed_zaak_shows_its_result_and_no_deadline_notice(client, app):
    zaaknummer = new_zaak(app, startdatum=today() - timedelta(days=60), resultaat="Verwerkt")
    login_as(client, FATIMA)
    page = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    assert "Verwerkt" in page
    assert "Uw nieuwe adres staat in de Basisregistratie Personen." in page
    assert "Afgehandeld" in page and "role=\"alert\"" not in page


def test_the_answers_have_the_labels_of_the_form(client, app):
    zaaknummer = new_zaak(app, aanvraaggegevens={"verhuisdatum": "2026-03-01", "hoofdbewoner": "nee"})
    login_as(client, FATIMA)
    page = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    assert "Datum van de verhuizing" in page and "1 maart 2026" in page
    assert "Woont er al iemand op het nieuwe adres?" in page


def test_only_documents_up_to_the_configured_level_are_listed(client, app, monkeypatch):
    zaaknummer = new_zaak(app, documents=[("aanvraag", None), ("besluit", "openbaar"),
                                          ("intern-advies", "vertrouwelijk")])
    zaak = zaak_of(app, zaaknummer)
    hidden = next(d for d in zaak.documenten if d.titel == "intern-advies")
    login_as(client, FATIMA)
    page = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    assert "aanvraag.pdf" in page and "besluit.pdf" in page and "intern-advies" not in page
    assert client.get(f"/mijn-omgeving/zaken/{zaaknummer}/documenten/{hidden.id}").status_code == 404
    monkeypatch.setitem(app.config, "PIP_MAX_VERTROUWELIJKHEID", "openbaar")
    page = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    assert "besluit.pdf" in page and "aanvraag.pdf" not in page


def test_a_document_downloads_as_an_attachment(client, app):
    zaaknummer = new_zaak(app, documents=[("besluit", None)])
    document = zaak_of(app, zaaknummer).documenten[0]
    login_as(client, FATIMA)
    answer = client.get(f"/mijn-omgeving/zaken/{zaaknummer}/documenten/{document.id}")
    assert answer.status_code == 200
    assert answer.data == PDF
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert "besluit.pdf" in answer.headers["Content-Disposition"]
    assert "no-store" in answer.headers["Cache-Control"]


# --------------------------------------------------------------------------- authorization


def test_another_residents_ids_answer_404_like_missing_ones_and_are_logged(client, app, caplog):
    theirs = new_zaak(app, bsn=JOHANNES, documents=[("besluit", None)],
                      requests=["Een kopie van uw paspoort"])
    mine = new_zaak(app, documents=[("aanvraag", None)])
    their_zaak, my_zaak = zaak_of(app, theirs), zaak_of(app, mine)
    their_document, their_request = their_zaak.documenten[0], their_zaak.document_requests[0]
    login_as(client, FATIMA)
    token = csrf_token(client.get(f"/mijn-omgeving/zaken/{mine}").get_data(as_text=True))
    caplog.set_level(logging.WARNING, logger="app.pip.zaken")
    paths = [f"/mijn-omgeving/zaken/{theirs}", f"/mijn-omgeving/zaken/{MISSING}",
             f"/mijn-omgeving/zaken/{theirs}/documenten/{their_document.id}",
             f"/mijn-omgeving/zaken/{mine}/documenten/{their_document.id}",  # my zaak, their id
             f"/mijn-omgeving/zaken/{theirs}/documenten/{my_zaak.documenten[0].id}",
             f"/mijn-omgeving/zaken/{mine}/documenten/999999"]
    answers = [client.get(path) for path in paths]
    answers.append(client.post(f"/mijn-omgeving/zaken/{theirs}/verzoeken/{their_request.id}",
                               data={"csrf_token": token, f"verzoek-{their_request.id}-document":
                                     (io.BytesIO(PDF), "scan.pdf")},
                               content_type="multipart/form-data"))
    # Without the CSRF token: it carries the second it was signed in.
    missing_page = CSRF_VALUE.sub(r'\1TOKEN"', answers[1].get_data(as_text=True))
    for answer in answers:
        assert answer.status_code == 404
    their_page = CSRF_VALUE.sub(r'\1TOKEN"', answers[0].get_data(as_text=True))
    assert their_page.replace(theirs, MISSING) == missing_page
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == len(answers)
    assert all(FATIMA not in r.getMessage() and FATIMA not in str(r.__dict__) for r in refusals)
    assert zaak_of(app, theirs).document_requests[0].fulfilled_at is None


# --------------------------------------------------------------------------- upload on request


def upload_path_and_token(client, zaaknummer):
    page = client.get(f"/mijn-omgeving/zaken/{zaaknummer}").get_data(as_text=True)
    action = re.search(r'action="(/mijn-omgeving/zaken/[^"]+/verzoeken/(\d+))"', page)
    return action.group(1), f"verzoek-{action.group(2)}-document", csrf_token(page)


def test_upload_a_requested_document(client, app):
    zaaknummer = new_zaak(app, requests=["Een kopie van uw huurcontract"])
    login_as(client, FATIMA)
    path, field, token = upload_path_and_token(client, zaaknummer)
    answer = client.post(path, data={"csrf_token": token,
                                     field: (io.BytesIO(PDF), "C:\\scans\\huur.pdf")},
                         content_type="multipart/form-data")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/mijn-omgeving/zaken/{zaaknummer}#documenten")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "huur.pdf" in page and 'action="' + path not in page
    zaak = zaak_of(app, zaaknummer)
    assert zaak.document_requests[0].fulfilled_at is not None
    assert zaak.document_requests[0].document_id == zaak.documenten[0].id
    assert zaak.documenten[0].formaat == "application/pdf"
    assert zaak.documenten[0].titel == "Een kopie van uw huurcontract"
    overview = client.get("/mijn-omgeving").get_data(as_text=True)
    assert f"{zaaknummer}#verzoeken" not in overview
    assert client.post(path, data={"csrf_token": token}).status_code == 404  # answered already


@pytest.mark.parametrize("content, name, message", [
    (b"MZ\x90\x00 not a pdf", "virus.pdf", "The file virus.pdf is not a PDF, JPG, PNG file"),
    (b"", "empty.pdf", "The file empty.pdf is empty"),
])
def test_an_upload_is_checked_on_its_content(client, app, content, name, message):
    zaaknummer = new_zaak(app, requests=["Een kopie van uw huurcontract"])
    login_as(client, FATIMA)
    english(client)
    path, field, token = upload_path_and_token(client, zaaknummer)
    answer = client.post(path, data={"csrf_token": token,
                                     field: (io.BytesIO(content), name)},
                         content_type="multipart/form-data")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert message in page and "<title>Error: " in page
    assert zaak_of(app, zaaknummer).documenten == []


def test_an_upload_without_csrf_token_is_refused(client, app):
    zaaknummer = new_zaak(app, requests=["Een kopie van uw huurcontract"])
    login_as(client, FATIMA)
    path, field, _token = upload_path_and_token(client, zaaknummer)
    answer = client.post(path, data={field: (io.BytesIO(PDF), "huur.pdf")},
                         content_type="multipart/form-data")
    assert answer.status_code == 400
    assert zaak_of(app, zaaknummer).documenten == []


def test_request_document_refuses_a_closed_zaak(app, db_connection):
    from app.zaken.services import ZaakTransitionError

    zaaknummer = new_zaak(app, resultaat="Verwerkt")
    with app.app_context():
        db = get_session()
        zaak = get_zaak(db, zaaknummer)
        with pytest.raises(ZaakTransitionError):
            request_document(db, zaak, omschrijving="x", requested_by="test")
        assert db.scalars(select(DocumentRequest).where(DocumentRequest.zaak_id == zaak.id)).all() == []


# --------------------------------------------------------------------------- query counts




def queries_per_page(client, app, zaaknummer: str) -> dict[str, int]:
    counts = {}
    for name, path in (("overview", "/mijn-omgeving"), ("list", "/mijn-omgeving/zaken"),
                       ("closed", "/mijn-omgeving/zaken?status=gesloten"),
                       ("detail", f"/mijn-omgeving/zaken/{zaaknummer}")):
        client.get(path)  # once first: the session touch and caches settle
        with counted_queries(app) as statements:
            assert client.get(path).status_code == 200
        counts[name] = len(statements)
    return counts


def test_every_page_runs_a_fixed_number_of_queries(client, app):
    def rich_zaak() -> str:
        return new_zaak(app, statussen=[2, 3], documents=[("aanvraag", None), ("besluit", None)],
                        requests=["Een kopie van uw huurcontract"],
                        aanvraaggegevens={"verhuisdatum": "2026-03-01"})

    first = rich_zaak()
    new_zaak(app, resultaat="Verwerkt")
    login_as(client, FATIMA)
    with app.app_context():
        db = get_session()
        create_draft(db, get_definition("verhuizing"), owner_bsn=FATIMA, lifetime=timedelta(days=1))
        db.commit()
    with_one = queries_per_page(client, app, first)
    for _ in range(29):
        rich_zaak()
        new_zaak(app, resultaat="Verwerkt")
    with_thirty = queries_per_page(client, app, first)
    assert with_one == with_thirty, (with_one, with_thirty)
    assert max(with_thirty.values()) <= 6, with_thirty


def test_the_zaak_pages_statement_is_short_enough_for_psycopg_to_keep(client, app):
    # psycopg converts a statement of at most 4096 characters once and keeps it; a longer
    # one it converts again on every execution (psycopg._queries.MAX_CACHED_STATEMENT_LENGTH).
    zaaknummer = new_zaak(app, statussen=[2, 3])
    login_as(client, FATIMA)
    with counted_queries(app) as statements:
        assert client.get(f"/mijn-omgeving/zaken/{zaaknummer}").status_code == 200
    assert any("milestone_st" in sql for sql in statements)  # the zaak's own statement
    assert max(len(sql) for sql in statements) <= 4096
