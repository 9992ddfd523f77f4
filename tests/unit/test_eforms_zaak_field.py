"""The e-form engine's `zaak` field: one of the resident's own decided zaken, and the
condition on how long ago it was decided (an objection after six weeks asks why)."""

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from app.eforms.definitions import DefinitionError, get_definition, parse_definition
from app.eforms.engine import build_step_form, display_value, step_answers, validate_step
from app.eforms.services import relevante_zaken
from app.texts import Text
from app.zaken.services import today
from app.zaken.store import DecidedZaak, RelevanteZaak

PERMIT = DecidedZaak("ZAAK-2026-0000000007", Text("Parkeervergunning", "Parking permit"),
                     "PARKEERVERGUNNING", date(2026, 3, 2))
OBJECTION = DecidedZaak("ZAAK-2026-0000000008", Text("Bezwaar", "Objection"), "BEZWAAR",
                        date(2026, 4, 1))


def form_with(*steps) -> dict:
    return {"slug": "proef", "zaaktype": "BEZWAAR", "login": "required",
            "title": {"nl": "Proef"}, "intro": {"nl": "Intro"}, "omschrijving": {"nl": "Proef"},
            "what_happens_next": {"nl": "Wij nemen contact op."}, "steps": list(steps)}


ZAAK_STEP = {"id": "besluit", "title": {"nl": "Besluit"}, "fields": [
    {"name": "besluit", "type": "zaak", "label": {"nl": "Besluit"}}]}


def test_decided_before_needs_a_zaak_field_and_a_duration():
    late = {"id": "laat", "title": {"nl": "Laat"}, "fields": [
        {"name": "reden", "type": "text", "label": {"nl": "Reden"}}]}
    parse_definition(form_with(ZAAK_STEP, {**late, "show_if": {
        "field": "besluit", "decided_before": "P6W"}}))
    with pytest.raises(DefinitionError, match="not an ISO 8601 duration"):
        parse_definition(form_with(ZAAK_STEP, {**late, "show_if": {
            "field": "besluit", "decided_before": "zes weken"}}))
    radio = {"id": "keuze", "title": {"nl": "Keuze"}, "fields": [
        {"name": "keuze", "type": "radio", "label": {"nl": "K"},
         "options": [{"value": "a", "label": {"nl": "A"}}]}]}
    with pytest.raises(DefinitionError, match="needs a zaak field"):
        parse_definition(form_with(radio, {**late, "show_if": {
            "field": "keuze", "decided_before": "P6W"}}))


def test_the_late_question_shows_after_six_weeks_only(app):
    with app.app_context():
        bezwaar, klacht = get_definition("bezwaar"), get_definition("klacht")
    late = bezwaar.step("te-laat")
    decided = (today() - timedelta(weeks=6)).isoformat()
    assert not late.show_if.holds({"besluit": {"einddatum": decided}})
    longer = (today() - timedelta(weeks=6, days=1)).isoformat()
    assert late.show_if.holds({"besluit": {"einddatum": longer}})
    assert bezwaar.objection_period == "P6W" and klacht.objection_period is None


def test_only_offered_zaken_can_be_chosen_and_the_answer_names_the_zaak(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # the form alone, no page
    with app.test_request_context():
        bezwaar = get_definition("bezwaar")
        step = bezwaar.step("besluit")
        shown = build_step_form(bezwaar, step, {}, "en", decided_zaken=[PERMIT, OBJECTION])
        assert [c[0] for c in shown.besluit.iter_choices()] == [PERMIT.identificatie]
        other = build_step_form(bezwaar, step, {}, "en", formdata=MultiDict(
            {"besluit": "ZAAK-2026-0000000999"}), decided_zaken=[PERMIT])
        assert not validate_step(step, other, {}) and other.besluit.errors
        chosen = build_step_form(bezwaar, step, {}, "en", formdata=MultiDict(
            {"besluit": PERMIT.identificatie}), decided_zaken=[PERMIT])
        assert validate_step(step, chosen, {})
        answers = step_answers(step, chosen, {})
        assert display_value(step.fields[0], answers["besluit"], "nl") == \
            "Parkeervergunning, zaaknummer ZAAK-2026-0000000007, besluit van 2 maart 2026"
    assert relevante_zaken(bezwaar, answers) == (RelevanteZaak(PERMIT.identificatie),)


def test_an_optional_zaak_field_is_left_out_for_a_visitor(app):
    with app.test_request_context():
        klacht = get_definition("klacht")
        form = build_step_form(klacht, klacht.step("klacht"), {}, "nl")
    assert "zaak" not in form._fields and "wat" in form._fields
