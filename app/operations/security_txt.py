"""/.well-known/security.txt (RFC 9116): where to report a vulnerability, until when that holds."""

from datetime import UTC, datetime

from flask import Response, abort, current_app


def parse_expires(value: str) -> datetime:
    """SECURITY_TXT_EXPIRES as an aware datetime; a date alone means the end of that day (UTC)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise RuntimeError(f"SECURITY_TXT_EXPIRES is not an ISO 8601 date: {value!r}") from None
    if len(value) == 10:
        moment = moment.replace(hour=23, minute=59, second=59)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_settings(config) -> None:
    """Contact and Expires are both required by the RFC: one without the other stops the app."""
    if bool(config["SECURITY_CONTACT"]) != bool(config["SECURITY_TXT_EXPIRES"]):
        raise RuntimeError("Set SECURITY_CONTACT and SECURITY_TXT_EXPIRES together.")
    if config["SECURITY_TXT_EXPIRES"]:
        parse_expires(config["SECURITY_TXT_EXPIRES"])


def security_txt():
    config = current_app.config
    if not config["SECURITY_CONTACT"]:
        abort(404)
    expires = parse_expires(config["SECURITY_TXT_EXPIRES"]).astimezone(UTC)
    lines = [f"Contact: {contact.strip()}" for contact in config["SECURITY_CONTACT"].split(",")]
    lines += [
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {config['PORTAL_BASE_URL']}/.well-known/security.txt",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")
