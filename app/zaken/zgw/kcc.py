"""The KCC's reads and write on a ZGW zaaksysteem (StaffZaken in app.zaken.store, "the KCC"):
a team's open callbacks and questions, their counts per part of the day, a resident's
contact overview, and the calls that did not reach the resident.

Where the portal's notions live on the ZGW APIs:

- What the resident asked is the zaak's answers document (ANSWERS_FILE, app.zaken.zgw.staff).
  A list reads it for its rows only, in parallel. Answers never change once registered, so
  each document is read once per process (AnswersCache, keyed by the document's URL); a
  row then costs its rollen, statussen and document links.
- A callback's preferred part of the day is in its answers and also a kenmerk of the zaak
  (bron "dagdeel"): open_zaak copies it from the answers (contact_kenmerken), the
  terugbelverzoek form lists it in its kenmerken (the worker opens the zaak without the
  answers). The Zaken API returns the kenmerken with every zaak of a search, so counting,
  filtering and "this part of the day first" need the search alone, not every zaak's
  document. A zaak without that kenmerk (registered in the zaaksysteem's own screens)
  counts as one without a preference.
- The team is the zaak's behandelaar rol (app.zaken.zgw.staff): searched by the
  organisatorische eenheid and checked on each row's rollen (a zaak being routed has two
  for a moment). A zaak without a team rol is in no team's list: the Zaken API cannot
  search for a missing rol.
- "Oldest first" is by registratiedatum, then identificatie (the zaaksysteem numbers zaken
  in order), as the Zaken API orders a search. A team's open contact zaken are read whole
  (one search call per 500) and paged here: a KCC has tens of them open, and "this part of
  the day first" cannot be asked of the API.
- A call that did not reach the resident: Klantinteracties keeps contact moments in ZGW,
  and there is no server of it here, so it is the portal's own row (zgw_callback_attempts,
  like a document request, but keyed by the zaak's UUID: see the model); a list reads its
  rows' in one query.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.remote import RemoteError
from app.zaken.store import CallbackAttempt, ContactPerson, ContactZaak, ZaakTypeName
from app.zaken.zgw.models import ZgwCallbackAttempt
from app.zaken.zgw.staff import PAGE_MAX, is_answers, rol_record, team_of

if TYPE_CHECKING:
    from app.zaken.zgw.apis import ZgwApis
    from app.zaken.zgw.catalogue import CatalogueCache, CatalogueZaakType

DAGDEEL = "dagdeel"  # the answer, and the kenmerk's bron
TEAM_FILTER = "rol__betrokkeneIdentificatie__organisatorischeEenheid__identificatie"
OLDEST_FIRST = "registratiedatum,identificatie"  # comma-separated: see staff._queue_queries
NEWEST_FIRST = "-registratiedatum,-identificatie"
_attempts = ZgwCallbackAttempt.__table__


def contact_kenmerken(aanvraaggegevens: dict | None) -> dict[str, str]:
    """The answers a contact zaak is also searched by, as kenmerken: its dagdeel."""
    dagdeel = (aanvraaggegevens or {}).get(DAGDEEL)
    return {DAGDEEL: str(dagdeel)} if dagdeel else {}


def uuid_of(zaak: dict) -> str:
    from app.zaken.zgw import _uuid

    return _uuid(zaak["url"])


def dagdeel_of(zaak: dict) -> str:
    """The zaak's dagdeel kenmerk ("" without one)."""
    return next((k["kenmerk"] for k in zaak.get("kenmerken") or [] if k["bron"] == DAGDEEL),
                "")


class AnswersCache:
    """Per document URL, the answers it holds, or None for a document that is not the
    answers. A document's content and name do not change after registration (a new
    version would be another document's business: the portal makes the answers once), so
    each is read from the Documenten API once per process."""

    def __init__(self, *, size: int = 20_000) -> None:
        self._size = size
        self._known: OrderedDict[str, dict | None] = OrderedDict()
        self._lock = threading.Lock()

    def held(self, urls: set[str]) -> dict[str, dict | None]:
        """What is known of these documents (the others are not in the result)."""
        with self._lock:
            for url in urls & self._known.keys():
                self._known.move_to_end(url)
            return {url: self._known[url] for url in urls if url in self._known}

    def put(self, url: str, answers: dict | None) -> None:
        with self._lock:
            self._known[url] = answers
            self._known.move_to_end(url)
            if len(self._known) > self._size:
                self._known.popitem(last=False)


ANSWERS = AnswersCache()


class ZgwKccZaken:
    """The KCC's part of StaffZaken for ZgwZakenStore (mixed in; it gives apis, catalogue,
    session, _search, _rollen_of, _statussen, _answers and _open_zaak_and_type)."""

    apis: ZgwApis
    catalogue: CatalogueCache
    session: Session

    # ----------------------------------------------------------------------- the lists

    def open_contact_zaken(self, zaaktype: str, *, team: str, dagdeel: str | None = None,
                           dagdeel_first: str | None = None, limit: int,
                           offset: int = 0) -> list[ContactZaak]:
        heads = self._open_heads(zaaktype, team, dagdeel)
        if dagdeel_first:
            # Stable: each part of the day keeps the search's order, oldest first.
            heads.sort(key=lambda zaak: dagdeel_of(zaak) != dagdeel_first)
        zaken = self._contact_zaken(heads[offset:offset + limit])
        # A zaak routed away between the search and the read of its rollen is not ours.
        return [zaak for zaak in zaken if zaak.team == team]

    def count_open_by_dagdeel(self, zaaktype: str, *, team: str) -> dict[str, int]:
        return dict(Counter(dagdeel_of(zaak) for zaak in self._open_heads(zaaktype, team)))

    def resident_contact_zaken(self, bsn: str, *, limit: int) -> list[ContactZaak]:
        found = self._search({"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": bsn,
                              "rol__omschrijvingGeneriek": "initiator",
                              "ordering": NEWEST_FIRST},
                             page=1, page_size=min(limit, PAGE_MAX))
        # The API may match the BSN and "initiator" on two rollen (a gemachtigde's zaak).
        return [zaak for zaak in self._contact_zaken(found["results"])
                if zaak.initiator is not None and zaak.initiator.inp_bsn == bsn]

    # ----------------------------------------------------------------------- the write

    def record_callback_attempt(self, identificatie: str, attempt: CallbackAttempt) -> None:
        # UnknownZaak, or closed: ZaakTransitionError.
        zaak, _zaaktype = self._open_zaak_and_type(identificatie)
        self.session.add(ZgwCallbackAttempt(
            zaak_uuid=uuid_of(zaak), zaak_identificatie=identificatie,
            moment=attempt.moment.replace(microsecond=0), door=attempt.door[:200],
            notitie=attempt.notitie))
        self.session.flush()

    def _callback_attempts(self, zaak: dict) -> tuple[CallbackAttempt, ...]:
        return self._attempts_of([zaak]).get(uuid_of(zaak), ())

    # ----------------------------------------------------------------------- reading

    def _open_heads(self, zaaktype: str, team: str, dagdeel: str | None = None) -> list[dict]:
        """Every open zaak of this zaaktype (any version) the team handles, oldest first,
        as the search gives them (with their kenmerken); only those with this dagdeel."""
        urls = sorted(z.url for z in self.catalogue.get().by_url.values()
                      if z.identificatie == zaaktype)
        if not urls:
            return []
        body = {"zaaktype__in": urls, "einddatum__isnull": True, TEAM_FILTER: team,
                "ordering": OLDEST_FIRST}
        if dagdeel:
            body["kenmerk"] = f"{DAGDEEL}:{dagdeel}"  # <bron>:<kenmerk>
        heads, page = [], 1
        while True:
            found = self._search(body, page=page, page_size=PAGE_MAX)
            heads.extend(found["results"])
            if not found.get("next"):
                break
            page += 1
        # The kenmerk filter is experimental in the Zaken API: checked here too.
        return [zaak for zaak in heads if not dagdeel or dagdeel_of(zaak) == dagdeel]

    def _contact_zaken(self, zaken: list[dict]) -> list[ContactZaak]:
        """These zaken as the lists show them: per zaak its rollen, statussen and document
        links, all in parallel; then the answers (AnswersCache) and the attempts (one
        query)."""
        calls = [partial(read, zaak["url"]) for zaak in zaken
                 for read in (self._rollen_of, self._statussen, self._links)]
        parts = _all_or_raise(self.apis.each(lambda call: call(), calls))
        rollen, statussen, links = parts[0::3], parts[1::3], parts[2::3]
        answers = self._answers_in(links)
        attempts, records = self._attempts_of(zaken), self._contact_records(zaken)
        return [self._contact_zaak(zaak, *row, attempts.get(uuid_of(zaak), ()),
                                   self._contact_of(zaak, row[0], records))
                for zaak, *row in zip(zaken, rollen, statussen, answers, strict=True)]

    def _contact_zaak(self, zaak: dict, rollen: list[dict], statussen: list[dict],
                      answers: dict, attempts: tuple[CallbackAttempt, ...],
                      contact_person: ContactPerson | None) -> ContactZaak:
        from app.zaken.zgw import _date, _naive_utc

        zaaktype: CatalogueZaakType = self.catalogue.zaaktype(zaak["zaaktype"])
        initiator = next((rol for rol in rollen if rol["omschrijvingGeneriek"] == "initiator"),
                         None)
        current = next((s for s in statussen if s["url"] == zaak.get("status")),
                       statussen[-1] if statussen else None)
        statustype = zaaktype.statustype_at(current["statustype"]) if current else None
        return ContactZaak(
            identificatie=zaak["identificatie"],
            zaaktype=ZaakTypeName(zaaktype.identificatie, zaaktype.omschrijving),
            team=team_of(rollen, zaaktype), registratiedatum=_date(zaak["registratiedatum"]),
            startdatum=_date(zaak["startdatum"]), einddatum=_date(zaak.get("einddatum")),
            aanvraaggegevens=answers,
            initiator=rol_record(initiator) if initiator else None,
            received_at=_naive_utc(statussen[0]["datumStatusGezet"]) if statussen else None,
            status=statustype.omschrijving if statustype else None,
            callback_attempts=attempts, contact_person=contact_person)

    def _links(self, zaak_url: str) -> list[str]:
        """The URLs of the zaak's documents."""
        links = self.apis.zaken.get("zaakinformatieobjecten", params={"zaak": zaak_url})
        return [link["informatieobject"] for link in links]

    def _answers_in(self, links: list[list[str]]) -> list[dict]:
        """Per zaak (its document URLs), its answers ({} without them). Documents not seen
        before are read in parallel: first what they are, then the answers' content."""
        wanted = {url for urls in links for url in urls}
        held = ANSWERS.held(wanted)
        unknown = sorted(wanted - held.keys())
        documents = _all_or_raise(self.apis.each(self.apis.documenten.get, unknown))
        answers = [(url, document) for url, document in zip(unknown, documents, strict=True)
                   if is_answers(document)]
        contents = _all_or_raise(self.apis.each(self._answers, [d for _, d in answers]))
        held.update(dict.fromkeys(unknown))
        held.update((url, content) for (url, _), content in zip(answers, contents, strict=True))
        for url in unknown:
            ANSWERS.put(url, held[url])
        return [next((held[url] for url in urls if held[url] is not None), {})
                for urls in links]

    def _attempts_of(self, zaken: list[dict]) -> dict[str, tuple[CallbackAttempt, ...]]:
        """The attempts of these zaken by their UUID, oldest first: one query for any
        number."""
        if not zaken:
            return {}
        rows = self.session.connection().execute(
            select(_attempts).where(_attempts.c.zaak_uuid.in_(
                {uuid_of(zaak) for zaak in zaken}))
            .order_by(_attempts.c.moment, _attempts.c.id))
        found: dict[str, list[CallbackAttempt]] = {}
        for row in rows:
            found.setdefault(row.zaak_uuid, []).append(
                CallbackAttempt(moment=row.moment, door=row.door, notitie=row.notitie))
        return {uuid: tuple(items) for uuid, items in found.items()}


def _all_or_raise(results: list) -> list:
    """The results of apis.each, or the first failure raised: a list of contact zaken
    without some of them would look complete."""
    for result in results:
        if isinstance(result, RemoteError):
            raise result
    return results
