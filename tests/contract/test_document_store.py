"""The contract of DocumentStore (app.zaken.documents): the bytes of zaak documents and
message attachments, run against every implementation (object storage or a DMS adds
itself to IMPLEMENTATIONS)."""

import pytest

from app.zaken.documents import FileSystemDocumentStore

IMPLEMENTATIONS = [pytest.param(lambda tmp_path: FileSystemDocumentStore(tmp_path), id="local")]


@pytest.fixture(params=IMPLEMENTATIONS)
def store(request, tmp_path):
    return request.param(tmp_path)


def test_what_is_saved_reads_back_under_its_own_key(store):
    first, second = store.save(b"%PDF-1.4 een"), store.save(b"%PDF-1.4 twee")
    assert first != second
    assert (store.read(first), store.read(second)) == (b"%PDF-1.4 een", b"%PDF-1.4 twee")


def test_a_deleted_document_is_gone_and_deleting_twice_is_harmless(store):
    key = store.save(b"weg")
    store.delete(key)
    store.delete(key)
    with pytest.raises(FileNotFoundError):
        store.read(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "", "ab/cd", "X" * 32])
def test_a_key_the_store_did_not_hand_out_reads_nothing(store, key):
    with pytest.raises((ValueError, FileNotFoundError)):
        store.read(key)
