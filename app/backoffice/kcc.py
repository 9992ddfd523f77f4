"""KCC pages: callback requests, written questions, and a resident's contact overview.

Callbacks and questions are contact zaken of team "kcc": the KCC sees them (HANDLE_CONTACTS)
and handles those still with its team (can_handle_zaak); it finds residents and sees their
contacts across channels (VIEW_CONTACT_OVERVIEW). Every page that
shows a resident's data writes the disclosure log in the same transaction: a list once
per resident per day (kcc_services.log_daily_views), a callback, question or contact
overview at every view.
"""

from __future__ import annotations

import secrets
from datetime import datetime

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
from flask_login import current_user
from wtforms import SelectChoice

from app.appointments.agenda import get_agenda
from app.auth.permissions import (
    Permission,
    can_handle_zaak,
    can_view_zaak,
    has_permission,
    requires,
)
from app.backoffice import bp
from app.backoffice import kcc_services as kcc
from app.backoffice.agenda.visits import APPOINTMENT_STATUS, change_actions
from app.backoffice.common import (
    KANAAL_LABELS,
    SENT_ALREADY,
    SOORT_LABELS,
    contact_person_line,
    label,
    norm_cell,
    written_answer_norm,
)
from app.backoffice.kcc_forms import (
    RETRY,
    AddressSearchForm,
    AnswerForm,
    BsnSearchForm,
    CallbackForm,
    NameSearchForm,
    QuickCallForm,
    RegisterCallbackForm,
    RegisterQuestionForm,
)
from app.catalog.content import get_catalog
from app.contacts.services import Kanaal
from app.db import get_session, transaction
from app.eforms.definitions import get_definition
from app.eforms.services import REGISTERED_BY as EFORM_REGISTRAR
from app.persons.services import (
    Persoon,
    PersoonBeperkt,
    get_contact_details,
    get_persons_source,
    log_disclosure,
)
from app.ui import locale_name
from app.ui.dates import long_date, short_date_time
from app.ui.pagination import Pagination
from app.zaken.store import ContactZaak, StaffZaak

# The KCC's contact work (callbacks and questions) and its view of a resident's contacts:
# both show residents' contact data; only the KCC role has either.
CONTACTS = Permission.HANDLE_CONTACTS
OVERVIEW = Permission.VIEW_CONTACT_OVERVIEW
PER_PAGE = 50
CALLBACK_FORM = "terugbelverzoek"  # content/forms/: the resident's own way to ask for a call
QUESTION_FORM = "vraag"  # and to ask a written question

# Disclosure log texts: the resident reads them (Dutch, B1), so they are data, not msgids.
PURPOSE_CALLBACK = "Uw terugbelverzoek afhandelen"
PURPOSE_QUESTION = "Uw vraag beantwoorden"
PURPOSE_SEARCH = "U opzoeken om u te helpen bij uw contact met de gemeente"
PURPOSE_OVERVIEW = "Uw contacten met de gemeente bekijken om u te helpen"
PURPOSE_REGISTER_CALLBACK = "Een terugbelverzoek voor u vastleggen"
PURPOSE_REGISTER_QUESTION = "Uw vraag voor u vastleggen"
PURPOSE_QUICK_CONTACT = "Uw contact met de gemeente vastleggen"

DAGDEEL_LABELS = {"ochtend": _l("Morning (8.30 to 12.00)"),
                  "middag": _l("Afternoon (12.00 to 17.00)")}
ROUTE_LABELS = {"message": _l("As a message in My portal (we know who the resident is)"),
                "email": _l("By email to %(address)s"),
                "phone": _l("By phone: call %(address)s and write down what you told them")}
ERRORS = {"closed": _l("This case was closed already, by you or a colleague."),
          "resultaat": _l("This result does not exist for this case type.")}


# --------------------------------------------------------------------------- display helpers


def zaak_href(identificatie: str) -> str | None:
    """The zaak's page in the back office (the work queue's), when this installation has it."""
    if "backoffice.zaak" not in current_app.view_functions:
        return None
    return url_for("backoffice.zaak", identificatie=identificatie)


def answer_label(form_slug: str, name: str, value) -> str:
    """An answer as the resident chose it ("reisdocumenten" -> "Paspoort, ID-kaart of
    rijbewijs"): the option's label in the form definition, else the value itself."""
    definition = get_definition(form_slug)
    field = definition.field(name) if definition else None
    if value in (None, ""):
        return ""
    return field.option_label(str(value), locale_name()) if field else str(value)


def received_at(zaak: StaffZaak | ContactZaak) -> datetime | None:
    if isinstance(zaak, ContactZaak):
        return zaak.received_at
    return zaak.statussen[0].datum_status_gezet if zaak.statussen else None


def status_name(zaak: StaffZaak | ContactZaak) -> str:
    if isinstance(zaak, ContactZaak):
        status = zaak.status
    else:
        status = zaak.current_status.statustype.omschrijving if zaak.current_status else None
    return status.get(locale_name()) if status else ""


def initiator_fields(zaak: StaffZaak | ContactZaak) -> dict:
    initiator = zaak.initiator
    answers = zaak.aanvraaggegevens
    return {
        "naam": (initiator.naam if initiator else "") or str(answers.get("naam") or ""),
        "telefoon": (initiator.telefoon if initiator else "") or str(answers.get("telefoon") or ""),
        "email": (initiator.email if initiator else "") or str(answers.get("email") or ""),
        "digid": bool(initiator and initiator.inp_bsn),
    }


def _viewed(zaken: list[ContactZaak]) -> list[kcc.Viewed]:
    return [kcc.Viewed(zaak.initiator.inp_bsn, zaak.identificatie)
            for zaak in zaken if zaak.initiator and zaak.initiator.inp_bsn]


def _log_zaak_view(db, zaak: StaffZaak, purpose: str) -> None:
    initiator = zaak.initiator
    if initiator and initiator.inp_bsn:
        log_disclosure(db, bsn=initiator.inp_bsn, recipient=current_user.disclosure_recipient,
                       purpose=purpose, data_categories=["naam", "contactgegevens", "zaakgegevens"],
                       zaak=zaak.identificatie, channel=kcc.CHANNEL)


def _contact_zaak_or_404(db, identificatie: str, zaaktype: str, *,
                         for_update: bool = False) -> StaffZaak:
    zaak = kcc.contact_zaak(db, identificatie[:40], zaaktype, for_update=for_update)
    if zaak is None:
        abort(404)
    if not can_view_zaak(current_user, zaak):
        abort(403)
    return zaak


# --------------------------------------------------------------------------- callbacks


def callback_row(zaak: ContactZaak) -> list:
    person = initiator_fields(zaak)
    dagdeel = zaak.aanvraaggegevens.get("dagdeel")
    attempts = len(zaak.callback_attempts)
    return [
        {"text": zaak.identificatie, "href": url_for("backoffice.callback",
                                                     identificatie=zaak.identificatie)},
        person["naam"],
        person["telefoon"],
        {"text": str(DAGDEEL_LABELS.get(dagdeel, _l("No preference"))),
         "badge": "active" if dagdeel == kcc.current_dagdeel() else "neutral"},
        str(zaak.aanvraaggegevens.get("vraag") or ""),
        short_date_time(received_at(zaak)),
        str(attempts) if attempts else "",
    ]


@bp.get("/terugbelverzoeken")
@requires(CONTACTS)
def callbacks():
    dagdeel = request.args.get("dagdeel")
    dagdeel = dagdeel if dagdeel in kcc.DAGDELEN else None
    with transaction() as db:
        counts = kcc.count_open_callbacks(db)
        pager = Pagination.of(counts[dagdeel] if dagdeel else sum(counts.values()), PER_PAGE,
                              "backoffice.callbacks", dagdeel=dagdeel)
        zaken = kcc.open_callbacks(db, dagdeel=dagdeel, first=kcc.current_dagdeel(),
                                   limit=PER_PAGE, offset=pager.offset)
        kcc.log_daily_views(db, _viewed(zaken), recipient=current_user.disclosure_recipient,
                            purpose=PURPOSE_CALLBACK,
                            data_categories=["naam", "contactgegevens", "zaakgegevens"])
        rows = [callback_row(zaak) for zaak in zaken]
    return render_template(
        "backoffice/kcc_callbacks.html", active="callbacks", rows=rows, counts=counts,
        total=pager.total, dagdeel=dagdeel, pager=pager, now_dagdeel=kcc.current_dagdeel(),
        question_count=kcc.count_open_questions(get_session()), notices=get_flashed_messages())


def _outcome_choices(zaak: StaffZaak) -> list[SelectChoice]:
    locale = locale_name()
    choices = [SelectChoice(r.omschrijving.nl, r.omschrijving.get(locale))
               for r in zaak.zaaktype.resultaattypen]
    return [*choices, SelectChoice(RETRY, gettext("Not reached: try again later (stays open)"))]


@bp.route("/terugbelverzoeken/<identificatie>", methods=["GET", "POST"])
@requires(CONTACTS)
def callback(identificatie: str):
    form = CallbackForm()
    if request.method == "POST" and _finish_callback(identificatie, form):
        return redirect(url_for("backoffice.callbacks"))
    with transaction() as db:
        zaak = _contact_zaak_or_404(db, identificatie, kcc.CALLBACK)
        form.uitkomst.choices = _outcome_choices(zaak)
        _log_zaak_view(db, zaak, PURPOSE_CALLBACK)
        return render_template(
            "backoffice/kcc_callback.html", active="callbacks", zaak=zaak, form=form,
            handling=can_handle_zaak(current_user, zaak) and not zaak.is_closed,
            person=initiator_fields(zaak),
            dagdeel=DAGDEEL_LABELS.get(zaak.aanvraaggegevens.get("dagdeel"), _l("No preference")),
            received=short_date_time(received_at(zaak)), zaak_href=zaak_href(zaak.identificatie),
            topic=answer_label(CALLBACK_FORM, "onderwerp",
                               zaak.aanvraaggegevens.get("onderwerp")),
            attempts=[[short_date_time(a.moment), a.door, a.notitie]
                      for a in zaak.callback_attempts],
            received_via=_received_via(zaak), online=zaak.registered_by == EFORM_REGISTRAR,
            result=zaak.resultaat, status=status_name(zaak), form_errors=form.errors)


def _received_via(zaak: StaffZaak) -> str:
    if zaak.registered_by == EFORM_REGISTRAR:
        return gettext("The online form")
    return gettext("A phone call, registered by %(who)s", who=zaak.registered_by)


def _finish_callback(identificatie: str, form: CallbackForm) -> bool:
    """Close the callback or record a failed try, in one transaction with the zaak's row
    locked; False when the form has errors (also: the zaak was closed meanwhile)."""
    try:
        with transaction() as db:
            zaak = _contact_zaak_or_404(db, identificatie, kcc.CALLBACK, for_update=True)
            if not can_handle_zaak(current_user, zaak):
                abort(403)
            form.uitkomst.choices = _outcome_choices(zaak)
            if not form.validate_on_submit():
                return False
            if form.uitkomst.data == RETRY:
                kcc.record_failed_attempt(db, zaak, notitie=form.notitie.data.strip(),
                                          door=current_user.actor)
                flash(gettext("Attempt recorded for %(zaaknummer)s. The callback stays open.",
                              zaaknummer=identificatie))
            else:
                kcc.complete_callback(db, zaak, resultaat=form.uitkomst.data,
                                      notitie=form.notitie.data.strip(), door=current_user.actor)
                flash(gettext("Callback %(zaaknummer)s is done.", zaaknummer=identificatie))
    except kcc.ContactError as error:
        form.uitkomst.errors = [*form.uitkomst.errors, str(ERRORS[error.code])]
        return False
    return True


# --------------------------------------------------------------------------- questions


def question_row(zaak: ContactZaak) -> list:
    person = initiator_fields(zaak)
    route = kcc.answer_route(zaak)
    received = received_at(zaak)
    return [
        {"text": zaak.identificatie, "href": url_for("backoffice.question",
                                                     identificatie=zaak.identificatie)},
        person["naam"],
        str(zaak.aanvraaggegevens.get("onderwerp") or ""),
        str({"message": _l("Message"), "email": _l("Email"), "phone": _l("Phone")}[route.kind]),
        short_date_time(received),
        # Held to the same written-answer norm as the residents' messages (Gesprekken).
        norm_cell(written_answer_norm(received)) if received else "",
    ]


@bp.get("/vragen")
@requires(CONTACTS)
def questions():
    with transaction() as db:
        pager = Pagination.of(kcc.count_open_questions(db), PER_PAGE, "backoffice.questions")
        zaken = kcc.open_questions(db, limit=PER_PAGE, offset=pager.offset)
        kcc.log_daily_views(db, _viewed(zaken), recipient=current_user.disclosure_recipient,
                            purpose=PURPOSE_QUESTION,
                            data_categories=["naam", "contactgegevens", "zaakgegevens"])
        rows = [question_row(zaak) for zaak in zaken]
    return render_template(
        "backoffice/kcc_questions.html", active="questions", rows=rows, total=pager.total,
        pager=pager, callback_count=sum(kcc.count_open_callbacks(get_session()).values()),
        notices=get_flashed_messages())


@bp.route("/vragen/<identificatie>", methods=["GET", "POST"])
@requires(CONTACTS)
def question(identificatie: str):
    form = AnswerForm()
    if request.method == "POST" and _send_answer(identificatie, form):
        return redirect(url_for("backoffice.questions"))
    with transaction() as db:
        zaak = _contact_zaak_or_404(db, identificatie, kcc.QUESTION)
        _log_zaak_view(db, zaak, PURPOSE_QUESTION)
        route = kcc.answer_route(zaak)
        return render_template(
            "backoffice/kcc_question.html", active="questions", zaak=zaak, form=form,
            handling=can_handle_zaak(current_user, zaak) and not zaak.is_closed,
            person=initiator_fields(zaak), received=short_date_time(received_at(zaak)),
            route_text=ROUTE_LABELS[route.kind] % {"address": route.address or "-"},
            route=route, received_via=_received_via(zaak),
            zaak_href=zaak_href(zaak.identificatie), result=zaak.resultaat,
            status=status_name(zaak), form_errors=form.errors)


def _send_answer(identificatie: str, form: AnswerForm) -> bool:
    """Send the answer and close the question, with the zaak's row locked; False when the
    form has errors (also: answered meanwhile by a colleague)."""
    try:
        with transaction() as db:
            zaak = _contact_zaak_or_404(db, identificatie, kcc.QUESTION, for_update=True)
            if not can_handle_zaak(current_user, zaak):
                abort(403)
            if not form.validate_on_submit():
                return False
            route = kcc.answer_question(
                db, zaak, antwoord=form.antwoord.data.strip(), naam=initiator_fields(zaak)["naam"],
                afzender=current_user.disclosure_recipient, door=current_user.actor)
    except kcc.ContactError as error:
        form.antwoord.errors = [*form.antwoord.errors, str(ERRORS[error.code])]
        return False
    flash({"message": gettext("Question %(zaaknummer)s is answered in the resident's My portal.",
                              zaaknummer=identificatie),
           "email": gettext("Question %(zaaknummer)s is answered by email.",
                            zaaknummer=identificatie),
           "phone": gettext("Question %(zaaknummer)s is closed with your answer.",
                            zaaknummer=identificatie)}[route.kind])
    return True


# --------------------------------------------------------------------------- residents


# The residents this employee found, in their server-side session: a random handle (the
# contact overview's address) for each BSN. A handle means nothing outside that session, so
# the link works only for the employee who searched, for as long as they stay logged in;
# the BSN never leaves the server.
FOUND_KEY = "kcc_found"
FOUND_KEPT = 100  # the most recent ones; older links then answer 404


def contact_handle(bsn: str) -> str:
    found = session.get(FOUND_KEY, {})
    handle = next((handle for handle, known in found.items() if known == bsn), None)
    if handle is None:
        handle = secrets.token_urlsafe(12)
        session[FOUND_KEY] = dict([*found.items(), (handle, bsn)][-FOUND_KEPT:])
    return handle


def found_person_or_404(handle: str) -> Persoon:
    """The resident behind a contact overview link (contact_handle), from the persons source."""
    bsn = session.get(FOUND_KEY, {}).get(handle)
    person = get_persons_source().get_person(bsn) if bsn else None
    if person is None:
        abort(404)
    return person


SEARCH_FORMS = {"naam": NameSearchForm, "adres": AddressSearchForm, "bsn": BsnSearchForm}


def _search_forms(posted: str | None) -> dict:
    """The three search forms; only the posted one reads the request (prefix = its key)."""
    return {key: form_class(prefix=key, formdata=None if key != posted else request.form)
            for key, form_class in SEARCH_FORMS.items()}


def _run_search(key: str, form) -> list[PersoonBeperkt]:
    persons = get_persons_source()
    if key == "naam":
        return persons.find_by_name_and_birth_date(form.achternaam.data, form.geboortedatum.data,
                                                   kcc.SEARCH_LIMIT)
    if key == "adres":
        return persons.find_by_address(form.postcode.data, int(form.huisnummer.data),
                                       kcc.SEARCH_LIMIT)
    person = persons.get_person(form.bsn.data)
    return [person] if person else []


# The BRP's geheimhouding: staff still find and help the resident, warned in the results
# and on the overview (backoffice/_secrecy_warning.html) to tell no one else about them.
SECRECY = _l("Secrecy of personal data (geheimhouding)")


def person_row(person: PersoonBeperkt) -> list:
    return [{"text": person.full_name,
             "href": url_for("backoffice.contact_overview", handle=contact_handle(person.bsn)),
             "lines": [str(SECRECY)] if person.geheimhouding_persoonsgegevens else []},
            long_date(person.geboorte.datum),
            person.address_line]


@bp.route("/inwoners", methods=["GET", "POST"])
@requires(OVERVIEW)
def contact_search():
    """Search by surname + birth date, postcode + house number, or BSN. Every search is a
    POST: what was searched for is personal data and stays out of URLs and access logs."""
    posted = request.form.get("zoekwijze") if request.method == "POST" else None
    posted = posted if posted in SEARCH_FORMS else None
    forms = _search_forms(posted)
    results = None
    if posted and forms[posted].validate_on_submit():
        with transaction() as db:
            people = _run_search(posted, forms[posted])
            categories = ["naam", "geboorte", "adres"] + (["bsn"] if posted == "bsn" else [])
            kcc.log_views(db, [kcc.Viewed(p.bsn) for p in people],
                          recipient=current_user.disclosure_recipient, purpose=PURPOSE_SEARCH,
                          data_categories=categories)
            results = [person_row(person) for person in people]
        if posted == "bsn":
            forms["bsn"].bsn.data = ""  # found: no need to keep the number on the screen
    errors = posted and forms[posted].errors
    return render_template("backoffice/kcc_contact_search.html", active="residents",
                           forms=forms, posted=posted, results=results, form_errors=errors,
                           limit=kcc.SEARCH_LIMIT)


@bp.get("/inwoners/<handle>")
@requires(OVERVIEW)
def contact_overview(handle: str):
    with transaction() as db:
        person = found_person_or_404(handle)
        overview = kcc.contact_overview(db, person)
        log_disclosure(db, bsn=person.bsn, recipient=current_user.disclosure_recipient,
                       purpose=PURPOSE_OVERVIEW, channel=kcc.CHANNEL,
                       data_categories=["naam", "geboorte", "adres", "contactgegevens",
                                        "zaakgegevens"])
        may_book = has_permission(current_user, Permission.MANAGE_AGENDA)
        return render_template("backoffice/kcc_contact.html", active="residents", handle=handle,
                               notices=get_flashed_messages(), may_book=may_book,
                               **_overview_context(overview, handle if may_book else None))


@bp.route("/inwoners/<handle>/terugbelverzoek", methods=["GET", "POST"])
@requires(OVERVIEW)
@requires(CONTACTS)
def register_callback(handle: str):
    """A callback request for the resident on the phone (found by the KCC, so known by
    their BSN): it opens the same zaak as the online form, which the resident then sees in
    Mijn omgeving, and lands in the callback list."""
    form = RegisterCallbackForm()
    form.onderwerp.choices = _topic_choices()
    form.dagdeel.choices = [(key, str(label)) for key, label in DAGDEEL_LABELS.items()]

    def register(db, person: Persoon) -> str:
        asked = kcc.CallbackRequest(
            onderwerp=form.onderwerp.data, vraag=form.vraag.data.strip(),
            telefoon=form.telefoon.data, dagdeel=form.dagdeel.data)
        zaaknummer = kcc.register_callback(
            db, person, asked, omschrijving=get_definition(CALLBACK_FORM).omschrijving.nl,
            token=form.token.data, door=current_user.actor, username=current_user.username)
        return gettext("Callback request %(zaaknummer)s is registered. It is in the list of "
                       "callback requests.", zaaknummer=zaaknummer)

    return _register_for_caller(handle, form, register, purpose=PURPOSE_REGISTER_CALLBACK,
                                template="backoffice/kcc_register_callback.html")


@bp.route("/inwoners/<handle>/vraag", methods=["GET", "POST"])
@requires(OVERVIEW)
@requires(CONTACTS)
def register_question(handle: str):
    """A written question for the resident on the phone, which the employee cannot answer
    during the call: the same zaak as the online question form, in the list of questions;
    the answer comes as a message in Mijn omgeving or by phone, as the resident chose."""
    form = RegisterQuestionForm()

    def register(db, person: Persoon) -> str:
        asked = kcc.QuestionRequest(
            onderwerp=form.onderwerp.data.strip(), vraag=form.vraag.data.strip(),
            antwoord_via=form.antwoord_via.data, telefoon=form.telefoon.data or "")
        zaaknummer = kcc.register_question(
            db, person, asked, omschrijving=get_definition(QUESTION_FORM).omschrijving.nl,
            token=form.token.data, door=current_user.actor, username=current_user.username)
        return gettext("Question %(zaaknummer)s is registered. It is in the list of "
                       "questions.", zaaknummer=zaaknummer)

    return _register_for_caller(handle, form, register, purpose=PURPOSE_REGISTER_QUESTION,
                                template="backoffice/kcc_register_question.html")


def _register_for_caller(handle: str, form, register, *, purpose: str, template: str):
    """The register page for a contact zaak of the resident behind this handle: the form
    (the resident's phone number filled in, the view logged as a disclosure), or, when it
    is filled in well, register(db, person) in one transaction and back to the overview
    with the notice it returns."""
    with transaction() as db:
        person = found_person_or_404(handle)
        if form.validate_on_submit():
            notice = register(db, person)
        else:
            if not form.is_submitted():
                form.telefoon.data = get_contact_details(db, person.bsn).telefoon
            log_disclosure(db, bsn=person.bsn, recipient=current_user.disclosure_recipient,
                           purpose=purpose, channel=kcc.CHANNEL,
                           data_categories=["naam", "contactgegevens"])
            return render_template(template, active="residents", form=form, handle=handle,
                                   naam=person.full_name, form_errors=form.errors)
    flash(notice)
    return redirect(url_for("backoffice.contact_overview", handle=handle))


# --------------------------------------------------------------------------- quick contacts


OUTCOMES = {"gelukt": _l("Answered right the first time"),
            "doorverbonden": _l("Passed on to a colleague")}


@bp.route("/contacten/nieuw", methods=["GET", "POST"])
@requires(CONTACTS)
def quick_contact():
    """Record a contact answered at once, for a caller who stays anonymous: back to an
    empty form for the next call."""
    form = _quick_contact_form()
    if form.validate_on_submit():
        with transaction() as db:
            _record_quick_contact(db, form, bsn=None)
        return redirect(url_for("backoffice.quick_contact"))
    return render_template("backoffice/kcc_quick_contact.html", active="quick", form=form,
                           form_errors=form.errors, handle=None, naam=None,
                           notices=get_flashed_messages())


@bp.route("/inwoners/<handle>/contact", methods=["GET", "POST"])
@requires(OVERVIEW)
@requires(CONTACTS)
def quick_contact_for(handle: str):
    """Record a contact answered at once for the resident found by the contact search: it
    shows in their contact overview."""
    form = _quick_contact_form()
    with transaction() as db:
        person = found_person_or_404(handle)
        if form.validate_on_submit():
            _record_quick_contact(db, form, bsn=person.bsn)
            return redirect(url_for("backoffice.contact_overview", handle=handle))
        log_disclosure(db, bsn=person.bsn, recipient=current_user.disclosure_recipient,
                       purpose=PURPOSE_QUICK_CONTACT, channel=kcc.CHANNEL,
                       data_categories=["naam"])
        return render_template("backoffice/kcc_quick_contact.html", active="residents",
                               form=form, form_errors=form.errors, handle=handle,
                               naam=person.full_name, notices=[])


def _quick_contact_form() -> QuickCallForm:
    form = QuickCallForm()
    form.kanaal.choices = [(kanaal.value, label(KANAAL_LABELS, kanaal))
                           for kanaal in kcc.QUICK_KANALEN]
    form.product.choices = [SelectChoice("", gettext("Another subject, no product")),
                            *(SelectChoice(product.slug, product.title.get(locale_name()))
                              for product in get_catalog().products)]
    form.uitkomst.choices = [(key, str(text)) for key, text in OUTCOMES.items()]
    return form


def _record_quick_contact(db, form: QuickCallForm, *, bsn: str | None) -> None:
    contact = kcc.QuickContact(kanaal=Kanaal(form.kanaal.data),
                               onderwerp=form.onderwerp.data.strip(),
                               product=form.product.data or "",
                               gelukt=form.uitkomst.data == "gelukt")
    recorded = kcc.record_quick_contact(db, contact, bsn=bsn, token=form.token.data,
                                        username=current_user.username)
    flash(gettext("The contact is recorded.") if recorded else str(SENT_ALREADY))


def _topic_choices() -> list[SelectChoice]:
    """The callback form's topics, in the page's language, after an empty first choice."""
    field = get_definition(CALLBACK_FORM).field("onderwerp")
    locale = locale_name()
    return [SelectChoice("", gettext("Choose a topic")),
            *(SelectChoice(option.value, option.label.get(locale)) for option in field.options)]


def _overview_context(overview: kcc.ContactOverview, booking_handle: str | None) -> dict:
    """booking_handle: the overview's handle when this employee may book and cancel visits
    (the appointments then get a "Cancel" button where that is still possible)."""
    person = overview.person
    locale = locale_name()

    def zaak_cells(zaak: ContactZaak) -> list:
        href = zaak_href(zaak.identificatie)
        first = {"text": zaak.identificatie, "href": href} if href else zaak.identificatie
        return [first, zaak.zaaktype.omschrijving.get(locale), status_name(zaak),
                contact_person_line(zaak.contact_person), long_date(zaak.startdatum),
                long_date(zaak.einddatum)]

    def contact_cells(zaak: ContactZaak, endpoint: str, text_key: str) -> list:
        return [{"text": zaak.identificatie, "href": url_for(endpoint,
                                                             identificatie=zaak.identificatie)},
                str(zaak.aanvraaggegevens.get(text_key) or ""), status_name(zaak),
                long_date(zaak.startdatum), long_date(zaak.einddatum)]

    return {
        "person": person, "naam": person.full_name,
        "details": [
            {"key": _l("Date of birth"), "value": long_date(person.geboorte.datum)},
            {"key": _l("Address"), "value": person.address_line},
            {"key": _l("Email address"), "value": overview.contact.email},
            {"key": _l("Phone number"), "value": overview.contact.telefoon},
        ],
        "zaken": [zaak_cells(z) for z in overview.zaken],
        "callbacks": [contact_cells(z, "backoffice.callback", "vraag") for z in overview.callbacks],
        "questions": [contact_cells(z, "backoffice.question", "onderwerp")
                      for z in overview.questions],
        "appointments": [
            _appointment_cells(a, locale) + ([change_actions(a, booking_handle)]
                                             if booking_handle else [])
            for a in overview.appointments],
        "contacts": [[short_date_time(c.plaatsgevonden_op), label(KANAAL_LABELS, c.kanaal),
                      label(SOORT_LABELS, c.soort), c.onderwerp, c.zaak_identificatie or "",
                      _outcome_text(c.gelukt)]
                     for c in overview.contacts],
        "messages": [[short_date_time(m.created_at), m.onderwerp,
                      m.zaak_identificatie or "",
                      {"text": str(_l("Read")), "badge": "neutral"} if m.read_at
                      else {"text": str(_l("Unread")), "badge": "active"}]
                     for m in overview.messages],
    }


def _outcome_text(gelukt: bool | None) -> str:
    if gelukt is None:
        return ""
    return str(OUTCOMES["gelukt" if gelukt else "doorverbonden"])


def _appointment_cells(appointment, locale: str) -> list:
    agenda = get_agenda()
    location = agenda.location(appointment.location)
    products = [agenda.product(slug) for slug in appointment.products]
    return [appointment.reference, short_date_time(appointment.starts_at),
            location.name.get(locale) if location else appointment.location,
            ", ".join(p.title.get(locale) if p else "" for p in products),
            str(APPOINTMENT_STATUS.get(appointment.status, appointment.status))]

