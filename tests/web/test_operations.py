"""What the operator sees: JSON log lines with a request id, one access line per request
without personal data, Prometheus metrics only for the operator, security.txt, the API's
API-Version header."""

import io
import json
import logging
import re
import shutil
from pathlib import Path

import pytest
from alembic import command

from app import create_app
from app.cli import alembic_config
from app.config import TestConfig
from app.db import transaction
from app.notifications.models import STATUS_FAILED
from app.notifications.services import queue_mail
from app.operations.logs import HANDLER_NAME

TOKEN = "scraper-token-0123456789"
SANE_ID = "haproxy-4f1c2a:17"


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory) -> Path:
    """A database of this module's own, built by the migrations once."""
    path = tmp_path_factory.mktemp("ops") / "migrated.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "heads")
    return path


@pytest.fixture
def ops_db(migrated_db, tmp_path) -> Path:
    """A fresh copy of it per test: the tests commit mails and count them."""
    return Path(shutil.copy(migrated_db, tmp_path / "ops.db"))


def _app(ops_db, **settings):
    config = {"DATABASE_URL": f"sqlite:///{ops_db}", "LOG_FORMAT": "json",
              "METRICS_TOKEN": TOKEN, "SECURITY_CONTACT": "mailto:security@elburg.example",
              "SECURITY_TXT_EXPIRES": "2027-06-30", **settings}
    return create_app(type("Config", (TestConfig,), config))


@pytest.fixture
def root_handlers():
    """create_app replaces the portal's log handler; give the other tests theirs back."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield
    root.handlers[:] = before
    root.setLevel(level)


@pytest.fixture
def behind_balancer(ops_db, root_handlers):
    return _app(ops_db, PROXY_COUNT=1)


@pytest.fixture
def log_lines():
    """The portal handler's output, each line parsed as JSON (a line that is not fails)."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME)
    stream = io.StringIO()
    handler.setStream(stream)
    return lambda: [json.loads(line) for line in stream.getvalue().splitlines()]


def _access_lines(lines):
    return [line for line in lines if line["logger"] == "app.access"]


def test_one_json_access_line_per_request_names_the_route_not_the_path(behind_balancer,
                                                                       log_lines):
    draft = "0b7c1f7e-2f6d-4a4e-9a51-3f1d2b8c9e10"
    response = behind_balancer.test_client().get(
        f"/formulieren/melding-openbare-ruimte/{draft}/later?token=s3cret",
        headers={"X-Request-ID": SANE_ID})
    [line] = _access_lines(log_lines())
    assert line["method"] == "GET"
    assert line["route"] == "/formulieren/<slug>/<draft_id>/later"
    assert line["status"] == response.status_code
    assert isinstance(line["duration_ms"], float)
    assert line["request_id"] == SANE_ID == response.headers["X-Request-ID"]
    assert draft not in json.dumps(line) and "s3cret" not in json.dumps(line)


def test_extra_fields_of_a_log_call_appear_in_the_json_with_the_request_id(behind_balancer,
                                                                           log_lines):
    with behind_balancer.test_request_context(headers={"X-Request-ID": SANE_ID}):
        behind_balancer.preprocess_request()
        logging.getLogger("app.eforms.services").info(
            "e-form submitted", extra={"form": "terugbelverzoek", "zaak": "ZAAK-2026-0001"})
    [line] = log_lines()
    assert line["message"] == "e-form submitted"
    assert line["form"] == "terugbelverzoek" and line["zaak"] == "ZAAK-2026-0001"
    assert line["request_id"] == SANE_ID
    assert line["level"] == "INFO"


@pytest.mark.parametrize("offered", ["", "two words", "x" * 200, "id\";drop", "ü-id"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(behind_balancer, log_lines,
                                                              offered):
    response = behind_balancer.test_client().get("/healthz", headers={"X-Request-ID": offered})
    given = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", given)
    assert _access_lines(log_lines())[0]["request_id"] == given


def test_without_a_balancer_the_visitors_request_id_is_not_taken(ops_db, root_handlers):
    app = _app(ops_db)  # PROXY_COUNT=0: the header comes straight from the visitor
    response = app.test_client().get("/healthz", headers={"X-Request-ID": SANE_ID})
    assert response.headers["X-Request-ID"] != SANE_ID


def test_text_logs_carry_the_request_id_too(ops_db, root_handlers):
    app = _app(ops_db, LOG_FORMAT="text", PROXY_COUNT=1)
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME)
    handler.setStream(stream := io.StringIO())
    app.test_client().get("/healthz", headers={"X-Request-ID": SANE_ID})
    assert f"app.access [{SANE_ID}]: GET /healthz 200" in stream.getvalue()


def test_an_unknown_log_format_stops_the_app(ops_db, root_handlers):
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        _app(ops_db, LOG_FORMAT="xml")


# --------------------------------------------------------------------------- metrics


def _scrape(client, token=TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def _sample(text: str, name: str, **labels) -> float:
    """The value of one sample in Prometheus' text format (0 when it is not there yet)."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        metric, _, value = line.rpartition(" ")
        if metric == (f"{name}{{{wanted}}}" if labels else name):
            return float(value)
    return 0.0


def test_a_visitor_cannot_read_the_metrics(behind_balancer):
    client = behind_balancer.test_client()
    assert client.get("/metrics").status_code == 401
    assert _scrape(client, token="guess").status_code == 401
    assert "portal_" not in client.get("/metrics").get_data(as_text=True)


def test_without_a_token_there_are_no_metrics(ops_db, root_handlers):
    app = _app(ops_db, METRICS_TOKEN="")
    assert app.test_client().get("/metrics", headers={"Authorization": "Bearer "}).status_code \
        == 404


def test_a_request_moves_the_request_count_and_the_latency_histogram(behind_balancer):
    client = behind_balancer.test_client()
    before = _scrape(client).get_data(as_text=True)
    client.get("/healthz")
    after = _scrape(client)
    assert after.status_code == 200 and after.mimetype == "text/plain"
    text = after.get_data(as_text=True)
    labels = {"method": "GET", "route": "/healthz", "status": "200"}
    assert _sample(text, "portal_http_request_duration_seconds_count", **labels) \
        == _sample(before, "portal_http_request_duration_seconds_count", **labels) + 1
    assert _sample(text, "portal_http_request_duration_seconds_sum", **labels) \
        > _sample(before, "portal_http_request_duration_seconds_sum", **labels)


def test_a_refused_login_moves_the_login_failures(behind_balancer):
    client = behind_balancer.test_client()
    before = _sample(_scrape(client).get_data(as_text=True), "portal_login_failures_total",
                     kind="digid")
    refused = client.get("/inloggen/digid/callback?state=forged&code=forged")
    assert refused.status_code in (400, 403)
    after = _sample(_scrape(client).get_data(as_text=True), "portal_login_failures_total",
                    kind="digid")
    assert after == before + 1


def test_the_outbox_backlog_and_failed_mails_are_read_from_the_database(behind_balancer):
    client = behind_balancer.test_client()
    with behind_balancer.app_context():
        with transaction() as db:
            for number in range(3):
                queue_mail(db, to=f"inwoner{number}@example.org", subject="Test", text="Hallo")
        with transaction() as db:
            queue_mail(db, to="kapot@example.org", subject="Test", text="Hallo").status = \
                STATUS_FAILED
    text = _scrape(client).get_data(as_text=True)
    assert _sample(text, "portal_outbox_waiting_mails") == 3
    assert _sample(text, "portal_outbox_failed_mails") == 1


# --------------------------------------------------------------------------- security.txt


def test_security_txt_says_where_to_report_and_until_when(behind_balancer):
    response = behind_balancer.test_client().get("/.well-known/security.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True).splitlines() == [
        "Contact: mailto:security@elburg.example",
        "Expires: 2027-06-30T23:59:59Z",
        "Preferred-Languages: nl, en",
        "Canonical: http://localhost/.well-known/security.txt",
    ]


def test_a_contact_without_an_expiry_stops_the_app(ops_db, root_handlers):
    with pytest.raises(RuntimeError, match="SECURITY_TXT_EXPIRES"):
        _app(ops_db, SECURITY_TXT_EXPIRES="")


# --------------------------------------------------------------------------- API


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/zaken", "/api/v1/no-such"])
def test_every_api_answer_names_its_version(client, path):
    response = client.get(path)
    assert response.headers["API-Version"] == "1.0.0"


def test_the_site_does_not_carry_the_api_version(client):
    assert "API-Version" not in client.get("/healthz").headers


def test_the_openapi_document_declares_the_version_header_on_every_answer(client):
    document = client.get("/api/v1/openapi.json").get_json()
    answers = [answer for operations in document["paths"].values()
               for operation in operations.values() if isinstance(operation, dict)
               for answer in operation.get("responses", {}).values()]
    assert answers
    assert all("API-Version" in answer["headers"] for answer in answers)


def test_a_made_up_method_or_path_makes_no_series_of_its_own(behind_balancer, log_lines):
    client = behind_balancer.test_client()
    client.open("/no/such/page/4f1c2a", method="BREW")
    [line] = _access_lines(log_lines())
    assert (line["method"], line["route"]) == ("OTHER", "<unmatched>")
    text = _scrape(client).get_data(as_text=True)
    assert "BREW" not in text and "4f1c2a" not in text
    assert _sample(text, "portal_http_request_duration_seconds_count", method="OTHER",
                   route="<unmatched>", status="404") == 1
