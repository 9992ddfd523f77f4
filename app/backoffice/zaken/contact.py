"""The zaak page's action that makes a colleague the resident's contact person (the service
concept's regievoerder, section 4.3): for this zaak, or for all the resident's open zaken in
the social domain. The resident is told who it is now and how to reach them directly.

An action like those in actions.py: POST with CSRF and one-time token, can_handle_zaak,
one transaction, PRG.
"""

from __future__ import annotations

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import Permission, can_handle_zaak, requires
from app.auth.staff import colleagues, team_label
from app.backoffice import bp
from app.backoffice.common import StaleForm, Work, both
from app.backoffice.zaken.actions import zaak_action
from app.backoffice.zaken.forms import SCOPE_SOCIAL_DOMAIN
from app.backoffice.zaken.services import (
    contact_person,
    set_contact_person,
    social_domain_zaken,
)
from app.berichten.services import send_message
from app.ui import phone
from app.zaken.store import ContactPerson, StaffZaak, get_zaken_store


@bp.post("/zaken/<identificatie>/contactpersoon")
@requires(Permission.HANDLE_ZAKEN)
@zaak_action("contactpersoon", anchor="samenvatting")
def zaak_contact_person(_shown: StaffZaak, form) -> Work | None:
    if not form.validate_on_submit():
        return None

    def work(db, zaak: StaffZaak) -> str:
        chosen = next((c for c in colleagues(db) if c.username == form.medewerker.data), None)
        if chosen is None:  # deactivated or moved out of the teams since the page was shown
            raise StaleForm
        contact = contact_person(chosen)
        store = get_zaken_store(db)
        zaken = [zaak]
        if form.reikwijdte.data == SCOPE_SOCIAL_DOMAIN and zaak.initiator_bsn:
            zaken += [store.staff_zaak(number, for_update=True)
                      for number in social_domain_zaken(store, zaak.initiator_bsn)
                      if number != zaak.identificatie]
        changed = set_contact_person(store, [z for z in zaken if z is not None], contact,
                                     may_handle=lambda z: can_handle_zaak(current_user, z),
                                     door=current_user.actor)
        if not changed:
            return gettext("%(name)s was the contact person already. Nothing was changed.",
                           name=contact.naam)
        _tell_contact_person(db, zaak, contact, changed)
        return gettext("%(name)s is now the contact person for %(zaken)s.", name=contact.naam,
                       zaken=", ".join(changed))

    return work


def _tell_contact_person(db, zaak: StaffZaak, contact: ContactPerson,
                         zaaknummers: list[str]) -> None:
    """One message (and the mail announcing it) naming the new contact person and how to
    reach them; an initiator without DigiD has no inbox and is called or mailed by staff."""
    bsn = zaak.initiator_bsn
    if not bsn:
        return
    # The team's name in each language, as both() renders each.
    team = LazyString(lambda: team_label(contact.team))
    reach = [_l("Phone: %(phone)s", phone=phone(contact.telefoon)) if contact.telefoon else "",
             _l("Email: %(email)s", email=contact.email) if contact.email else ""]
    tekst = (_l("From now on %(name)s of team %(team)s is your contact person for your case "
                "%(zaaknummer)s. You can contact %(name)s directly with questions about it.",
                name=contact.naam, team=team, zaaknummer=zaaknummers[0])
             if len(zaaknummers) == 1 else
             _l("From now on %(name)s of team %(team)s is your contact person for your cases "
                "%(zaaknummers)s. You can contact %(name)s directly with questions about them.",
                name=contact.naam, team=team, zaaknummers=", ".join(zaaknummers)))
    onderwerp, onderwerp_en = both(_l("Your contact person"))
    tekst_nl, tekst_en = both(LazyString(lambda: "\n\n".join(
        [str(tekst), *(str(line) for line in reach if line)])))
    send_message(db, bsn=bsn, onderwerp=onderwerp, tekst=tekst_nl, onderwerp_en=onderwerp_en,
                 tekst_en=tekst_en, afzender=current_user.disclosure_recipient,
                 zaak_identificatie=zaak.identificatie, initiator_email=zaak.initiator.email)
