"""Who may use the API: tokens (hashed, revocable), partners (scoped, switchable off), the
rate limit per token, the CLI that manages them and the demo partner's seed."""

import hashlib

import pytest
from sqlalchemy import select

from app.api.models import ApiAuditEntry, ApiPartner, ApiToken
from app.api.services import DEMO_PARTNER, get_partner, revoke_tokens, seed_demo_partner
from app.db import get_session
from tests.api.test_zaken_api import assert_problem
from tests.api_fixtures import config_set


@pytest.mark.parametrize("header", [None, "", "Token", "Token ", "Bearer {token}",
                                    "Token not-a-real-token", "Token {token}x"])
def test_a_missing_or_wrong_token_answers_401(api, header):
    token = api.partner()
    zaak = api.zaak()
    headers = {} if header is None else {"Authorization": header.format(token=token)}
    response = api.client.get(f"/api/v1/zaken/{zaak}", headers=headers)
    assert_problem(response, 401, "not_authenticated")
    assert response.headers["WWW-Authenticate"].startswith("Token")
    assert api.disclosures(zaak) == []
    entry = api.audit()[-1]
    assert (entry.partner_id, entry.status_code, entry.path) == (None, 401, f"/api/v1/zaken/{zaak}")


def test_the_token_scheme_is_case_insensitive(api):
    token = api.partner()
    zaak = api.zaak()
    assert api.client.get(f"/api/v1/zaken/{zaak}",
                          headers={"Authorization": f"token {token}"}).status_code == 200


def test_only_the_hash_of_a_token_is_stored(api):
    token = api.partner()
    with api.app.app_context():
        stored = get_session().scalars(select(ApiToken.token_hash)).all()
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert token not in stored
    assert len(token) >= 43  # 256 bits, base64url


def test_a_revoked_token_and_a_switched_off_partner_answer_401(api):
    first = api.partner(naam="Zorgaanbieder Ingetrokken")
    zaak = api.zaak()
    assert api.get(f"/zaken/{zaak}").status_code == 200
    with api.app.app_context():
        db = get_session()
        revoke_tokens(db, get_partner(db, "Zorgaanbieder Ingetrokken"))
        db.commit()
    assert_problem(api.get(f"/zaken/{zaak}", token=first), 401)

    second = api.partner(naam="Zorgaanbieder Uitgezet")
    with api.app.app_context():
        db = get_session()
        get_partner(db, "Zorgaanbieder Uitgezet").active = False
        db.commit()
    assert_problem(api.get(f"/zaken/{zaak}", token=second), 401)


def test_the_openapi_document_needs_no_token(api):
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.")


# --------------------------------------------------------------------------- rate limit


def test_the_rate_limit_counts_per_token_and_answers_429(api):
    zaak = api.zaak()
    busy = api.partner()
    calm = api.partner(use=False)
    with config_set(api.app, "API_RATE_LIMIT", "3/minute"):
        statuses = [api.get(f"/zaken/{zaak}", token=busy).status_code for _ in range(4)]
        limited = api.get(f"/zaken/{zaak}", token=busy)
        other = api.get(f"/zaken/{zaak}", token=calm)
    assert statuses == [200, 200, 200, 429]
    assert_problem(limited, 429, "throttled")
    assert int(limited.headers["Retry-After"]) > 0
    assert other.status_code == 200
    assert api.audit()[-2].status_code == 429


# --------------------------------------------------------------------------- CLI


def test_the_cli_creates_a_partner_and_prints_its_token_once(api):
    runner = api.app.test_cli_runner()
    result = runner.invoke(args=["api", "create-partner", "Thuiszorg Noord",
                                 "--zaaktype", "HULPVRAAG_WMO", "--zaaktype", "VERHUIZING"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    zaak = api.zaak(zaaktype="VERHUIZING")
    assert api.get(f"/zaken/{zaak}", token=token).status_code == 200

    listing = runner.invoke(args=["api", "list"])
    assert "Thuiszorg Noord: HULPVRAAG_WMO, VERHUIZING" in listing.output
    assert token[:8] in listing.output and token not in listing.output

    rotated = runner.invoke(args=["api", "new-token", "Thuiszorg Noord"])
    new_token = rotated.output.strip().splitlines()[-1]
    revoked = runner.invoke(args=["api", "revoke", "Thuiszorg Noord", "--token", token[:8]])
    assert revoked.exit_code == 0, revoked.output
    assert api.get(f"/zaken/{zaak}", token=token).status_code == 401
    assert api.get(f"/zaken/{zaak}", token=new_token).status_code == 200

    off = runner.invoke(args=["api", "revoke", "Thuiszorg Noord", "--deactivate"])
    assert off.exit_code == 0, off.output
    assert api.get(f"/zaken/{zaak}", token=new_token).status_code == 401


@pytest.mark.parametrize("args, message", [
    (["create-partner", "Iemand", "--zaaktype", "BESTAAT_NIET"], "BESTAAT_NIET"),
    (["create-partner", "Iemand"], "--zaaktype"),
    (["revoke", "Niemand"], "Niemand"),
])
def test_the_cli_refuses_what_it_cannot_do(api, args, message):
    result = api.app.test_cli_runner().invoke(args=["api", *args])
    assert result.exit_code != 0
    assert message in result.output


def test_the_cli_refuses_a_second_partner_with_the_same_name(api):
    api.partner(naam="Dubbel")
    result = api.app.test_cli_runner().invoke(
        args=["api", "create-partner", "Dubbel", "--zaaktype", "HULPVRAAG_WMO"])
    assert result.exit_code != 0 and "Dubbel" in result.output


def test_the_cli_purges_old_idempotency_keys(api):
    result = api.app.test_cli_runner().invoke(args=["api", "purge-keys", "--days", "1"])
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- demo seed


def test_the_demo_partner_is_seeded_only_with_a_demo_token(api):
    with api.app.app_context():
        db = get_session()
        assert seed_demo_partner(db, None) == 0
        assert get_partner(db, DEMO_PARTNER) is None
        assert seed_demo_partner(db, "demo-token-for-the-tour") == 1
        assert seed_demo_partner(db, "demo-token-for-the-tour") == 0  # idempotent
        partner = get_partner(db, DEMO_PARTNER)
        assert partner.scopes == ["HULPVRAAG_WMO"]
        assert len(partner.tokens) == 1
    zaak = api.zaak()
    response = api.get(f"/zaken/{zaak}", token="demo-token-for-the-tour")
    assert response.status_code == 200
    assert api.disclosures(zaak)[-1].recipient == "Zorgaanbieder De Linde"


def test_audit_entries_hold_no_bsn_and_no_body(api):
    api.partner()
    zaak = api.zaak()
    api.post(f"/zaken/{zaak}/statussen", {"statustype": {"volgnummer": 2},
                                          "statustoelichting": "BSN 999990019"}, key="k-1")
    with api.app.app_context():
        entries = get_session().scalars(select(ApiAuditEntry)).all()
        partners = get_session().scalars(select(ApiPartner)).all()
    columns = set(ApiAuditEntry.__table__.columns.keys())
    assert columns == {"id", "partner_id", "method", "path", "status_code", "idempotency_key", "at"}
    assert all("999990019" not in f"{e.path}{e.idempotency_key}" for e in entries)
    assert partners
