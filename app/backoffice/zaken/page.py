"""The zaak's page as staff see it: rendered by its own view, and again by an action whose form
did not validate (with that form's errors and what was typed). Every view of a resident's
zaak is written to the disclosure log in the same transaction as the read.
"""

from __future__ import annotations

from babel.numbers import format_currency
from flask import render_template, url_for
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import Permission, Role, can_handle_zaak, has_permission
from app.auth.staff import team_label
from app.backoffice.common import (
    KANAAL_LABELS,
    check_view,
    contact_person_line,
    dutch,
    label,
    notices,
)
from app.backoffice.services import zaak_for_staff
from app.backoffice.zaken.forms import LEVEL_LABELS, action_forms
from app.backoffice.zaken.services import SOCIAL_DOMAIN, masked_bsn, zaak_data_categories
from app.berichten.models import FROM_RESIDENT
from app.berichten.services import zaak_messages
from app.contacts.services import kanaal_of_zaak
from app.db import transaction
from app.eforms.confirmations import CONFIRMED, DECLINED, ZaakConfirmation, zaak_confirmation
from app.eforms.services import answer_rows
from app.payments.services import PaymentView, payment_of_zaak
from app.persons.services import log_disclosure
from app.ui import locale_name
from app.ui.dates import duration_words, short_date, short_date_time
from app.zaken.services import today, without_bsns
from app.zaken.store import OVERDUE_LEGAL, OVERDUE_TARGET, StaffZaak


def overdue_text(state: str | None, days: int, *, suspended: bool = False) -> str:
    if suspended:
        return gettext("On hold: waiting for documents")
    if state == OVERDUE_LEGAL:
        return ngettext("Legal deadline passed %(num)d day ago",
                        "Legal deadline passed %(num)d days ago", days)
    if state == OVERDUE_TARGET:
        return ngettext("Target date passed %(num)d day ago",
                        "Target date passed %(num)d days ago", days)
    return gettext("On time")


def log_view(db, identificatie: str, bsn: str | None, *, purpose: str,
             categories: list[str]) -> None:
    """The resident sees in Mijn gegevens > Verstrekkingen who looked at their zaak. Only
    an initiator known by BSN has such a page."""
    if bsn:
        log_disclosure(db, bsn=bsn, recipient=current_user.disclosure_recipient,
                       purpose=purpose, zaak=identificatie, data_categories=categories,
                       channel="backoffice")


def _view_purpose() -> str:
    if current_user.role == Role.KCC:
        return dutch(_l("Informing you about your case"))
    return dutch(_l("Handling your case"))


def show_zaak(identificatie: str, failed: dict | None = None, status_code: int = 200):
    """The zaak page; `failed` holds an action form that did not validate, shown with its
    errors and what was typed. The view is logged in the same transaction as the read."""
    with transaction() as db:
        zaak = check_view(zaak_for_staff(db, identificatie))
        log_view(db, zaak.identificatie, zaak.initiator_bsn, purpose=_view_purpose(),
                 categories=zaak_data_categories(zaak))
        messages = _zaak_messages(db, zaak)
        payment = payment_of_zaak(db, zaak.kenmerken)
        kanaal = kanaal_of_zaak(db, zaak.identificatie)
        confirmation = zaak_confirmation(db, zaak.identificatie)
    forms = action_forms(zaak, failed or {})
    return render_template("backoffice/zaak.html", active="queue", **_zaak_context(zaak),
                           payment=_payment_rows(payment), forms=forms,
                           confirmation=_confirmation(confirmation),
                           failed=next(iter((failed or {}).values()), None),
                           form_errors=bool(failed), messages=messages,
                           kanaal=label(KANAAL_LABELS, kanaal) if kanaal else "",
                           notices=notices()), status_code


def _payment_rows(payment: PaymentView | None) -> list[dict]:
    """What the resident paid online before the zaak was opened, and any refund."""
    if payment is None:
        return []
    rows = [{"key": gettext("Amount"),
             "value": format_currency(payment.amount, "EUR", locale=locale_name())},
            {"key": gettext("Status"), "value": _payment_status(payment.status)},
            {"key": gettext("Paid on"), "value": short_date_time(payment.paid_at)},
            {"key": gettext("Transaction"), "value": f"{payment.provider_id} ({payment.provider})"}]
    if payment.refund_status:
        refund = (gettext("Refunded on %(when)s (%(id)s)", when=short_date_time(payment.refunded_at),
                          id=payment.refund_id) if payment.refund_id
                  else gettext("Refund requested") if payment.refund_status == "requested"
                  else gettext("Refund failed: ask the payments administrator"))
        rows.append({"key": gettext("Refund"), "value": refund})
    return rows


def _confirmation(confirmation: ZaakConfirmation | None) -> dict | None:
    """The partner's confirmation (a marriage notice): whether it holds the zaak, and how
    far it is, for the summary and the status action."""
    if confirmation is None:
        return None
    if confirmation.answer == CONFIRMED:
        text = gettext("Confirmed on %(when)s", when=short_date_time(confirmation.answered_at))
    elif confirmation.answer == DECLINED:
        text = gettext("Not confirmed: on %(when)s the partner said the notice is not right. "
                       "Contact the resident.", when=short_date_time(confirmation.answered_at))
    else:
        text = gettext("Waiting for the partner since %(when)s",
                       when=short_date_time(confirmation.created_at))
    return {"holds": confirmation.holds_zaak, "declined": confirmation.answer == DECLINED,
            "text": text}


def _payment_status(status: str) -> str:
    labels = {"paid": gettext("Paid"), "open": gettext("Open"), "pending": gettext("Open"),
              "canceled": gettext("Cancelled"), "expired": gettext("Expired"),
              "failed": gettext("Failed")}
    return labels.get(status, status)


def _zaak_messages(db, zaak: StaffZaak) -> list[dict]:
    """Messages in the resident's inbox about this zaak, newest first (one query)."""
    bsn = zaak.initiator_bsn
    if not bsn:
        return []
    # The resident's own messages are read on the conversation's page, where reading them
    # is logged; here only that they wrote.
    return [{"when": short_date_time(m.created_at), "onderwerp": m.onderwerp,
             "tekst": "" if m.direction == FROM_RESIDENT else m.tekst,
             "afzender": m.afzender, "read": m.read_at is not None,
             "from_resident": m.direction == FROM_RESIDENT}
            for m in zaak_messages(db, bsn, zaak.identificatie)]


def _zaak_context(zaak: StaffZaak) -> dict:
    locale = locale_name()
    status = zaak.current_status
    overdue, days = zaak.overdue_on(today())
    initiator, gemachtigde = zaak.initiator, zaak.gemachtigde
    return {
        "zaak": zaak,
        "zaaktype": zaak.zaaktype.omschrijving.get(locale),
        "status": status.statustype.omschrijving.get(locale) if status else "",
        "team": team_label(zaak.team),
        "contact_person": contact_person_line(zaak.contact_person),
        "dates": {"start": short_date(zaak.startdatum),
                  "target": short_date(zaak.einddatum_gepland),
                  "legal": short_date(zaak.uiterlijke_einddatum_afdoening),
                  "closed": short_date(zaak.einddatum)},
        "overdue": overdue,
        "overdue_text": overdue_text(overdue, days, suspended=zaak.opgeschort),
        "terms": _terms(zaak),
        "resultaat": zaak.resultaat and {
            "omschrijving": zaak.resultaat.resultaattype.omschrijving.get(locale),
            "toelichting": zaak.resultaat.toelichting,
            "when": short_date_time(zaak.resultaat.datum), "door": zaak.resultaat.gezet_door},
        "initiator": initiator and {
            "naam": initiator.naam, "bsn": masked_bsn(initiator.inp_bsn),
            "adres": initiator.adres, "email": initiator.email, "telefoon": initiator.telefoon,
            "machtiging": initiator.indicatie_machtiging,
            "gemachtigde": gemachtigde.naam if gemachtigde else ""},
        "answers": _answers(zaak, locale),
        "documents": [{"titel": d.titel, "bestandsnaam": d.bestandsnaam,
                       "level": LEVEL_LABELS.get(d.vertrouwelijkheidaanduiding,
                                                 d.vertrouwelijkheidaanduiding),
                       "size": (d.bestandsomvang + 1023) // 1024,
                       "date": short_date(d.creatiedatum),
                       "added_by": d.added_by,
                       "href": url_for("backoffice.zaak_document", identificatie=zaak.identificatie,
                                       document_id=d.id)} for d in zaak.documenten],
        "requests": [{"omschrijving": r.omschrijving, "when": short_date_time(r.created_at),
                      "door": r.requested_by,
                      "answered": short_date_time(r.fulfilled_at) if r.fulfilled_at else None}
                     for r in zaak.document_requests],
        "history": [{"when": short_date_time(s.datum_status_gezet),
                     "status": s.statustype.omschrijving.get(locale),
                     "visible": s.statustype.zichtbaar_voor_inwoner,
                     "door": s.gezet_door, "toelichting": s.statustoelichting}
                    for s in reversed(zaak.statussen)],
        "can_handle": can_handle_zaak(current_user, zaak) and not zaak.is_closed,
        "can_route": has_permission(current_user, Permission.ROUTE_ZAKEN) and not zaak.is_closed,
        "has_inbox": bool(zaak.initiator_bsn),
        # One contact person for all the resident's zaken there (their other zaken are
        # found by the BSN they logged in with).
        "offer_social_domain": zaak.team == SOCIAL_DOMAIN and bool(zaak.initiator_bsn),
    }


def _terms(zaak: StaffZaak) -> dict:
    """backoffice/_zaak_terms.html: how the legal term moved, and whether it may be extended
    (once, while open, when the zaaktype allows it)."""
    return {"suspended": zaak.opgeschort and not zaak.is_closed,
            "reden": zaak.terms.opschorting_reden,
            "extension": zaak.terms.extended and {
                "duur": duration_words(zaak.terms.verlenging_duur),
                "reden": zaak.terms.verlenging_reden},
            "maximum": duration_words(zaak.verlengingstermijn or ""),
            "can_extend": (can_handle_zaak(current_user, zaak) and not zaak.is_closed
                           and bool(zaak.verlengingstermijn) and not zaak.terms.extended)}


def _answers(zaak: StaffZaak, locale: str) -> list[dict]:
    """The submitted answers with the form's labels (the resident's page's own rendering),
    any BSN in them masked."""
    return [{"key": row["key"], "value": without_bsns(str(row["value"]))}
            for row in answer_rows(zaak.aanvraaggegevens, zaak.zaaktype.identificatie, locale)]
