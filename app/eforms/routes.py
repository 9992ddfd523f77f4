"""Thin views of the form engine: start, steps, check your answers, submit, confirmation."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.validators import ValidationError

from app.auth.loa import loa_meets
from app.catalog.content import get_catalog
from app.catalog.facts import Terms, applies_for_text, with_norms, zaaktype_terms
from app.db import get_session, transaction
from app.eforms import bp, uploads_path
from app.eforms.confirmations import confirmer_refusal
from app.eforms.definitions import FormDefinition, Step, get_definition
from app.eforms.engine import (
    HONEYPOT_FIELD,
    SEEN_FIELD,
    build_step_form,
    first_incomplete_step,
    follow_ups_shown,
    group_size_from_post,
    heading_field,
    next_step,
    previous_step,
    prune,
    remove_group_item,
    step_answers,
    step_position,
    summary_rows,
    validate_step,
)
from app.eforms.forms import LaterForm, StartForm, check_form
from app.eforms.paying import (
    REFUNDED,
    SUBMITTED,
    UNSUCCESSFUL,
    applicant_for,
    fee_amount,
    latest_payment,
    settle_draft,
    start_payment,
    webhook_url,
)
from app.eforms.receipt import receipt_filename, receipt_of, receipt_pdf
from app.eforms.registrations import registration_of_draft
from app.eforms.services import (
    Applicant,
    UploadArea,
    check_address_free,
    choose_zaak,
    confirmation_address,
    create_draft,
    create_resume_token,
    decided_zaken,
    discard_draft,
    find_draft,
    find_draft_by_resume_token,
    save_step,
    submit_draft,
    submitted_zaak,
)
from app.eforms.validators import normalise_bsn
from app.extensions import limiter
from app.feedback import page_question
from app.feedback.services import FORM
from app.notifications.limits import TOO_MANY_MAILS, visitor_may_mail
from app.notifications.services import send_mail
from app.persons.services import KnownResident, known_resident
from app.remote import RemoteError
from app.texts import Text
from app.ui import locale_name, private_download
from app.ui.dates import long_date
from app.uploads import UploadRefused, accept_upload, has_file, max_upload_mb
from app.urls import external_url
from app.zaken.store import DecidedZaak, get_zaken_store

SESSION_DRAFTS = "eform_drafts"
MAX_SESSION_DRAFTS = 20
RETURN_TO_CHECK = "controleren"


def _form_rate_limit() -> str:
    """Per client address, for residents who are not logged in (bots and spam come in
    anonymously). A resident logged in with DigiD is known and not limited by address: at a
    library, a care home or the balie's own kiosk many residents share one address."""
    return current_app.config["FORM_RATE_LIMIT"]


def _definition(slug: str) -> FormDefinition:
    definition = get_definition(slug)
    if definition is None:
        abort(404)
    return definition


def _logged_in() -> bool:
    return bool(current_user and current_user.is_authenticated)


def _owner_bsn() -> str | None:
    return current_user.bsn if _logged_in() else None


def _loa_enough(definition: FormDefinition) -> bool:
    minimum = definition.min_loa or current_app.config["OIDC_MIN_LOA"]
    return _logged_in() and loa_meets(current_user.loa, minimum)


def _draft_lifetime() -> timedelta:
    if _logged_in():
        return timedelta(days=current_app.config["DRAFT_DAYS_LOGGED_IN"])
    return timedelta(days=current_app.config["DRAFT_DAYS_ANONYMOUS"])


def _resume_lifetime() -> timedelta:
    return timedelta(days=current_app.config["DRAFT_RESUME_LINK_DAYS"])


def _uploads() -> UploadArea:
    return UploadArea(uploads_path())


def _session_draft_ids() -> list[str]:
    return list(session.get(SESSION_DRAFTS, []))


def _remember_draft(draft_id: str) -> None:
    session[SESSION_DRAFTS] = [*_session_draft_ids(), draft_id][-MAX_SESSION_DRAFTS:]


def _load_draft(definition: FormDefinition, draft_id: str):
    if definition.login_required and not _loa_enough(definition):
        abort(404)
    draft = find_draft(get_session(), draft_id, form_slug=definition.slug, owner_bsn=_owner_bsn(),
                       session_draft_ids=_session_draft_ids())
    if draft is None:
        abort(404)
    return draft


def _known(definition: FormDefinition) -> KnownResident | None:
    if not _logged_in():
        return None
    return known_resident(current_user.bsn)


def _person_rows(definition: FormDefinition, known: KnownResident | None) -> list[dict]:
    """The "Uw gegevens" summary: what we know, shown instead of asked."""
    if known is None:
        return []
    person, contact = known.person, known.contact
    rows = {
        "naam": [(gettext("Name"), person.full_name)],
        "bsn": [(gettext("BSN"), person.bsn)],
        "geboortedatum": [(gettext("Date of birth"), long_date(person.geboorte.datum)
                          if person.geboorte.datum else gettext("Unknown"))],
        "adres": [(gettext("Address"), person.address_line)],
        "contact": [(gettext("Email address"), contact.email),
                    (gettext("Phone number"), contact.telefoon)],
    }
    return [{"key": key, "value": value} for item in definition.prefill for key, value in rows[item]]


def _applicant(definition: FormDefinition, known: KnownResident | None) -> Applicant:
    if known is None:
        return Applicant()
    return applicant_for(definition, known, current_user.gemachtigde, current_user.loa)


def _with_prefill(definition: FormDefinition, answers: dict, known: KnownResident | None) -> dict:
    """Defaults from the resident's contact details for `prefill = "email"` (or "telefoon")
    fields; the resident may change them."""
    if known is None:
        return answers
    defaults = {f.name: getattr(known.contact, f.prefill) for f in definition.all_fields()
                if f.prefill and f.name not in answers and getattr(known.contact, f.prefill)}
    return {**defaults, **answers}


def _step_url(definition, draft, step, return_to: str | None = None) -> str:
    return url_for("eforms.step", slug=definition.slug, draft_id=draft.id, step_id=step.id,
                   terug=return_to)


def _check_url(definition, draft) -> str:
    return url_for("eforms.check", slug=definition.slug, draft_id=draft.id)


# --------------------------------------------------------------------------- start

@bp.route("/formulieren/<slug>", methods=["GET", "POST"])
@limiter.limit(_form_rate_limit, methods=["POST"], exempt_when=_logged_in)
def start(slug: str):
    definition = _definition(slug)
    form = StartForm()
    may_start = not definition.login_required or _loa_enough(definition)
    refusal = _address_refusal(definition, _known(definition)) if may_start else None
    if refusal:
        return render_template("eforms/start.html", definition=definition, form=form,
                               may_start=False, refusal=refusal, locale=locale_name(),
                               **_product_facts(definition))
    about = request.args.get("zaak", "")[:40]  # from a zaak's page: the zaak it is about
    if request.method == "POST" and may_start and form.validate_on_submit():
        chosen = _decided_zaak(about)
        with transaction() as db:
            draft = create_draft(db, definition, owner_bsn=_owner_bsn(), lifetime=_draft_lifetime())
            if chosen is not None:
                choose_zaak(db, draft, definition, chosen, lifetime=_draft_lifetime())
        if draft.owner_bsn is None:
            _remember_draft(draft.id)
        return redirect(_step_url(definition, draft, definition.steps[0]))
    if request.method == "POST" and not may_start:
        return redirect(url_for("auth.login", next=url_for("eforms.start", slug=slug)))
    return render_template("eforms/start.html", definition=definition, form=form, may_start=may_start,
                           logged_in_too_low=_logged_in() and not may_start, locale=locale_name(),
                           **_product_facts(definition),
                           start_url=url_for("eforms.start", slug=slug, zaak=about or None))


def _product_facts(definition: FormDefinition) -> dict:
    """What the start page says of the product, from the product (app.catalog.facts): for
    whom, and what you need (the form's own list only for a form without a product)."""
    product = get_catalog().product(definition.product) if definition.product else None
    locale = locale_name()
    if product is not None and product.what_to_bring:
        what_you_need = product.what_to_bring.get(locale)
    else:
        what_you_need = [item.get(locale) for item in definition.what_you_need]
    return {"applies_for": applies_for_text(definition.applies_for),
            "what_you_need": what_you_need}


@bp.app_template_global()
def form_paragraphs(text: Text, definition: FormDefinition, locale: str,
                    terms: Terms | None = None) -> list[str]:
    """A form text's paragraphs with its zaaktype's terms written out ({servicenorm});
    the terms looked up with the request's store unless given (a mail made elsewhere)."""
    terms = terms or zaaktype_terms(definition.zaaktype)
    return [with_norms(paragraph, terms) for paragraph in text.paragraphs(locale)]


def _decided_zaken(step: Step | None = None) -> list[DecidedZaak]:
    """The logged-in resident's decided zaken, when the step (any, without one) asks for one."""
    if not _logged_in() or (step is not None and not any(f.type == "zaak" for f in step.fields)):
        return []
    return decided_zaken(get_zaken_store(), current_user.bsn)


def _decided_zaak(identificatie: str) -> DecidedZaak | None:
    """One of the resident's own decided zaken; None for anything else (another's, open)."""
    if not identificatie:
        return None
    return next((z for z in _decided_zaken() if z.identificatie == identificatie), None)


def _address_refusal(definition: FormDefinition, known: KnownResident | None) -> str | None:
    """The one-per-address rule's message when the resident's address is taken, else None."""
    if not definition.one_per_address or known is None:
        return None
    try:
        check_address_free(get_session(), definition, known.person.address_line)
    except ValidationError as error:
        return str(error)
    return None


# --------------------------------------------------------------------------- steps

@bp.route("/formulieren/<slug>/<draft_id>/<step_id>", methods=["GET", "POST"])
def step(slug: str, draft_id: str, step_id: str):
    definition = _definition(slug)
    draft = _load_draft(definition, draft_id)
    if draft.submitted_at is not None:
        return redirect(url_for("eforms.confirmation", slug=slug, draft_id=draft.id))
    step = definition.step(step_id)
    visible = step is not None and step in _visible(definition, draft.answers)
    if not visible:
        abort(404)
    first_open = first_incomplete_step(definition, draft.answers, draft.completed_steps)
    if step.id not in draft.completed_steps and first_open is not None and first_open.id != step.id:
        return redirect(_step_url(definition, draft, first_open))  # no skipping ahead
    known = _known(definition)
    answers = _with_prefill(definition, draft.answers, known)
    return_to = RETURN_TO_CHECK if request.args.get("terug") == RETURN_TO_CHECK else None
    if request.method == "GET":
        form = build_step_form(definition, step, answers, locale_name(),
                               decided_zaken=_decided_zaken(step))
        return _render_step(definition, draft, step, form, known, return_to)
    return _post_step(definition, draft, step, answers, known, return_to)


def _visible(definition, answers):
    from app.eforms.engine import visible_steps

    return visible_steps(definition, answers)


def _post_step(definition, draft, step, answers, known, return_to):
    action = request.form.get("action", "continue")
    formdata = request.form
    sizes = {}
    for field in step.fields:
        if field.type == "group":
            if action.startswith(f"remove-{field.name}-"):
                formdata = remove_group_item(field, formdata, _index(action))
            sizes[field.name] = group_size_from_post(field, formdata, action)
    form = build_step_form(definition, step, answers, locale_name(), formdata=formdata,
                           group_sizes=sizes, decided_zaken=_decided_zaken(step))
    if action.startswith(("add-", "remove-")) and not action.startswith("remove-file-"):
        return _render_step(definition, draft, step, form, known, return_to)
    if action.startswith("remove-file-"):
        _remove_file(definition, draft, step, action.removeprefix("remove-file-"))
        return redirect(_step_url(definition, draft, step, return_to))
    valid = validate_step(step, form, answers, seen=set(request.form.getlist(SEEN_FIELD)))
    valid = _confirmer_may_confirm(definition, step, form) and valid
    files_ok = _receive_files(definition, draft, step, form)
    if not (valid and files_ok):
        return _render_step(definition, draft, step, form, known, return_to)
    own_names = {f.name for f in step.fields if f.type != "file"}
    kept = {name: value for name, value in draft.answers.items() if name not in own_names}
    new_answers = prune(definition, {**kept, **step_answers(step, form, answers)})
    with transaction() as db:
        save_step(db, draft, answers=new_answers, step_id=step.id, completed=True,
                  lifetime=_draft_lifetime())
    following = (first_incomplete_step(definition, new_answers, draft.completed_steps) if return_to
                 else next_step(definition, new_answers, draft.completed_steps, step))
    if following is None:
        return redirect(_check_url(definition, draft))
    return redirect(_step_url(definition, draft, following, return_to))


def _confirmer_may_confirm(definition: FormDefinition, step, form) -> bool:
    """The BSN of the person who must confirm the form (the partner) is someone else's, and
    known: a field error otherwise, as for any wrong answer. The check is logged in the
    same transaction."""
    rule = definition.confirmation
    if rule is None or rule.field not in {f.name for f in step.fields} or form[rule.field].errors:
        return True
    with transaction() as db:
        refusal = confirmer_refusal(db, normalise_bsn(form[rule.field].data), _owner_bsn(),
                                    requester_naam=current_user.display_name)
    if refusal is not None:
        form[rule.field].errors = [str(refusal)]
    return refusal is None


def _index(action: str) -> int:
    try:
        return int(action.rsplit("-", 1)[1])
    except ValueError:
        return 0


def _render_step(definition, draft, step, form, known, return_to):
    number, total = step_position(definition, draft.answers, step)
    previous = previous_step(definition, draft.answers, step)
    if return_to:
        back_href = _check_url(definition, draft)
    elif previous:
        back_href = _step_url(definition, draft, previous)
    else:
        back_href = url_for("eforms.start", slug=definition.slug)
    files = {f.name: draft.answers.get(f.name, []) for f in step.fields if f.type == "file"}
    return render_template(
        "eforms/step.html", definition=definition, draft=draft, step=step, form=form,
        number=number, total=total, back_href=back_href, files=files,
        person_rows=_person_rows(definition, known), locale=locale_name(),
        known_name=known.person.full_name if known else None,
        heading_field=heading_field(step, locale_name(), form._fields),
        shown=follow_ups_shown(step, form, draft.answers), seen_field=SEEN_FIELD,
        action_url=_step_url(definition, draft, step, return_to),
        later_url=url_for("eforms.later", slug=definition.slug, draft_id=draft.id))


# --------------------------------------------------------------------------- uploads

def _receive_files(definition, draft, step, form) -> bool:
    """Store the files posted with this step (each checked on its content) and say whether the
    file fields are complete. Accepted files are kept even when another answer has an error."""
    ok = True
    answers = dict(draft.answers)
    for field in step.fields:
        if field.type != "file" or field.name not in form._fields:
            continue
        stored = list(answers.get(field.name, []))
        errors = form[field.name].errors if isinstance(form[field.name].errors, list) else []
        for upload in request.files.getlist(field.name):
            if not has_file(upload):
                continue
            try:
                accepted = accept_upload(upload, accept=field.accept, max_mb=field.max_size_mb,
                                         files_so_far=len(stored), max_files=field.max_files)
            except UploadRefused as refusal:
                errors.append(refusal.message)
                continue
            file_id = _uploads().save(draft.id, accepted.content)
            stored.append({"id": file_id, "filename": accepted.name,
                           "size": len(accepted.content), "formaat": accepted.formaat})
        if not stored and field.required and not errors:
            from app.eforms.engine import required_message

            errors.append(required_message(field, locale_name()))
        form[field.name].errors = errors
        ok = ok and not errors
        if stored:
            answers[field.name] = stored
        else:
            answers.pop(field.name, None)
    if answers != draft.answers:
        with transaction() as db:
            save_step(db, draft, answers=answers, step_id=step.id, completed=False,
                      lifetime=_draft_lifetime())
    return ok


def _remove_file(definition, draft, step, file_id: str) -> None:
    answers = dict(draft.answers)
    for field in step.fields:
        if field.type == "file" and field.name in answers:
            kept = [item for item in answers[field.name] if item["id"] != file_id]
            if len(kept) != len(answers[field.name]):
                _uploads().remove(draft.id, file_id)
            answers[field.name] = kept
            if not kept:
                answers.pop(field.name)
    with transaction() as db:
        save_step(db, draft, answers=answers, step_id=step.id, completed=False,
                  lifetime=_draft_lifetime())


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """A post over MAX_CONTENT_LENGTH: a page that says so, not a crash."""
    return render_template("eforms/too_large.html",
                           max_mb=max_upload_mb(),
                           back_href=request.path), 413


# --------------------------------------------------------------------------- check and submit

@bp.route("/formulieren/<slug>/<draft_id>/controleren", methods=["GET", "POST"])
@limiter.limit(_form_rate_limit, methods=["POST"], exempt_when=_logged_in)
def check(slug: str, draft_id: str):
    definition = _definition(slug)
    draft = _load_draft(definition, draft_id)
    if draft.submitted_at is not None:
        return redirect(url_for("eforms.confirmation", slug=slug, draft_id=draft.id))
    pending = first_incomplete_step(definition, draft.answers, draft.completed_steps)
    if pending is not None:
        return redirect(_step_url(definition, draft, pending))
    form = check_form(definition, locale_name())
    known = _known(definition)
    fee = fee_amount(definition, draft.answers)
    if request.method == "POST" and form.validate_on_submit():
        if definition.honeypot and form[HONEYPOT_FIELD].data:
            # A robot filled in the hidden field: no zaak, and nothing that tells it so.
            with transaction() as db:
                discard_draft(db, draft, _uploads())
            return render_template("eforms/received.html", definition=definition, locale=locale_name())
        if _confirmation_refused(definition, draft):
            form.form_errors.append(str(TOO_MANY_MAILS))
        elif fee:  # not for a form whose answers cost nothing (a free ceremony)
            try:
                return _pay(definition, draft, known)
            except ValidationError as refusal:  # the address has a permit already
                form.form_errors.append(str(refusal))
            except RemoteError:
                form.form_errors.append(gettext(
                    "Paying online is not possible right now. Your answers are saved: "
                    "please try again in a few minutes."))
        else:
            try:
                zaaknummer = _submit(definition, draft, known)
            except ValidationError as refusal:  # the one-per-address rule, checked in the submit
                form.form_errors.append(str(refusal))
            else:
                return redirect(url_for("eforms.confirmation", slug=slug, draft_id=draft.id)
                                if zaaknummer else url_for("eforms.check", slug=slug,
                                                           draft_id=draft.id))
    rows = [{"key": row.key, "value": row.value,
             "href": _step_url(definition, draft, row.step, RETURN_TO_CHECK)}
            for row in summary_rows(definition, draft.answers, locale_name())]
    steps = _visible(definition, draft.answers)
    return render_template("eforms/check.html", definition=definition, draft=draft, form=form,
                           rows=rows, person_rows=_person_rows(definition, known),
                           back_href=_step_url(definition, draft, steps[-1]), fee=fee,
                           payment=latest_payment(get_session(), draft.id) if fee else None,
                           locale=locale_name())


def _pay(definition: FormDefinition, draft, known):
    """Send the resident to the payment provider's checkout (303: a GET there). The
    one-per-address rule is checked first: nobody pays for what they cannot get."""
    applicant = _applicant(definition, known)
    check_address_free(get_session(), definition, applicant.adres)
    checkout = start_payment(definition, draft, applicant=applicant, locale=locale_name(),
                             redirect_url=external_url("eforms.paid", slug=definition.slug,
                                                       draft_id=draft.id),
                             webhook_url=webhook_url())
    return redirect(checkout.url, code=303)


@bp.get("/formulieren/<slug>/<draft_id>/betaling")
def paid(slug: str, draft_id: str):
    """Where the payment provider sends the resident back, whatever happened there: the
    portal asks the provider how the payment stands (nothing in this URL says it)."""
    definition = _definition(slug)
    draft = _load_draft(definition, draft_id)
    settled = settle_draft(draft.id)
    if settled.outcome == SUBMITTED:
        return redirect(url_for("eforms.confirmation", slug=slug, draft_id=draft.id))
    if settled.outcome in (UNSUCCESSFUL, REFUNDED):
        return redirect(_check_url(definition, draft))
    return render_template("eforms/payment_waiting.html", definition=definition,
                           again_href=url_for("eforms.paid", slug=slug, draft_id=draft.id),
                           locale=locale_name())


def _confirmation_refused(definition: FormDefinition, draft) -> bool:
    """A visitor's form confirms to the address in its answers: counted as every mail a
    visitor has the portal send (app.notifications.limits). The draft stays as it is."""
    if _logged_in():
        return False
    address = confirmation_address(definition, draft.answers, Applicant())
    return bool(address) and not visitor_may_mail(address)


def _submit(definition, draft, known) -> str:
    # A writer's transaction of its own (the claim is its first statement): on SQLite it
    # waits its turn behind concurrent submits instead of failing.
    with transaction() as db:
        zaaknummer = submit_draft(db, draft.id, definition, applicant=_applicant(definition, known),
                                  uploads=_uploads(), locale=locale_name())
    if not get_zaken_store().registers_later:
        _uploads().remove_all(draft.id)  # the files are zaak documents now
    # else the worker registers the zaak, with the files, and drops them then
    return zaaknummer


@bp.get("/formulieren/<slug>/<draft_id>/bevestiging")
def confirmation(slug: str, draft_id: str):
    definition = _definition(slug)
    draft = _load_draft(definition, draft_id)
    if get_zaken_store().registers_later:
        return _received(definition, draft)
    zaak = submitted_zaak(get_session(), draft)
    if zaak is None:
        return redirect(_check_url(definition, draft))
    target = zaak.einddatum_gepland
    return render_template("eforms/confirmation.html", definition=definition, zaak=zaak,
                           target_date=long_date(target) or None,
                           legal_date=long_date(zaak.uiterlijke_einddatum_afdoening),
                           receipt_href=_receipt_href(definition, draft),
                           logged_in=_logged_in(), locale=locale_name(),
                           **_feedback_question(definition, draft))


def _feedback_question(definition: FormDefinition, draft) -> dict:
    return page_question(f"form:{draft.id}", kind=FORM, product=definition.zaaktype)


def _received(definition: FormDefinition, draft):
    """The confirmation while a remote zaaksysteem registers the zaak (the worker): the
    portal reference now, the zaaknummer once it is known; nothing asked of the zaaksysteem."""
    registration = registration_of_draft(get_session(), draft.id)
    if registration is None:
        return redirect(_check_url(definition, draft))
    return render_template("eforms/received_for_registration.html", definition=definition,
                           reference=registration.reference, zaaknummer=registration.zaaknummer
                           if registration.registered_at else None,
                           receipt_href=_receipt_href(definition, draft),
                           logged_in=_logged_in(), locale=locale_name(),
                           **_feedback_question(definition, draft))


@bp.get("/formulieren/<slug>/<draft_id>/ontvangstbewijs")
def receipt(slug: str, draft_id: str):
    """The PDF of what was sent: for whoever may see the draft (its resident, or the browser
    session that sent it without DigiD)."""
    definition = _definition(slug)
    draft = _load_draft(definition, draft_id)
    found = receipt_of(get_session(), draft, current_app.config["MUNICIPALITY_NAME"])
    if found is None:
        abort(404)
    return private_download(receipt_pdf(found), receipt_filename(found))


def _receipt_href(definition: FormDefinition, draft) -> str | None:
    if not draft.receipt:
        return None
    return url_for("eforms.receipt", slug=definition.slug, draft_id=draft.id)


# --------------------------------------------------------------------------- save for later

@bp.route("/formulieren/<slug>/<draft_id>/later", methods=["GET", "POST"])
def later(slug: str, draft_id: str):
    definition = _definition(slug)
    draft = _load_draft(definition, draft_id)
    form = LaterForm()
    resume_step = first_incomplete_step(definition, draft.answers, draft.completed_steps)
    continue_href = (_step_url(definition, draft, resume_step) if resume_step
                     else _check_url(definition, draft))
    sent = False
    if draft.owner_bsn is None and form.validate_on_submit():
        if not visitor_may_mail(form.email.data):
            form.email.errors.append(str(TOO_MANY_MAILS))
            return _later_page(definition, draft, form, continue_href, sent)
        with transaction() as db:
            token = create_resume_token(db, draft, lifetime=_resume_lifetime())
            link = external_url("eforms.resume", token=token)
            send_mail(db, "form_continue_later", to=form.email.data, locale=locale_name(),
                      title=definition.title.get(locale_name()), link=link,
                      days=_resume_lifetime().days)
        sent = True
    return _later_page(definition, draft, form, continue_href, sent)


def _later_page(definition, draft, form, continue_href: str, sent: bool):
    return render_template("eforms/later.html", definition=definition, draft=draft, form=form,
                           sent=sent, continue_href=continue_href,
                           days=_resume_lifetime().days, locale=locale_name())


@bp.get("/formulieren/hervatten/<token>")
def resume(token: str):
    draft = find_draft_by_resume_token(get_session(), token)
    definition = get_definition(draft.form_slug) if draft else None
    if draft is None or definition is None:
        abort(404)
    _remember_draft(draft.id)
    pending = first_incomplete_step(definition, draft.answers, draft.completed_steps)
    if pending is None:
        return redirect(_check_url(definition, draft))
    return redirect(_step_url(definition, draft, pending))
