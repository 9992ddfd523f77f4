"""The KCC on the municipality's zaaksysteem (ZAKEN_STORE=zgw, a real Open Zaak): a resident
asks online to be called back in the afternoon, the worker registers it, and the KCC finds
it among the afternoon's callbacks, records a call that did not reach them and then closes
it.

Open Zaak is shared with other tests, which may have callbacks of their own there: the page
is checked for this one. The resident is anonymous, so the zaak is removed by its number.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.db import get_session, utcnow
from app.eforms.models import FormRegistration
from app.eforms.registrations import register_due
from app.eforms.services import UploadArea
from app.zaken.store import CallbackAttempt, Initiator
from tests.eforms_fixtures import draft_id_of, form_rate_limit, post_page, start_form  # noqa: F401
from tests.kcc_fixtures import post_form, queries_for
from tests.openzaak_fixtures import (  # noqa: F401
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
    remove_zaken,
)
from tests.web.staff import login_staff

pytestmark = needs_open_zaak
CALLBACKS = "/backoffice/terugbelverzoeken"
QUESTION = "Is mijn rijbewijs al binnen?"


@pytest.fixture
def on_open_zaak(app, db_connection, open_zaak_store, open_zaak_catalogue, monkeypatch,
                 form_rate_limit):
    """The app with its zaken store swapped for the ZGW store on Open Zaak; the numbers of
    the zaken the test makes there go in the list, they are removed after it."""
    monkeypatch.setitem(app.extensions, "zaken_store", open_zaak_store)
    made: list[str] = []
    yield made
    remove_zaken(open_zaak_catalogue[0], made)


def ask_for_a_callback(app, resident) -> str:
    """The terugbelverzoek form, sent anonymously; registered by the worker: its zaaknummer."""
    step = start_form(resident, "terugbelverzoek")
    answer = post_page(resident, step, {"onderwerp": "reisdocumenten", "vraag": QUESTION})
    answer = post_page(resident, answer.headers["Location"], {
        "naam": "Rosa Middag", "telefoon": "0687654321", "dagdeel": "middag"})
    assert answer.headers["Location"].endswith("/controleren"), answer.get_data(as_text=True)
    assert post_page(resident, answer.headers["Location"], {}).status_code == 302
    with app.app_context():
        register_due(app.extensions["db"].sessionmaker, UploadArea(app.config["UPLOADS_PATH"]))
        session = get_session()
        session.expire_all()
        return session.scalar(select(FormRegistration.zaaknummer).where(
            FormRegistration.draft_id == draft_id_of(step)))


def row_of(page: str, zaaknummer: str) -> str:
    """The list's table row of this zaak."""
    match = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{zaaknummer}(?:(?!</tr>).)*</tr>", page, re.S)
    assert match, f"{zaaknummer} not listed"
    return match.group(0)


def test_a_callback_asked_online_is_handled_by_the_kcc_in_the_zaaksysteem(app, on_open_zaak):
    zaaknummer = ask_for_a_callback(app, app.test_client())
    assert zaaknummer
    on_open_zaak.append(zaaknummer)
    kcc = app.test_client()
    login_staff(kcc, "karin")
    kcc.set_cookie("lang", "en")

    afternoon = kcc.get(f"{CALLBACKS}?dagdeel=middag").get_data(as_text=True)
    row = row_of(afternoon, zaaknummer)
    assert "Rosa Middag" in row and "0687654321" in row and QUESTION in row
    assert "Afternoon" in row
    assert zaaknummer not in kcc.get(f"{CALLBACKS}?dagdeel=ochtend").get_data(as_text=True)

    path = f"{CALLBACKS}/{zaaknummer}"
    answer = post_form(kcc, path, {"uitkomst": "opnieuw", "notitie": "Voicemail ingesproken."})
    assert answer.status_code == 302
    assert "Voicemail ingesproken." in kcc.get(path).get_data(as_text=True)
    row = row_of(kcc.get(f"{CALLBACKS}?dagdeel=middag").get_data(as_text=True), zaaknummer)
    assert re.search(r">\s*1\s*<", row)  # one attempt

    answer = post_form(kcc, path, {"uitkomst": "Teruggebeld",
                                   "notitie": "Rijbewijs ligt klaar."})
    assert answer.status_code == 302
    listed = kcc.get(f"{CALLBACKS}?dagdeel=middag").get_data(as_text=True)
    assert not re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{zaaknummer}", listed, re.S)  # done
    page = kcc.get(path).get_data(as_text=True)
    assert "Rijbewijs ligt klaar." in page and "Voicemail ingesproken." in page


def test_the_callbacks_page_runs_a_fixed_number_of_queries(app, on_open_zaak, open_zaak_store):
    """The attempts of a page's callbacks are read in one query, however many it shows."""

    def callbacks_with_an_attempt(count: int) -> None:
        with app.test_request_context():
            store = open_zaak_store(get_session())
            for n in range(count):
                zaaknummer = store.open_zaak(
                    zaaktype="TERUGBELVERZOEK", omschrijving="Terugbelverzoek",
                    registered_by="test", initiator=Initiator(naam=f"Beller {n}"),
                    aanvraaggegevens={"vraag": QUESTION, "dagdeel": "ochtend"}).identificatie
                on_open_zaak.append(zaaknummer)
                store.record_callback_attempt(zaaknummer, CallbackAttempt(
                    moment=utcnow(), door="medewerker karin", notitie="Geen gehoor."))
            get_session().commit()

    kcc = app.test_client()
    login_staff(kcc, "karin")
    callbacks_with_an_attempt(1)
    with_one = queries_for(kcc, app, CALLBACKS)
    callbacks_with_an_attempt(3)
    assert queries_for(kcc, app, CALLBACKS) == with_one
