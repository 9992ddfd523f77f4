"""Queueing mail: other features call send_mail (a template in app/templates/mail/) or
queue_mail (a text of their own) inside their own transaction."""

import base64
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from jinja2 import Environment
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import DIALECT_INSERTS, utcnow
from app.notifications.models import (
    STATUS_FAILED,
    STATUS_PENDING,
    STATUS_SENDING,
    OutboxMessage,
)
from app.texts import WEB_ADDRESS

log = logging.getLogger(__name__)

# Between the parts of a mail sent in more than one language.
LANGUAGE_SEPARATOR = "\n\n-----\n\n"


def one_line(value: str) -> str:
    """A header value on one line: every run of whitespace, line breaks included (\\r, \\n,
    U+2028 ...), becomes one space, control characters go. A line break in a header would end
    it there and start another (a Bcc), and Python's email refuses to build such a mail at all:
    it would fail on every retry."""
    return " ".join("".join(char for char in value if char.isprintable() or char.isspace())
                    .split())


class UnsendableAddress(ValueError):
    """A recipient no mail can go to (it holds whitespace or a control character)."""


def _checked_recipient(address: str) -> str:
    """The address as given, or UnsendableAddress: an address is not text we may tidy up."""
    if any(char.isspace() or not char.isprintable() for char in address):
        raise UnsendableAddress("a mail recipient may not hold whitespace or control characters")
    return address


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str   # e.g. "text/calendar; method=PUBLISH; charset=utf-8"
    content: bytes


@dataclass(frozen=True)
class LaterAttachment:
    """An attachment the mail worker makes when it sends the mail, so a request does not wait
    for it (a PDF): the function registered as ``maker`` (register_attachment_maker) makes
    the content from ``ref``. It may answer None (what it is made of is gone): the mail then
    goes without it."""
    filename: str
    content_type: str
    maker: str
    ref: dict


def register_attachment_maker(app, name: str, make: Callable[[dict], bytes | None]) -> None:
    app.extensions.setdefault("mail_attachment_makers", {})[name] = make


class AttachmentNotMade(ValueError):
    """A LaterAttachment's maker failed (or there is no app to make it in): the mail is
    retried later like any mail that could not be sent; the others go."""


def made_attachments(message: OutboxMessage) -> list[tuple[str, str, bytes]]:
    """(filename, content_type, content) of each attachment of the message, each
    LaterAttachment made now (by the mail worker, in the app's context)."""
    files = message.attachment_files()
    for item in message.attachments:
        if "maker" not in item:
            continue
        try:
            content = current_app.extensions["mail_attachment_makers"][item["maker"]](item["ref"])
        except Exception as error:  # whatever failed, only this mail waits
            raise AttachmentNotMade(item["maker"]) from error
        if content is None:
            log.warning("mail %s: attachment %s could not be made", message.id, item["maker"])
        else:
            files.append((item["filename"], item["content_type"], content))
    return files


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str


def send_mail(session: Session, template: str, *, to: str, locale: str | Sequence[str],
              attachments: Sequence[Attachment | LaterAttachment] = (),
              dedupe_key: str | None = None, **context) -> OutboxMessage:
    """Render the mail ``app/templates/mail/<template>.txt`` for the recipient and queue it
    (queue_mail: in the caller's transaction, once per dedupe_key).

    ``locale`` is the recipient's language; several ("nl", "en") give one mail with a part
    in each, for a recipient whose language we do not know.
    """
    locales = (locale,) if isinstance(locale, str) else tuple(locale)
    parts = [render_mail(template, locale=one, **context) for one in locales]
    subject = " / ".join(dict.fromkeys(part.subject for part in parts))
    text = LANGUAGE_SEPARATOR.join(part.text.rstrip("\n") for part in parts) + "\n"
    return queue_mail(session, to=to, subject=subject, text=text,
                      html=html_part(text, subject, locales[0]), attachments=attachments,
                      dedupe_key=dedupe_key)


def html_part(text: str, subject: str, locale: str) -> str:
    """The mail's HTML alternative: the same words as the text (paragraphs, line breaks,
    links) under the municipality's logo, from mail/_layout.html. The logo is an image on the
    portal (PORTAL_BASE_URL), so a mail client that shows no images shows its alt text."""
    config = current_app.config
    logo = current_app.extensions["ui_logo"]
    paragraphs = [_html_lines(paragraph) for paragraph in text.strip("\n").split("\n\n")]
    # Straight from the app's environment (HTML-escaped), without the pages' context
    # processors: mail is also rendered outside a request (the worker, the CLI).
    layout = current_app.jinja_env.get_template("mail/_layout.html")
    return layout.render(
        paragraphs=paragraphs, subject=subject, locale=locale,
        logo_url=config["PORTAL_BASE_URL"].rstrip("/") + logo.path,
        municipality_name=config["MUNICIPALITY_NAME"])


def _html_lines(paragraph: str) -> list[Markup]:
    """A paragraph's lines, escaped, with each web address a link."""
    def link(url: re.Match) -> str:  # the address is escaped already, with the line
        return Markup('<a href="{0}">{0}</a>').format(Markup(url.group()))

    return [Markup(WEB_ADDRESS.sub(link, str(escape(line)))) for line in paragraph.split("\n")]


def render_mail(template: str, *, locale: str, **context) -> RenderedMail:
    """A mail template's subject and body blocks in one language. Besides ``context`` the
    template sees ``locale`` and, as the pages do, ``municipality.name`` and ``.phone``."""
    config = current_app.config
    municipality = {"name": config["MUNICIPALITY_NAME"], "phone": config["MUNICIPALITY_PHONE"]}
    with force_locale(locale):
        loaded = _mail_templates().get_template(f"mail/{template}.txt")
        values = loaded.new_context({"locale": locale, "municipality": municipality, **context})
        subject = "".join(loaded.blocks["subject"](values))
        text = "".join(loaded.blocks["body"](values))
    # One line: a subject comes from texts that may hold a resident's line breaks.
    return RenderedMail(one_line(subject), text.rstrip("\n") + "\n")


def _mail_templates() -> Environment:
    """The app's templates, with the loader, filters and gettext, but for plain text: no HTML
    escaping, and a line holding only a {% tag %} leaves no empty line behind."""
    extensions = current_app.extensions
    if "mail_templates" not in extensions:
        extensions["mail_templates"] = current_app.jinja_env.overlay(
            autoescape=False, trim_blocks=True, lstrip_blocks=True, cache_size=50)
    return extensions["mail_templates"]


def queue_mail(session: Session, *, to: str, subject: str, text: str, html: str | None = None,
               attachments: Sequence[Attachment | LaterAttachment] = (),
               dedupe_key: str | None = None) -> OutboxMessage:
    """Put a mail in the outbox, in the caller's transaction (flushed, not committed).

    The mail leaves only when the caller commits, so a rolled-back submit sends
    nothing. Header values are made single-line here, for every caller (``one_line``); a
    recipient that cannot be a mail address raises UnsendableAddress, so the caller's
    transaction fails now rather than a mail that never goes out. Queuing a dedupe_key that
    is already in the outbox returns that message and adds nothing, also when another
    transaction queues it at the same moment.
    """
    now = utcnow()
    values = dict(
        recipient=_checked_recipient(to), subject=one_line(subject), text_body=text,
        html_body=html,
        attachments=[_attachment_json(attachment) for attachment in attachments],
        dedupe_key=dedupe_key, status=STATUS_PENDING, attempts=0,
        next_attempt_at=now, created_at=now,
    )
    if dedupe_key is None:
        message = OutboxMessage(**values)
        session.add(message)
        session.flush()
        return message
    return _insert_unless_duplicate(session, values)


# One INSERT ... ON CONFLICT DO NOTHING per dialect, built once (every submit queues a
# mail; a fresh statement's cache key costs more Python time than the INSERT itself).
_INSERT_UNLESS_DUPLICATE = {
    name: (insert(OutboxMessage).on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key])
           .returning(OutboxMessage))
    for name, insert in DIALECT_INSERTS.items()}


def _insert_unless_duplicate(session: Session, values: dict) -> OutboxMessage:
    """Atomic against a concurrent transaction queuing the same key, and the caller's
    transaction stays usable either way."""
    statement = _INSERT_UNLESS_DUPLICATE[session.get_bind().dialect.name]
    message = session.scalars(statement, values).one_or_none()
    return message if message is not None else _find_by_dedupe_key(session, values["dedupe_key"])


def _find_by_dedupe_key(session: Session, dedupe_key: str) -> OutboxMessage | None:
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key)
    ).one_or_none()


def _attachment_json(attachment: Attachment | LaterAttachment) -> dict:
    if isinstance(attachment, LaterAttachment):
        return {"filename": one_line(attachment.filename),
                "content_type": one_line(attachment.content_type),
                "maker": attachment.maker, "ref": attachment.ref}
    return {"filename": one_line(attachment.filename),
            "content_type": one_line(attachment.content_type),
            "content": base64.b64encode(attachment.content).decode("ascii")}



@dataclass(frozen=True)
class OutboxCounts:
    waiting: int  # pending, or claimed by a worker right now
    failed: int   # given up after MAIL_MAX_ATTEMPTS


def outbox_counts(session: Session) -> OutboxCounts:
    """One grouped count on the outbox's status index (sent mail is left out)."""
    rows = dict(session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.status.in_((STATUS_PENDING, STATUS_SENDING, STATUS_FAILED)))
        .group_by(OutboxMessage.status)).all())
    return OutboxCounts(waiting=rows.get(STATUS_PENDING, 0) + rows.get(STATUS_SENDING, 0),
                        failed=rows.get(STATUS_FAILED, 0))
