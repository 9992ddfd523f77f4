"""`flask zaken ...`: look at a zaak from the command line (never shows a BSN); register the
submitted forms in a remote zaaksysteem (`register`, `registration-worker`, `registrations`)."""

import json

import click
from flask import current_app

from app.db import get_session, transaction
from app.worker import run_worker
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


# --------------------------------------------------------------------------- registrations
# Submitted forms a remote zaaksysteem (ZAKEN_STORE=zgw) registers through the worker
# (app.eforms.registrations); with the embedded store there are none.


def _register_once(batch_size: int):
    # Imported here: the e-forms import the zaken store, which this package carries.
    from app.eforms import uploads_path
    from app.eforms.registrations import register_due
    from app.eforms.services import UploadArea

    return register_due(current_app.extensions["db"].sessionmaker, UploadArea(uploads_path()),
                        batch_size=batch_size,
                        max_attempts=current_app.config["REGISTRATION_MAX_ATTEMPTS"])


@bp.cli.command("register")
@click.option("--batch-size", default=20, show_default=True,
              help="Most submissions to register.")
def register(batch_size: int) -> None:
    """Register the submitted forms that are due in the zaaksysteem, once."""
    click.echo(_register_once(batch_size).summary())


@bp.cli.command("registration-worker")
@click.option("--interval", default=2.0, show_default=True,
              help="Seconds to wait when no submission is due.")
@click.option("--batch-size", default=20, show_default=True, help="Submissions per batch.")
def registration_worker(interval: float, batch_size: int) -> None:
    """Keep registering submitted forms until Ctrl+C or SIGTERM (finishes the batch in hand)."""
    run_worker("Registration worker", lambda: _register_once(batch_size), interval=interval,
               batch_size=batch_size,
               banner=f"Registration worker: polling every {interval:g} s.")


@bp.cli.command("registrations")
@click.option("--retry", "retry", is_flag=True,
              help="Put the failed ones (all, or the IDS given) back in the queue.")
@click.argument("ids", nargs=-1, type=int)
def registrations(retry: bool, ids: tuple[int, ...]) -> None:
    """Count the submissions per status and list the failed ones (no BSN, no answers)."""
    from app.eforms.registrations import registrations_status, retry_failed

    with transaction() as session:
        if retry:
            click.echo(f"{retry_failed(session, list(ids))} failed registration(s) queued again.")
            return
        report = registrations_status(session)
    click.echo(", ".join(f"{name}: {count}" for name, count in report.counts.items()))
    if report.oldest_pending is not None:
        click.echo(f"Oldest waiting: submitted {report.oldest_pending:%Y-%m-%d %H:%M:%S} UTC")
    for row in report.failed:
        click.echo(f"  failed {row.id} {row.reference}: {row.form_slug} ({row.zaaktype}), "
                   f"zaaknummer {row.zaaknummer or '-'}, {row.attempts} attempts, "
                   f"last error: {row.last_error}")
