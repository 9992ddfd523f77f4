"""The webhook the Notificaties API delivers to: authorised, checked, kept once, 204 at once."""

import logging
import socket

import pytest
import requests
from sqlalchemy import select

from app.db import get_session
from app.notificaties.models import ReceivedNotification
from app.notificaties.services import HandlerRegistry
from tests.fakes.notificaties import (
    OPEN_NOTIFICATIES_TEST_MESSAGE,
    message_errors,
    notificatie_body,
)

URL = "/notificaties/callback"
AUTH = "Bearer 7f3c2b1a9e8d7c6b5a4f3e2d1c0b9a8f"


@pytest.fixture
def configured(app, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATIES_CALLBACK_AUTH", AUTH)


def post(client, body, auth=AUTH, **kwargs):
    headers = {"Authorization": auth} if auth is not None else {}
    return client.post(URL, json=body, headers=headers, **kwargs)


def inbox(app):
    with app.app_context():
        return get_session().scalars(select(ReceivedNotification)
                                     .order_by(ReceivedNotification.id)).all()


def test_a_notificatie_is_kept_and_answered_with_204(app, client, configured):
    body = notificatie_body()

    response = post(client, body)

    assert response.status_code == 204
    assert response.get_data() == b""
    [row] = inbox(app)
    assert (row.kanaal, row.resource, row.actie) == ("zaken", "status", "create")
    assert row.hoofd_object == body["hoofdObject"]
    assert row.resource_url == body["resourceUrl"]
    assert row.kenmerken == body["kenmerken"]
    assert row.aanmaakdatum.isoformat() == "2026-12-10T09:15:42.123456"
    assert row.status == "pending" and row.attempts == 0 and row.processed_at is None
    assert row.next_attempt_at <= row.received_at


def test_a_notificatie_delivered_twice_is_kept_once(app, client, configured):
    body = notificatie_body()

    first = post(client, body)
    # The same message again, its date written with an offset instead of Z.
    again = post(client, {**body, "aanmaakdatum": "2026-12-10T10:15:42.123456+01:00"})

    assert first.status_code == again.status_code == 204
    assert len(inbox(app)) == 1


def test_another_event_on_the_same_resource_is_kept_beside_it(app, client, configured):
    post(client, notificatie_body())
    post(client, notificatie_body(actie="update"))
    post(client, notificatie_body(aanmaakdatum="2026-12-10T09:15:43Z"))

    assert len(inbox(app)) == 3


def test_a_wrong_or_missing_authorization_is_refused_and_logged(app, client, configured, caplog):
    with caplog.at_level(logging.WARNING, logger="app.notificaties"):
        wrong = post(client, notificatie_body(), auth="Bearer not-the-secret")
        missing = post(client, notificatie_body(), auth=None)
        longer = post(client, notificatie_body(), auth=AUTH + "0")

    assert wrong.status_code == missing.status_code == longer.status_code == 403
    assert wrong.mimetype == "application/problem+json"
    assert wrong.get_json()["code"] == "permission_denied"
    assert inbox(app) == []
    lines = [record.getMessage() for record in caplog.records]
    assert any("wrong Authorization" in line for line in lines)
    assert any("no Authorization" in line for line in lines)
    assert not any("not-the-secret" in line or AUTH in line for line in lines)


def test_without_a_configured_auth_the_callback_is_not_there(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATIES_CALLBACK_AUTH", "")

    response = post(client, notificatie_body(), auth="")

    assert response.status_code == 404
    assert inbox(app) == []


@pytest.mark.parametrize("change", [
    {"kanaal": None},
    {"resourceUrl": None},
    {"aanmaakdatum": "gisteren"},
    {"aanmaakdatum": "2026-12-10"},
    {"aanmaakdatum": "2026-12-10T09:15:42"},          # no offset: RFC 3339 wants one
    {"kanaal": "z" * 51},
    {"kenmerken": {"bronorganisatie": 1234}},
    {"kenmerken": ["zaaktype"]},
    {"resourceUrl": 42},
], ids=repr)
def test_a_body_the_spec_does_not_allow_is_a_400_with_its_problems(app, client, configured,
                                                                     change):
    body = {**notificatie_body(), **change}
    body = {key: value for key, value in body.items() if value is not None}
    assert message_errors(body), "the spec allows this body: not a test of a bad one"

    response = post(client, body)

    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 400 and problem["code"] == "invalid"
    assert problem["invalidParams"] and all(
        {"name", "code", "reason"} <= param.keys() for param in problem["invalidParams"])
    assert inbox(app) == []


@pytest.mark.parametrize("data", [b"", b"not json", b"[1, 2]", b'"zaken"'])
def test_a_body_that_is_no_json_object_is_a_400(app, client, configured, data):
    response = client.post(URL, data=data, content_type="application/json",
                           headers={"Authorization": AUTH})

    assert response.status_code == 400
    assert inbox(app) == []


def test_a_field_the_spec_does_not_name_is_ignored(app, client, configured):
    response = post(client, notificatie_body(source="openzaak", extra={"nieuw": True}))

    assert response.status_code == 204
    assert inbox(app)[0].source == "openzaak"


def test_open_notificaties_test_message_is_answered_204(app, client, configured):
    """Open Notificaties posts this before accepting an abonnement (and wants 204)."""
    assert message_errors(OPEN_NOTIFICATIES_TEST_MESSAGE) == []

    assert post(client, OPEN_NOTIFICATIES_TEST_MESSAGE).status_code == 204
    assert post(client, OPEN_NOTIFICATIES_TEST_MESSAGE).status_code == 204
    assert post(client, OPEN_NOTIFICATIES_TEST_MESSAGE, auth=None).status_code == 403


def test_the_request_makes_no_remote_call_and_runs_no_handler(app, client, configured,
                                                            monkeypatch):
    """Handling is the worker's: the webhook only writes to the inbox."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the webhook called out")

    monkeypatch.setattr(requests.Session, "send", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    handlers = HandlerRegistry()
    handlers.register(lambda session, notificatie: calls.append(notificatie), "zaken")
    monkeypatch.setattr("app.notificaties.services.registry", handlers)
    monkeypatch.setattr("app.notificaties.processing.registry", handlers)

    response = post(client, notificatie_body())

    assert response.status_code == 204
    assert calls == []
    assert len(inbox(app)) == 1


def test_the_callback_needs_no_csrf_token(app, client, configured):
    assert app.config.get("WTF_CSRF_ENABLED", True)  # CSRF is checked in the tests too
    assert post(client, notificatie_body()).status_code == 204

