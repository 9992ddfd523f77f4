"""The rules for a file someone uploads, the same everywhere: an e-form's file field, a
document the municipality asked for in Mijn zaken, evidence for a correction, a document
or message attachment the back office adds, and a document a partner adds through the API.

A file's type is what its CONTENT is (its first bytes), never what its name or the
browser says; its size is at most UPLOAD_MAX_MB (a form field may set less or more); its
name is only shown, never used as a path. A refused file gets one of the messages here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext
from wtforms.validators import StopValidation, ValidationError

MB = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    signature: bytes   # how the content starts
    media_type: str    # the document's formaat


FILE_TYPES = {
    "pdf": FileType(b"%PDF-", "application/pdf"),
    "jpg": FileType(b"\xff\xd8\xff", "image/jpeg"),
    "png": FileType(b"\x89PNG\r\n\x1a\n", "image/png"),
}
DOCUMENT_TYPES = ("pdf", "jpg", "png")   # what a zaak document may be, unless a form says less
MEDIA_TYPES = tuple(FILE_TYPES[kind].media_type for kind in DOCUMENT_TYPES)


class AcceptedFile(NamedTuple):
    """A file that passed the rules (a tuple, so ``name, formaat, content = accepted``)."""

    name: str      # safe to show; the resident's own name for it
    formaat: str   # the media type its content is
    content: bytes


class UploadRefused(ValueError):
    """Why a file was not accepted: ``reason`` is one of empty, too_big, wrong_type, too_many;
    ``message`` says it in the page's language (accept_upload fills it in)."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message or reason


def max_upload_mb(field_max_mb: int | None = None) -> int:
    """The most MB a file may have: the field's own limit, else UPLOAD_MAX_MB."""
    return field_max_mb or int(current_app.config["UPLOAD_MAX_MB"])


def safe_filename(name: str | None) -> str:
    """The name the resident knows the file by (shown only; never used as a path)."""
    cleaned = "".join(ch for ch in PureWindowsPath(name or "").name if ch.isprintable())
    return cleaned[:120] or "bestand"


def file_kind(content: bytes, accept: tuple[str, ...] = DOCUMENT_TYPES) -> str | None:
    """The accepted kind the CONTENT is (magic bytes), never guessed from the name."""
    return next((kind for kind in accept if content.startswith(FILE_TYPES[kind].signature)), None)


def check_upload(content: bytes, *, max_bytes: int, accept: tuple[str, ...] = DOCUMENT_TYPES,
                 files_so_far: int = 0, max_files: int = 1) -> str:
    """The file's kind; UploadRefused (with its reason) when a rule says no."""
    if files_so_far >= max_files:
        raise UploadRefused("too_many")
    if not content:
        raise UploadRefused("empty")
    if len(content) > max_bytes:
        raise UploadRefused("too_big")
    kind = file_kind(content, accept)
    if kind is None:
        raise UploadRefused("wrong_type")
    return kind


def accept_upload(upload, *, accept: tuple[str, ...] = DOCUMENT_TYPES, max_mb: int | None = None,
                  files_so_far: int = 0, max_files: int = 1) -> AcceptedFile:
    """Read a posted file (werkzeug's FileStorage) and check it; UploadRefused with the
    message for the resident or employee when it is not accepted."""
    name = safe_filename(upload.filename)
    limit_mb = max_upload_mb(max_mb)
    # One byte over the limit is enough to know it is too big; the rest is never read.
    content = upload.read(limit_mb * MB + 1)
    try:
        kind = check_upload(content, accept=accept, max_bytes=limit_mb * MB,
                            files_so_far=files_so_far, max_files=max_files)
    except UploadRefused as refusal:
        raise UploadRefused(refusal.reason, _refusal_message(
            refusal.reason, name, accept=accept, max_mb=limit_mb, max_files=max_files)) from None
    return AcceptedFile(name, FILE_TYPES[kind].media_type, content)


def _refusal_message(reason: str, name: str, *, accept: tuple[str, ...], max_mb: int,
                     max_files: int) -> str:
    if reason == "too_big":
        return gettext("The file %(name)s is too big. Choose a file of at most %(size)s MB",
                       name=name, size=max_mb)
    if reason == "wrong_type":
        return gettext("The file %(name)s is not a %(types)s file", name=name,
                       types=", ".join(kind.upper() for kind in accept))
    if reason == "too_many":
        return gettext("You can add at most %(count)s files", count=max_files)
    return gettext("The file %(name)s is empty", name=name)


def has_file(upload) -> bool:
    """Whether a file was chosen (a form posted without one has no or an empty file)."""
    return bool(upload and getattr(upload, "filename", ""))


class AcceptedUpload:
    """WTForms validator for a file field: the file follows the rules above. The accepted
    file is then ``field.accepted`` (None without a file), a refusal the field's error."""

    def __init__(self, accept: tuple[str, ...] = DOCUMENT_TYPES, *, required: bool = True) -> None:
        self.accept = accept
        self.required = required

    def __call__(self, form, field) -> None:
        field.accepted = None
        if not has_file(field.data):
            if self.required:
                raise StopValidation(gettext("Choose a file"))
            return
        try:
            field.accepted = accept_upload(field.data, accept=self.accept)
        except UploadRefused as refusal:
            raise ValidationError(refusal.message) from None
