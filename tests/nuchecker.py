"""The W3C Nu Html Checker (vnu.jar, npm `vnu-jar`) over every page the web tests render.

The test client hands each HTML page to `PAGES` (tests/conftest.py); at the end of the
session one batch run of the checker reads them all (starting Java once per page would take
hours) and the session fails with every error, listed per page. Pages that differ only in
their CSRF tokens are checked once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

VNU_JAR = Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The parts of a page that change on every render without changing its markup.
VOLATILE = re.compile(r'(name="csrf_token" value=|name="csrf-token" content=)"[^"]*"')


def unavailable_reason() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "no Java runtime (apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return f"{VNU_JAR} is missing (npm ci)"
    return None


@dataclass
class PageCollector:
    """The distinct pages of a test session, each with where it came from."""

    origins: dict[str, str] = field(default_factory=dict)   # content digest -> first request
    pages: list[tuple[str, str]] = field(default_factory=list)   # (request, html)

    def add(self, html: str, origin: str) -> None:
        digest = hashlib.sha256(VOLATILE.sub(r"\1", html).encode()).hexdigest()
        if digest not in self.origins:
            self.origins[digest] = origin
            self.pages.append((origin, html))

    def check(self, folder: Path) -> list[str]:
        """Run the checker on every page collected; one line per error, grouped by page."""
        if not self.pages:
            return []
        names = {}
        for number, (origin, html) in enumerate(self.pages):
            path = folder / f"page-{number:05d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = origin
        errors = run_vnu(folder)
        by_page: dict[str, list[str]] = defaultdict(list)
        for message in errors:
            origin = names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url", "?"))
            by_page[origin].append(
                f"  line {message.get('lastLine', '?')}: {_one_line(message['message'])}"
                f" [{_one_line(message.get('extract', ''))}]")
        return [line for origin, lines in by_page.items() for line in (origin, *lines)]


def run_vnu(folder: Path) -> list[dict]:
    """The checker's errors (not its warnings) for every .html file in the folder."""
    result = subprocess.run(
        ["java", "-Xss8m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only",
         "--skip-non-html", str(folder)],
        capture_output=True, text=True, check=False)
    try:
        report = json.loads(result.stderr or "{}")
    except json.JSONDecodeError as error:
        raise RuntimeError(f"the Nu Html Checker failed: {result.stderr[-2000:]}") from error
    return [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


PAGES = PageCollector()
