"""Calls to a register: outages and refusals told apart, and no BSN in the log."""

import logging

import pytest

from app.remote import RemoteApi, RemoteRefused, RemoteUnavailable
from tests.fakes.spec_server import Reply, SpecCheckedServer

BSN = "999990019"


@pytest.fixture
def register():
    server = SpecCheckedServer("opennotificaties-notificaties-api.yaml")
    server.route("GET", "/kanaal")(lambda request: Reply(200, []))
    server.start()
    yield server
    server.stop()


def api(register, timeout=2.0):
    return RemoteApi("Notificaties API", register.base_url, timeout=timeout,
                     headers=lambda: {"Authorization": "Bearer token"})


def test_an_answer_comes_back_as_json(register):
    assert api(register).get("kanaal", params={"naam": "zaken"}) == []


def test_a_server_error_is_an_outage_and_the_log_has_no_query(register, caplog):
    register.fail("GET", "/kanaal", status=503)
    with caplog.at_level(logging.WARNING), pytest.raises(RemoteUnavailable):
        api(register).get("kanaal", params={"naam": BSN})

    assert "503" in caplog.text
    assert BSN not in caplog.text


def test_a_debug_log_has_no_query_either(register, caplog):
    with caplog.at_level(logging.DEBUG):
        api(register).get("kanaal", params={"naam": BSN})

    ours = [record.getMessage() for record in caplog.records
            if record.name != "werkzeug"]  # the fake register's own request log
    assert not any(BSN in message for message in ours)


def test_a_slow_register_is_an_outage_after_the_timeout(register):
    register.fail("GET", "/kanaal", status=None, delay=0.6)
    with pytest.raises(RemoteUnavailable, match="timed out"):
        api(register, timeout=0.2).get("kanaal")


def test_a_refusal_is_not_an_outage(register):
    register.fail("GET", "/kanaal", status=409)
    with pytest.raises(RemoteRefused) as refused:
        api(register).get("kanaal")
    assert refused.value.status == 409


def test_an_unreachable_register_is_an_outage():
    with pytest.raises(RemoteUnavailable):
        RemoteApi("BRP", "http://127.0.0.1:9", timeout=0.5).get("personen")


def test_refused_credentials_are_an_outage_that_names_the_settings(register, caplog):
    register.fail("GET", "/kanaal", status=401)
    remote = RemoteApi("Zaken API", register.base_url, credentials="ZGW_CLIENT_ID and ZGW_SECRET")
    with caplog.at_level(logging.ERROR), pytest.raises(RemoteUnavailable) as refused:
        remote.get("kanaal", params={"naam": BSN})
    assert refused.value.status == 401
    assert "ZGW_CLIENT_ID and ZGW_SECRET" in caplog.text and BSN not in caplog.text
