"""Nothing typed is lost: a form sent after the session ended (no JavaScript), or the one the
timeout script sends along at the idle limit, is back in the form after logging in again,
on its own page (with its query), for the same resident only."""

import html
import json
import re
from datetime import timedelta
from io import BytesIO
from urllib.parse import unquote

from flask import session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select, update
from wtforms import StringField

from app.auth.kept import claim_inputs, keep_input, owner_key, purge_kept_inputs
from app.auth.kept_forms import RESTORED, KeptInputForm, keep_at_expiry
from app.auth.models import KeptInput, WebSession
from app.auth.sessions import hash_session_id, utcnow
from tests.eforms_fixtures import PDF, form_csrf
from tests.factories import new_zaak
from tests.personas import FATIMA, JOHANNES
from tests.web.digid import csrf_token, login

CORRECTION = "/mijn-omgeving/gegevens/correctie?veld=geboorteplaats"
TYPED = {"wat_is_fout": "Ik ben in Zwolle geboren, niet in Utrecht.", "juiste_waarde": "Zwolle"}
NOTICE = "Wij hebben teruggezet wat u had ingevuld"


def _expire(client, db_connection):
    own = WebSession.id_hash == hash_session_id(client.get_cookie("portal_session").value)
    db_connection.execute(update(WebSession).where(own).values(
        last_seen_at=utcnow() - timedelta(minutes=16)))


def _kept_rows(db_connection) -> int:
    return db_connection.execute(select(func.count()).select_from(KeptInput)).scalar_one()


def _value_of(page: str, name: str) -> str:
    """A text input's value or a textarea's text on the page."""
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    if field:
        value = re.search(r'value="([^"]*)"', field.group(0))
        return html.unescape(value.group(1)) if value else ""
    area = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(area.group(1)).strip() if area else ""


def _send_after_expiry(client, db_connection, url=CORRECTION, data=None, **kwargs):
    page = client.get(url).get_data(as_text=True)
    _expire(client, db_connection)
    return client.post(url, data={"csrf_token": form_csrf(page), **(data or TYPED)}, **kwargs)


def test_a_form_sent_after_the_session_ended_is_back_after_logging_in(client, db_connection):
    login(client, FATIMA)
    sent = _send_after_expiry(client, db_connection,
                              data={**TYPED, "bewijs": (BytesIO(PDF), "akte.pdf")},
                              content_type="multipart/form-data")
    assert sent.status_code == 302
    expired_url = sent.headers["Location"]
    assert expired_url.startswith("/sessie-verlopen?next=")
    expired = client.get(expired_url).get_data(as_text=True)
    assert "Wat u had ingevuld maar nog niet had verstuurd, is bewaard" in expired
    assert "binnen 24 uur" in expired
    assert "Bestanden die u had gekozen, zijn niet bewaard" in expired
    # Logging in again leads to the form's own page, query and all (not "page not found").
    next_path = re.search(r'href="/inloggen/digid\?next=([^"]+)"', expired).group(1)
    back = login(client, FATIMA, next_path=unquote(html.unescape(next_path)))
    assert back.headers["Location"] == CORRECTION
    form = client.get(CORRECTION)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert _value_of(page, "wat_is_fout") == TYPED["wat_is_fout"]
    assert _value_of(page, "juiste_waarde") == "Zwolle"
    assert NOTICE in page
    assert _kept_rows(db_connection) == 0  # given back, so no longer kept
    again = client.get(CORRECTION).get_data(as_text=True)  # filled in once
    assert _value_of(again, "juiste_waarde") == "" and NOTICE not in again


def test_another_resident_on_the_same_browser_never_gets_it(client, db_connection):
    login(client, FATIMA)
    _send_after_expiry(client, db_connection)
    login(client, JOHANNES, next_path=CORRECTION.replace("geboorteplaats", "voornamen"))
    page = client.get(CORRECTION).get_data(as_text=True)
    assert "Zwolle" not in page and NOTICE not in page
    assert _kept_rows(db_connection) == 1  # still Fatima's
    client.post("/uitloggen", data={"csrf_token": csrf_token(page)})
    login(client, FATIMA, next_path=CORRECTION)
    assert _value_of(client.get(CORRECTION).get_data(as_text=True), "juiste_waarde") == "Zwolle"


def test_a_post_without_the_ended_sessions_token_keeps_nothing(client, db_connection):
    login(client, FATIMA)
    client.get(CORRECTION)
    _expire(client, db_connection)
    sent = client.post(CORRECTION, data={"csrf_token": "forged", **TYPED})
    assert sent.status_code == 302 and _kept_rows(db_connection) == 0
    expired = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "is bewaard" not in expired
    assert "Log opnieuw in om terug te gaan naar de pagina waar u was" in expired


def test_an_eform_step_sent_after_expiry_comes_back_in_its_step(client, db_connection):
    login(client, FATIMA)
    started = client.post("/formulieren/vraag", data={
        "csrf_token": form_csrf(client.get("/formulieren/vraag").get_data(as_text=True))})
    step = started.headers["Location"]
    sent = _send_after_expiry(client, db_connection, url=step,
                              data={"vraag": "Wanneer wordt het grofvuil opgehaald?",
                                    "action": "continue"})
    assert sent.status_code == 302
    login(client, FATIMA, next_path=step)
    page = client.get(step).get_data(as_text=True)
    assert "Wanneer wordt het grofvuil opgehaald?" in page and NOTICE in page


def test_the_timeout_script_sends_the_changed_form_along(client, db_connection):
    login(client, FATIMA)
    page = client.get(CORRECTION).get_data(as_text=True)
    ended = client.post("/sessie-verlopen", data={
        "csrf_token": csrf_token(page), "next": CORRECTION,
        "kept_fields": json.dumps([["wat_is_fout", "Verkeerde plaats"], ["juiste_waarde", "Kampen"]])})
    assert ended.status_code == 302
    assert client.get("/mijn-omgeving").status_code == 302  # logged out
    expired = client.get(ended.headers["Location"]).get_data(as_text=True)
    assert "is bewaard" in expired and "Bestanden" not in expired
    login(client, FATIMA, next_path=CORRECTION)
    page = client.get(CORRECTION).get_data(as_text=True)
    assert _value_of(page, "juiste_waarde") == "Kampen"
    assert _value_of(page, "wat_is_fout") == "Verkeerde plaats"


def test_the_script_is_heard_when_the_server_ended_the_session_first(client, db_connection):
    login(client, FATIMA)
    page = client.get(CORRECTION).get_data(as_text=True)
    _expire(client, db_connection)
    client.post("/sessie-verlopen", data={
        "csrf_token": csrf_token(page), "next": CORRECTION, "kept_files": "1",
        "kept_fields": json.dumps([["juiste_waarde", "Kampen"]])})
    assert _kept_rows(db_connection) == 1
    login(client, FATIMA, next_path=CORRECTION)
    assert _value_of(client.get(CORRECTION).get_data(as_text=True), "juiste_waarde") == "Kampen"


def test_a_booking_step_comes_back_with_the_steps_before_it(client, db_connection, app):
    login(client, FATIMA)
    with client.session_transaction() as session:
        flow = {"products": ["paspoort"], "persons": 1, "location": "gemeentehuis",
                "day": "2030-01-07", "start": "2030-01-07T09:00:00+01:00"}
        session["appointment_flow"] = flow
    sent = _send_after_expiry(client, db_connection, url="/afspraak/gegevens",
                              data={"email": "nieuw@example.nl", "phone": "0612345678"})
    assert sent.status_code == 302
    login(client, FATIMA, next_path="/afspraak/gegevens")
    with client.session_transaction() as session:
        assert session["appointment_flow"] == flow
    page = client.get("/afspraak/gegevens").get_data(as_text=True)
    assert _value_of(page, "email") == "nieuw@example.nl" and NOTICE in page


def test_kept_input_expires_and_is_purged(app, db_connection):
    from app.db import get_session

    with app.app_context():
        db = get_session()
        owner = owner_key("secret", FATIMA)
        kept_id = keep_input(db, owner=owner, path="/x", fields=[("a", "b")], session_state={},
                             files_left_out=False, lifetime=timedelta(hours=1),
                             now=utcnow() - timedelta(hours=2))
        assert claim_inputs(db, [kept_id], owner=owner) == ([], [])
        assert purge_kept_inputs(db) == 1
        assert owner_key("secret", FATIMA) != owner_key("secret", FATIMA, JOHANNES)


def test_what_is_worth_keeping_leaves_out_the_token_and_secrets():
    from app.auth.kept import worth_keeping

    assert worth_keeping([("csrf_token", "x"), ("wachtwoord", "geheim"), ("Password2", "p"),
                          ("naam", "Anna"), ("leeg", "")]) == [("naam", "Anna"), ("leeg", "")]
    assert worth_keeping([("csrf_token", "x"), ("naam", "  ")]) == []  # nothing typed


# --------------------------------------------------------------------------- forms with a prefix

UPLOAD_ACTION = re.compile(r'action="(/mijn-omgeving/zaken/[^"]+/verzoeken/(\d+))"')


def test_the_zaak_pages_upload_sent_after_expiry_is_kept_and_says_the_file_was_not(
        client, db_connection, app):
    # Its form has a prefix per request, so its CSRF field is "verzoek-<id>-csrf_token".
    zaaknummer = new_zaak(app, requests=["Een kopie van uw huurcontract"])
    zaak_page = f"/mijn-omgeving/zaken/{zaaknummer}"
    login(client, FATIMA, next_path=zaak_page)
    page = client.get(zaak_page).get_data(as_text=True)
    path, number = UPLOAD_ACTION.search(page).groups()
    prefix = f"verzoek-{number}"
    assert f'name="{prefix}-csrf_token"' in page
    _expire(client, db_connection)
    sent = client.post(path, data={f"{prefix}-csrf_token": form_csrf(page),
                                   f"{prefix}-document": (BytesIO(PDF), "huur.pdf")},
                       content_type="multipart/form-data",
                       headers={"Referer": f"http://localhost{zaak_page}"})
    assert sent.status_code == 302
    expired = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Bestanden die u had gekozen, zijn niet bewaard" in expired
    assert _kept_rows(db_connection) == 1
    back = login(client, FATIMA, next_path=zaak_page)
    assert back.headers["Location"] == zaak_page and _kept_rows(db_connection) == 0


class ReportForm(KeptInputForm):
    """A resident's form as a page with two forms holds it: with a prefix."""

    melding = StringField("Melding")


def test_a_form_with_a_prefix_is_kept_without_its_token_and_filled_in_again(app,
                                                                             db_connection):
    resident = {"bsn": FATIMA}
    with app.test_request_context("/"):
        token = generate_csrf()
        ended_session = {"resident": resident, "csrf_token": session["csrf_token"]}
    posted = {"melding-csrf_token": token, "melding-melding": "Lantaarnpaal kapot"}
    with app.test_request_context(CORRECTION, method="POST", data=posted):
        kept_id = keep_at_expiry(ended_session, CORRECTION, posted_in_it=False)
    assert kept_id is not None
    [row] = db_connection.execute(select(KeptInput.fields)).scalars()
    assert row == [["melding-melding", "Lantaarnpaal kapot"]]  # not the old session's token
    with app.test_request_context(CORRECTION):
        session[RESTORED] = {CORRECTION: row}
        assert ReportForm(prefix="melding").melding.data == "Lantaarnpaal kapot"
