"""A local mailbox for the demo: an SMTP server that keeps every mail as an .eml file.

    python -m app.notifications.dev_mailbox --port 8025 --dir instance/mailbox

Open the files with any mail program (or read them as text). For development
only: it accepts mail for anyone and sends nothing on.
"""

import argparse
import signal
import threading
import uuid
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from aiosmtpd.controller import Controller


class MailboxHandler:
    """aiosmtpd handler: stores each mail in ``directory`` and prints a line about it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server, session, envelope) -> str:
        received = datetime.now()
        path = self.directory / f"{received:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(envelope.content)
        headers = BytesParser(policy=policy.default).parsebytes(envelope.content, headersonly=True)
        print(f"{received:%H:%M:%S}  to {', '.join(envelope.rcpt_tos)}  "
              f"\"{headers['Subject']}\"  -> {path}", flush=True)
        return "250 Message accepted for delivery"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", type=Path, default=Path("instance/mailbox"))
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)

    controller = Controller(MailboxHandler(args.dir), hostname=args.host, port=args.port,
                            enable_SMTPUTF8=True)
    controller.start()
    print(f"Demo mailbox on smtp://{args.host}:{args.port}, saving mail in {args.dir}/",
          flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
