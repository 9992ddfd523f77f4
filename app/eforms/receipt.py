"""The receipt of a sent form: a PDF of what the resident sent, with its reference and date,
to download from the confirmation page and attached to the confirmation mail.

At the submit the answers are written down as the resident saw them on "check your answers"
(``receipt_rows``, in their language; a BSN they typed is not repeated); the PDF is made from
that when it is asked for: by the download, or by the mail worker (``RECEIPT_MAKER``), never
in the submit's request. The receipt lives as long as the submitted draft
(DRAFT_SUBMITTED_RETENTION_DAYS); with a remote zaaksysteem, until the zaak is registered
there (the portal then keeps no copy of what was sent).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_datetime
from flask import current_app
from flask_babel import force_locale, gettext
from fontTools.ttLib import TTFont
from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.eforms.definitions import FormDefinition
from app.eforms.engine import summary_rows
from app.eforms.models import FormDraft, FormRegistration
from app.notifications.services import Attachment, LaterAttachment
from app.zaken.services import MUNICIPALITY_TIMEZONE

# fontTools tells each glyph it keeps when fpdf2 embeds the font: not news for a log.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"  # Noto Sans, SIL Open Font License (OFL.txt)
FONT = "NotoSans"
RECEIPT_MAKER = "form_receipt"  # the mail worker's name for make_receipt_attachment
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class Receipt:
    municipality: str
    title: str                        # the form's title
    reference: str                    # what to mention when contacting us
    zaaknummer: str | None            # when it differs from the reference (known later)
    sent_at: datetime                 # naive UTC
    locale: str
    rows: tuple[tuple[str, str], ...]  # (question, answer) as the resident saw them


def receipt_rows(definition: FormDefinition, answers: dict, locale: str) -> dict:
    """What the receipt says of the answers, written down at the submit: the draft's
    ``receipt`` column. Call it with the language the form was filled in as the locale."""
    with force_locale(locale):
        rows = [[row.key, gettext("Not shown on this receipt") if row.field.type == "bsn"
                 else row.value]
                for row in summary_rows(definition, answers, locale)]
    return {"locale": locale, "title": definition.title.get(locale), "rows": rows}


def receipt_of(session: Session, draft: FormDraft, municipality: str) -> Receipt | None:
    """The receipt of a submitted draft, or None (not sent, or no longer kept)."""
    if draft.submitted_at is None or not draft.receipt:
        return None
    registration = session.scalar(
        select(FormRegistration).where(FormRegistration.draft_id == draft.id))
    reference = registration.reference if registration else draft.zaak_identificatie
    if reference is None:
        return None
    zaaknummer = draft.zaak_identificatie if registration else None
    written = draft.receipt
    return Receipt(municipality=municipality, title=written["title"], reference=reference,
                   zaaknummer=zaaknummer, sent_at=draft.submitted_at, locale=written["locale"],
                   rows=tuple((question, answer) for question, answer in written["rows"]))


def receipt_filename(receipt: Receipt) -> str:
    return _filename(receipt.reference, receipt.locale)


def later_receipt(draft_id: str, reference: str, locale: str) -> LaterAttachment:
    """The confirmation mail's receipt, made by the mail worker when it sends the mail."""
    return LaterAttachment(_filename(reference, locale), PDF_TYPE, RECEIPT_MAKER,
                           {"draft_id": draft_id})


def _filename(reference: str, locale: str) -> str:
    with force_locale(locale):
        name = gettext("receipt")
    return f"{name}-{reference}.pdf"


def receipt_attachment(receipt: Receipt) -> Attachment:
    return Attachment(receipt_filename(receipt), PDF_TYPE, receipt_pdf(receipt))


# --------------------------------------------------------------------------- the PDF


def receipt_pdf(receipt: Receipt) -> bytes:
    with force_locale(receipt.locale):
        pdf = _document(receipt)
        _heading(pdf, receipt)
        _facts(pdf, receipt)
        _answers(pdf, receipt.rows)
        pdf.ln(4)
        _text(pdf, gettext("Keep this receipt. Please mention the reference if you contact "
                           "us."), size=10)
    return bytes(pdf.output())


def _document(receipt: Receipt) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font(FONT, "", FONTS / "NotoSans-Regular.ttf")
    pdf.add_font(FONT, "B", FONTS / "NotoSans-Bold.ttf")
    pdf.set_title(f"{gettext('Receipt')} {receipt.reference}")
    pdf.set_author(receipt.municipality)
    pdf.set_lang(receipt.locale)
    pdf.set_creation_date(receipt.sent_at.replace(tzinfo=UTC))
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, receipt: Receipt) -> None:
    _text(pdf, receipt.municipality, size=11)
    _text(pdf, gettext("Receipt"), size=20, bold=True)
    _text(pdf, receipt.title, size=14, bold=True)
    pdf.ln(2)


def _facts(pdf: FPDF, receipt: Receipt) -> None:
    sent = format_datetime(receipt.sent_at.replace(tzinfo=UTC), "d MMMM y, HH:mm",
                           tzinfo=MUNICIPALITY_TIMEZONE, locale=receipt.locale)
    facts = [(gettext("Your reference"), receipt.reference)]
    if receipt.zaaknummer and receipt.zaaknummer != receipt.reference:
        facts.append((gettext("Case number"), receipt.zaaknummer))
    facts.append((gettext("Sent on"), sent))
    for label, value in facts:
        _row(pdf, label, value)
    pdf.ln(4)


def _answers(pdf: FPDF, rows) -> None:
    _text(pdf, gettext("What you sent"), size=14, bold=True)
    pdf.ln(1)
    for question, answer in rows:
        _text(pdf, question, size=11, bold=True)
        _text(pdf, answer or "-", size=11)
        pdf.ln(2)


def _row(pdf: FPDF, label: str, value: str) -> None:
    pdf.set_font(FONT, "B", 11)
    pdf.cell(45, 7, _printable(label))
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(0, 7, _printable(value), new_x="LMARGIN", new_y="NEXT")


def _text(pdf: FPDF, text: str, *, size: int, bold: bool = False) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(0, size * 0.5, _printable(text), new_x="LMARGIN", new_y="NEXT")


def _printable(text: str) -> str:
    """The text in characters the embedded font has: any other (an emoji, a script the
    font lacks) shows as the replacement character instead of vanishing."""
    known = _font_characters()
    return "".join(char if char in "\n" or ord(char) in known else "\ufffd"
                   for char in str(text) if char.isprintable() or char == "\n")


@lru_cache(maxsize=1)
def _font_characters() -> frozenset[int]:
    regular = TTFont(FONTS / "NotoSans-Regular.ttf")
    bold = TTFont(FONTS / "NotoSans-Bold.ttf")
    return frozenset(regular.getBestCmap()) & frozenset(bold.getBestCmap())


def make_receipt_pdf(ref: dict) -> bytes | None:
    """The mail worker's maker of a confirmation mail's receipt (LaterAttachment): None when
    the draft or its receipt is no longer kept."""
    config = current_app.config
    with current_app.extensions["db"].sessionmaker() as db:
        draft = db.get(FormDraft, ref["draft_id"])
        receipt = receipt_of(db, draft, config["MUNICIPALITY_NAME"]) if draft else None
    return receipt_pdf(receipt) if receipt else None
