"""Correction requests in the back office: a resident's request from Mijn gegevens, decided
by team Burgerzaken; the decision recorded, the persons source, the zaak, the resident's
message and the disclosure log afterwards; the roles; and the rules for each item's value."""

import io
import re
from datetime import date

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.berichten.models import Message
from app.db import get_session
from app.persons.models import CorrectionDecision
from app.persons.services import (
    CorrectionValueError,
    Persoon,
    SqlPersonsSource,
    correction_changes,
    get_persons_source,
    record_correction_decision,
)
from tests.backoffice_fixtures import (
    FATIMA,
    JOHANNES,
    MISSING,
    PDF,
    disclosures,
    form_fields,
    new_zaak,
    zaak_of,
    zaaknummers,
)
from tests.querycount import counted_queries
from tests.web.digid import csrf_token as page_csrf
from tests.web.digid import login
from tests.web.test_backoffice_zaken import in_dutch, page_of, staff

LIST = "/backoffice/correctieverzoeken"


def person(app, bsn: str = FATIMA) -> Persoon:
    """The resident as the persons source gives them now."""
    with app.app_context():
        return get_persons_source().get_person(bsn)


def decisions(app, zaaknummer: str) -> list[CorrectionDecision]:
    with app.app_context():
        return list(get_session().scalars(select(CorrectionDecision).where(
            CorrectionDecision.zaak_identificatie == zaaknummer)))


def messages_about(app, zaaknummer: str) -> list[Message]:
    with app.app_context():
        return list(get_session().scalars(select(Message).where(
            Message.zaak_identificatie == zaaknummer)))


def correction_zaak(app, field: str = "geboorteplaats", current: str = "Utrecht",
                    proposed: str = "Zwolle", *, bsn: str = FATIMA, evidence: bool = True) -> str:
    """A correction request as Mijn gegevens opens it (same aanvraaggegevens)."""
    labels = {"geboorteplaats": "Geboorteplaats", "achternaam": "Geslachtsnaam",
              "geboortedatum": "Geboortedatum", "huisnummer": "Huisnummer",
              "nationaliteit": "Nationaliteit"}
    return new_zaak(app, "CORRECTIEVERZOEK", bsn=bsn, aanvraaggegevens={
        "veld": field, "veld_omschrijving": labels[field], "huidige_waarde": current,
        "juiste_waarde": proposed, "toelichting": "Dit klopt niet."},
        documents=[("Bewijsstuk correctie", None)] if evidence else ())


def submit_from_mijn_gegevens(app, field: str, proposed: str) -> str:
    """The resident asks for the correction in the PIP, with evidence; the zaaknummer."""
    resident = app.test_client()
    login(resident, FATIMA)
    url = f"/mijn-omgeving/gegevens/correctie?veld={field}"
    form = resident.get(url).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', form).group(1)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    answer = resident.post(url, data={"csrf_token": csrf, "token": token,
                                      "wat_is_fout": "Ik ben in Zwolle geboren.",
                                      "juiste_waarde": proposed,
                                      "bewijs": (io.BytesIO(PDF), "akte.pdf")},
                           content_type="multipart/form-data")
    assert answer.status_code == 302
    return re.search(r"ZAAK-\d{4}-\d{10}", answer.headers["Location"]).group(0)


# --------------------------------------------------------------------------- list and roles


def test_the_list_shows_open_correction_requests_of_burgerzaken(client, app):
    open_one = correction_zaak(app)
    decided = new_zaak(app, "CORRECTIEVERZOEK", resultaat="Afgewezen",
                       aanvraaggegevens={"veld": "voornamen", "veld_omschrijving": "Voornamen"})
    move = new_zaak(app, "VERHUIZING")
    staff(client)
    page = page_of(client, LIST)
    found = zaaknummers(page)
    assert open_one in found and decided not in found and move not in found
    assert "Geboorteplaats" in page and "Fatima El Amrani" in page
    assert "Zwolle" not in page          # the values only on the (logged) decision page
    assert f'href="{LIST}/{open_one}"' in page


def test_who_may_see_and_decide(client, app):
    zaaknummer = correction_zaak(app)
    staff(client, "vera")
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}/{zaaknummer}").status_code == 403
    staff(client, "bea")
    assert client.get(LIST).status_code == 403
    staff(client, "karin")                              # the KCC may look, not decide
    page = page_of(client, f"{LIST}/{zaaknummer}")
    assert "/goedkeuren" not in page and "Team Civil Affairs decides on this request" in page
    answer = client.post(f"{LIST}/{zaaknummer}/goedkeuren",
                         data={"goedkeuren-csrf_token": page_csrf(page),
                               "goedkeuren-token": "k" * 32, "goedkeuren-waarde": "Zwolle"})
    assert answer.status_code == 403
    assert person(app).geboorte.plaats == "Utrecht"
    staff(client, "bas")
    assert client.get(f"{LIST}/{MISSING}").status_code == 404
    assert client.get(f"{LIST}/{new_zaak(app, 'VERHUIZING')}").status_code == 404


def test_the_decision_page_shows_current_and_proposed_value_with_the_evidence(client, app):
    zaaknummer = correction_zaak(app)
    document = zaak_of(app, zaaknummer).documenten[0]
    staff(client)
    page = page_of(client, f"{LIST}/{zaaknummer}")
    current = page.index("Now in the Personal Records Database")
    proposed = page.index("Proposed by the resident")
    assert "Utrecht" in page[current:proposed] and "Zwolle" in page[proposed:]
    assert "Dit klopt niet." in page
    assert f'href="/backoffice/zaken/{zaaknummer}/documenten/{document.id}"' in page
    assert 'value="Zwolle"' in page                     # the value to record, ready to adjust
    [entry] = disclosures(app, zaak=zaaknummer)
    assert entry.channel == "backoffice" and entry.recipient == "Gemeente Elburg, team Burgerzaken"
    assert entry.purpose == in_dutch(app, _l("Handling your request to correct your data"))
    assert set(entry.data_categories) == {"geboorte", "zaakgegevens", "documenten"}
    assert FATIMA not in page


def test_the_page_warns_when_the_value_changed_since_the_request(client, app):
    zaaknummer = correction_zaak(app, current="Amsterdam")
    staff(client)
    page = page_of(client, f"{LIST}/{zaaknummer}")
    assert "The value has changed since the resident asked" in page and "Amsterdam" in page


# --------------------------------------------------------------------------- deciding


def decide(client, zaaknummer: str, action: str, **answers):
    page = page_of(client, f"{LIST}/{zaaknummer}")
    path, fields = form_fields(page, f"/{action}")
    prefix = "goedkeuren" if action == "goedkeuren" else "afwijzen"
    body = {**fields, **{f"{prefix}-{key}": value for key, value in answers.items()}}
    return client.post(path, data=body), body, path


def test_approve_from_the_pip_request_to_the_corrected_persons_store(client, app):
    zaaknummer = submit_from_mijn_gegevens(app, "geboorteplaats", "Zwolle")
    staff(client)
    assert zaaknummer in zaaknummers(page_of(client, LIST))
    answer, body, path = decide(client, zaaknummer, "goedkeuren", waarde="  Zwolle ")
    assert answer.status_code == 302 and answer.headers["Location"] == LIST
    listing = page_of(client, LIST)
    assert f"The correction of {zaaknummer} has been recorded" in listing
    assert f'href="{LIST}/{zaaknummer}"' not in listing      # no longer open
    assert person(app).geboorte.plaats == "Zwolle"
    [decision] = decisions(app, zaaknummer)     # the portal's record of what staff decided
    assert (decision.bsn, decision.veld, decision.waarde, decision.decided_by) == (
        FATIMA, "geboorteplaats", "Zwolle", "medewerker bas")
    zaak = zaak_of(app, zaaknummer)
    assert zaak.is_closed and zaak.resultaat.resultaattype.omschrijving == "Gecorrigeerd"
    assert zaak.resultaat.gezet_door == "medewerker bas"
    # Exactly one clear message: the eindstatus informs, with what was changed.
    [message] = messages_about(app, zaaknummer)
    assert message.bsn == FATIMA and "Zwolle" in message.tekst
    purposes = [entry.purpose for entry in disclosures(app, zaak=zaaknummer)]
    assert in_dutch(app, _l("Correcting your data")) in purposes
    # The same form again changes nothing.
    again = client.post(path, data=body)
    assert again.status_code == 302
    assert len(messages_about(app, zaaknummer)) == 1
    assert len(zaak_of(app, zaaknummer).statussen) == 2
    # The resident sees the decision and the verstrekkingen in Mijn omgeving.
    resident = app.test_client()
    login(resident, FATIMA)
    gegevens = resident.get("/mijn-omgeving/gegevens").get_data(as_text=True)
    assert "Zwolle" in gegevens
    verstrekkingen = resident.get("/mijn-omgeving/gegevens/verstrekkingen").get_data(as_text=True)
    assert "Gemeente Elburg, team Burgerzaken" in verstrekkingen and zaaknummer in verstrekkingen


@pytest.mark.parametrize("field, current, proposed, recorded, check", [
    ("achternaam", "El Amrani", "van der Berg", "van der Berg",
     lambda p: (p.naam.voorvoegsel, p.naam.geslachtsnaam) == ("van der", "Berg")),
    ("geboortedatum", "12 april 1987", "13-4-1987", "13-4-1987",
     lambda p: p.geboorte.datum == date(1987, 4, 13)),
    ("huisnummer", "14", "14a-2", "14a-2",
     lambda p: (p.verblijfplaats.huisnummer, p.verblijfplaats.huisletter,
                p.verblijfplaats.huisnummertoevoeging) == (14, "A", "2")),
    ("nationaliteit", "Nederlandse, Marokkaanse", "Nederlandse", "Nederlandse",
     lambda p: p.nationaliteiten == ("Nederlandse",)),
])
def test_approve_records_the_item_in_the_stores_own_shape(client, app, field, current, proposed,
                                                         recorded, check):
    zaaknummer = correction_zaak(app, field, current, proposed, evidence=False)
    staff(client)
    answer, _body, _path = decide(client, zaaknummer, "goedkeuren", waarde=recorded)
    assert answer.status_code == 302
    assert check(person(app))


def test_an_impossible_value_is_refused_at_the_field_and_kept(client, app):
    zaaknummer = correction_zaak(app, "geboortedatum", "12 april 1987", "31 februari 1987")
    staff(client)
    answer, _body, _path = decide(client, zaaknummer, "goedkeuren", waarde="31-02-1987")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "<title>Error: " in page
    assert 'href="#goedkeuren-waarde"' in page
    assert "Enter a date as day-month-year" in page and 'value="31-02-1987"' in page
    assert person(app).geboorte.datum == date(1987, 4, 12)
    assert not zaak_of(app, zaaknummer).is_closed


def test_reject_needs_a_reason_and_tells_it_to_the_resident(client, app):
    zaaknummer = correction_zaak(app)
    staff(client)
    answer, _body, _path = decide(client, zaaknummer, "afwijzen", reden="  ")
    assert answer.status_code == 400
    assert "Give the reason for rejecting" in answer.get_data(as_text=True)
    answer, _body, _path = decide(client, zaaknummer, "afwijzen",
                                  reden="De geboorteakte noemt Utrecht.")
    assert answer.status_code == 302
    assert "has been rejected" in page_of(client, LIST)
    zaak = zaak_of(app, zaaknummer)
    assert zaak.resultaat.resultaattype.omschrijving == "Afgewezen"
    assert zaak.resultaat.toelichting == "De geboorteakte noemt Utrecht."
    assert person(app).geboorte.plaats == "Utrecht"
    [message] = messages_about(app, zaaknummer)
    assert "De geboorteakte noemt Utrecht." in message.tekst
    page = page_of(client, f"{LIST}/{zaaknummer}")         # decided: no forms any more
    assert "/goedkeuren" not in page and "Afgewezen" in page


def test_the_list_runs_a_fixed_number_of_queries(client, app):
    correction_zaak(app)
    staff(client)

    def count() -> int:
        client.get(LIST)
        with counted_queries(app) as statements:
            assert client.get(LIST).status_code == 200
        return len(statements)

    with_one = count()
    for _ in range(15):
        correction_zaak(app, bsn=JOHANNES)
    assert count() == with_one


# --------------------------------------------------------------------------- apply_correction


@pytest.mark.parametrize("field, value, changes", [
    ("voornamen", " Fatima  Zahra ", {"voornamen": "Fatima Zahra"}),
    ("achternaam", "Van den Berg", {"voorvoegsel": "van den", "geslachtsnaam": "Berg"}),
    ("achternaam", "Berg", {"voorvoegsel": "", "geslachtsnaam": "Berg"}),
    ("achternaam", "de", {"voorvoegsel": "", "geslachtsnaam": "de"}),
    ("geboortedatum", "1987-04-13", {"geboortedatum": date(1987, 4, 13)}),
    ("adres_sinds", "01/09/2016", {"datum_aanvang_adreshouding": date(2016, 9, 1)}),
    ("nationaliteit", "Nederlandse,  Marokkaanse;Nederlandse",
     {"nationaliteiten": ["Nederlandse", "Marokkaanse"]}),
    ("geslacht", "V", {"geslacht": "vrouw"}),
    ("huisnummer", "7", {"huisnummer": 7, "huisletter": "", "huisnummertoevoeging": ""}),
    ("postcode", "8081bp", {"postcode": "8081 BP"}),
])
def test_correction_changes_per_item(field, value, changes):
    assert correction_changes(field, value) == changes


@pytest.mark.parametrize("field, value, reason", [
    ("bsn", "123456782", "unknown_field"),
    ("email", "a@b.nl", "unknown_field"),
    ("voornamen", "   ", "empty"),
    ("geboortedatum", "31-02-1987", "date"),
    ("geslacht", "x", "sex"),
    ("huisnummer", "veertien", "house_number"),
    ("postcode", "1234 SA", "postcode"),
    ("woonplaats", "x" * 101, "too_long"),
    ("nationaliteit", " , ;", "empty"),
    ("nationaliteit", "Nederlandse, " + "x" * 101, "too_long"),
])
def test_correction_changes_refuses(field, value, reason):
    with pytest.raises(CorrectionValueError) as refused:
        correction_changes(field, value)
    assert refused.value.reason == reason


def test_a_decision_is_recorded_only_with_a_value_that_fits(app, db_connection):
    with app.app_context(), pytest.raises(CorrectionValueError):
        record_correction_decision(get_session(), zaak="ZAAK-1", bsn=FATIMA, field="postcode",
                                   value="1234 SA", decided_by="medewerker bas")
    assert decisions(app, "ZAAK-1") == []


class ReadOnlyBrp:
    """A persons source the portal may not write, as the BRP behind Haal Centraal: it knows
    Fatima as the local tables do and applies no correction."""

    applies_corrections = False

    def __init__(self, session) -> None:
        self.local = SqlPersonsSource(session)

    def get_person(self, bsn: str):
        return self.local.get_person(bsn)

    def apply_correction(self, decision) -> bool:
        return False


def test_with_a_read_only_source_the_decision_is_kept_and_the_zaak_closed(client, app):
    zaaknummer = correction_zaak(app)
    staff(client)
    app.extensions["persons_source"], local = ReadOnlyBrp, app.extensions["persons_source"]
    try:
        answer, _body, _path = decide(client, zaaknummer, "goedkeuren", waarde="Zwolle")
    finally:
        app.extensions["persons_source"] = local
    assert answer.status_code == 302
    assert person(app).geboorte.plaats == "Utrecht"      # Burgerzaken corrects the BRP itself
    assert [d.waarde for d in decisions(app, zaaknummer)] == ["Zwolle"]
    assert zaak_of(app, zaaknummer).resultaat.resultaattype.omschrijving == "Gecorrigeerd"
    # Nobody is told it has been changed: the employee that it is theirs to do in the BRP,
    # the resident that it is being changed there.
    assert "The portal cannot change the BRP" in page_of(client, LIST)
    [message] = messages_about(app, zaaknummer)
    assert "Zwolle" in message.tekst and "BRP" in message.tekst
    assert "We hebben" not in message.tekst and "veranderd" not in message.tekst


def test_with_a_read_only_source_the_decision_page_does_not_promise_a_correction(client, app):
    zaaknummer = correction_zaak(app)
    staff(client)
    app.extensions["persons_source"], local = ReadOnlyBrp, app.extensions["persons_source"]
    try:
        page = page_of(client, f"{LIST}/{zaaknummer}")
    finally:
        app.extensions["persons_source"] = local
    assert "corrected at once" not in page and "change it there yourself" in page
    assert "corrected at once" in page_of(client, f"{LIST}/{zaaknummer}")


def test_the_decision_page_runs_a_fixed_number_of_queries(client, app):
    small = correction_zaak(app)
    large = new_zaak(app, "CORRECTIEVERZOEK", aanvraaggegevens={
        "veld": "geboorteplaats", "veld_omschrijving": "Geboorteplaats",
        "huidige_waarde": "Utrecht", "juiste_waarde": "Zwolle", "toelichting": "x"},
        documents=[("bewijs", None)] * 4, statussen=[2])
    staff(client)

    def count(zaaknummer: str) -> int:
        client.get(f"{LIST}/{zaaknummer}")
        with counted_queries(app) as statements:
            assert client.get(f"{LIST}/{zaaknummer}").status_code == 200
        return len(statements)

    assert count(small) == count(large)
