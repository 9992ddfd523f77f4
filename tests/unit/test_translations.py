"""Both catalogues are complete: every interface text extracted, translated, not fuzzy."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def load(locale: str):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def extracted_ids(tmp_path_factory) -> set:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    with pot.open("rb") as file:
        return {message.id for message in read_po(file) if message.id}


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_text_in_the_code_is_in_the_catalogue(locale, extracted_ids):
    known = {message.id for message in load(locale) if message.id}
    missing = extracted_ids - known
    assert not missing, f"run scripts/update_translations.py; not in {locale}: {missing}"


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_every_text_is_translated(locale):
    problems = []
    for message in load(locale):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            problems.append(message.id)
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if any(sorted(PLACEHOLDER.findall(ids[0])) != sorted(PLACEHOLDER.findall(text))
               for text in strings):
            problems.append(f"placeholders differ: {message.id}")
    assert not problems, f"{locale}: {problems}"
