"""The rules for a file someone uploads, the same everywhere: an e-form's file field, a
document the municipality asked for in Mijn zaken, evidence for a correction, a document
or message attachment the back office adds, and a document a partner adds through the API.
Every one of them goes through inspect_upload.

A file's type is what its CONTENT is (its first bytes, and a photo must be a readable
one), never what its name or the browser says; its size is at most UPLOAD_MAX_MB (a form
field may set less or more). It is kept and served under the uploader's name with the
extension of that type (``scan.bat`` holding a PDF is ``scan.pdf``), never used as a path.
A photo loses its metadata (app.uploads.images: GPS above all); with CLAMD_URL set, ClamAV
scans the file (app.uploads.scanning) and a file it cannot scan is refused too. A refused
file gets one of the messages here.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import NamedTuple

from flask import Flask, current_app
from flask_babel import gettext
from wtforms.validators import StopValidation, ValidationError

from app.uploads import scanning
from app.uploads.images import UnreadableImage, strip_metadata
from app.uploads.scanning import ScannerUnavailable, virus_scanner

log = logging.getLogger(__name__)

MB = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    signature: bytes              # how the content starts
    media_type: str               # the document's formaat
    extensions: tuple[str, ...]   # what a name of this type ends in; the first is ours


FILE_TYPES = {
    "pdf": FileType(b"%PDF-", "application/pdf", ("pdf",)),
    "jpg": FileType(b"\xff\xd8\xff", "image/jpeg", ("jpg", "jpeg", "jpe")),
    "png": FileType(b"\x89PNG\r\n\x1a\n", "image/png", ("png",)),
}
DOCUMENT_TYPES = ("pdf", "jpg", "png")   # what a zaak document may be, unless a form says less
MEDIA_TYPES = tuple(FILE_TYPES[kind].media_type for kind in DOCUMENT_TYPES)


class AcceptedFile(NamedTuple):
    """A file that passed the rules (a tuple, so ``name, formaat, content = accepted``)."""

    name: str      # the name it is kept and served under (stored_filename)
    formaat: str   # the media type its content is
    content: bytes  # without a photo's metadata


class UploadRefused(ValueError):
    """Why a file was not accepted: ``reason`` is one of empty, too_big, wrong_type,
    too_many, infected, scan_unavailable; ``message`` says it in the page's language
    (accept_upload fills it in)."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message or reason


def max_upload_mb(field_max_mb: int | None = None) -> int:
    """The most MB a file may have: the field's own limit, else UPLOAD_MAX_MB."""
    return field_max_mb or int(current_app.config["UPLOAD_MAX_MB"])


def init_app(app: Flask) -> None:
    scanning.init_app(app)


def safe_filename(name: str | None) -> str:
    """The name the resident knows the file by (shown only; never used as a path)."""
    return _printable_name(name)[:120] or "bestand"


def _printable_name(name: str | None) -> str:
    """The last part of a path (a browser may send C:\\scans\\x.pdf), printable characters
    only: no line breaks, no right-to-left marks that show "exe.png" for "gnp.exe"."""
    cleaned = "".join(ch for ch in PureWindowsPath(name or "").name if ch.isprintable())
    return unicodedata.normalize("NFC", cleaned)


# What may stay of a name: letters and digits of any script, and a few marks; anything
# else (quotes, slashes, %, ;, ...) becomes "_".
_NAME_UNSAFE = re.compile(r"[^\w .,()+&'-]")
# An extension: letters and digits, at least one letter (so "Brief 12.03.2026" has none).
_EXTENSION = re.compile(r"[A-Za-z0-9]{0,7}[A-Za-z][A-Za-z0-9]{0,7}")
MAX_STEM = 100


def stored_filename(name: str | None, kind: str) -> str:
    """The name a file of ``kind`` (what its content is) is kept and served under: the
    uploader's name, made safe, without the extension they gave it, with the type's own
    (``scan.bat`` holding a PDF: ``scan.pdf``; ``photo.png.exe`` holding a PNG: ``photo.png``)."""
    extensions = FILE_TYPES[kind].extensions
    stem = _without_extension(_printable_name(name))
    if _extension_of(stem).lower() in extensions:   # photo.png.exe: the .png was its own
        stem = _without_extension(stem)
    return f"{_safe_stem(stem)}.{extensions[0]}"


def served_file(bestandsnaam: str, content: bytes) -> tuple[str, str]:
    """The name and media type a kept file is served with: from what its content is, not
    from what was stored with it (a file kept before names were made safe, a document a
    zaaksysteem holds). Content of no type we know is served as bytes to save (never to
    open in the browser), under its name made safe."""
    kind = file_kind(content, tuple(FILE_TYPES))
    if kind is not None:
        return stored_filename(bestandsnaam, kind), FILE_TYPES[kind].media_type
    name = _printable_name(bestandsnaam)
    extension = _extension_of(name)
    return (_safe_stem(_without_extension(name)) + (f".{extension}" if extension else ""),
            "application/octet-stream")


def _safe_stem(stem: str) -> str:
    return re.sub(r"\s+", " ", _NAME_UNSAFE.sub("_", stem))[:MAX_STEM].strip(" .") or "bestand"


def _extension_of(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return extension if dot and _EXTENSION.fullmatch(extension) else ""


def _without_extension(name: str) -> str:
    extension = _extension_of(name)
    return name[:-len(extension) - 1] if extension else name


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


def inspect_upload(filename: str | None, content: bytes, *, max_bytes: int,
                   accept: tuple[str, ...] = DOCUMENT_TYPES, files_so_far: int = 0,
                   max_files: int = 1) -> AcceptedFile:
    """The file as it may be kept: its type checked on its content, a photo without its
    metadata, scanned for viruses when a scanner is configured, under its stored_filename.
    UploadRefused (with its reason only) when it may not be kept."""
    kind = check_upload(content, accept=accept, max_bytes=max_bytes,
                        files_so_far=files_so_far, max_files=max_files)
    try:
        content = strip_metadata(kind, content)
    except UnreadableImage:
        raise UploadRefused("wrong_type") from None
    _scan(content)
    return AcceptedFile(stored_filename(filename, kind), FILE_TYPES[kind].media_type, content)


def _scan(content: bytes) -> None:
    try:
        found = virus_scanner().scan(content)
    except ScannerUnavailable as error:
        # Fail closed: a file nobody could scan is not let in. The file's name may be
        # personal; the log says only what went wrong.
        log.error("Upload refused: the virus scanner gave no verdict (%s)", error)
        raise UploadRefused("scan_unavailable") from None
    if found:
        log.warning("Upload refused: the virus scanner found %s", found)
        raise UploadRefused("infected")


def accept_upload(upload, *, accept: tuple[str, ...] = DOCUMENT_TYPES, max_mb: int | None = None,
                  files_so_far: int = 0, max_files: int = 1) -> AcceptedFile:
    """Read a posted file (werkzeug's FileStorage) and inspect it; UploadRefused with the
    message for the resident or employee when it is not accepted."""
    limit_mb = max_upload_mb(max_mb)
    # One byte over the limit is enough to know it is too big; the rest is never read.
    content = upload.read(limit_mb * MB + 1)
    try:
        return inspect_upload(upload.filename, content, accept=accept, max_bytes=limit_mb * MB,
                              files_so_far=files_so_far, max_files=max_files)
    except UploadRefused as refusal:
        raise UploadRefused(refusal.reason, _refusal_message(
            refusal.reason, safe_filename(upload.filename), accept=accept, max_mb=limit_mb,
            max_files=max_files)) from None


def _refusal_message(reason: str, name: str, *, accept: tuple[str, ...], max_mb: int,
                     max_files: int) -> str:
    if reason == "infected":
        return gettext("The file %(name)s contains a virus or other harmful software. "
                       "We have not saved it", name=name)
    if reason == "scan_unavailable":
        return gettext("We cannot check the file %(name)s for viruses right now. "
                       "Try again later", name=name)
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
