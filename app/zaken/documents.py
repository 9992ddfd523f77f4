"""Where the bytes of zaak documents live: a small DocumentStore interface with a
filesystem implementation. Object storage (S3) or a DMS would be one more class, named
in app.ports.

Files get random names chosen here, never a name or path from the user, in a
directory outside the web root (setting DOCUMENTS_PATH, default instance/documents).
"""

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from app.ports import DOCUMENT_STORE, implementation

_KEY_RE = re.compile(r"[0-9a-f]{32}")


class DocumentStore(Protocol):
    def save(self, content: bytes) -> str:
        """Store the bytes; returns the key to read them back with."""

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class FileSystemDocumentStore:
    """Files under root/ab/cd/abcd... (two levels of shards keep directories small)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def save(self, content: bytes) -> str:
        key = secrets.token_hex(16)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file and rename: a reader never sees half a file.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        # Keys come from save(); checking them anyway means no stored value can reach
        # outside the root.
        if not _KEY_RE.fullmatch(key):
            raise ValueError("not a document key")
        return self.root / key[:2] / key[2:4] / key


def setup_filesystem_store(app) -> FileSystemDocumentStore:
    """DOCUMENT_STORE=local: the filesystem under DOCUMENTS_PATH (app.ports)."""
    return FileSystemDocumentStore(Path(app.config["DOCUMENTS_PATH"]))


def get_document_store() -> DocumentStore:
    """The store DOCUMENT_STORE chose (app.ports)."""
    return implementation(DOCUMENT_STORE)
