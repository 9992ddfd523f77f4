"""The virus scan of an uploaded file: ClamAV's daemon (clamd) when CLAMD_URL is set, no
scan when it is empty.

clamd's INSTREAM command is spoken here directly (a few lines over a socket) rather than
through a client library: the maintained one (clamav-client) is GPL-2.0 where the portal is
EUPL-1.2, the older ones (clamd, pyClamd) are no longer maintained, and this way the
timeout and what counts as a failure are ours: anything but a clear "OK" or "FOUND" is
ScannerUnavailable, so the caller can refuse the file (fail closed).
"""

from __future__ import annotations

import socket
import struct
from contextlib import suppress
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from flask import Flask, current_app

EXTENSION_KEY = "virus_scanner"
CHUNK = 64 * 1024   # clamd reads a stream in chunks, each with its length before it


class ScannerUnavailable(RuntimeError):
    """The scanner could not give a verdict (unreachable, timed out, answered an error)."""


class VirusScanner(Protocol):
    def scan(self, content: bytes) -> str | None:
        """The name of what was found in ``content``, None when it is clean;
        ScannerUnavailable when there is no verdict."""


@dataclass(frozen=True)
class NoScan:
    """CLAMD_URL is empty: files are not scanned."""

    def scan(self, content: bytes) -> None:
        return None


@dataclass(frozen=True)
class ClamdScanner:
    """clamd on a unix socket (``unix:///run/clamav/clamd.ctl``) or TCP (``tcp://host:3310``)."""

    url: str
    timeout: float

    def __post_init__(self) -> None:
        self.address()   # a wrong URL stops the app at start, not the first upload

    def address(self) -> tuple[int, str | tuple[str, int]]:
        parts = urlsplit(self.url)
        if parts.scheme == "unix" and parts.path:
            return socket.AF_UNIX, parts.path
        if parts.scheme == "tcp" and parts.hostname:
            return socket.AF_INET, (parts.hostname, parts.port or 3310)
        raise ValueError(f"CLAMD_URL={self.url!r}: use unix:///path/to/clamd.ctl or tcp://host:port")

    def scan(self, content: bytes) -> str | None:
        try:
            with self._connect() as connection:
                # clamd stops reading past its StreamMaxLength; its reply then says so.
                with suppress(BrokenPipeError, ConnectionResetError):
                    _send_stream(connection, content)
                answer = _read_reply(connection)
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {self.url}: {error}") from None
        return _verdict(answer, self.url)

    def _connect(self) -> socket.socket:
        family, address = self.address()
        if family == socket.AF_INET:   # a name, IPv4 or IPv6
            return socket.create_connection(address, timeout=self.timeout)
        connection = socket.socket(family, socket.SOCK_STREAM)
        try:
            connection.settimeout(self.timeout)
            connection.connect(address)
        except OSError:
            connection.close()
            raise
        return connection


def _send_stream(connection: socket.socket, content: bytes) -> None:
    connection.sendall(b"zINSTREAM\0")
    for start in range(0, len(content), CHUNK):
        chunk = content[start:start + CHUNK]
        connection.sendall(struct.pack("!L", len(chunk)) + chunk)
    connection.sendall(struct.pack("!L", 0))


def _read_reply(connection: socket.socket) -> bytes:
    """clamd's one reply, which the z-prefixed command ends with a NUL byte."""
    reply = b""
    while not reply.endswith(b"\0"):
        received = connection.recv(4096)
        if not received:
            break
        reply += received
    return reply.rstrip(b"\0").strip()


def _verdict(answer: bytes, url: str) -> str | None:
    text = answer.decode("utf-8", "replace")
    if text == "stream: OK":
        return None
    if text.startswith("stream: ") and text.endswith(" FOUND"):
        return text.removeprefix("stream: ").removesuffix(" FOUND")
    # "INSTREAM size limit exceeded. ERROR": clamd's StreamMaxLength must be at least
    # UPLOAD_MAX_MB (and API_DOCUMENT_MAX_MB); any other answer is an error too.
    raise ScannerUnavailable(f"clamd at {url} answered {text!r}")


def init_app(app: Flask) -> None:
    url = app.config["CLAMD_URL"].strip()
    app.extensions[EXTENSION_KEY] = (
        ClamdScanner(url, float(app.config["CLAMD_TIMEOUT"])) if url else NoScan())


def virus_scanner() -> VirusScanner:
    """This app's scanner (tests may put another in app.extensions)."""
    return current_app.extensions[EXTENSION_KEY]
