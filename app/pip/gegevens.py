"""Mijn gegevens: the personal data held, correction requests, contact preferences and
verstrekkingen (who received the resident's data).

Items are addressed by their key (``?veld=geboorteplaats``), never by their value, and
the BSN never appears in a URL.
"""

from __future__ import annotations

import logging

from flask import (
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, FileField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.auth.kept_forms import KeptInputForm
from app.db import get_session, transaction
from app.eforms.validators import Email, Phone
from app.extensions import limiter
from app.notifications.services import send_mail
from app.once import claim_form_token, new_form_token, outcome_of, record_outcome
from app.persons.services import (
    EXPIRY_NOTICE_MONTHS,
    IDENTITEITSKAART,
    PASPOORT,
    ContactDetails,
    Persoon,
    Reisdocument,
    VerificationOutcome,
    attempts_left,
    confirm_email,
    disclosures_for_bsn,
    expires_soon,
    get_contact_details,
    get_persons_source,
    pending_verification,
    set_phone,
    set_wants_reminders,
    start_email_verification,
    wants_reminders,
)
from app.pip import bp
from app.pip.services import (
    CORRECTION_ZAAKTYPE,
    ITEMS,
    ITEMS_BY_KEY,
    CorrectionRequest,
    Item,
    request_correction,
)
from app.ui import locale_name
from app.ui.dates import long_date, long_date_time
from app.uploads import AcceptedUpload, max_upload_mb
from app.zaken.services import today
from app.zaken.store import get_zaken_store

log = logging.getLogger(__name__)

EVIDENCE_TYPES = ("pdf", "jpg", "png")
# The one-time tokens of correction forms handed out in this session (app.once).
SESSION_CORRECTIONS = "correction_tokens"
CORRECTION_PURPOSE = "correction-request"
MAX_SESSION_CORRECTIONS = 20
DISCLOSURES_PER_PAGE = 20


# --------------------------------------------------------------------------- the data held

DOCUMENT_LABELS = {PASPOORT: _l("Passport"), IDENTITEITSKAART: _l("Identity card")}


def _person() -> Persoon:
    person = get_persons_source().get_person(current_user.bsn)
    if person is None:  # logged in, yet no longer in the persons store
        abort(404)
    return person


def _rows(person: Persoon, group: str) -> list[dict]:
    return [{"key": item.label, "value": item.value(person),
             "href": url_for("pip.gegevens_correctie", veld=item.key),
             "href_text": gettext("Report an error"), "href_label": item.label}
            for item in ITEMS if item.group == group]


def _secrecy_row(person: Persoon) -> dict:
    return {"key": gettext("Secrecy of your data (geheimhouding)"),
            "value": gettext("Yes: we do not give your data to organisations outside the "
                             "government, such as churches or charities")
            if person.geheimhouding_persoonsgegevens else gettext("No")}


def _earlier_address_rows(person: Persoon) -> list[dict]:
    """Each earlier address with the days the resident lived there: it ended when the next
    one (newer in the list, or the current address) began."""
    earlier = person.eerdere_verblijfplaatsen or ()
    ends = [person.verblijfplaats, *earlier]
    return [{"key": address.address_line,
             "value": gettext("From %(start)s to %(end)s",
                              start=long_date(address.datum_aanvang_adreshouding),
                              end=long_date(next_one.datum_aanvang_adreshouding))}
            for address, next_one in zip(earlier, ends, strict=False)]


def _document_rows(person: Persoon) -> list[dict] | None:
    """Travel documents with the day they stop being valid; None from a persons source
    that does not carry them (the page then does not claim there are none)."""
    if person.reisdocumenten is None:
        return None
    day = today()
    return [{"key": DOCUMENT_LABELS.get(document.soort, document.soort),
             "value": _validity(document, day)} for document in person.reisdocumenten]


def _validity(document: Reisdocument, day) -> str:
    until = long_date(document.datum_einde_geldigheid)
    if document.datum_einde_geldigheid < day:
        return gettext("Number %(number)s, expired on %(date)s",
                       number=document.documentnummer, date=until)
    return gettext("Number %(number)s, valid until %(date)s",
                   number=document.documentnummer, date=until)


def _renew_href(person: Persoon) -> str | None:
    """Booking a visit, when a travel document ends within a few months: making a new one
    takes about a week, and the resident must come to the desk to apply."""
    day = today()
    if not any(expires_soon(document, day) for document in person.reisdocumenten or ()):
        return None
    return _endpoint_url("appointments.start")


@bp.get("/mijn-omgeving/gegevens")
@login_required
def gegevens():
    person = _person()
    return render_template(
        "pip/gegevens.html", person=person,
        persoon_rows=[{"key": gettext("Citizen service number (BSN)"), "value": person.bsn},
                      *_rows(person, "persoon"), _secrecy_row(person)],
        adres_rows=_rows(person, "adres"),
        earlier_address_rows=_earlier_address_rows(person),
        document_rows=_document_rows(person), renew_href=_renew_href(person),
        expiry_months=EXPIRY_NOTICE_MONTHS,
        contact_rows=_contact_rows(get_contact_details(get_session(), current_user.bsn)),
        pending=pending_verification(get_session(), current_user.bsn),
        reminders=wants_reminders(get_session(), current_user.bsn),
        messages=get_flashed_messages())


@bp.post("/mijn-omgeving/gegevens/herinneringen")
@login_required
def gegevens_herinneringen():
    """Switch the reminders (travel documents and permits that end) on or off."""
    wanted = request.form.get("herinneringen") == "aan"
    with transaction() as db:
        set_wants_reminders(db, current_user.bsn, wanted)
    flash(gettext("Reminders are on.") if wanted else gettext("Reminders are off."))
    return redirect(url_for("pip.gegevens", _anchor="herinneringen"))


def _contact_rows(contact: ContactDetails) -> list[dict]:
    change = url_for("pip.gegevens_contact")
    return [{"key": gettext("Email address"), "value": contact.email or gettext("Not given"),
             "href": change, "href_label": gettext("Email address")},
            {"key": gettext("Phone number"), "value": contact.telefoon or gettext("Not given"),
             "href": change, "href_label": gettext("Phone number")}]


# --------------------------------------------------------------------------- correction requests

class CorrectionForm(KeptInputForm):
    token = HiddenField()
    wat_is_fout = TextAreaField(
        _l("What is wrong?"),
        validators=[DataRequired(_l("Describe what is wrong")), Length(max=1000)])
    juiste_waarde = StringField(
        _l("What is correct?"),
        validators=[DataRequired(_l("Enter the correct information")), Length(max=200)])
    bewijs = FileField(_l("Evidence (optional)"),
                       validators=[AcceptedUpload(EVIDENCE_TYPES, required=False)],
                       description=_l("For example a birth certificate or a rental contract. "
                                      "A PDF, JPG or PNG file of at most %(size)s MB."))


def _correction_item() -> Item:
    item = ITEMS_BY_KEY.get(request.args.get("veld", ""))
    if item is None:
        abort(404)
    return item


def _issued_correction_tokens() -> list[str]:
    return list(session.get(SESSION_CORRECTIONS, []))


def _new_correction_token() -> str:
    """A one-time token for the form; the session remembers it was handed out here, the
    database whether it was used (app.once)."""
    token = new_form_token()
    session[SESSION_CORRECTIONS] = [*_issued_correction_tokens(), token][-MAX_SESSION_CORRECTIONS:]
    return token


@bp.route("/mijn-omgeving/gegevens/correctie", methods=["GET", "POST"])
@login_required
def gegevens_correctie():
    item = _correction_item()
    person = _person()
    form = CorrectionForm()
    form.bewijs.description = form.bewijs.description % {"size": max_upload_mb()}
    if request.method == "GET":
        form.token.data = _new_correction_token()
    elif form.validate_on_submit():
        if form.token.data not in _issued_correction_tokens():
            form.form_errors.append(gettext("The form has expired. Please try again."))
            form.token.data = _new_correction_token()
        else:
            zaaknummer = _request_correction_once(item, person, form)
            return redirect(url_for("pip.gegevens_correctie_ontvangen", zaaknummer=zaaknummer))
    return render_template("pip/gegevens_correctie.html", form=form, item=item,
                           current_value=item.value(person))


def _request_correction_once(item: Item, person: Persoon, form: CorrectionForm) -> str:
    """The zaaknummer of the form's correction request: opened now by the first POST of
    its token, the first one's for any other (a double click, two requests at once)."""
    token = form.token.data
    with transaction() as db:
        if not claim_form_token(db, token, purpose=CORRECTION_PURPOSE):
            return outcome_of(db, token, purpose=CORRECTION_PURPOSE)
        zaaknummer = request_correction(
            db, person, _correction_request(item, person, form),
            evidence=form.bewijs.accepted, gemachtigde=current_user.gemachtigde,
            item_label=str(item.label), locale=locale_name())
        record_outcome(db, token, zaaknummer)
    return zaaknummer


def _correction_request(item: Item, person: Persoon, form: CorrectionForm) -> CorrectionRequest:
    return CorrectionRequest(veld=item.key, veld_omschrijving=item.brp_name,
                             huidige_waarde=item.value(person),
                             juiste_waarde=form.juiste_waarde.data.strip(),
                             toelichting=form.wat_is_fout.data.strip())


@bp.get("/mijn-omgeving/gegevens/correctie/<zaaknummer>")
@login_required
def gegevens_correctie_ontvangen(zaaknummer: str):
    found = get_zaken_store().resident_zaak(current_user.bsn, zaaknummer,
                                            max_level=current_app.config["PIP_MAX_VERTROUWELIJKHEID"])
    if found is None or found.zaaktype_identificatie != CORRECTION_ZAAKTYPE:
        log.warning("pip: correction confirmation refused", extra={"zaak": zaaknummer[:40]})
        abort(404)
    zaak = found.summary
    return render_template("pip/gegevens_correctie_ontvangen.html", zaak=zaak,
                           target_date=_date(zaak.einddatum_gepland),
                           legal_date=_date(zaak.uiterlijke_einddatum_afdoening),
                           zaken_href=_endpoint_url("pip.zaken"))


def _date(day) -> str | None:
    return long_date(day) or None


def _endpoint_url(endpoint: str) -> str | None:
    """A link to another PIP page, when that page exists yet."""
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint)


# --------------------------------------------------------------------------- contact preferences

class ContactForm(KeptInputForm):
    email = EmailField(_l("Email address"), validators=[Optional(), Email()],
                       description=_l("We send a code to this address to check it."))
    telefoon = StringField(_l("Phone number"), validators=[Optional(), Phone()],
                           description=_l("For example 06 12345678"))


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the code from the email"))],
                       description=_l("The code has 6 digits."))


def _code_rate_limit() -> str:
    return current_app.config["CONTACT_CODE_RATE_LIMIT"]


@bp.route("/mijn-omgeving/gegevens/contact", methods=["GET", "POST"])
@login_required
@limiter.limit(_code_rate_limit, methods=["POST"])
def gegevens_contact():
    bsn = current_user.bsn
    known = get_contact_details(get_session(), bsn)
    form = ContactForm(data={"email": known.email, "telefoon": known.telefoon})
    if form.validate_on_submit():
        email = form.email.data or ""
        with transaction() as db:
            if (form.telefoon.data or "") != known.telefoon:
                set_phone(db, bsn=bsn, telefoon=form.telefoon.data or "")
            if email and email != known.email:
                _send_code(db, bsn, email)
        if email and email != known.email:
            return redirect(url_for("pip.gegevens_contact_code"))
        flash(gettext("Your contact details have been saved."))
        return redirect(url_for("pip.gegevens"))
    return render_template("pip/gegevens_contact.html", form=form)


def _send_code(db, bsn: str, email: str) -> None:
    code = start_email_verification(db, bsn=bsn, email=email)
    send_mail(db, "email_code", to=email, locale=locale_name(), code=code)


@bp.route("/mijn-omgeving/gegevens/contact/code", methods=["GET", "POST"])
@login_required
def gegevens_contact_code():
    pending = pending_verification(get_session(), current_user.bsn)
    form = CodeForm()
    if pending is None:
        return render_template("pip/gegevens_contact_verlopen.html")
    if form.validate_on_submit():
        with transaction() as db:
            outcome = confirm_email(db, bsn=current_user.bsn, code=form.code.data)
        if outcome is VerificationOutcome.CONFIRMED:
            flash(gettext("Your email address has been changed."))
            return redirect(url_for("pip.gegevens"))
        if outcome is VerificationOutcome.EXPIRED:
            return render_template("pip/gegevens_contact_verlopen.html")
        form.code.errors = [gettext(
            "The code is not right. You can try %(count)s more times.",
            count=attempts_left(pending))]
    return render_template("pip/gegevens_contact_code.html", form=form, email=pending.email)


# --------------------------------------------------------------------------- verstrekkingen

CHANNEL_LABELS = {"portal": _l("Website"), "api": _l("Link between computer systems"),
                  "backoffice": _l("Staff of the municipality")}
CATEGORY_LABELS = {
    "naam": _l("Name"), "bsn": _l("Citizen service number (BSN)"),
    "geboorte": _l("Date and place of birth"), "geslacht": _l("Sex"),
    "nationaliteit": _l("Nationality"), "adres": _l("Address"),
    "contactgegevens": _l("Contact details"), "zaakgegevens": _l("Details of a request"),
    "documenten": _l("Documents"),
    "berichten": _l("Messages you wrote to us"),
}


@bp.get("/mijn-omgeving/gegevens/verstrekkingen")
@login_required
def gegevens_verstrekkingen():
    page = request.args.get("pagina", 1, type=int)
    if page < 1:
        abort(404)
    # One row more than a page tells whether an older page exists, in the same query.
    rows = disclosures_for_bsn(get_session(), current_user.bsn, limit=DISCLOSURES_PER_PAGE + 1,
                               offset=(page - 1) * DISCLOSURES_PER_PAGE)
    if page > 1 and not rows:
        abort(404)
    entries = [{"when": long_date_time(row.disclosed_at),
                "recipient": row.recipient, "purpose": row.purpose,
                "zaak": row.zaak_identificatie,
                "categories": ", ".join(str(CATEGORY_LABELS.get(c, c)) for c in row.data_categories),
                "channel": CHANNEL_LABELS.get(row.channel, row.channel)}
               for row in rows[:DISCLOSURES_PER_PAGE]]
    return render_template(
        "pip/gegevens_verstrekkingen.html", entries=entries, page=page,
        newer_href=url_for("pip.gegevens_verstrekkingen", pagina=page - 1) if page > 1 else None,
        older_href=(url_for("pip.gegevens_verstrekkingen", pagina=page + 1)
                    if len(rows) > DISCLOSURES_PER_PAGE else None))


