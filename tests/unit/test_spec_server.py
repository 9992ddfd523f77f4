"""The spec-checked fake catches what a real server would refuse, both ways."""

import pytest
import requests

from tests.fakes.spec_server import Reply, SpecCheckedServer

SUBSCRIPTION = {"callbackUrl": "https://portal.example.nl/notificaties",
                "auth": "Bearer abc", "kanalen": [{"naam": "zaken", "filters": {}}]}


@pytest.fixture
def notificaties():
    server = SpecCheckedServer("opennotificaties-notificaties-api.yaml").start()
    yield server
    server.stop()


def subscribe_as_the_spec_says(server, body):
    @server.route("POST", "/abonnement")
    def create(request):
        return Reply(201, {"url": f"{server.base_url}/abonnement/1", **body},
                     headers={"Location": f"{server.base_url}/abonnement/1"})


def test_a_request_and_response_the_spec_allows_pass(notificaties):
    subscribe_as_the_spec_says(notificaties, {k: v for k, v in SUBSCRIPTION.items() if k != "auth"})
    answer = requests.post(f"{notificaties.base_url}/abonnement", json=SUBSCRIPTION,
                           headers={"Authorization": "Bearer token"}, timeout=5)

    assert answer.status_code == 201
    notificaties.assert_no_violations()


def test_a_request_the_spec_does_not_allow_is_refused_and_recorded(notificaties):
    subscribe_as_the_spec_says(notificaties, {})
    answer = requests.post(f"{notificaties.base_url}/abonnement",
                           json={**SUBSCRIPTION, "kanalen": "zaken"},
                           headers={"Authorization": "Bearer token"}, timeout=5)

    assert answer.status_code == 400
    assert len(notificaties.violations) == 1
    with pytest.raises(AssertionError, match="request"):
        notificaties.assert_no_violations()


def test_a_response_the_spec_does_not_allow_is_recorded(notificaties):
    subscribe_as_the_spec_says(notificaties, {"kanalen": "not a list"})
    requests.post(f"{notificaties.base_url}/abonnement", json=SUBSCRIPTION,
                  headers={"Authorization": "Bearer token"}, timeout=5)

    with pytest.raises(AssertionError, match="response 201"):
        notificaties.assert_no_violations()


def test_an_injected_fault_answers_once(notificaties):
    subscribe_as_the_spec_says(notificaties, {})
    notificaties.fail("POST", "/abonnement", status=503)
    post = lambda: requests.post(f"{notificaties.base_url}/abonnement",  # noqa: E731
                                 json=SUBSCRIPTION, headers={"Authorization": "Bearer t"},
                                 timeout=5)

    assert post().status_code == 503
    assert post().status_code == 201
    assert len(notificaties.calls("POST", "/abonnement")) == 2


def refuse_as(server, body):
    @server.route("POST", "/abonnement")
    def refuse(request):
        return Reply(403, body, content_type="application/problem+json")


FOUT = {"type": "", "code": "permission_denied", "title": "Geen rechten", "status": 403,
        "detail": "U heeft geen rechten", "instance": "urn:uuid:1"}


@pytest.mark.parametrize(("body", "violations"), [(FOUT, 0), ({"detail": "no title"}, 1)])
def test_a_problem_json_answer_is_read_as_json_and_checked(notificaties, body, violations):
    refuse_as(notificaties, body)
    answer = requests.post(f"{notificaties.base_url}/abonnement", json=SUBSCRIPTION,
                           headers={"Authorization": "Bearer token"}, timeout=5)

    assert answer.status_code == 403
    assert len(notificaties.violations) == violations, notificaties.violations
