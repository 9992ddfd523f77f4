"""Log lines as one JSON object each (production's default) or as plain text, every line with
the id of the request it belongs to.

A small formatter on the standard library rather than python-json-logger: it is thirty lines
we can read whole, it decides exactly which fields a line carries (the message, the request
id, and the `extra={...}` fields the code passes), and it is one dependency fewer to lock and
audit."""

import json
import logging
import re
import secrets
from datetime import UTC, datetime

from flask import g, has_request_context

HANDLER_NAME = "portal"
NO_REQUEST = "-"
# What a LogRecord holds of its own; anything else on a record came in through `extra=`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime",
                                                                   "request_id"}
# A request id from the balancer is taken only in this shape (a UUID, HAProxy's unique-id,
# nginx's $request_id): it goes into every line, so no spaces, quotes or line breaks.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def request_id(offered: str | None) -> str:
    """The balancer's id when it is sane, else a new random one."""
    if offered and _SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return secrets.token_hex(16)


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request being served ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", NO_REQUEST) if has_request_context() \
            else NO_REQUEST
        return True


# One encoder for all lines (json.dumps with options would build one per line).
_to_json = json.JSONEncoder(default=str, ensure_ascii=False).encode


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST),
        }
        entry.update((key, value) for key, value in vars(record).items()
                     if key not in _RECORD_ATTRIBUTES)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return _to_json(entry)


FORMATTERS = {
    "json": JsonFormatter,
    "text": lambda: logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"),
}


def configure_logging(config) -> None:
    """One handler on the root logger, to stderr (journald takes it from there); a second
    app in the same process (the tests) replaces it rather than doubling every line."""
    log_format = config["LOG_FORMAT"] or ("json" if config["PORTAL_ENV"] == "production"
                                          else "text")
    if log_format not in FORMATTERS:
        raise RuntimeError(f"LOG_FORMAT must be one of {', '.join(FORMATTERS)}, not {log_format!r}.")
    handler = logging.StreamHandler()
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(FORMATTERS[log_format]())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(config["LOG_LEVEL"])
