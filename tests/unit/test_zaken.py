"""The zaken service: catalogi, opening zaken, zaaknummers, statussen, results, documents."""

import re
import threading
from datetime import date

import pytest
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from app.catalog.content import get_catalog
from app.db import begin_write, get_session
from app.ports import DOCUMENT_STORE
from app.zaken import services
from app.zaken.catalogi import DEFAULT_ZAAKTYPEN_PATH, CatalogiError, seed_zaaktypen
from app.zaken.documents import FileSystemDocumentStore
from app.zaken.durations import add_duration, parse_duration
from app.zaken.models import (
    Document,
    Resultaat,
    Rol,
    Status,
    StatusType,
    Zaak,
    ZaaknummerCounter,
    ZaakType,
)
from app.zaken.services import (
    Initiator,
    UnknownZaakType,
    ZaakTransitionError,
    add_document,
    current_status,
    get_zaak,
    get_zaaktype,
    open_zaak,
    read_document,
    set_resultaat,
    set_status,
    zaken_for_bsn,
)
from app.zaken.store import Vertrouwelijkheidaanduiding

BSN = "999993653"
OTHER_BSN = "999990019"
ZAAKNUMMER = re.compile(r"ZAAK-(\d{4})-(\d{10})")
SHIPPED_ZAAKTYPEN = {"VERHUIZING", "UITTREKSEL_BRP", "PARKEERVERGUNNING", "MELDING_OPENBARE_RUIMTE",
                     "HULPVRAAG_WMO", "TERUGBELVERZOEK", "VRAAG", "CORRECTIEVERZOEK"}


@pytest.fixture
def session(app, db_connection):
    with app.app_context():
        yield get_session()


@pytest.fixture
def documents_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.extensions, DOCUMENT_STORE.key,
                        FileSystemDocumentStore(tmp_path / "documents"))
    return tmp_path / "documents"


def open_verhuizing(session, *, bsn: str | None = BSN, **changes) -> Zaak:
    arguments = dict(zaaktype="VERHUIZING", omschrijving="Verhuizing naar Vischpoortstraat 14",
                     initiator=Initiator(naam="Jan Jansen", bsn=bsn, email="jan@example.org",
                                         telefoon="0612345678",
                                         adres="Vischpoortstraat 14, 8081 BP Elburg"),
                     aanvraaggegevens={"verhuisdatum": "2026-12-01"}, registered_by="e-formulier")
    return open_zaak(session, **(arguments | changes))


# --------------------------------------------------------------------------- catalogi


def test_the_shipped_zaaktypen_are_seeded_with_statustypen_and_resultaattypen(session):
    zaaktypen = {z.identificatie: z for z in session.scalars(select(ZaakType))}
    assert set(zaaktypen) >= SHIPPED_ZAAKTYPEN
    for zaaktype in zaaktypen.values():
        volgnummers = [s.volgnummer for s in zaaktype.statustypen]
        assert volgnummers == list(range(1, len(volgnummers) + 1))
        assert [s.is_eindstatus for s in zaaktype.statustypen] == [False] * (len(volgnummers) - 1) + [True]
        assert zaaktype.resultaattypen
        parse_duration(zaaktype.doorlooptijd)
        if zaaktype.product:
            assert get_catalog().product(zaaktype.product) is not None, zaaktype.product
    assert zaaktypen["HULPVRAAG_WMO"].vertrouwelijkheidaanduiding == "zaakvertrouwelijk"
    assert any(not s.zichtbaar_voor_inwoner for s in zaaktypen["PARKEERVERGUNNING"].statustypen)


def test_texts_come_in_dutch_and_english(session):
    statustype = get_zaaktype(session, "VERHUIZING").statustype(1)
    assert statustype.localized("omschrijving", "nl") == "Ontvangen"
    assert statustype.localized("omschrijving", "en") == "Received"
    assert statustype.localized("statustekst", "en_GB") == statustype.statustekst_en


def test_a_resultaattype_says_in_the_standards_words_whether_it_goes_ahead(session):
    """ZGW omschrijvingGeneriek: the Dutch name unless the file names the kind itself."""
    def generiek(zaaktype: str) -> dict[str, str]:
        return {r.omschrijving: r.omschrijving_generiek
                for r in get_zaaktype(session, zaaktype).resultaattypen}

    assert generiek("MELDING_HUWELIJK") == {"Toegekend": "Toegekend", "Afgewezen": "Afgewezen",
                                            "Ingetrokken": "Ingetrokken"}
    assert generiek("KWIJTSCHELDING")["Gedeeltelijk toegekend"] == "Toegekend"


def test_seeding_again_adds_nothing_and_follows_text_changes(session, tmp_path):
    counts = (session.query(ZaakType).count(), session.query(StatusType).count())
    assert seed_zaaktypen(session) == 0
    assert (session.query(ZaakType).count(), session.query(StatusType).count()) == counts

    changed = tmp_path / "zaaktypen.toml"
    text = DEFAULT_ZAAKTYPEN_PATH.read_text(encoding="utf-8")
    changed.write_text(text.replace('"Verhuizing doorgeven"', '"Verhuizing melden"', 1),
                       encoding="utf-8")
    assert seed_zaaktypen(session, changed) == 0
    session.expire_all()
    assert get_zaaktype(session, "VERHUIZING").omschrijving == "Verhuizing melden"
    assert session.query(StatusType).count() == counts[1]


def test_seeding_again_keeps_what_a_beheerder_changed(session, tmp_path):
    verhuizing = get_zaaktype(session, "VERHUIZING")
    verhuizing.servicenorm, verhuizing.doorlooptijd = "P3D", "P2W"
    verhuizing.statustype(1).statustekst = "Binnen!"
    verhuizing.statustype(1).informeren = False
    session.flush()
    assert seed_zaaktypen(session) == 0
    session.expire_all()
    verhuizing = get_zaaktype(session, "VERHUIZING")
    assert (verhuizing.servicenorm, verhuizing.doorlooptijd) == ("P3D", "P2W")
    assert (verhuizing.statustype(1).statustekst, verhuizing.statustype(1).informeren) == (
        "Binnen!", False)


@pytest.mark.parametrize("old, new, message", [
    ('vertrouwelijkheidaanduiding = "intern"', 'vertrouwelijkheidaanduiding = "stiekem"',
     "vertrouwelijkheidaanduiding"),
    ('doorlooptijd = "P4W"', 'doorlooptijd = "vier weken"', "doorlooptijd"),
    ('\ninformeren = true', '\ninformeer = true', "unknown field"),
    ('omschrijving_generiek = "Verleend"', 'omschrijving_generiek = 3', "omschrijving_generiek"),
])
def test_a_malformed_zaaktypen_file_is_refused_with_the_place(session, tmp_path, old, new, message):
    broken = tmp_path / "zaaktypen.toml"
    broken.write_text(DEFAULT_ZAAKTYPEN_PATH.read_text(encoding="utf-8").replace(old, new, 1),
                      encoding="utf-8")
    with pytest.raises(CatalogiError, match=message):
        seed_zaaktypen(session, broken)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("start, duration, expected", [
    (date(2026, 3, 2), "P8W", date(2026, 4, 27)),
    (date(2026, 12, 29), "P5D", date(2027, 1, 3)),
    (date(2026, 1, 31), "P1M", date(2026, 2, 28)),
    (date(2028, 1, 31), "P1M", date(2028, 2, 29)),
    (date(2026, 3, 31), "P1M", date(2026, 4, 30)),
    (date(2026, 12, 15), "P1M", date(2027, 1, 15)),
    (date(2028, 2, 29), "P1Y", date(2029, 2, 28)),
    (date(2026, 1, 31), "P1Y1M1W1D", date(2027, 3, 8)),
])
def test_durations_count_on_the_calendar(start, duration, expected):
    assert add_duration(start, duration) == expected


@pytest.mark.parametrize("text", ["", "P", "8W", "PT4H", "P1.5D", "P-1D"])
def test_durations_other_than_calendar_parts_are_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_planned_and_latest_end_dates_follow_the_zaaktype(session):
    zaak = open_verhuizing(session, startdatum=date(2026, 1, 30))  # P5D servicenorm, P4W doorlooptijd
    assert zaak.einddatum_gepland == date(2026, 2, 4)
    assert zaak.uiterlijke_einddatum_afdoening == date(2026, 2, 27)
    assert zaak.registratiedatum == services.today()
    assert zaak.einddatum is None


# --------------------------------------------------------------------------- opening


def test_open_zaak_registers_initiator_first_status_and_a_zaaknummer(session):
    zaak = open_verhuizing(session)
    year, _ = ZAAKNUMMER.fullmatch(zaak.identificatie).groups()
    assert int(year) == services.today().year
    assert get_zaak(session, zaak.identificatie) is zaak
    assert zaak.zaaktype.identificatie == "VERHUIZING"
    assert zaak.aanvraaggegevens == {"verhuisdatum": "2026-12-01"}
    initiator = zaak.initiator
    assert (initiator.betrokkene_type, initiator.omschrijving_generiek) == ("natuurlijk_persoon", "initiator")
    assert (initiator.inp_bsn, initiator.naam, initiator.email) == (BSN, "Jan Jansen", "jan@example.org")
    status = current_status(zaak)
    assert (status.statustype.volgnummer, status.gezet_door) == (1, "e-formulier")
    assert BSN not in zaak.identificatie


def test_zaaknummers_follow_each_other(session):
    first, second = open_verhuizing(session), open_verhuizing(session, bsn=None)
    first_number = int(ZAAKNUMMER.fullmatch(first.identificatie).group(2))
    assert second.identificatie == f"ZAAK-{services.today().year}-{first_number + 1:010d}"


def test_vertrouwelijkheidaanduiding_is_copied_from_the_zaaktype(session):
    for zaaktype, expected in (("HULPVRAAG_WMO", "zaakvertrouwelijk"),
                               ("MELDING_OPENBARE_RUIMTE", "intern")):
        zaak = open_zaak(session, zaaktype=zaaktype, initiator=Initiator(naam=""),
                         omschrijving="Test", registered_by="test")
        assert zaak.vertrouwelijkheidaanduiding == expected


def test_open_zaak_refuses_an_unknown_zaaktype_and_an_invalid_bsn(session):
    with pytest.raises(UnknownZaakType):
        open_zaak(session, zaaktype="BESTAAT_NIET", initiator=Initiator(naam="X"),
                  omschrijving="Test", registered_by="test")
    with pytest.raises(ValueError):
        open_verhuizing(session, bsn="123456789")


def test_a_long_omschrijving_is_shortened(session):
    zaak = open_verhuizing(session, omschrijving="woord " * 100)
    assert len(zaak.omschrijving) == services.OMSCHRIJVING_MAX_LENGTH
    assert zaak.omschrijving.endswith("…")


# --------------------------------------------------------------------------- statussen and results


def test_every_status_change_is_recorded_with_who_and_when(session):
    zaak = open_verhuizing(session)
    set_status(session, zaak, volgnummer=2, gezet_door="medewerker@elburg.example")
    set_status(session, zaak, volgnummer=3, toelichting="Adres klopt niet met BAG",
               gezet_door="medewerker@elburg.example")
    session.expire_all()
    zaak = get_zaak(session, zaak.identificatie)
    history = [(s.statustype.volgnummer, s.gezet_door, s.statustoelichting) for s in zaak.statussen]
    assert history == [(1, "e-formulier", ""), (2, "medewerker@elburg.example", ""),
                       (3, "medewerker@elburg.example", "Adres klopt niet met BAG")]
    moments = [s.datum_status_gezet for s in zaak.statussen]
    assert moments == sorted(moments) and moments[0].tzinfo is None
    assert current_status(zaak).statustype.omschrijving == "Adresonderzoek"


def test_setting_a_result_closes_the_zaak(session):
    zaak = open_verhuizing(session)
    resultaat = set_resultaat(session, zaak, resultaattype="Verwerkt", toelichting="In de BRP",
                              gezet_door="medewerker@elburg.example")
    assert resultaat.resultaattype.omschrijving == "Verwerkt"
    assert zaak.einddatum == services.today()
    assert zaak.is_closed
    assert current_status(zaak).statustype.is_eindstatus
    assert current_status(zaak).gezet_door == "medewerker@elburg.example"


def test_impossible_transitions_are_refused(session, documents_dir):
    zaak = open_verhuizing(session)
    with pytest.raises(ZaakTransitionError, match="volgnummer 9"):
        set_status(session, zaak, volgnummer=9, gezet_door="test")
    with pytest.raises(ZaakTransitionError, match="eindstatus"):
        set_status(session, zaak, volgnummer=4, gezet_door="test")
    with pytest.raises(ZaakTransitionError, match="resultaattype"):
        set_resultaat(session, zaak, resultaattype="Toegekend", gezet_door="test")
    assert len(zaak.statussen) == 1 and not zaak.is_closed

    set_resultaat(session, zaak, resultaattype="Ingetrokken", gezet_door="test")
    with pytest.raises(ZaakTransitionError, match="closed"):
        set_status(session, zaak, volgnummer=2, gezet_door="test")
    with pytest.raises(ZaakTransitionError, match="closed"):
        set_resultaat(session, zaak, resultaattype="Verwerkt", gezet_door="test")
    with pytest.raises(ZaakTransitionError, match="closed"):
        add_document(session, zaak, titel="Laat", bestandsnaam="laat.pdf",
                     formaat="application/pdf", content=b"%PDF", added_by="test")


# --------------------------------------------------------------------------- documents


def test_documents_are_stored_under_safe_names_and_read_back(session, documents_dir):
    zaak = open_verhuizing(session)
    content = b"%PDF-1.7 huurcontract"
    document = add_document(session, zaak, titel="Huurcontract", bestandsnaam="C:\\fakepath\\..\\huur.pdf",
                            formaat="application/pdf", content=content, added_by="e-formulier")
    assert (document.bestandsnaam, document.bestandsomvang) == ("huur.pdf", len(content))
    assert document.vertrouwelijkheidaanduiding == zaak.vertrouwelijkheidaanduiding
    assert document.creatiedatum == services.today()
    stored = [path for path in documents_dir.rglob("*") if path.is_file()]
    assert [path.name for path in stored] == [document.storage_key]
    assert "huur" not in str(stored[0])

    session.expire_all()
    (document,) = get_zaak(session, zaak.identificatie).documenten
    assert read_document(document) == content


def test_a_document_can_be_more_confidential_than_its_zaak(session, documents_dir):
    zaak = open_verhuizing(session)
    document = add_document(session, zaak, titel="Medische verklaring", bestandsnaam="verklaring.pdf",
                            formaat="application/pdf", content=b"%PDF",
                            vertrouwelijkheidaanduiding="vertrouwelijk", added_by="test")
    level = Vertrouwelijkheidaanduiding(document.vertrouwelijkheidaanduiding)
    assert level.rank > Vertrouwelijkheidaanduiding(zaak.vertrouwelijkheidaanduiding).rank
    with pytest.raises(ValueError):
        add_document(session, zaak, titel="X", bestandsnaam="x.pdf", formaat="application/pdf",
                     content=b"%PDF", vertrouwelijkheidaanduiding="heel_geheim", added_by="test")


@pytest.mark.parametrize("key", ["../../etc/passwd", "/etc/passwd", "ab", "A" * 32])
def test_the_store_only_accepts_its_own_keys(tmp_path, key):
    with pytest.raises(ValueError):
        FileSystemDocumentStore(tmp_path).read(key)


# --------------------------------------------------------------------------- finding


def count_queries(connection):
    statements = []
    event.listen(connection, "before_cursor_execute", lambda *args: statements.append(args[2]))
    return statements


def test_zaken_for_bsn_lists_the_initiators_zaken_in_a_constant_number_of_queries(
        session, db_connection):
    mine = [open_verhuizing(session) for _ in range(3)]
    open_verhuizing(session, bsn=OTHER_BSN)
    open_verhuizing(session, bsn=None)
    set_resultaat(session, mine[0], resultaattype="Verwerkt", gezet_door="test")
    session.expunge_all()

    statements = count_queries(db_connection)
    zaken = zaken_for_bsn(session, BSN)
    texts = [(z.zaaktype.omschrijving, current_status(z).statustype.omschrijving) for z in zaken]
    assert len(statements) == 2
    assert [z.identificatie for z in zaken] == [z.identificatie for z in reversed(mine)]
    assert texts[-1] == ("Verhuizing doorgeven", "Afgehandeld")

    assert [z.identificatie for z in zaken_for_bsn(session, BSN, open_only=True)] == \
        [mine[2].identificatie, mine[1].identificatie]
    assert [z.identificatie for z in zaken_for_bsn(session, BSN, open_only=False)] == [mine[0].identificatie]
    assert [z.identificatie for z in zaken_for_bsn(session, BSN, limit=1, offset=1)] == [mine[1].identificatie]
    assert zaken_for_bsn(session, "111222333") == []


# --------------------------------------------------------------------------- command line


def test_flask_zaken_show_prints_history_and_documents_but_no_bsn(app, session, documents_dir):
    zaak = open_verhuizing(session, aanvraaggegevens={"medeverhuizer_bsn": OTHER_BSN,
                                                      "opmerking": f"BSN partner {OTHER_BSN}"})
    set_status(session, zaak, volgnummer=2, toelichting="Gestart", gezet_door="medewerker")
    add_document(session, zaak, titel="Huurcontract", bestandsnaam="huur.pdf",
                 formaat="application/pdf", content=b"%PDF", added_by="e-formulier")

    result = app.test_cli_runner().invoke(args=["zaken", "show", zaak.identificatie])

    assert result.exit_code == 0, result.output
    for text in (zaak.identificatie, "Verhuizing doorgeven", "1. Ontvangen", "2. In behandeling",
                 "Gestart", "by medewerker", "Huurcontract", "huur.pdf", "logged in with DigiD"):
        assert text in result.output
    assert BSN not in result.output and OTHER_BSN not in result.output


def test_flask_zaken_show_says_when_there_is_no_such_zaak(app, session):
    result = app.test_cli_runner().invoke(args=["zaken", "show", "ZAAK-2026-9999999999"])
    assert result.exit_code != 0 and "No zaak" in result.output


# --------------------------------------------------------------------------- concurrency


def test_concurrent_submits_never_share_a_zaaknummer(app, monkeypatch):
    """50 threads each open a zaak in their own transaction on the suite's database (a
    SQLite file, or PostgreSQL with TEST_DATABASE_URL). A far-away year makes every
    thread race for creating that year's counter row too. Each transaction reads before
    it writes, as a request does, so SQLite needs begin_write (BEGIN IMMEDIATE)."""
    year = 2900 + threading.get_native_id() % 99
    monkeypatch.setattr(services, "today", lambda: date(year, 6, 1))
    engine = app.extensions["db"].engine
    threads_count = 50
    start = threading.Barrier(threads_count)
    numbers, errors = [], []

    def submit():
        try:
            with Session(engine) as session:
                start.wait()
                begin_write(session)
                get_zaaktype(session, "VRAAG")
                zaak = open_zaak(session, zaaktype="VRAAG", initiator=Initiator(naam="Test"),
                                 omschrijving="Gelijktijdig", registered_by="concurrency-test")
                session.commit()
                numbers.append(zaak.identificatie)
        except Exception as error:  # noqa: BLE001  (reported below: a thread's exception is lost)
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(threads_count)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(set(numbers)) == threads_count
        assert {ZAAKNUMMER.fullmatch(n).group(1) for n in numbers} == {str(year)}
    finally:
        _delete_year(engine, year)


def _delete_year(engine, year: int) -> None:
    with Session(engine) as session, session.begin():
        zaak_ids = select(Zaak.id).where(Zaak.identificatie.like(f"ZAAK-{year}-%"))
        for model in (Status, Rol, Resultaat, Document):
            session.execute(delete(model).where(model.zaak_id.in_(zaak_ids)))
        session.execute(delete(Zaak).where(Zaak.identificatie.like(f"ZAAK-{year}-%")))
        session.execute(delete(ZaaknummerCounter).where(ZaaknummerCounter.year == year))
