"""Contract tests of the zaken API: each endpoint, each error, scopes, and the disclosure
and audit records every call leaves."""

import pytest
from sqlalchemy import select

from app.db import get_session
from app.zaken.models import Document, Zaak
from app.zaken.services import get_zaak, read_document, set_status, today
from tests.api_fixtures import FATIMA, PDF, PNG, b64, config_set

PROBLEM = "application/problem+json"
MISSING = "ZAAK-2000-0000000001"


def zaak_row(app, identificatie: str) -> Zaak:
    with app.app_context():
        zaak = get_zaak(get_session(), identificatie)
        # Touch what the assertions read, while the session is open.
        _ = [(s.statustype.volgnummer, s.gezet_door) for s in zaak.statussen], zaak.resultaat
        _ = [d.titel for d in zaak.documenten]
        return zaak


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    assert body["instance"].startswith("urn:uuid:")
    if code:
        assert body["code"] == code
    return body


def invalid_names(response) -> list[str]:
    body = assert_problem(response, 400, "invalid")
    return [param["name"] for param in body["invalidParams"]]


# --------------------------------------------------------------------------- reading


def test_a_partner_reads_a_zaak_with_zgw_field_names_and_without_the_bsn(api):
    api.partner()
    zaak = api.zaak()
    response = api.get(f"/zaken/{zaak}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["identificatie"] == zaak
    assert body["zaaktype"] == "HULPVRAAG_WMO"
    assert body["startdatum"] == today().isoformat()
    for field in ("registratiedatum", "einddatumGepland", "uiterlijkeEinddatumAfdoening",
                  "vertrouwelijkheidaanduiding", "status", "resultaat", "rollen", "url"):
        assert field in body
    assert body["url"].endswith(f"/api/v1/zaken/{zaak}")
    assert body["status"]["statustype"]["volgnummer"] == 1
    assert body["status"]["datumStatusGezet"].endswith("Z")
    assert body["resultaat"] is None and body["einddatum"] is None
    assert body["rollen"] == [{
        "betrokkeneType": "natuurlijk_persoon", "omschrijvingGeneriek": "initiator",
        "indicatieMachtiging": "", "naam": "Fatima El Amrani",
        "verblijfsadres": "Vischpoortstraat 14, 8081 BP Elburg",
        "emailadres": "fatima@example.org", "telefoonnummer": "0612345678"}]
    assert FATIMA not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_reading_a_zaak_is_disclosed_to_the_resident_and_audited(api):
    api.partner(naam="Zorgaanbieder De Test")
    zaak = api.zaak()
    assert api.get(f"/zaken/{zaak}").status_code == 200
    [disclosure] = api.disclosures(zaak)
    assert (disclosure.bsn, disclosure.channel, disclosure.recipient) == (
        FATIMA, "api", "Zorgaanbieder De Test")
    assert set(disclosure.data_categories) == {"naam", "adres", "contactgegevens", "zaakgegevens"}
    entry = api.audit()[-1]
    assert (entry.method, entry.path, entry.status_code, entry.idempotency_key) == (
        "GET", f"/api/v1/zaken/{zaak}", 200, None)
    assert entry.partner_id is not None
    assert FATIMA not in repr(vars(entry))


def test_a_zaak_without_a_bsn_is_read_without_a_disclosure(api):
    api.partner()
    zaak = api.zaak(bsn=None)
    assert api.get(f"/zaken/{zaak}").status_code == 200
    assert api.disclosures(zaak) == []


def test_statussen_are_listed_oldest_first(api):
    api.partner()
    zaak = api.zaak()
    assert api.post(f"/zaken/{zaak}/statussen", {"statustype": {"volgnummer": 3},
                                                 "statustoelichting": "Wij onderzoeken"}).status_code == 201
    response = api.get(f"/zaken/{zaak}/statussen")
    assert response.status_code == 200
    body = response.get_json()
    assert [s["statustype"]["volgnummer"] for s in body] == [1, 3]
    assert body[-1]["statustoelichting"] == "Wij onderzoeken"
    assert body[-1]["zaak"] == zaak
    assert api.disclosures(zaak)[-1].purpose == "De voortgang van uw zaak bekijken"


# --------------------------------------------------------------------------- scopes


@pytest.mark.parametrize("method, path, body", [
    ("get", "", None),
    ("get", "/statussen", None),
    ("post", "/statussen", {"statustype": {"volgnummer": 2}}),
    ("post", "/documenten", {"titel": "x", "bestandsnaam": "x.pdf", "formaat": "application/pdf",
                             "inhoud": b64(PDF)}),
    ("post", "/resultaat", {"resultaattype": {"omschrijving": "Verwerkt"}}),
])
def test_a_zaak_of_another_zaaktype_answers_404_like_a_missing_one(api, method, path, body):
    api.partner(zaaktypen=("HULPVRAAG_WMO",))
    other = api.zaak(zaaktype="VERHUIZING")
    kwargs = {} if body is None else {"body": body}
    outside = getattr(api, method)(f"/zaken/{other}{path}", **kwargs)
    missing = getattr(api, method)(f"/zaken/{MISSING}{path}", **kwargs)
    first, second = assert_problem(outside, 404, "not_found"), assert_problem(missing, 404)
    assert {k: v for k, v in first.items() if k != "instance"} == {
        k: v for k, v in second.items() if k != "instance"}
    assert api.disclosures(other) == []
    assert len(zaak_row(api.app, other).statussen) == 1


def test_the_list_shows_only_zaken_in_scope_and_filters_them(api):
    api.partner(zaaktypen=("HULPVRAAG_WMO", "UITTREKSEL_BRP"))
    open_wmo = api.zaak()
    closed_wmo = api.zaak(closed="Toegekend")
    uittreksel = api.zaak(zaaktype="UITTREKSEL_BRP")
    outside = api.zaak(zaaktype="VERHUIZING")

    def listed(query: str = "") -> list[str]:
        response = api.get(f"/zaken{query}")
        assert response.status_code == 200, response.get_json()
        return [zaak["identificatie"] for zaak in response.get_json()["results"]]

    everything = listed()
    assert {open_wmo, closed_wmo, uittreksel} <= set(everything)
    assert outside not in everything
    assert open_wmo in listed("?status=open") and closed_wmo not in listed("?status=open")
    assert closed_wmo in listed("?status=gesloten") and open_wmo not in listed("?status=gesloten")
    assert uittreksel not in listed("?zaaktype=HULPVRAAG_WMO")
    first = api.get("/zaken").get_json()["results"][0]
    assert "rollen" not in first  # a list shows no personal data
    assert api.disclosures(open_wmo)[-1].data_categories == ["zaakgegevens"]


def test_the_list_refuses_a_zaaktype_outside_scope_and_unknown_parameters(api):
    api.partner(zaaktypen=("HULPVRAAG_WMO",))
    assert_problem(api.get("/zaken?zaaktype=VERHUIZING"), 403, "permission_denied")
    assert invalid_names(api.get("/zaken?status=dicht")) == ["status"]
    assert invalid_names(api.get("/zaken?page=0")) == ["page"]
    assert invalid_names(api.get("/zaken?page=een")) == ["page"]
    assert invalid_names(api.get("/zaken?zaakttype=HULPVRAAG_WMO")) == ["zaakttype"]


def test_the_list_is_paged(api):
    api.partner()
    mine = {api.zaak() for _ in range(23)}
    first = api.get("/zaken").get_json()
    assert first["count"] >= 23 and len(first["results"]) == 20 and first["previous"] is None
    assert "page=2" in first["next"]
    second = api.client.get(first["next"], headers=api.headers()).get_json()
    assert "page=1" in second["previous"]
    seen = {z["identificatie"] for z in first["results"] + second["results"]}
    assert mine <= seen or first["count"] > 40
    assert api.get("/zaken?page=999").get_json()["results"] == []


# --------------------------------------------------------------------------- set a status


def test_a_partner_sets_a_status_through_the_zaken_service(api):
    api.partner(naam="Zorgaanbieder Statussen")
    zaak = api.zaak()
    response = api.post(f"/zaken/{zaak}/statussen", {
        "statustype": {"volgnummer": 2}, "statustoelichting": "Gesprek op 3 maart om 10 uur"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["statustype"] == {"volgnummer": 2, "omschrijving": "Gesprek gepland",
                                  "isEindstatus": False, "informeren": True}
    assert body["statustoelichting"] == "Gesprek op 3 maart om 10 uur"
    status = zaak_row(api.app, zaak).statussen[-1]
    assert (status.statustype.volgnummer, status.gezet_door) == (2, "Zorgaanbieder Statussen")
    disclosure = api.disclosures(zaak)[-1]
    assert (disclosure.purpose, disclosure.channel) == ("De status van uw zaak bijwerken", "api")
    entry = api.audit()[-1]
    assert (entry.method, entry.status_code) == ("POST", 201)


def test_a_status_change_sends_the_zaken_signal_like_the_back_office(api):
    signals = pytest.importorskip("app.zaken.signals")
    api.partner()
    zaak = api.zaak()
    received = []

    def receiver(change, **extra):
        received.append((change.zaak_identificatie, change.statustype.nl))

    signals.status_set.connect(receiver)
    try:
        assert api.post(f"/zaken/{zaak}/statussen", {"statustype": {"volgnummer": 2}}).status_code == 201
    finally:
        signals.status_set.disconnect(receiver)
    assert received == [(zaak, "Gesprek gepland")]  # volgnummer 2 of HULPVRAAG_WMO


@pytest.mark.parametrize("body, names", [
    ({}, ["statustype"]),
    ({"statustype": {}}, ["statustype.volgnummer"]),
    ({"statustype": {"volgnummer": "2"}}, ["statustype.volgnummer"]),
    ({"statustype": {"volgnummer": True}}, ["statustype.volgnummer"]),
    ({"statustype": {"volgnummer": 0}}, ["statustype.volgnummer"]),
    ({"statustype": {"volgnummer": 2}, "statustoelichting": 5}, ["statustoelichting"]),
    ({"statustype": {"volgnummer": 2}, "statustoelichting": "x" * 1001}, ["statustoelichting"]),
    ({"statustype": {"volgnummer": 2}, "statusToelichting": "typo"}, ["statusToelichting"]),
    ([1, 2], ["nonFieldErrors"]),
    ({"statustype": {"volgnummer": 99}}, ["statustype.volgnummer"]),  # no such statustype
    ({"statustype": {"volgnummer": 5}}, ["statustype.volgnummer"]),  # the eindstatus
])
def test_an_invalid_status_answers_400_naming_the_field(api, body, names):
    api.partner()
    zaak = api.zaak()
    assert invalid_names(api.post(f"/zaken/{zaak}/statussen", body)) == names
    assert len(zaak_row(api.app, zaak).statussen) == 1


def test_a_body_that_is_not_json_answers_400_or_415(api):
    api.partner()
    zaak = api.zaak()
    not_json = api.client.post(f"/api/v1/zaken/{zaak}/statussen", data="{volgnummer: 2",
                               content_type="application/json", headers=api.headers())
    body = assert_problem(not_json, 400)
    assert body["invalidParams"][0]["code"] == "parse_error"
    form = api.client.post(f"/api/v1/zaken/{zaak}/statussen", data={"volgnummer": "2"},
                           headers=api.headers())
    assert_problem(form, 415, "unsupported_media_type")


def test_a_closed_zaak_answers_409_to_a_status_change(api):
    api.partner()
    zaak = api.zaak(closed="Toegekend")
    assert_problem(api.post(f"/zaken/{zaak}/statussen", {"statustype": {"volgnummer": 2}}),
                   409, "conflict")
    assert len(api.disclosures(zaak)) == 0  # the refused change is rolled back, its record too


def test_a_read_only_partner_may_read_but_not_change(api):
    api.partner(can_write=False)
    zaak = api.zaak()
    assert api.get(f"/zaken/{zaak}").status_code == 200
    assert_problem(api.post(f"/zaken/{zaak}/statussen", {"statustype": {"volgnummer": 2}}),
                   403, "permission_denied")
    assert len(zaak_row(api.app, zaak).statussen) == 1


# --------------------------------------------------------------------------- add a document


def document_body(**changes) -> dict:
    return {"titel": "Indicatiebesluit", "bestandsnaam": "indicatie.pdf",
            "formaat": "application/pdf", "inhoud": b64(PDF), **changes}


def test_a_partner_adds_a_document(api):
    api.partner(naam="Zorgaanbieder Documenten")
    zaak = api.zaak()
    response = api.post(f"/zaken/{zaak}/documenten", document_body())
    assert response.status_code == 201
    body = response.get_json()
    assert body == {"zaak": zaak, "titel": "Indicatiebesluit", "bestandsnaam": "indicatie.pdf",
                    "formaat": "application/pdf", "bestandsomvang": len(PDF),
                    "vertrouwelijkheidaanduiding": "zaakvertrouwelijk",  # the zaak's
                    "creatiedatum": body["creatiedatum"]}
    [document] = zaak_row(api.app, zaak).documenten
    assert document.added_by == "Zorgaanbieder Documenten"
    with api.app.app_context():
        assert read_document(document) == PDF
    assert api.disclosures(zaak)[-1].data_categories == ["zaakgegevens", "documenten"]


def test_a_document_keeps_its_own_vertrouwelijkheidaanduiding(api):
    api.partner()
    zaak = api.zaak()
    response = api.post(f"/zaken/{zaak}/documenten", document_body(
        formaat="image/png", inhoud=b64(PNG), bestandsnaam="foto.png",
        vertrouwelijkheidaanduiding="vertrouwelijk"))
    assert response.status_code == 201
    assert response.get_json()["vertrouwelijkheidaanduiding"] == "vertrouwelijk"


@pytest.mark.parametrize("changes, name", [
    ({"inhoud": "not base64!"}, "inhoud"),
    ({"inhoud": b64(PNG)}, "inhoud"),  # a PNG called a PDF
    ({"formaat": "application/msword"}, "formaat"),
    ({"titel": "   "}, "titel"),
    ({"vertrouwelijkheidaanduiding": "topsecret"}, "vertrouwelijkheidaanduiding"),
    ({"bestandsnaam": ""}, "bestandsnaam"),
])
def test_an_invalid_document_answers_400_naming_the_field(api, changes, name):
    api.partner()
    zaak = api.zaak()
    assert invalid_names(api.post(f"/zaken/{zaak}/documenten", document_body(**changes))) == [name]
    assert zaak_row(api.app, zaak).documenten == []


def test_a_document_over_the_size_limit_answers_400(api):
    api.partner()
    zaak = api.zaak()
    with config_set(api.app, "API_DOCUMENT_MAX_MB", 0.00001):  # about 10 bytes
        response = api.post(f"/zaken/{zaak}/documenten", document_body())
    assert assert_problem(response, 400)["invalidParams"][0]["code"] == "file_size"


def test_a_request_body_over_the_request_limit_answers_413(api):
    api.partner()
    zaak = api.zaak()
    with config_set(api.app, "MAX_CONTENT_LENGTH", 100):
        response = api.post(f"/zaken/{zaak}/documenten", document_body(inhoud=b64(PDF * 10)))
    assert_problem(response, 413, "payload_too_large")


def test_a_closed_zaak_answers_409_to_a_new_document(api):
    api.partner()
    zaak = api.zaak(closed="Toegekend")
    assert_problem(api.post(f"/zaken/{zaak}/documenten", document_body()), 409)
    with api.app.app_context():
        assert get_session().scalars(select(Document).join(Zaak).where(
            Zaak.identificatie == zaak)).all() == []


# --------------------------------------------------------------------------- set the result


def test_a_partner_sets_the_resultaat_and_closes_the_zaak(api):
    api.partner()
    zaak = api.zaak()
    response = api.post(f"/zaken/{zaak}/resultaat", {
        "resultaattype": {"omschrijving": "Toegekend"}, "toelichting": "Vanaf 1 maart"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["resultaattype"]["omschrijving"] == "Toegekend"
    assert body["toelichting"] == "Vanaf 1 maart"
    row = zaak_row(api.app, zaak)
    assert row.is_closed and row.statussen[-1].statustype.is_eindstatus
    read = api.get(f"/zaken/{zaak}").get_json()
    assert read["einddatum"] is not None and read["status"]["statustype"]["isEindstatus"]
    assert read["resultaat"]["resultaattype"]["omschrijving"] == "Toegekend"
    assert_problem(api.post(f"/zaken/{zaak}/resultaat",
                            {"resultaattype": {"omschrijving": "Afgewezen"}}), 409, "conflict")


@pytest.mark.parametrize("body, name", [
    ({"resultaattype": {"omschrijving": "Misschien"}}, "resultaattype.omschrijving"),
    ({"resultaattype": {"omschrijving": ""}}, "resultaattype.omschrijving"),
    ({"resultaattype": "Toegekend"}, "resultaattype"),
    ({"toelichting": "zonder resultaattype"}, "resultaattype"),
])
def test_an_invalid_resultaat_answers_400_naming_the_field(api, body, name):
    api.partner()
    zaak = api.zaak()
    assert invalid_names(api.post(f"/zaken/{zaak}/resultaat", body)) == [name]
    assert not zaak_row(api.app, zaak).is_closed


# --------------------------------------------------------------------------- the rest of /api/v1


def test_unknown_paths_and_methods_answer_json(api):
    api.partner()
    zaak = api.zaak()
    assert_problem(api.get("/zaaktypen"), 404, "not_found")
    put = api.client.put(f"/api/v1/zaken/{zaak}", headers=api.headers())
    assert_problem(put, 405, "method_not_allowed")
    assert put.headers["Allow"] == "GET, HEAD, OPTIONS"
    options = api.client.options(f"/api/v1/zaken/{zaak}/statussen")
    assert options.status_code == 204
    assert options.headers["Allow"] == "GET, HEAD, OPTIONS, POST"


def test_the_api_sets_no_cookie_and_needs_no_csrf_token(api):
    api.partner()
    zaak = api.zaak()
    responses = [api.get(f"/zaken/{zaak}"), api.get(f"/zaken/{zaak}", token="wrong"),
                 api.get(f"/zaken/{MISSING}"),
                 api.post(f"/zaken/{zaak}/statussen", {"statustype": {"volgnummer": 2}}),
                 api.client.get("/api/v1/openapi.json")]
    assert [r.status_code for r in responses] == [200, 401, 404, 201, 200]
    for response in responses:
        assert "Set-Cookie" not in response.headers
    assert api.client.get_cookie("portal_session") is None


def test_statuses_set_in_the_back_office_show_in_the_api(api):
    api.partner()
    zaak = api.zaak()
    with api.app.app_context():
        db = get_session()
        set_status(db, get_zaak(db, zaak), volgnummer=3, toelichting="", gezet_door="medewerker")
        db.commit()
    assert api.get(f"/zaken/{zaak}").get_json()["status"]["statustype"]["volgnummer"] == 3


def test_unknown_query_parameters_answer_400(api):
    api.partner()
    zaak = api.zaak()
    assert invalid_names(api.get(f"/zaken/{zaak}?expand=rollen")) == ["expand"]
    assert invalid_names(api.post(f"/zaken/{zaak}/statussen?force=1",
                                  {"statustype": {"volgnummer": 2}})) == ["force"]
    assert len(zaak_row(api.app, zaak).statussen) == 1
