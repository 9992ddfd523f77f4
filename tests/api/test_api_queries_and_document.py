"""Reads cost a fixed number of queries, and the OpenAPI document covers every route."""



from app.api.openapi import ERRORS
from app.db import get_session
from app.zaken.services import get_zaak, set_status
from tests.querycount import counted_queries


def queries(api, path: str) -> int:
    with counted_queries(api.app) as statements:
        assert api.get(path).status_code == 200
    return len(statements)


def busy_zaak(api) -> str:
    zaak = api.zaak(zaaktype="PARKEERVERGUNNING")
    with api.app.app_context():
        db = get_session()
        row = get_zaak(db, zaak)
        for volgnummer in (2, 3, 2, 3, 2, 3, 2, 3):
            set_status(db, row, volgnummer=volgnummer, gezet_door="test")
        db.commit()
    return zaak


def test_reads_run_a_fixed_number_of_queries(api):
    api.partner(zaaktypen=("PARKEERVERGUNNING",))  # a zaaktype no other test fills
    quiet = api.zaak(zaaktype="PARKEERVERGUNNING")
    api.partner(zaaktypen=("PARKEERVERGUNNING",))  # a fresh token: its own rate-limit count
    before = {"zaak": queries(api, f"/zaken/{quiet}"),
              "statussen": queries(api, f"/zaken/{quiet}/statussen"),
              "list": queries(api, "/zaken")}
    busy = busy_zaak(api)
    for _ in range(25):
        api.zaak(zaaktype="PARKEERVERGUNNING")
    after = {"zaak": queries(api, f"/zaken/{busy}"),
             "statussen": queries(api, f"/zaken/{busy}/statussen"),
             "list": queries(api, "/zaken")}
    assert before == after, (before, after)
    # token, zaak (+ statussen), disclosure, audit; the list adds a count.
    assert max(after.values()) <= 7, after


def test_the_document_describes_every_route_of_the_api(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    documented = {(path, method.upper()) for path, item in document["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete")}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.fallback":
            path = rule.rule.removeprefix("/api/v1").replace("<", "{").replace(">", "}")
            routed |= {(path, method) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented


def test_every_write_documents_every_error_it_can_give(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    for path, item in document["paths"].items():
        if "post" in item:
            assert set(ERRORS) <= set(item["post"]["responses"]), path
            assert "201" in item["post"]["responses"]
        if path.startswith("/zaken") and "get" in item:
            assert {"400", "401", "429"} <= set(item["get"]["responses"]), path
