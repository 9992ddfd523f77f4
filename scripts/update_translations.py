"""Extract the interface texts and bring translations/{nl,en} up to date.

    .venv/bin/python scripts/update_translations.py

msgids are English, so the English catalogue gets each msgid as its own
translation; the Dutch one keeps its translations and lists new texts empty
for a translator (the test suite fails until they are filled in).
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
PYBABEL = [sys.executable, "-m", "babel.messages.frontend"]


def pybabel(*args: str) -> None:
    subprocess.run([*PYBABEL, *args], cwd=ROOT, check=True)


def fill_english() -> None:
    path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        catalog = read_po(file)
    for message in catalog:
        if message.id and not _translated(message.string):
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as file:
        write_po(file, catalog, width=100)


def _translated(string: str | tuple) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def main() -> None:
    pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--project=burgerportaal",
            "--no-location", "--sort-output", "-o", str(POT), ".")
    for locale in ("nl", "en"):
        if (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").exists():
            pybabel("update", "-i", str(POT), "-d", "translations", "-l", locale,
                    "--no-fuzzy-matching", "-w", "100")
        else:
            pybabel("init", "-i", str(POT), "-d", "translations", "-l", locale, "-w", "100")
    fill_english()


if __name__ == "__main__":
    main()
