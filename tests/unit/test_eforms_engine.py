"""The form engine: definitions, conditions, step counting, idempotent submit."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from app.contacts.models import Contact
from app.eforms.definitions import (
    DefinitionError,
    get_definition,
    load_definitions,
    parse_definition,
)
from app.eforms.engine import follows_on_page, heading_field, prune, step_position, visible_steps
from app.eforms.models import FormDraft
from app.eforms.services import (
    Applicant,
    UploadArea,
    cleanup_drafts,
    create_draft,
    submit_draft,
    utcnow,
)
from app.zaken.models import Zaak

MINIMAL = {
    "slug": "proef", "zaaktype": "VRAAG", "login": "optional",
    "title": {"nl": "Proef"}, "intro": {"nl": "Intro"}, "omschrijving": {"nl": "Proef"},
    "what_happens_next": {"nl": "Wij nemen contact op."},
    "steps": [
        {"id": "een", "title": {"nl": "Een"}, "fields": [
            {"name": "keuze", "type": "radio", "label": {"nl": "Keuze"},
             "options": [{"value": "ja", "label": {"nl": "Ja"}}, {"value": "nee", "label": {"nl": "Nee"}}]},
            {"name": "toelichting", "type": "text", "label": {"nl": "Toelichting"},
             "show_if": {"field": "keuze", "equals": "ja"}},
        ]},
        {"id": "twee", "title": {"nl": "Twee"}, "show_if": {"field": "keuze", "equals": "ja"},
         "fields": [{"name": "extra", "type": "text", "label": {"nl": "Extra"}}]},
        {"id": "drie", "title": {"nl": "Drie"}, "fields": [{"name": "email", "type": "email",
                                                            "label": {"nl": "E-mail"}}]},
    ],
}


def with_changes(**changes) -> dict:
    return {**MINIMAL, **changes}


def test_every_shipped_definition_loads():
    definitions = load_definitions()
    assert {"verhuizing", "melding-openbare-ruimte"} <= set(definitions)


@pytest.mark.parametrize(("data", "message"), [
    (with_changes(login="maybe"), "login must be"),
    (with_changes(steps=[]), "at least one [[steps]]"),
    (with_changes(title={"en": "Only English"}), "title"),
    (with_changes(steps=[{**MINIMAL["steps"][0], "fields": [{"name": "x", "type": "adress",
                                                             "label": {"nl": "X"}}]}]),
     "unknown type 'adress'"),
    (with_changes(steps=[MINIMAL["steps"][1], MINIMAL["steps"][0]]), "not an earlier field"),
    (with_changes(steps=[MINIMAL["steps"][0], {**MINIMAL["steps"][1], "id": "controleren"}]),
     "controleren"),
    (with_changes(steps=[MINIMAL["steps"][0], MINIMAL["steps"][0]]), "used twice"),
    (with_changes(kenmerken=["bestaat_niet"]), "bestaat_niet"),
])
def test_wrong_definitions_are_refused_with_a_clear_message(data, message):
    with pytest.raises(DefinitionError, match=r"proef\.toml") as error:
        parse_definition(data, "proef.toml")
    assert message in str(error.value)


def test_conditions_and_step_counting():
    definition = parse_definition(MINIMAL)
    assert [s.id for s in visible_steps(definition, {})] == ["een", "drie"]
    assert [s.id for s in visible_steps(definition, {"keuze": "ja"})] == ["een", "twee", "drie"]
    assert step_position(definition, {"keuze": "nee"}, definition.steps[2]) == (2, 2)
    assert step_position(definition, {"keuze": "ja"}, definition.steps[2]) == (3, 3)


def test_hidden_answers_are_dropped():
    definition = parse_definition(MINIMAL)
    answers = {"keuze": "nee", "toelichting": "oud", "extra": "oud", "email": "a@example.org"}
    assert prune(definition, answers) == {"keuze": "nee", "email": "a@example.org"}


def test_a_step_that_asks_one_question_makes_its_label_the_heading():
    asked_once = with_changes(steps=[
        {**MINIMAL["steps"][0], "title": {"nl": "Keuze"}}, *MINIMAL["steps"][1:]])
    step = parse_definition(asked_once).steps[0]
    assert follows_on_page(step, step.fields[1]) and not follows_on_page(step, step.fields[0])
    assert heading_field(step, "nl", {"keuze", "toelichting"}) is step.fields[0]
    assert heading_field(step, "nl", {"toelichting"}) is None              # not on the page
    assert heading_field(parse_definition(MINIMAL).steps[0], "nl", {"keuze"}) is None  # other title
    two_questions = with_changes(steps=[{**MINIMAL["steps"][0], "title": {"nl": "Keuze"}, "fields": [
        MINIMAL["steps"][0]["fields"][0], {"name": "los", "type": "text", "label": {"nl": "Los"}}]}])
    assert heading_field(parse_definition(two_questions).steps[0], "nl", {"keuze", "los"}) is None


def test_twenty_parallel_submits_of_one_draft_give_one_zaak(app, tmp_path):
    """Real transactions on the app's engine (not the rolled-back test connection)."""
    database = app.extensions["db"]
    with app.app_context():
        definition = get_definition("melding-openbare-ruimte")
    with database.sessionmaker() as session:
        # The ledger rows this test commits are removed after it, as the draft is.
        last_contact = session.scalar(select(func.coalesce(func.max(Contact.id), 0)))
        draft = create_draft(session, definition, owner_bsn=None, lifetime=timedelta(days=7))
        draft.answers = {"soort": "afval", "omschrijving": "Zwerfvuil", "locatie_soort": "beschrijving",
                         "locatie_beschrijving": "Markt", "email": "parallel@example.org"}
        draft.completed_steps = [s.id for s in definition.steps]
        session.commit()
        draft_id = draft.id
    results, errors = [], []
    barrier = threading.Barrier(20)

    def submit():
        try:
            with app.app_context(), database.sessionmaker() as session:
                barrier.wait()
                number = submit_draft(session, draft_id, definition, applicant=Applicant(),
                                      uploads=UploadArea(tmp_path), locale="nl")
                session.commit()
                results.append(number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert not errors, errors
        assert len(results) == 20 and len(set(results)) == 1
        with database.sessionmaker() as session:
            assert session.scalar(select(func.count()).select_from(Zaak)
                                  .where(Zaak.identificatie == results[0])) == 1
            assert session.get(FormDraft, draft_id).zaak_identificatie == results[0]
    finally:
        with database.sessionmaker() as session:
            session.execute(delete(FormDraft).where(FormDraft.id == draft_id))
            session.execute(delete(Contact).where(Contact.id > last_contact))
            session.commit()


def test_cleanup_deletes_expired_drafts_and_old_submitted_answers(app, db_connection, tmp_path):
    with app.app_context():
        definition = get_definition("melding-openbare-ruimte")
        session = app.extensions["db"].sessionmaker()
        now = utcnow()
        expired = create_draft(session, definition, owner_bsn=None, lifetime=timedelta(days=7),
                               now=now - timedelta(days=8))
        current = create_draft(session, definition, owner_bsn=None, lifetime=timedelta(days=7), now=now)
        submitted = create_draft(session, definition, owner_bsn=None, lifetime=timedelta(days=7),
                                 now=now - timedelta(days=40))
        submitted.submitted_at = now - timedelta(days=31)
        submitted.zaak_identificatie = "ZAAK-2026-0000000001"
        uploads = UploadArea(tmp_path)
        uploads.save(expired.id, b"%PDF-")
        result = cleanup_drafts(session, uploads, submitted_retention=timedelta(days=30), now=now)
        assert (result.expired_deleted, result.submitted_deleted) == (1, 1)
        assert session.get(FormDraft, current.id) is not None
        assert not any(tmp_path.iterdir())
        session.close()


@pytest.mark.parametrize(("confirmation", "message"), [
    ({"field": "email", "shows": [], "status": 2}, "field must name a bsn field"),
    ({"field": "partner", "shows": ["partner"], "status": 2}, "a BSN is never shown"),
    ({"field": "partner", "shows": []}, "status must be the volgnummer"),
    ({"field": "partner", "shows": ["keuze"], "status": 2},
     "'keuze' needs a label for the confirmer"),
    ({"field": "partner", "shows": [], "status": 2, "labels": {"keuze": {"nl": "Uw keuze"}}},
     "'keuze' needs a label for the confirmer, and only a shown answer has one"),
])
def test_a_wrong_confirmation_is_refused(confirmation, message):
    with_partner = with_changes(login="required", confirmation=confirmation, steps=[
        *MINIMAL["steps"], {"id": "vier", "title": {"nl": "Vier"}, "fields": [
            {"name": "partner", "type": "bsn", "label": {"nl": "BSN partner"}}]}])
    with pytest.raises(DefinitionError, match="confirmation") as error:
        parse_definition(with_partner, "proef.toml")
    assert message in str(error.value)
