"""The contract of the KCC's reads and writes in the zaken store (app.zaken.store): what a
KCC employee would notice, run against every implementation.

Each test sets up its zaken through the store's own writes and hands them (route) to a team
that has no callbacks or questions of its own, so the demo data's do not count; the
resident's overview uses a BSN no one else has. On Open Zaak (shared with other tests) the
test's zaken are removed after it: those of its residents, and the anonymous ones by number.
"""

from datetime import datetime, timedelta

import pytest

from app.db import get_session
from app.texts import Text
from app.zaken.services import today
from app.zaken.store import CallbackAttempt, Initiator, ZaakTransitionError
from tests.openzaak_fixtures import (  # noqa: F401
    ZAKEN_STORES,
    needs_open_zaak,
    open_zaak_catalogue,
    open_zaak_store,
    remove_zaken,
)

TEAM = "openbare-ruimte"  # no contact zaken in the demo data
BSN = "999990901"  # nobody else's (a valid BSN no persona has)
SOMEONE_ELSE = "999990913"
TEST_RESIDENTS = (BSN, SOMEONE_ELSE)  # their zaken in Open Zaak are removed before and after
NAAM = "Contractia Belmans"
OWN: list[str] = []  # the zaaknummers the running test opened


@pytest.fixture(params=ZAKEN_STORES)
def store(request, app, db_connection):
    """The implementation on the test's transaction, in a request of the app."""
    implementation = request.param(request)
    OWN.clear()
    with app.test_request_context():
        made = implementation(get_session())
        yield made
        if not made.queue_searches_names:  # a zaaksysteem: the anonymous ones too
            remove_zaken(made.apis, OWN)


def open_zaak(store, zaaktype: str, *, bsn: str | None = BSN, team: str | None = TEAM,
              email: str = "", days_ago: int = 0, **answers) -> str:
    zaaknummer = store.open_zaak(
        zaaktype=zaaktype, omschrijving=f"Contract {zaaktype.lower()}", registered_by="contract",
        initiator=Initiator(naam=NAAM, bsn=bsn, email=email, telefoon="0612345678"),
        aanvraaggegevens={"naam": NAAM, **answers},
        startdatum=today() - timedelta(days=days_ago)).identificatie
    OWN.append(zaaknummer)
    if team:
        store.route(zaaknummer, team=team, door="contract")
    return zaaknummer


def callback(store, dagdeel: str | None = "ochtend", **extra) -> str:
    answers = {"vraag": "Wanneer is mijn paspoort klaar?", **extra}
    if dagdeel:
        answers["dagdeel"] = dagdeel
    return open_zaak(store, "TERUGBELVERZOEK", **answers)


def question(store, **extra) -> str:
    return open_zaak(store, "VRAAG", onderwerp="Grofvuil", vraag="Hoe vaak?",
                     antwoord_via="email", **extra)


def numbers(zaken) -> list[str]:
    return [zaak.identificatie for zaak in zaken]


def callbacks(store, **options) -> list[str]:
    return numbers(store.open_contact_zaken("TERUGBELVERZOEK", team=TEAM, limit=50, **options))


# --------------------------------------------------------------------------- callbacks


def test_callbacks_by_dagdeel_and_their_counts(store):
    morning = callback(store, "ochtend")
    afternoon = callback(store, "middag")
    later_morning = callback(store, "ochtend")
    no_preference = callback(store, None)
    assert store.count_open_by_dagdeel("TERUGBELVERZOEK", team=TEAM) == {
        "ochtend": 2, "middag": 1, "": 1}
    assert callbacks(store) == [morning, afternoon, later_morning, no_preference]
    assert callbacks(store, dagdeel="middag") == [afternoon]
    assert callbacks(store, dagdeel="ochtend") == [morning, later_morning]
    # The current part of the day first, each part oldest first.
    assert callbacks(store, dagdeel_first="middag") == [
        afternoon, morning, later_morning, no_preference]
    assert callbacks(store, dagdeel="ochtend", dagdeel_first="ochtend") == [
        morning, later_morning]


def test_callbacks_page_by_page(store):
    made = [callback(store) for _ in range(3)]
    first = store.open_contact_zaken("TERUGBELVERZOEK", team=TEAM, limit=2)
    rest = store.open_contact_zaken("TERUGBELVERZOEK", team=TEAM, limit=2, offset=2)
    assert numbers(first) + numbers(rest) == made
    assert store.open_contact_zaken("TERUGBELVERZOEK", team=TEAM, limit=2, offset=4) == []


def test_closed_callbacks_and_other_teams_do_not_count(store):
    open_one = callback(store)
    closed = callback(store)
    store.set_resultaat(closed, resultaattype="Teruggebeld", toelichting="Gebeld.",
                        gezet_door="contract")
    callback(store, team=None)  # stays with the KCC
    assert callbacks(store) == [open_one]
    assert store.count_open_by_dagdeel("TERUGBELVERZOEK", team=TEAM) == {"ochtend": 1}
    assert store.count_open_by_dagdeel("TERUGBELVERZOEK", team="nobody") == {}


def test_a_callback_row_says_what_the_list_shows(store):
    zaaknummer = callback(store, "middag")
    [row] = store.open_contact_zaken("TERUGBELVERZOEK", team=TEAM, limit=50)
    assert row.identificatie == zaaknummer and row.team == TEAM and not row.is_closed
    assert row.zaaktype.identificatie == "TERUGBELVERZOEK"
    assert row.aanvraaggegevens["dagdeel"] == "middag"
    assert row.aanvraaggegevens["vraag"] == "Wanneer is mijn paspoort klaar?"
    assert (row.initiator.naam, row.initiator.telefoon, row.initiator.inp_bsn) == (
        NAAM, "0612345678", BSN)
    assert row.received_at is not None and row.received_at.date() <= today()
    assert row.status is not None and row.status.nl
    assert row.callback_attempts == ()


def test_an_attempt_recorded_shows_in_the_next_read(store):
    zaaknummer = callback(store)
    moment = datetime(2026, 3, 2, 9, 15, 0)
    store.record_callback_attempt(zaaknummer, CallbackAttempt(
        moment=moment, door="medewerker karin", notitie="Voicemail ingesproken."))
    store.record_callback_attempt(zaaknummer, CallbackAttempt(
        moment=moment + timedelta(hours=2), door="medewerker kees", notitie="Geen gehoor."))
    [row] = store.open_contact_zaken("TERUGBELVERZOEK", team=TEAM, limit=50)
    expected = (CallbackAttempt(moment, "medewerker karin", "Voicemail ingesproken."),
                CallbackAttempt(moment + timedelta(hours=2), "medewerker kees", "Geen gehoor."))
    assert row.callback_attempts == expected
    zaak = store.staff_zaak(zaaknummer)
    assert zaak.callback_attempts == expected and not zaak.is_closed


def test_no_attempt_on_a_closed_callback(store):
    zaaknummer = callback(store)
    store.set_resultaat(zaaknummer, resultaattype="Teruggebeld", gezet_door="contract")
    with pytest.raises(ZaakTransitionError):
        store.record_callback_attempt(zaaknummer, CallbackAttempt(
            moment=datetime(2026, 3, 2, 9, 0), door="contract", notitie="Te laat."))
    assert store.staff_zaak(zaaknummer).callback_attempts == ()


# --------------------------------------------------------------------------- questions


def test_questions_oldest_first_and_their_count(store):
    made = [question(store) for _ in range(3)]
    answered = question(store)
    store.set_resultaat(answered, resultaattype="Beantwoord", gezet_door="contract")
    assert numbers(store.open_contact_zaken("VRAAG", team=TEAM, limit=50)) == made
    assert sum(store.count_open_by_dagdeel("VRAAG", team=TEAM).values()) == 3


def test_an_answered_question_is_closed_with_its_answer(store):
    zaaknummer = question(store)
    store.set_resultaat(zaaknummer, resultaattype="Beantwoord", gezet_door="medewerker karin",
                        toelichting="Vier keer per jaar.", statustoelichting="")
    zaak = store.staff_zaak(zaaknummer)
    assert zaak.is_closed and zaak.einddatum == today()
    assert zaak.resultaat.resultaattype.omschrijving.nl == "Beantwoord"
    assert zaak.resultaat.toelichting == "Vier keer per jaar."
    assert zaak.resultaat.gezet_door == "medewerker karin"
    # The answer reached the resident on its own: the eindstatus does not repeat it.
    assert zaak.current_status.statustype.is_eindstatus
    assert zaak.current_status.statustoelichting == ""
    assert store.open_contact_zaken("VRAAG", team=TEAM, limit=50) == []


def test_a_result_without_its_own_statustoelichting_tells_it_with_the_eindstatus(store):
    zaaknummer = callback(store)
    store.set_resultaat(zaaknummer, resultaattype="Teruggebeld", toelichting="Gebeld.",
                        gezet_door="contract")
    zaak = store.staff_zaak(zaaknummer)
    assert zaak.resultaat.toelichting == zaak.current_status.statustoelichting == "Gebeld."


# --------------------------------------------------------------------------- the overview


def test_a_residents_zaken_for_the_overview_newest_first(store):
    move = open_zaak(store, "VERHUIZING", team=None, days_ago=3)
    asked = callback(store)
    answered = question(store)
    store.set_resultaat(answered, resultaattype="Beantwoord", toelichting="Ja.",
                        gezet_door="contract")
    callback(store, team=None, bsn=SOMEONE_ELSE)
    callback(store, team=None, bsn=None)         # anonymous
    zaken = store.resident_contact_zaken(BSN, limit=50)
    assert numbers(zaken) == [answered, asked, move]
    by_number = {zaak.identificatie: zaak for zaak in zaken}
    assert by_number[move].zaaktype.omschrijving == Text("Verhuizing doorgeven", "Report a change of address")
    assert by_number[move].startdatum == today() - timedelta(days=3)
    assert by_number[answered].is_closed and by_number[answered].einddatum == today()
    assert by_number[answered].status is not None
    assert by_number[asked].zaaktype.identificatie == "TERUGBELVERZOEK"
    assert [zaak.identificatie for zaak in store.resident_contact_zaken(BSN, limit=2)] == [
        answered, asked]


def test_a_resident_without_zaken_has_none(store):
    assert store.resident_contact_zaken("999990925", limit=50) == []
