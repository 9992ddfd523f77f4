"""Idempotency-Key: a retried POST has no second effect and gets the first answer again."""

import threading

import pytest
from alembic import command
from sqlalchemy import select

from app import create_app
from app.api import services
from app.api.models import ApiIdempotencyKey
from app.cli import alembic_config
from app.db import get_session
from app.seed import seed_all
from app.zaken.services import get_zaak
from tests.api.test_zaken_api import assert_problem, invalid_names, zaak_row
from tests.api_fixtures import PDF, Api, b64
from tests.conftest import make_config

STATUS = {"statustype": {"volgnummer": 2}, "statustoelichting": "Gesprek gepland"}


def test_a_retried_status_change_is_applied_once_and_answered_the_same(api):
    api.partner()
    zaak = api.zaak()
    first = api.post(f"/zaken/{zaak}/statussen", STATUS, key="status-1")
    retry = api.post(f"/zaken/{zaak}/statussen", STATUS, key="status-1")
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.get_json() == first.get_json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert [s.statustype.volgnummer for s in zaak_row(api.app, zaak).statussen] == [1, 2]
    assert [e.idempotency_key for e in api.audit()[-2:]] == ["status-1", "status-1"]


@pytest.mark.parametrize("path, body", [
    ("/documenten", {"titel": "Verslag", "bestandsnaam": "verslag.pdf",
                     "formaat": "application/pdf", "inhoud": b64(PDF)}),
    ("/resultaat", {"resultaattype": {"omschrijving": "Toegekend"}}),
])
def test_retried_documents_and_results_are_applied_once(api, path, body):
    api.partner()
    zaak = api.zaak()
    first = api.post(f"/zaken/{zaak}{path}", body, key="once")
    retry = api.post(f"/zaken/{zaak}{path}", body, key="once")
    assert (first.status_code, retry.status_code) == (201, 201)  # not 409 for the result
    assert retry.get_json() == first.get_json()
    row = zaak_row(api.app, zaak)
    assert len(row.documenten) == (1 if path == "/documenten" else 0)
    assert len(row.statussen) == (2 if path == "/resultaat" else 1)


def test_the_same_key_with_another_request_answers_422(api):
    api.partner()
    zaak = api.zaak()
    other = api.zaak()
    assert api.post(f"/zaken/{zaak}/statussen", STATUS, key="k").status_code == 201
    changed = {**STATUS, "statustoelichting": "Iets anders"}
    assert_problem(api.post(f"/zaken/{zaak}/statussen", changed, key="k"), 422,
                   "idempotency_key_reused")
    assert_problem(api.post(f"/zaken/{other}/statussen", STATUS, key="k"), 422)
    assert len(zaak_row(api.app, zaak).statussen) == 2
    assert len(zaak_row(api.app, other).statussen) == 1


def test_keys_belong_to_one_partner(api):
    zaak = api.zaak()
    first = api.partner()
    second = api.partner()
    assert api.post(f"/zaken/{zaak}/statussen", STATUS, key="shared", token=first).status_code == 201
    again = api.post(f"/zaken/{zaak}/statussen", STATUS, key="shared", token=second)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert len(zaak_row(api.app, zaak).statussen) == 3


def test_a_refused_request_keeps_no_key_so_it_can_be_sent_again(api):
    api.partner()
    zaak = api.zaak()
    wrong = {"statustype": {"volgnummer": 99}}
    assert invalid_names(api.post(f"/zaken/{zaak}/statussen", wrong, key="retry-me"))
    assert api.post(f"/zaken/{zaak}/statussen", STATUS, key="retry-me").status_code == 201
    closed = api.zaak(closed="Toegekend")
    assert_problem(api.post(f"/zaken/{closed}/statussen", STATUS, key="after-409"), 409)
    with api.app.app_context():
        keys = get_session().scalars(select(ApiIdempotencyKey.key)).all()
    assert "retry-me" in keys and "after-409" not in keys


@pytest.mark.parametrize("key", ["x" * 256, "met spatie", ""])
def test_an_invalid_key_answers_400(api, key):
    api.partner()
    zaak = api.zaak()
    assert invalid_names(api.post(f"/zaken/{zaak}/statussen", STATUS,
                                  headers={"Idempotency-Key": key})) == ["Idempotency-Key"]


def test_a_concurrent_duplicate_that_committed_first_is_replayed(api, monkeypatch):
    """The race: this request looked for the key before the other one committed, then the
    other one committed. The unique (partner, key) makes this insert fail, and the stored
    answer is given instead of applying the change a second time."""
    api.partner()
    zaak = api.zaak()
    first = api.post(f"/zaken/{zaak}/statussen", STATUS, key="race")
    real_lookup = services.stored_response
    calls = []

    def looked_too_early(session, partner, key):
        calls.append(key)
        return None if len(calls) == 1 else real_lookup(session, partner, key)

    monkeypatch.setattr(services, "stored_response", looked_too_early)
    second = api.post(f"/zaken/{zaak}/statussen", STATUS, key="race")
    assert len(calls) == 2  # looked, failed to claim the key, looked again
    assert second.status_code == 201 and second.get_json() == first.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert len(zaak_row(api.app, zaak).statussen) == 2


def test_concurrent_retries_apply_once(mock_digid, tmp_path):
    """Eight threads send the same POST with the same key at once, against a database of
    their own (committed for real, so not the suite's rolled-back one)."""
    url = f"sqlite:///{tmp_path / 'concurrent.db'}"
    command.upgrade(alembic_config(url), "heads")
    app = create_app(make_config(url, mock_digid))
    api = Api(app=app, client=app.test_client())
    with app.app_context():
        seed_all(get_session())
    api.partner()
    zaak = api.zaak()
    answers, barrier = [], threading.Barrier(8)

    def send():
        client = app.test_client()
        barrier.wait()
        answers.append(client.post(f"/api/v1/zaken/{zaak}/statussen", json=STATUS,
                                   headers=api.headers(key="together")))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in answers) == [201] * 8
    assert len({r.get_data() for r in answers}) == 1
    assert sum("Idempotent-Replayed" in r.headers for r in answers) == 7
    with app.app_context():
        assert len(get_zaak(get_session(), zaak).statussen) == 2
    app.extensions["db"].engine.dispose()
