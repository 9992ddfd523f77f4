"""`flask zaken ...`: look at a zaak from the command line (never shows a BSN)."""

import json

import click

from app.db import get_session
from app.zaken import bp
from app.zaken.services import current_status, get_zaak, without_bsns


@bp.cli.command("show")
@click.argument("identificatie")
def show(identificatie: str) -> None:
    """Print a zaak with its status history, result and documents."""
    zaak = get_zaak(get_session(), identificatie.strip().upper())
    if zaak is None:
        raise click.ClickException(f"No zaak {identificatie}.")
    for line in describe_zaak(zaak):
        click.echo(line)


def describe_zaak(zaak) -> list[str]:
    status = current_status(zaak)
    initiator = zaak.initiator
    lines = [
        f"Zaak {zaak.identificatie}: {zaak.omschrijving}",
        f"  Zaaktype: {zaak.zaaktype.identificatie} ({zaak.zaaktype.omschrijving})",
        f"  Status: {status.statustype.omschrijving if status else '-'}"
        f"{' (closed ' + zaak.einddatum.isoformat() + ')' if zaak.einddatum else ''}",
        f"  Registered: {zaak.registratiedatum.isoformat()} by {zaak.registered_by}; "
        f"start {zaak.startdatum.isoformat()}",
        f"  Planned end (servicenorm): "
        f"{zaak.einddatum_gepland.isoformat() if zaak.einddatum_gepland else '-'}; "
        f"deadline (doorlooptijd): {zaak.uiterlijke_einddatum_afdoening.isoformat()}",
        f"  Vertrouwelijkheidaanduiding: {zaak.vertrouwelijkheidaanduiding}",
    ]
    if zaak.toelichting:
        lines.append(f"  Toelichting: {zaak.toelichting}")
    if initiator:
        contact = ", ".join(filter(None, (initiator.email, initiator.telefoon, initiator.adres)))
        digid = " (logged in with DigiD)" if initiator.inp_bsn else ""
        lines.append(f"  Initiator: {initiator.naam or '(anonymous)'}{digid}"
                     f"{'; ' + contact if contact else ''}")
    lines.append("  Status history:")
    for entry in zaak.statussen:
        note = f" - {entry.statustoelichting}" if entry.statustoelichting else ""
        lines.append(f"    {entry.datum_status_gezet:%Y-%m-%d %H:%M} UTC  "
                     f"{entry.statustype.volgnummer}. {entry.statustype.omschrijving}"
                     f"  (by {entry.gezet_door}){note}")
    if zaak.resultaat:
        lines.append(f"  Resultaat: {zaak.resultaat.resultaattype.omschrijving}"
                     f" (by {zaak.resultaat.gezet_door})")
    lines.append(f"  Documents: {len(zaak.documenten) or 'none'}")
    for document in zaak.documenten:
        lines.append(f"    {document.titel}: {document.bestandsnaam}, {document.formaat}, "
                     f"{document.bestandsomvang} bytes, {document.vertrouwelijkheidaanduiding}")
    for label, data in (("Kenmerken", zaak.kenmerken), ("Aanvraaggegevens", zaak.aanvraaggegevens)):
        if data:
            lines.append(f"  {label}: "
                         f"{json.dumps(without_bsns(data), ensure_ascii=False, sort_keys=True)}")
    return lines
