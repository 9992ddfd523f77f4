"""`flask forms cleanup`: delete expired drafts and old submitted answers."""

from datetime import timedelta

import click
from flask import current_app

from app.db import transaction
from app.eforms import bp, uploads_path
from app.eforms.services import UploadArea, cleanup_drafts


@bp.cli.command("cleanup")
def cleanup_command() -> None:
    """Delete expired drafts (and their uploads) and the raw answers of submitted forms
    older than DRAFT_SUBMITTED_RETENTION_DAYS; the zaken keep what was registered."""
    retention = timedelta(days=current_app.config["DRAFT_SUBMITTED_RETENTION_DAYS"])
    with transaction() as session:
        result = cleanup_drafts(session, UploadArea(uploads_path()), submitted_retention=retention)
    click.echo(f"Deleted {result.expired_deleted} expired drafts and "
               f"{result.submitted_deleted} submitted drafts.")
