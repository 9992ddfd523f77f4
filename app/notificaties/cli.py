"""`flask notificaties ...`: the worker that handles the inbox, and the operators' commands.

- ``process``: handle the notificaties that are due now, once;
- ``worker``: keep handling them until stopped (run it beside `flask mail worker`);
- ``status``: how many wait, failed, were handled; the latest failures;
- ``retry``: put failed notificaties back in the queue;
- ``purge``: forget handled notificaties after some days;
- ``subscribe``: register (or find) the portal's abonnement at the Notificaties API.
"""

from datetime import timedelta

import click
from flask import current_app

from app.db import transaction
from app.notificaties import bp
from app.notificaties.abonnement import DEFAULT_KANALEN, ensure_abonnement, notificaties_api
from app.notificaties.processing import ProcessReport, process_due
from app.notificaties.routes import CALLBACK_PATH
from app.notificaties.services import inbox_status, purge_handled, retry_failed
from app.remote import RemoteError, RemoteRefused
from app.worker import run_worker


def _process_once(batch_size: int) -> ProcessReport:
    return process_due(current_app.extensions["db"].sessionmaker, batch_size=batch_size,
                       max_attempts=current_app.config["NOTIFICATIES_MAX_ATTEMPTS"])


@bp.cli.command("process")
@click.option("--batch-size", default=50, show_default=True,
              help="Most notificaties to handle.")
def process(batch_size: int) -> None:
    """Handle the notificaties that are due now, once."""
    click.echo(_process_once(batch_size).summary())


@bp.cli.command("worker")
@click.option("--interval", default=2.0, show_default=True,
              help="Seconds to wait when no notificatie is due.")
@click.option("--batch-size", default=50, show_default=True, help="Notificaties per batch.")
def worker(interval: float, batch_size: int) -> None:
    """Keep handling notificaties until Ctrl+C or SIGTERM (finishes the batch in hand)."""
    run_worker("Notificaties worker", lambda: _process_once(batch_size), interval=interval,
               batch_size=batch_size,
               banner=f"Notificaties worker: polling the inbox every {interval:g} s.")


@bp.cli.command("status")
def status() -> None:
    """Count the inbox's notificaties per status and list the latest failures."""
    with transaction() as session:
        report = inbox_status(session)
    click.echo(", ".join(f"{name}: {count}" for name, count in report.counts.items()))
    if report.oldest_pending is not None:
        click.echo(f"Oldest waiting: received {report.oldest_pending:%Y-%m-%d %H:%M:%S} UTC")
    for row in report.failed:
        click.echo(f"  failed {row.id}: {row.kanaal}/{row.resource}/{row.actie}, "
                   f"{row.attempts} attempts, last error: {row.last_error}")


@bp.cli.command("retry")
@click.argument("ids", nargs=-1, type=int)
def retry(ids: tuple[int, ...]) -> None:
    """Put failed notificaties (all, or the IDS given) back in the queue."""
    with transaction() as session:
        count = retry_failed(session, list(ids))
    click.echo(f"{count} failed notificatie(s) queued again.")


@bp.cli.command("purge")
@click.option("--days", default=30, show_default=True,
              help="Keep handled notificaties this many days (longer than the "
                   "Notificaties API's retries).")
def purge(days: int) -> None:
    """Delete processed and ignored notificaties received more than DAYS ago (from cron)."""
    with transaction() as session:
        count = purge_handled(session, timedelta(days=days))
    click.echo(f"Deleted {count} handled notificatie(s).")


@bp.cli.command("subscribe")
@click.option("--kanaal", "kanalen", multiple=True, default=DEFAULT_KANALEN,
              show_default=True, help="A kanaal to subscribe to (repeat for more).")
@click.option("--update", is_flag=True,
              help="Send callback and auth again to an abonnement that exists already "
                   "(after changing NOTIFICATIES_CALLBACK_AUTH).")
def subscribe(kanalen: tuple[str, ...], update: bool) -> None:
    """Register the portal's abonnement at the Notificaties API, or reuse the one there is."""
    config = current_app.config
    callback_url = callback_url_from(config)
    missing = [name for name in ("NOTIFICATIES_API_URL", "NOTIFICATIES_CALLBACK_AUTH",
                                 "ZGW_CLIENT_ID", "ZGW_SECRET") if not config[name]]
    if not callback_url:
        missing.append("NOTIFICATIES_CALLBACK_URL (or PORTAL_BASE_URL)")
    if missing:
        raise click.ClickException("Set " + ", ".join(missing) + " first.")
    try:
        result = ensure_abonnement(notificaties_api(config), callback_url=callback_url,
                                   auth=config["NOTIFICATIES_CALLBACK_AUTH"],
                                   kanalen=kanalen, update=update)
    except RemoteRefused as refused:
        raise click.ClickException(f"{refused}{_invalid_params(refused.body)}") from None
    except RemoteError as error:
        raise click.ClickException(f"{error}; try again later.") from None
    click.echo(f"Abonnement {result.action}: {result.url}")
    click.echo(f"  kanalen {', '.join(kanalen)} -> {callback_url}")
    for other in result.others:
        click.echo(f"  note: {other} also sends to this callback URL; delete it if it is "
                   "not wanted (notificaties would arrive twice; the inbox drops the copies)")


def callback_url_from(config) -> str:
    """NOTIFICATIES_CALLBACK_URL, or the callback path on PORTAL_BASE_URL."""
    if config["NOTIFICATIES_CALLBACK_URL"]:
        return config["NOTIFICATIES_CALLBACK_URL"]
    if config["PORTAL_BASE_URL"]:
        return config["PORTAL_BASE_URL"].rstrip("/") + CALLBACK_PATH
    return ""


def _invalid_params(problem) -> str:
    """The Notificaties API's reasons (e.g. that it could not reach the callback URL)."""
    if not isinstance(problem, dict):
        return ""
    reasons = [f"{param.get('name')}: {param.get('reason')}"
               for param in problem.get("invalidParams") or [] if isinstance(param, dict)]
    return (" (" + "; ".join(reasons) + ")") if reasons else ""
