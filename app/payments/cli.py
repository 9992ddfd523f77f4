"""`flask payments worker`: settle payments no browser and no webhook settled (a closed tab,
a webhook lost while the portal was down), and send the refunds staff's rejections and
unsendable payments asked for. `flask payments run` does one round (for cron)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import click

from app.db import get_session, transaction, utcnow
from app.payments import bp
from app.payments import services as payments
from app.payments.models import REFUND_REQUESTED, REFUND_SENT, Payment
from app.payments.port import get_provider
from app.remote import RemoteError
from app.worker import run_worker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RoundReport:
    claimed: int = 0
    settled: int = 0
    refunds: int = 0

    def summary(self) -> str:
        return f"{self.claimed} due, {self.settled} checked, {self.refunds} refund(s) sent"


def run_round(batch_size: int = 20) -> RoundReport:
    """One round: each due payment asked about, each due refund sent. Every step is safe
    to repeat: a worker killed in the middle leaves nothing half done that the next round
    does twice (the draft's submit is claimed once; the refund has an idempotency key)."""
    from app.eforms.paying import settle

    now = utcnow()
    session = get_session()
    to_check = [payment.id for payment in payments.payments_to_check(session, now, batch_size)]
    to_refund = [payment.id for payment in payments.refunds_due(session, now, batch_size)]
    session.rollback()
    settled = refunds = 0
    for payment_id in to_check:
        try:
            settle(payment_id)
            settled += 1
        except RemoteError:
            log.warning("payment %s: the provider did not answer; next round", payment_id)
    provider = get_provider()
    for payment_id in to_refund:
        result = payments.call_refund(provider, session.get(Payment, payment_id))
        with transaction() as db:
            payment = db.get(Payment, payment_id, with_for_update=True, populate_existing=True)
            if payment.refund_status == REFUND_REQUESTED and \
                    payments.record_refund(db, payment, result) == REFUND_SENT:
                refunds += 1  # not when another worker recorded it first
    return RoundReport(claimed=len(to_check) + len(to_refund), settled=settled, refunds=refunds)


@bp.cli.command("run")
def run_command() -> None:
    """Settle due payments and send due refunds, once."""
    click.echo(run_round().summary())


@bp.cli.command("worker")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between rounds.")
def worker_command(interval: float) -> None:
    """Settle due payments and send due refunds until stopped (SIGTERM)."""
    run_worker("Payments worker", run_round, interval=interval, batch_size=20,
               banner=f"Payments worker: a round every {interval:g}s. Ctrl+C stops it.")
