"""Helpers for the feedback tests: the question's one-time link on a page or in a mail."""

import re

FEEDBACK_PATH = re.compile(r"/feedback/([A-Za-z0-9_-]{40,})")


def feedback_path(text: str) -> str | None:
    """The path of the first feedback link in a page or mail, None when there is none."""
    found = FEEDBACK_PATH.search(text)
    return found.group(0) if found else None
