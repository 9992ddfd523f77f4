"""A real SMTP server for the mail tests (aiosmtpd), and settings that point at it.

    from tests.notifications_fixtures import smtp_server  # noqa: F401

``smtp_server.messages`` holds every received mail as an EmailMessage, with
its envelope recipients in ``smtp_server.recipients``; ``stop()`` and
``start()`` simulate an outage (the port stays the same);
``refuse_recipients = True`` makes it refuse every recipient with a 550.
"""

import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from aiosmtpd.controller import Controller

from app.notifications.delivery import SmtpSettings
from tests.conftest import free_port


class RecordingHandler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refuse_recipients = False
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.refuse_recipients:
            # Real servers quote the address in their refusal.
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        # Lines arrive with CRLF; as LF, text parts compare equal to what was queued.
        content = envelope.content.replace(b"\r\n", b"\n")
        message = BytesParser(policy=policy.default).parsebytes(content)
        with self._lock:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class SmtpTestServer:
    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    @property
    def recipients(self) -> list[list[str]]:
        return self.handler.recipients

    @property
    def refuse_recipients(self) -> bool:
        return self.handler.refuse_recipients

    @refuse_recipients.setter
    def refuse_recipients(self, refuse: bool) -> None:
        self.handler.refuse_recipients = refuse

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname=self.host, port=self.port,
                                      enable_SMTPUTF8=True)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def smtp_settings_for(server: SmtpTestServer, **overrides) -> SmtpSettings:
    return SmtpSettings(**{"host": server.host, "port": server.port, "timeout": 5, **overrides})


def smtp_config_for(server: SmtpTestServer) -> dict:
    """App config keys that point the app (e.g. `flask mail deliver`) at the server."""
    return {"SMTP_HOST": server.host, "SMTP_PORT": server.port, "SMTP_TIMEOUT": 5}


@pytest.fixture
def smtp_server():
    server = SmtpTestServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
