"""Back office: correction requests (correctierecht). Team Burgerzaken compares the value
in the persons store with the value the resident proposes and the evidence, then approves
or rejects with a reason. Either way the zaak is closed and the resident gets one message
about it. An approval is a decision the portal records (app.persons.services
record_correction_decision); the persons source applies it where it may be written (the
local table), while in the BRP itself Burgerzaken corrects the record from the zaak.
"""

from __future__ import annotations

import logging

from flask import abort, render_template, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import Permission, can_handle_zaak, can_view_zaak, requires
from app.auth.staff import team_label
from app.backoffice import bp
from app.backoffice.common import TeamZaak, dutch, notices, perform
from app.backoffice.corrections.forms import CorrectionApproveForm, CorrectionRejectForm
from app.backoffice.corrections.services import (
    CORRECTION_TEAM,
    correction_request,
    is_correction,
    open_corrections,
)
from app.backoffice.services import zaak_for_staff
from app.berichten.services import send_message
from app.db import get_session, transaction
from app.persons.services import (
    CORRECTION_CATEGORIES,
    CorrectionValueError,
    Persoon,
    correction_changes,
    get_persons_source,
    log_disclosure,
    record_correction_decision,
)
from app.pip.services import ITEMS_BY_KEY
from app.ui.dates import short_date, short_date_time
from app.zaken.store import StaffZaak, get_zaken_store

log = logging.getLogger(__name__)

APPROVED, REJECTED = "Gecorrigeerd", "Afgewezen"  # the CORRECTIEVERZOEK resultaattypen


def _check_team() -> None:
    """The list is team Burgerzaken's work: others who may not see its zaken get 403."""
    if not can_view_zaak(current_user, TeamZaak(CORRECTION_TEAM)):
        abort(403)


@bp.get("/correctieverzoeken")
@requires(Permission.HANDLE_ZAKEN)
def corrections():
    _check_team()
    # The list shows what is asked and by whom, not the values: those are on the decision
    # page, whose every view is in the resident's disclosure log.
    rows = []
    for zaak in open_corrections(get_session()):
        asked = correction_request(zaak)
        initiator = zaak.initiator
        rows.append([
            {"text": zaak.identificatie,
             "href": url_for("backoffice.correction", identificatie=zaak.identificatie)},
            asked.veld_omschrijving or "-", initiator.naam if initiator else "",
            short_date(zaak.startdatum), str(len(zaak.documenten))])
    return render_template("backoffice/corrections.html", active="corrections", rows=rows,
                           notices=notices())


# --------------------------------------------------------------------------- one request


def _correction(db, identificatie: str, *, lock: bool = False) -> StaffZaak:
    zaak = zaak_for_staff(db, identificatie, for_update=lock)
    if zaak is None or not is_correction(zaak):
        abort(404)
    if not can_view_zaak(current_user, zaak):
        log.warning("backoffice: correction refused", extra={"zaak": identificatie,
                                                              "staff": current_user.username})
        abort(403)
    return zaak


def _categories(zaak: StaffZaak) -> list[str]:
    field = correction_request(zaak).veld
    categories = [CORRECTION_CATEGORIES.get(field, "naam"), "zaakgegevens"]
    return categories + (["documenten"] if zaak.documenten else [])


def _log(db, zaak: StaffZaak, purpose: str, categories: list[str]) -> None:
    bsn = zaak.initiator_bsn
    if bsn:
        log_disclosure(db, bsn=bsn, recipient=current_user.disclosure_recipient, purpose=purpose,
                       zaak=zaak.identificatie, data_categories=categories, channel="backoffice")


def _current_value(person: Persoon | None, field: str) -> str | None:
    """The value as the persons store has it now, shown as the resident's page shows it
    (app.pip.services formats the items in one place)."""
    item = ITEMS_BY_KEY.get(field)
    if person is None or item is None:
        return None
    return item.value(person)


def show_correction(identificatie: str, failed: dict | None = None, status_code: int = 200):
    with transaction() as db:
        zaak = _correction(db, identificatie)
        bsn = zaak.initiator_bsn
        persons = get_persons_source()
        person = persons.get_person(bsn) if bsn else None
        _log(db, zaak, dutch(_l("Handling your request to correct your data")), _categories(zaak))
    asked = correction_request(zaak)
    failed = failed or {}
    approve = failed.get("approve") or CorrectionApproveForm(prefix="goedkeuren",
                                                             data={"waarde": asked.juiste_waarde})
    reject = failed.get("reject") or CorrectionRejectForm(prefix="afwijzen")
    return render_template(
        "backoffice/correction.html", active="corrections", zaak=zaak, asked=asked,
        current=_current_value(person, asked.veld), person_found=person is not None,
        secret=person is not None and person.geheimhouding_persoonsgegevens,
        applies_corrections=persons.applies_corrections,
        evidence=[{"titel": d.titel, "bestandsnaam": d.bestandsnaam,
                   "href": url_for("backoffice.zaak_document", identificatie=zaak.identificatie,
                                   document_id=d.id)} for d in zaak.documenten],
        received=short_date(zaak.startdatum), team=team_label(zaak.team),
        resultaat=zaak.resultaat and {
            "omschrijving": zaak.resultaat.resultaattype.omschrijving.nl,
            "toelichting": zaak.resultaat.toelichting, "when": short_date_time(zaak.resultaat.datum)},
        can_decide=(can_handle_zaak(current_user, zaak) and not zaak.is_closed
                    and person is not None),
        approve=approve, reject=reject, failed=next(iter(failed.values()), None),
        form_errors=bool(failed), notices=notices()), status_code


@bp.get("/correctieverzoeken/<identificatie>")
@requires(Permission.HANDLE_ZAKEN)
def correction(identificatie: str):
    return show_correction(identificatie)


def _zaak_to_decide(identificatie: str) -> StaffZaak:
    zaak = _correction(get_session(), identificatie)
    if not can_handle_zaak(current_user, zaak):
        abort(403)
    return zaak


VALUE_ERRORS = {
    "empty": _l("Enter the value to record"),
    "too_long": _l("The value is too long"),
    "date": _l("Enter a date as day-month-year, for example 1-3-1990"),
    "sex": _l("Enter vrouw, man or onbekend"),
    "house_number": _l("Enter a house number, with a letter or addition if there is one, "
                       "for example 14, 14A or 14-2"),
    "postcode": _l("Enter a postcode like 8081 BP"),
    "unknown_field": _l("This item cannot be corrected here"),
}


@bp.post("/correctieverzoeken/<identificatie>/goedkeuren")
@requires(Permission.HANDLE_ZAKEN)
def correction_approve(identificatie: str):
    zaak = _zaak_to_decide(identificatie)
    field = correction_request(zaak).veld
    form = CorrectionApproveForm(prefix="goedkeuren")
    if form.validate_on_submit():
        try:
            correction_changes(field, form.waarde.data)
        except CorrectionValueError as error:
            form.waarde.errors = [str(VALUE_ERRORS[error.reason])]
    if form.errors:
        return show_correction(identificatie, {"approve": form}, 400)
    value = " ".join(form.waarde.data.split())

    def work(db, zaak: StaffZaak) -> str:
        asked = correction_request(zaak)
        decision = record_correction_decision(db, zaak=zaak.identificatie,
                                              bsn=zaak.initiator_bsn, field=asked.veld,
                                              value=value, decided_by=current_user.actor)
        field = asked.veld_omschrijving.lower()
        # A source the portal may not write (the BRP behind Haal Centraal) declines: then
        # the resident is told the change is under way, and the employee that it is theirs
        # to make in the BRP.
        applied = get_persons_source().apply_correction(decision)
        if applied:
            told = dutch(_l("We have changed %(field)s to: %(value)s.", field=field, value=value))
        else:
            told = dutch(_l("We agree with your request. We are changing %(field)s in the "
                            "Basisregistratie Personen (BRP) to: %(value)s.",
                            field=field, value=value))
        _close(db, zaak, APPROVED, told)
        _log(db, zaak, dutch(_l("Correcting your data")), [CORRECTION_CATEGORIES[asked.veld]])
        if not applied:
            return gettext("The decision on %(zaaknummer)s has been recorded and the resident "
                           "has been told. The portal cannot change the BRP: change "
                           "%(field)s to \"%(value)s\" in the BRP yourself.",
                           zaaknummer=zaak.identificatie, field=field, value=value)
        return gettext("The correction of %(zaaknummer)s has been recorded and the resident "
                       "has been told.", zaaknummer=zaak.identificatie)

    return perform(identificatie, form, "correctie", work,
                   next_url=url_for("backoffice.corrections"))


@bp.post("/correctieverzoeken/<identificatie>/afwijzen")
@requires(Permission.HANDLE_ZAKEN)
def correction_reject(identificatie: str):
    _zaak_to_decide(identificatie)
    form = CorrectionRejectForm(prefix="afwijzen")
    if not form.validate_on_submit():
        return show_correction(identificatie, {"reject": form}, 400)
    reason = form.reden.data.strip()

    def work(db, zaak: StaffZaak) -> str:
        _close(db, zaak, REJECTED, reason)
        _log(db, zaak, dutch(_l("Deciding on your request to correct your data")),
             [CORRECTION_CATEGORIES.get(correction_request(zaak).veld, "naam")])
        return gettext("The request %(zaaknummer)s has been rejected and the resident has been "
                       "told why.", zaaknummer=zaak.identificatie)

    return perform(identificatie, form, "correctie", work,
                   next_url=url_for("backoffice.corrections"))


def _close(db, zaak: StaffZaak, resultaattype: str, toelichting: str) -> None:
    """Close the zaak with its result; the resident hears of it exactly once: through the
    eindstatus's own message when the zaaktype says to inform them (app.berichten.services
    listens to every status change), otherwise through a message sent here."""
    get_zaken_store(db).set_resultaat(zaak.identificatie, resultaattype=resultaattype,
                                      toelichting=toelichting, gezet_door=current_user.actor)
    eindstatus = zaak.zaaktype.eindstatustype
    if eindstatus.informeren and eindstatus.zichtbaar_voor_inwoner:
        return
    bsn = zaak.initiator_bsn
    if bsn:
        onderwerp = dutch(_l("Decision on your request to correct your data"))
        send_message(db, bsn=bsn, onderwerp=onderwerp, tekst=toelichting,
                     afzender=current_user.disclosure_recipient,
                     zaak_identificatie=zaak.identificatie, initiator_email=zaak.initiator.email)
