"""The portal's abonnement at the Notificaties API: one, for the kanalen it handles.

``ensure_abonnement`` makes it idempotent: an abonnement with the portal's callback URL
and exactly the wanted kanalen (without filters) is reused as it is; one with the callback
URL but other kanalen is put right (PUT); otherwise one is created. The ``auth`` an
abonnement holds cannot be read back (it is write-only in the API), so after changing
NOTIFICATIES_CALLBACK_AUTH run it with ``update=True``.

Note: Open Notificaties checks the callback when an abonnement is created or changed, by
POSTing a test notificatie (kanaal "test") with the given auth and expecting 204, so the
portal's webhook must be up, reachable from it and configured with the same auth first.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.remote import RemoteApi, TlsSettings
from app.zgw_auth import ZgwTokenSource

log = logging.getLogger(__name__)

# besluiten: the decisions that end, for the reminders (app.zaken.zgw.besluiten).
DEFAULT_KANALEN = ("zaken", "documenten", "besluiten")


@dataclass(frozen=True)
class AbonnementResult:
    url: str
    action: str                      # "created", "updated" or "reused"
    others: tuple[str, ...] = ()     # further abonnementen on the same callback URL


def notificaties_api(config: Mapping[str, Any]) -> RemoteApi:
    """The Notificaties API the settings name, with a fresh ZGW token on every call."""
    return RemoteApi(
        "Notificaties API", config["NOTIFICATIES_API_URL"],
        timeout=float(config["NOTIFICATIES_API_TIMEOUT"]),
        headers=ZgwTokenSource(config["ZGW_CLIENT_ID"], config["ZGW_SECRET"]),
        tls=TlsSettings(ca_bundle=config["NOTIFICATIES_API_CA_BUNDLE"]),
        credentials="ZGW_CLIENT_ID and ZGW_SECRET",
    )


def ensure_abonnement(api: RemoteApi, *, callback_url: str, auth: str,
                      kanalen: Sequence[str] = DEFAULT_KANALEN,
                      update: bool = False) -> AbonnementResult:
    """Make sure the Notificaties API has one abonnement sending ``kanalen`` to
    ``callback_url`` with ``auth``. RemoteUnavailable / RemoteRefused when it says no."""
    body = {"callbackUrl": callback_url, "auth": auth,
            "kanalen": [{"naam": naam, "filters": {}} for naam in kanalen]}
    ours = [abonnement for abonnement in _list_abonnementen(api)
            if abonnement.get("callbackUrl") == callback_url]
    matching = [abonnement for abonnement in ours if _same_kanalen(abonnement, kanalen)]
    chosen = (matching or ours or [None])[0]
    others = tuple(abonnement["url"] for abonnement in ours if abonnement is not chosen)
    if chosen is None:
        created = api.post("abonnement", body)
        log.info("Notificaties API: abonnement created for kanalen %s", ", ".join(kanalen))
        return AbonnementResult(created["url"], "created", others)
    if chosen in matching and not update:
        return AbonnementResult(chosen["url"], "reused", others)
    api.request("PUT", chosen["url"], json=body)
    log.info("Notificaties API: abonnement updated for kanalen %s", ", ".join(kanalen))
    return AbonnementResult(chosen["url"], "updated", others)


def _list_abonnementen(api: RemoteApi) -> list[dict]:
    """Every abonnement (Notificaties API 1.0 answers a list; later versions may page)."""
    answer = api.get("abonnement")
    if isinstance(answer, list):
        return answer
    abonnementen = list(answer.get("results", []))
    while answer.get("next"):
        answer = api.get(answer["next"])
        abonnementen.extend(answer.get("results", []))
    return abonnementen


def _same_kanalen(abonnement: Mapping[str, Any], kanalen: Sequence[str]) -> bool:
    groups = abonnement.get("kanalen") or []
    return (sorted(group.get("naam") for group in groups) == sorted(kanalen)
            and not any(group.get("filters") for group in groups))
